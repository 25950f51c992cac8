"""eIndkomst (Skattestyrelsen): monthly income lines per employer, in a window of months.

Sections: `timer` (employer, period, hours) and `beloeb` (amounts). With only `timer` a line
has no `felter`, and lines without hours (benefit payments) are left out, so asking for
employment never reveals benefits. With only `beloeb` a line has no `timer`.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import cache

from mocks.codes import add_months, month_end, month_start, stable_cvr
from mocks.facts import municipality_org
from mocks.model import Person
from mocks.population import Population
from mocks.registers import Document, Query, Register
from mocks.wire import ident, noise

DEFAULT_MONTHS = 36
AM_RATE = 0.08  # labour-market contribution (felt 16)
TAX_RATE = 0.37  # rough A-tax after deduction (felt 15)
MONTHLY_DEDUCTION = 4300.0


def default_window(person: Person, today: date) -> tuple[date, date]:
    """The last 36 whole months before `today`; a persona's window reaches back further when
    their history starts earlier (e.g. Anne's spare-time job at 16)."""
    last = add_months(month_start(today), -1)
    first = add_months(last, -(DEFAULT_MONTHS - 1))
    if person.income_window_start is not None:
        first = min(first, person.income_window_start)
    return first, last


def _months(first: date, last: date, start: date, end: date | None) -> list[date]:
    month = max(first, month_start(start))
    stop = min(last, month_start(end)) if end is not None else last
    months = []
    while month <= stop:
        months.append(month)
        month = add_months(month, 1)
    return months


def _tax(amount: float) -> float:
    return round(max(0.0, (amount - MONTHLY_DEDUCTION) * TAX_RATE), 2)


@cache
def _payday(month: date) -> date:
    """The last banking day of the month (weekends only)."""
    day = month_end(month)
    while day.weekday() >= 5:
        day -= timedelta(1)
    return day


def _payer(person: Person, month: date) -> str:
    """The municipality that had the case in that month."""
    for case in person.cases:
        if case.start <= month_end(month) and (case.end is None or case.end >= month):
            return case.municipality
    return person.municipality


def lines(person: Person, first: date, last: date) -> list[Document]:
    found: list[Document] = []
    for j, job in enumerate(person.jobs):
        for month in _months(first, last, job.start, job.end):
            jitter = (noise(person.seed, j, month) - 0.5) * 0.1
            hours = round(job.hours_per_month * (1 + jitter) * 4) / 4
            gross = round(hours * job.hourly_wage, 2)
            contribution = round(gross * AM_RATE, 2)
            found.append(
                {
                    "indberetningId": ident(person, f"eindkomst-{j}", month.toordinal()),
                    "indberetter": {"cvr": job.cvr, "navn": job.employer},
                    "indkomsttype": "00",
                    "loenperiode": {"start": month, "slut": month_end(month)},
                    "dispositionsdato": _payday(month),
                    "timer": hours,
                    "felter": {"13": gross, "15": _tax(gross - contribution), "16": contribution},
                }
            )
    for b, period in enumerate(person.benefits):
        for month in _months(first, last, period.start, period.end):
            days = calendar.monthrange(month.year, month.month)[1]
            covered_from = max(month, period.start)
            covered_to = min(month_end(month), period.end or month_end(month))
            share = ((covered_to - covered_from).days + 1) / days
            amount = round(period.monthly_amount * share, 2)
            payer = _payer(person, month)
            found.append(
                {
                    "indberetningId": ident(person, f"ydelse-{b}", month.toordinal()),
                    "indberetter": {
                        "cvr": stable_cvr(f"kommune-{payer}"),
                        "navn": municipality_org(payer),
                    },
                    "indkomsttype": "06",
                    "loenperiode": {"start": month, "slut": month_end(month)},
                    "dispositionsdato": _payday(month),
                    "timer": None,
                    "felter": {"14": amount, "15": _tax(amount)},
                }
            )
    found.sort(key=lambda line: (line["loenperiode"]["start"], line["indkomsttype"]))
    return found


def render(person: Person, population: Population, query: Query) -> Document:
    first, last = default_window(person, population.reference_date)
    first = query.first_month or first
    last = query.last_month or last
    selected = lines(person, first, last)
    hours, amounts = "timer" in query.sections, "beloeb" in query.sections
    if not amounts:
        selected = [line for line in selected if line["timer"] is not None]
        for line in selected:
            del line["felter"]
    if not hours:
        for line in selected:
            del line["timer"]
    return {"cpr": person.cpr, "linjer": selected}


REGISTER = Register(
    label="eindkomst",
    prefix="/eindkomst/v1",
    sections=("timer", "beloeb"),
    render=render,
    month_window=True,
)
