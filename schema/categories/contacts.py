"""Category `contacts`: the people around the young person, in the municipality and at school."""

from datetime import date
from enum import Enum

import strawberry


@strawberry.enum(description="The role a contact person has for the young person.")
class ContactRole(Enum):
    CONTACT_PERSON = strawberry.enum_value(
        "CONTACT_PERSON",
        description="Primary contact person in the job centre or KUI (kontaktperson).",
    )
    COORDINATING_CASE_WORKER = strawberry.enum_value(
        "COORDINATING_CASE_WORKER",
        description="Coordinating case worker (koordinerende sagsbehandler).",
    )
    MENTOR = strawberry.enum_value("MENTOR", description="Mentor (mentor).")
    BUSINESS_CONSULTANT = strawberry.enum_value(
        "BUSINESS_CONSULTANT",
        description="Business consultant who arranges internships (virksomhedskonsulent).",
    )
    CONTACT_TEACHER = strawberry.enum_value(
        "CONTACT_TEACHER", description="Contact teacher at the school (kontaktlærer)."
    )
    STUDY_COUNSELLOR = strawberry.enum_value(
        "STUDY_COUNSELLOR", description="Study counsellor at the school (studievejleder)."
    )
    KUI_CONTACT = strawberry.enum_value(
        "KUI_CONTACT",
        description="Contact person in the municipal youth effort (KUI-kontaktperson, KUI § 15 d).",
    )


@strawberry.type(
    description="One contact person: who, in which role and organisation, and how to reach them."
)
class ContactPerson:
    name: str = strawberry.field(description="Full name.")
    role: ContactRole = strawberry.field(description="The role towards the young person.")
    organisation: str | None = strawberry.field(
        description="Job centre, municipality or institution the person works for."
    )
    phone: str | None = strawberry.field(description="Phone number.")
    email: str | None = strawberry.field(description="Email address.")
    since: date | None = strawberry.field(
        description="Since when: the assignment start (fra) for municipal contacts, the receipt "
        "date (kvitteret) for institution contacts."
    )
    until: date | None = strawberry.field(
        description="End of the assignment (til); null while it is open-ended."
    )


@strawberry.type(
    description="Contact persons both ways: the municipality's from DFDG (kontaktpersoner) and "
    "the institution's and the KUI contact from Ungedatabasen (UDB). The institution's contact "
    "is its receipt (IndberetInstitutionKontakt v1.0) for the job centre's contact."
)
class Contacts:
    municipal: list[ContactPerson] = strawberry.field(
        description="Contact persons in the municipality (job centre, KUI, mentor, business "
        "consultant), current and earlier."
    )
    institution: list[ContactPerson] = strawberry.field(
        description="Contact persons at educational institutions (kontaktlærer, studievejleder)."
    )
    kui_contact: ContactPerson | None = strawberry.field(
        description="The KUI contact person as Ungedatabasen passes it to the school."
    )
    institution_receipt_date: date | None = strawberry.field(
        description="Latest date an institution acknowledged (kvitteret) the job centre's contact "
        "by naming its own; null while no school has."
    )
