"""The retention exchange's mutations (EXCHANGE.md): one action each, one input object, a
nullable payload with `changed` and `userErrors` (Shopify's design rules).

No input carries free text but the institution number and the school contact's name, both
validated: a support need is predefined choices only, so nothing sensitive can get in. What
may be written, by whom, and what is audited is decided behind `ExchangeWrites` (the gateway's
use case); the schema only types the contract.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any, Protocol

import strawberry
from strawberry.types import Info

from schema.categories.common import ExchangeContact, Institution
from schema.categories.dropout_risk import DropoutRiskReason
from schema.enums import Purpose
from schema.scalars import CPR


@strawberry.enum(description="The municipality's assessment of the support need.")
class SupportAssessment(Enum):
    NEED = strawberry.enum_value("NEED", description="There is a support need (behov).")
    NO_NEED = strawberry.enum_value("NO_NEED", description="No support need (intet behov).")


@strawberry.enum(description="A predefined area of support (DataTilInstitution v2.0).")
class SupportArea(Enum):
    ACADEMIC = strawberry.enum_value("ACADEMIC", description="Academic support (fagligt).")
    SOCIAL_PERSONAL_HEALTH = strawberry.enum_value(
        "SOCIAL_PERSONAL_HEALTH",
        description="Social, personal or health-related support (socialt, personligt, "
        "helbredsmæssigt) — which of them is never said: nothing sensitive crosses.",
    )


@strawberry.enum(
    description="The role of the school's contact person (IndberetInstitutionKontakt)."
)
class InstitutionContactRole(Enum):
    STUDY_COUNSELLOR = strawberry.enum_value(
        "STUDY_COUNSELLOR", description="Study counsellor (studievejleder)."
    )
    CONTACT_TEACHER = strawberry.enum_value(
        "CONTACT_TEACHER", description="Contact teacher (kontaktlærer)."
    )
    MENTOR = strawberry.enum_value("MENTOR", description="The school's mentor.")
    TEAM = strawberry.enum_value("TEAM", description="A team at the school (a shared contact).")


@strawberry.enum(description="Why an exchange write did not happen (a `userErrors` code).")
class ExchangeErrorCode(Enum):
    NO_EDUCATION_PLAN = strawberry.enum_value(
        "NO_EDUCATION_PLAN", description="STAR 8066: the young person has no education plan."
    )
    AGE_LIMIT = strawberry.enum_value("AGE_LIMIT", description="STAR 8067: must be under 30.")
    NO_ACTIVE_CONTACT_GROUP = strawberry.enum_value(
        "NO_ACTIVE_CONTACT_GROUP", description="STAR 8060/8068: no active contact group."
    )
    NO_ACTIVE_PLAN = strawberry.enum_value(
        "NO_ACTIVE_PLAN", description="STAR 8002: no active plan."
    )
    ADMISSION_NOT_FOUND = strawberry.enum_value(
        "ADMISSION_NOT_FOUND",
        description="No admission or enrolment of the young person at that institution.",
    )
    CONTRADICTORY_ASSESSMENT = strawberry.enum_value(
        "CONTRADICTORY_ASSESSMENT", description="NO_NEED given together with support areas."
    )
    NOT_ENROLLED = strawberry.enum_value(
        "NOT_ENROLLED", description="The young person is not enrolled at the school."
    )
    NO_EDUCATION_ORDER = strawberry.enum_value(
        "NO_EDUCATION_ORDER", description="The young person has no active education order."
    )
    NO_SUBSCRIPTION = strawberry.enum_value(
        "NO_SUBSCRIPTION", description="The municipality has no open subscription to close."
    )
    IDEMPOTENCY_KEY_REUSED = strawberry.enum_value(
        "IDEMPOTENCY_KEY_REUSED",
        description="The idempotency key was used within 7 days for another input.",
    )
    INVALID = strawberry.enum_value(
        "INVALID", description="A field's value is not allowed (see `field` and `message`)."
    )


@strawberry.type(description="A business failure of a write; nothing was changed.")
class ExchangeUserError:
    field: list[str] | None = strawberry.field(
        description='Path to the input field at fault, e.g. ["input", "contact", "name"].'
    )
    code: ExchangeErrorCode = strawberry.field(description="What went wrong.")
    message: str = strawberry.field(description="For a person; may change, match on `code`.")


# --- inputs ------------------------------------------------------------------------------------


@strawberry.input(
    one_of=True,
    description="Who at the municipality the school should contact: exactly one of them.",
)
class MunicipalContactInput:
    self_: bool | None = strawberry.field(name="self", description="The caller themself (true).")
    person_id: strawberry.ID | None = strawberry.field(
        description="Another case worker, by their id in DFDG."
    )
    team_id: strawberry.ID | None = strawberry.field(
        description="A team of the job centre, by its id in DFDG."
    )


@strawberry.input(description="A school contact person: the receipt names a person or team.")
class InstitutionContactInput:
    name: str = strawberry.field(description="Letters, spaces and hyphens, at most 80.")
    role: InstitutionContactRole = strawberry.field(description="Their role at the school.")
    phone: str = strawberry.field(description="+45 and eight digits.")
    email: str = strawberry.field(description="An e-mail address.")


@strawberry.input(description="A new support-need version for the school of an admission.")
class SupportNeedRegisterInput:
    cpr: CPR
    purpose: Purpose
    idempotency_key: strawberry.ID = strawberry.field(description="A UUID chosen by the client.")
    institution_number: str = strawberry.field(
        description="Six digits: the school of the admission."
    )
    assessment: SupportAssessment
    documented: bool = strawberry.field(description="The need is documented.")
    other_support_persons: bool = strawberry.field(description="Other support persons exist.")
    contact_wanted: bool = strawberry.field(description="The young person wants contact.")
    municipal_contact: MunicipalContactInput
    areas: list[SupportArea] = strawberry.field(default_factory=list, description="Only with NEED.")


@strawberry.input(description="The school's receipt: its contact person for the young person.")
class InstitutionContactReportInput:
    cpr: CPR
    purpose: Purpose
    idempotency_key: strawberry.ID = strawberry.field(description="A UUID chosen by the client.")
    contact: InstitutionContactInput


@strawberry.input(description="A risk that the young person drops out (expires after 3 months).")
class DropoutRiskReportInput:
    cpr: CPR
    purpose: Purpose
    idempotency_key: strawberry.ID = strawberry.field(description="A UUID chosen by the client.")
    reasons: list[DropoutRiskReason] = strawberry.field(description="At least one reason.")
    first_absence_letter_sent: bool = strawberry.field(
        description="Whether the school has sent its first absence letter (R4: report before)."
    )


@strawberry.input(description="Open the municipality's subscription to UDB's education events.")
class UdbSubscriptionOpenInput:
    cpr: CPR
    purpose: Purpose
    idempotency_key: strawberry.ID = strawberry.field(description="A UUID chosen by the client.")
    starts_on: dt.date | None = strawberry.field(default=None, description="Default: today.")


@strawberry.input(description="Close the subscription by hand (nothing closes it by itself).")
class UdbSubscriptionCloseInput:
    cpr: CPR
    purpose: Purpose
    idempotency_key: strawberry.ID = strawberry.field(description="A UUID chosen by the client.")


# --- what was written ---------------------------------------------------------------------------


@strawberry.type(description="One version of the support need sent to the school.")
class SupportNeedVersion:
    version: int = strawberry.field(description="1, 2, … per young person.")
    institution: Institution = strawberry.field(description="The school it was sent to.")
    assessment: SupportAssessment
    areas: list[SupportArea]
    documented: bool
    other_support_persons: bool
    contact_wanted: bool
    municipal_contact: ExchangeContact | None = strawberry.field(
        description="Who at the municipality the school should contact."
    )
    registered: dt.date = strawberry.field(description="Day the version was registered.")
    acknowledged: dt.date | None = strawberry.field(
        description="Day the school's receipt named this version; null until then."
    )


@strawberry.type(description="The school's receipt: its contact person.")
class InstitutionContactReceipt:
    contact: ExchangeContact
    institution: Institution
    acknowledges_version: int | None = strawberry.field(
        description="The support-need version the receipt answers; null when none was sent."
    )
    reported: dt.date


@strawberry.type(description="A dropout-risk notice as reported.")
class DropoutRiskReported:
    id: strawberry.ID = strawberry.field(description="UDB's event id.")
    reasons: list[DropoutRiskReason]
    reported: dt.date
    expires: dt.date = strawberry.field(description="Three months after it was reported.")
    first_absence_letter_sent: bool
    within_first_six_months: bool = strawberry.field(
        description="Reported within the first 6 months after the start (R5)."
    )


@strawberry.type(description="The municipality's subscription in UDB.")
class UdbSubscription:
    id: strawberry.ID
    municipality: str = strawberry.field(description="Municipality code.")
    starts_on: dt.date
    ends_on: dt.date | None = strawberry.field(description="Null while open.")
    closed_by: str | None = strawberry.field(description="Who closed it by hand; null while open.")


@strawberry.type
class SupportNeedRegisterPayload:
    support_need: SupportNeedVersion | None
    changed: bool
    user_errors: list[ExchangeUserError]


@strawberry.type
class InstitutionContactReportPayload:
    receipt: InstitutionContactReceipt | None
    changed: bool
    user_errors: list[ExchangeUserError]


@strawberry.type
class DropoutRiskReportPayload:
    dropout_risk: DropoutRiskReported | None
    changed: bool
    user_errors: list[ExchangeUserError]


@strawberry.type
class UdbSubscriptionOpenPayload:
    subscription: UdbSubscription | None
    changed: bool
    user_errors: list[ExchangeUserError]


@strawberry.type
class UdbSubscriptionClosePayload:
    subscription: UdbSubscription | None
    changed: bool
    user_errors: list[ExchangeUserError]


class ExchangeWrites(Protocol):
    """What the mutations need from the gateway (its use case implements it)."""

    async def support_need_register(
        self, input: SupportNeedRegisterInput
    ) -> SupportNeedRegisterPayload: ...

    async def institution_contact_report(
        self, input: InstitutionContactReportInput
    ) -> InstitutionContactReportPayload: ...

    async def dropout_risk_report(
        self, input: DropoutRiskReportInput
    ) -> DropoutRiskReportPayload: ...

    async def udb_subscription_open(
        self, input: UdbSubscriptionOpenInput
    ) -> UdbSubscriptionOpenPayload: ...

    async def udb_subscription_close(
        self, input: UdbSubscriptionCloseInput
    ) -> UdbSubscriptionClosePayload: ...


class HasExchange(Protocol):
    exchange: ExchangeWrites


def _writes(info: Info[Any, Any]) -> ExchangeWrites:
    context: HasExchange = info.context
    return context.exchange


@strawberry.type
class ExchangeMutation:
    @strawberry.field(
        description="A new support-need version for the school of an admission (LAB § 30 stk. 7)."
    )
    async def support_need_register(
        self, info: Info[Any, Any], input: SupportNeedRegisterInput
    ) -> SupportNeedRegisterPayload:
        return await _writes(info).support_need_register(input)

    @strawberry.field(description="The school's receipt: its own contact person.")
    async def institution_contact_report(
        self, info: Info[Any, Any], input: InstitutionContactReportInput
    ) -> InstitutionContactReportPayload:
        return await _writes(info).institution_contact_report(input)

    @strawberry.field(description="The school reports a risk of dropout (expires in 3 months).")
    async def dropout_risk_report(
        self, info: Info[Any, Any], input: DropoutRiskReportInput
    ) -> DropoutRiskReportPayload:
        return await _writes(info).dropout_risk_report(input)

    @strawberry.field(description="Open the municipality's UDB subscription.")
    async def udb_subscription_open(
        self, info: Info[Any, Any], input: UdbSubscriptionOpenInput
    ) -> UdbSubscriptionOpenPayload:
        return await _writes(info).udb_subscription_open(input)

    @strawberry.field(description="Close the municipality's UDB subscription by hand.")
    async def udb_subscription_close(
        self, info: Info[Any, Any], input: UdbSubscriptionCloseInput
    ) -> UdbSubscriptionClosePayload:
        return await _writes(info).udb_subscription_close(input)
