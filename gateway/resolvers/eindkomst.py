"""eIndkomst (Skattestyrelsen): jobs and hours (section `timer`), amounts (section `beloeb`).

The two categories read different fields of the same monthly lines, so the projection cuts
each line down to its section's fields: the employment payload never carries amounts, the
income payload never carries hours, whatever one call asked for.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from gateway.resolvers import wire
from gateway.resolvers.base import MapContext, Payload, RegisterSpec
from gateway.resolvers.common import birthday, employer, month_start, period, years_before
from schema.categories.common import Period
from schema.categories.employment import Employment, HoursRule, Job, MonthlyHours
from schema.categories.income import Income, IncomeLine, IncomeType, MonthlyIncome
from schema.cpr import birth_date

HOURS = "timer"
AMOUNTS = "beloeb"

#: Months of history asked for: the whole working life from age 15 of anyone under 30 for
#: employment (spare-time jobs matter at first contact), the default three years for income.
_MONTHS_BACK = {HOURS: 180, AMOUNTS: 36}

_LINE_KEYS = {
    HOURS: ("indberetningId", "indberetter", "indkomsttype", "loenperiode", "timer"),
    AMOUNTS: (
        "indberetningId",
        "indberetter",
        "indkomsttype",
        "loenperiode",
        "dispositionsdato",
        "felter",
    ),
}

# Income types that are payments, not work: SU, other personal income (e.g. dagpenge),
# municipal benefits (06: kontanthjælp/uddannelseshjælp), sickness/maternity benefit, AFU,
# and pension savings. Lines of these types are never jobs and never count towards 225 hours.
_NOT_WORK = {"01", "04", "06", "07", "20", "24", "26"}

REQUIRED_HOURS = 225.0


def _project(section: str, document: Payload) -> Payload | None:
    keys = _LINE_KEYS[section]
    lines = wire.items(document.get("linjer"))
    return {"linjer": [{k: line[k] for k in keys if k in line} for line in lines]}


def _window(sections: frozenset[str], today: dt.date) -> dict[str, Any]:
    months = max(_MONTHS_BACK[s] for s in sections)
    return {
        "fra": month_start(today, months - 1).strftime("%Y-%m"),
        "til": today.strftime("%Y-%m"),
    }


SPEC = RegisterSpec(
    label="eindkomst",
    prefix="/eindkomst/v1",
    sections=(HOURS, AMOUNTS),
    project=_project,
    batch_extras=_window,
)

# --- employment --------------------------------------------------------------------------


def employment(payload: Payload, ctx: MapContext) -> Employment:
    worked: list[tuple[Period, float, Payload]] = []
    for line in wire.items(payload.get("linjer")):
        hours = wire.opt_number(line.get("timer"))
        if wire.text(line.get("indkomsttype")) in _NOT_WORK or hours is None:
            continue
        pay = wire.obj(line.get("loenperiode"))
        worked.append((period(pay.get("start"), pay.get("slut")), hours, line))

    coming_of_age = birthday(birth_date(ctx.cpr), 18)
    jobs = [_job(lines, coming_of_age) for lines in _runs(worked)]
    jobs.sort(key=lambda j: j.period.start, reverse=True)

    window_start = years_before(ctx.today, 1) + dt.timedelta(days=1)
    ordinary = sum(
        hours
        for pay, hours, _ in worked
        if pay.start <= ctx.today and (pay.end or pay.start) >= window_start
    )
    ordinary = round(ordinary, 2)
    return Employment(
        jobs=jobs,
        spare_time_jobs=[j for j in jobs if j.spare_time_job],
        hours_rule=HoursRule(
            reference_date=ctx.today,
            window=Period(start=window_start, end=ctx.today),
            ordinary_hours=ordinary,
            required_hours=REQUIRED_HOURS,
            met=ordinary >= REQUIRED_HOURS,
        ),
    )


def _runs(
    worked: list[tuple[Period, float, Payload]],
) -> list[list[tuple[Period, float, Payload]]]:
    """Lines grouped per employer into runs of consecutive pay periods: a gap of more than
    a month between two periods with the same employer starts a new job."""
    by_employer: dict[tuple[str | None, str | None], list[tuple[Period, float, Payload]]]
    by_employer = defaultdict(list)
    for entry in worked:
        payer = wire.opt_obj(entry[2].get("indberetter")) or {}
        by_employer[(wire.opt_text(payer.get("cvr")), wire.opt_text(payer.get("navn")))].append(
            entry
        )
    runs: list[list[tuple[Period, float, Payload]]] = []
    for entries in by_employer.values():
        entries.sort(key=lambda e: e[0].start)
        current: list[tuple[Period, float, Payload]] = []
        for entry in entries:
            if current:
                previous_end = current[-1][0].end or current[-1][0].start
                if (entry[0].start - previous_end).days > 31:
                    runs.append(current)
                    current = []
            current.append(entry)
        runs.append(current)
    return runs


def _job(run: list[tuple[Period, float, Payload]], coming_of_age: dt.date) -> Job:
    first, last = run[0][0], run[-1][0]
    return Job(
        employer=employer(wire.opt_obj(run[0][2].get("indberetter"))),
        period=Period(start=first.start, end=last.end or last.start),
        total_hours=round(sum(hours for _, hours, _ in run), 2),
        months=[MonthlyHours(period=pay, hours=hours) for pay, hours, _ in run],
        spare_time_job=first.start < coming_of_age,
    )


# --- income ------------------------------------------------------------------------------

_INCOME_TYPES = {
    "00": IncomeType.WAGES,
    "01": IncomeType.STUDENT_GRANT,
    "03": IncomeType.GREENLAND_TAX,
    "04": IncomeType.OTHER_PERSONAL_INCOME,
    "24": IncomeType.OTHER_PERSONAL_INCOME,
    "05": IncomeType.B_INCOME,
    "06": IncomeType.MUNICIPAL_BENEFIT,
    "07": IncomeType.SICKNESS_OR_MATERNITY_BENEFIT,
    "09": IncomeType.TAX_FREE,
    "10": IncomeType.WAGES_VIA_GUARANTEE_FUND,
}


def income(payload: Payload, ctx: MapContext) -> Income:
    # A call that also asked for hours reached further back; income shows three years.
    since = month_start(ctx.today, _MONTHS_BACK[AMOUNTS] - 1)
    lines: list[IncomeLine] = []
    for line in wire.items(payload.get("linjer")):
        pay = wire.obj(line.get("loenperiode"))
        when = period(pay.get("start"), pay.get("slut"))
        if when.start < since:  # hours reach 15 years back: most lines are not income's
            continue
        fields = wire.opt_obj(line.get("felter")) or {}
        type_code = wire.text(line.get("indkomsttype"))
        item = IncomeLine(
            id=wire.text(line.get("indberetningId")),
            payer=employer(wire.opt_obj(line.get("indberetter"))),
            period=when,
            income_type=wire.open_code(_INCOME_TYPES, type_code, IncomeType.OTHER),
            income_type_code=type_code,
            disposal_date=wire.opt_day(line.get("dispositionsdato")),
            a_income=round(
                (wire.opt_number(fields.get("13")) or 0.0)
                + (wire.opt_number(fields.get("14")) or 0.0),
                2,
            ),
            a_tax=wire.opt_number(fields.get("15")),
            labour_market_contribution=wire.opt_number(fields.get("16")),
        )
        lines.append(item)
    lines.sort(key=lambda line: line.period.start, reverse=True)
    return Income(lines=lines, monthly_totals=_monthly_totals(lines))


def _monthly_totals(lines: list[IncomeLine]) -> list[MonthlyIncome]:
    per_month: dict[dt.date, list[IncomeLine]] = defaultdict(list)
    for line in lines:
        per_month[month_start(line.period.start)].append(line)
    return [
        MonthlyIncome(
            month=month,
            a_income=round(sum(line.a_income for line in month_lines), 2),
            a_tax=round(sum(line.a_tax or 0.0 for line in month_lines), 2),
            payers=len({(line.payer.cvr, line.payer.name) for line in month_lines}),
        )
        for month, month_lines in sorted(per_month.items(), reverse=True)
    ]
