"""Category `support_needs`: the structured support-need exchange between municipality and school.

Predefined choices only: no free text and nothing sensitive ever travels here (LAB § 30 stk. 7,
KUI § 15 d stk. 2 nr. 2).
"""

from datetime import date

import strawberry

from schema.categories.common import ExchangeContact, Institution


@strawberry.type(
    description="The education order (uddannelsespålæg, LAB § 30) as the school sees it in "
    "Ungedatabasen (UDB)."
)
class SupportEducationOrder:
    active: bool = strawberry.field(description="Whether the education order is in force.")
    step: int | None = strawberry.field(
        description="Step of the order: 1 propose programmes, 2 apply, 3 start and complete "
        "(LAB § 30 stk. 2-3, 4 and 5)."
    )
    institution: Institution | None = strawberry.field(
        description="The institution the order concerns (at step 3: where to start and complete)."
    )


@strawberry.type(
    description="Predefined support-need flags (støttebehov) the job centre sends the school. "
    "Only yes/no per area; never a diagnosis or a reason."
)
class SupportNeedFlags:
    academic: bool = strawberry.field(description="Needs academic support (fagligt).")
    social: bool = strawberry.field(description="Needs social support (socialt).")
    personal: bool = strawberry.field(description="Needs personal support (personligt).")
    health: bool = strawberry.field(
        description="Needs support for health reasons (helbredsmæssigt), as a flag only."
    )


@strawberry.type(
    description="The support need the job centre registered in Ungedatabasen (UDB) for the school "
    "(DataTilInstitution v2.0): the education order, predefined need flags and whether the young "
    "person wants contact. Never free text."
)
class SupportNeeds:
    education_order: SupportEducationOrder | None = strawberry.field(
        description="The education order (uddannelsespålæg) and its step; null when none."
    )
    needs: SupportNeedFlags = strawberry.field(description="The predefined support-need flags.")
    wants_contact: bool = strawberry.field(
        description="Whether the young person wants the school to make contact (ønsker kontakt)."
    )
    registered: date | None = strawberry.field(
        description="Date the support need was registered (registreret)."
    )
    institution_notified: date | None = strawberry.field(
        description="Date the institution was notified (underrettet), as LAB § 30 stk. 7 requires "
        "at start; null while not yet notified."
    )
    version: int | None = strawberry.field(
        default=None,
        description="The support-need version these flags are (supportNeedRegister makes a new "
        "one); null when none was registered through the exchange.",
    )
    acknowledged_version: int | None = strawberry.field(
        default=None,
        description="The latest version the school's receipt named; null before any receipt.",
    )
    municipal_contact: ExchangeContact | None = strawberry.field(
        default=None, description="Who at the municipality the school should contact."
    )
