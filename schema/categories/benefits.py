"""Category `benefits`: public support (offentlig forsørgelse) from DFDG."""

from datetime import date
from enum import Enum

import strawberry

from schema.categories.common import Period


@strawberry.enum(description="The benefit paid in a period (ydelse).")
class BenefitType(Enum):
    EDUCATION_ASSISTANCE = strawberry.enum_value(
        "EDUCATION_ASSISTANCE",
        description="Education assistance (uddannelseshjælp), for under-30s without a vocational "
        "qualification; merged into kontanthjælp on 1 July 2025.",
    )
    CASH_BENEFIT = strawberry.enum_value(
        "CASH_BENEFIT",
        description="Cash benefit (kontanthjælp); since 1 July 2025 also paid instead of "
        "uddannelseshjælp (LAS §§ 16-20).",
    )
    TRANSITION_BENEFIT = strawberry.enum_value(
        "TRANSITION_BENEFIT",
        description="Transition benefit (overgangsydelse), abolished 1 July 2025.",
    )
    SICKNESS_BENEFIT = strawberry.enum_value(
        "SICKNESS_BENEFIT", description="Sickness benefit (sygedagpenge)."
    )
    UNEMPLOYMENT_BENEFIT = strawberry.enum_value(
        "UNEMPLOYMENT_BENEFIT", description="Unemployment benefit (dagpenge)."
    )
    REHABILITATION = strawberry.enum_value(
        "REHABILITATION",
        description="Rehabilitation benefit (revalidering) or resource course (ressourceforløb).",
    )
    OTHER = strawberry.enum_value("OTHER", description="Any other benefit type.")


@strawberry.enum(description="The rate (sats) a benefit is paid at.")
class BenefitRate(Enum):
    UNDER_25_LIVING_AWAY = strawberry.enum_value(
        "UNDER_25_LIVING_AWAY",
        description="Under 25, living away from parents (under 25 udeboende).",
    )
    LIVING_WITH_PARENTS = strawberry.enum_value(
        "LIVING_WITH_PARENTS", description="Living with parents (hjemmeboende)."
    )
    BASIC = strawberry.enum_value("BASIC", description="Basic rate (grundsats), from 1 July 2025.")
    MINIMUM = strawberry.enum_value(
        "MINIMUM", description="Minimum rate (mindstesats), from 1 July 2025."
    )
    RAISED = strawberry.enum_value(
        "RAISED", description="Raised rate (forhøjet sats), from 1 July 2025."
    )
    SINGLE_PROVIDER = strawberry.enum_value(
        "SINGLE_PROVIDER", description="Single provider (enlig forsørger)."
    )
    PREGNANT = strawberry.enum_value("PREGNANT", description="Pregnant (gravid).")
    OTHER = strawberry.enum_value("OTHER", description="Any other rate.")


@strawberry.type(description="One period of public support (forsørgelsesperiode).")
class BenefitPeriod:
    type: BenefitType = strawberry.field(description="The benefit (ydelse).")
    rate: BenefitRate | None = strawberry.field(description="The rate (sats).")
    period: Period = strawberry.field(
        description="From and to (inclusive); to is null while ongoing."
    )
    monthly_amount: float | None = strawberry.field(
        description="Amount per month in DKK (beløb pr. måned)."
    )


@strawberry.type(
    description="Target group under the Act on an active employment effort, LAB § 6 (målgruppe), "
    "e.g. 4 education-ready or 5 activity-ready under 30 on uddannelseshjælp."
)
class TargetGroup:
    number: int = strawberry.field(description="Number of the target group in LAB § 6 (nr.).")
    description: str | None = strawberry.field(description="Name of the target group (betegnelse).")
    since: date | None = strawberry.field(
        description="Date the young person entered the target group."
    )


@strawberry.type(
    description="Periods of public support (offentlig forsørgelse) from DFDG (STAR): the history, "
    "the LAB § 6 target group, support at age 18/19, and months on support in the last 3 years."
)
class Benefits:
    periods: list[BenefitPeriod] = strawberry.field(description="Support periods, newest first.")
    current: BenefitPeriod | None = strawberry.field(
        description="The period that covers the reference date (today); null when not on support."
    )
    target_group: TargetGroup | None = strawberry.field(
        description="LAB § 6 target group (målgruppe)."
    )
    on_support_at_18_or_19: bool = strawberry.field(
        description="Whether the young person received public support at any time between the 18th "
        "and the 20th birthday (birth date from the CPR number); an early sign of a long course."
    )
    months_on_support_last_3_years: int = strawberry.field(
        description="Calendar months with at least one day of support in the 36 months up to the "
        "reference date."
    )
