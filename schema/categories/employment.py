"""Category `employment`: jobs and hours from eIndkomst, incl. the 225-hour view."""

from datetime import date

import strawberry

from schema.categories.common import Employer, Period


@strawberry.type(description="Hours reported for one pay period (lønperiode).")
class MonthlyHours:
    period: Period = strawberry.field(
        description="The pay period (lønperiode) the hours belong to."
    )
    hours: float = strawberry.field(
        description="Paid hours in the period (løntimer, eIndkomst field 200)."
    )


@strawberry.type(
    description="A job: consecutive pay periods with one employer, as reported to eIndkomst. "
    "Municipal benefit payments (indkomsttype 06) are not jobs and never appear here."
)
class Job:
    employer: Employer = strawberry.field(
        description="The employer (indberetter), by CVR and name."
    )
    period: Period = strawberry.field(
        description="From the first to the last reported pay period; end is the last reported day."
    )
    total_hours: float = strawberry.field(description="Hours reported over the whole job.")
    months: list[MonthlyHours] = strawberry.field(description="Hours per pay period, oldest first.")
    spare_time_job: bool = strawberry.field(
        description="A spare-time job (fritidsjob): started before the young person turned 18."
    )


@strawberry.type(
    description="The 225-hour view (225-timersreglen): ordinary, paid hours in the 12 months "
    "before the reference date. A young person long on public support must document 225 hours "
    "of ordinary work within the last 12 months; the job centre must give guidance on the rule."
)
class HoursRule:
    reference_date: date = strawberry.field(
        description="The date the 12 months run back from (today)."
    )
    window: Period = strawberry.field(description="The 12 months counted.")
    ordinary_hours: float = strawberry.field(
        description="Ordinary hours reported to eIndkomst in the window (felt 200), "
        "excluding benefit payments."
    )
    required_hours: float = strawberry.field(description="Hours the rule requires: 225.")
    met: bool = strawberry.field(description="True when ordinary hours are at least 225.")


@strawberry.type(
    description="Previous and current employment from eIndkomst (Skattestyrelsen): jobs with "
    "employer, period and hours per month, spare-time jobs, and the 225-hour view."
)
class Employment:
    jobs: list[Job] = strawberry.field(description="Jobs, newest first.")
    spare_time_jobs: list[Job] = strawberry.field(
        description="Spare-time jobs (fritidsjob), those started before age 18."
    )
    hours_rule: HoursRule = strawberry.field(
        description="Ordinary hours in the last 12 months against the 225-hour rule."
    )
