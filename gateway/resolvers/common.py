"""Mapping helpers several registers share: periods, institutions, employers, calendar sums."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from gateway.resolvers import wire
from schema.categories.common import Employer, Institution, Period


def period(start: Any, end: Any) -> Period:
    return Period(start=wire.day(start), end=wire.opt_day(end))


def institution(number: Any, name: Any = None) -> Institution:
    return Institution(number=wire.text(number), name=wire.opt_text(name))


def opt_institution(number: Any, name: Any = None) -> Institution | None:
    return None if number is None else institution(number, name)


def employer(source: Mapping[str, Any] | None) -> Employer:
    source = source or {}
    return Employer(cvr=wire.opt_text(source.get("cvr")), name=wire.opt_text(source.get("navn")))


def birthday(born: dt.date, age: int) -> dt.date:
    """The day a person born on `born` turns `age` (29 February birthdays fall on 1 March)."""
    try:
        return born.replace(year=born.year + age)
    except ValueError:
        return dt.date(born.year + age, 3, 1)


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a non-leap year
        return dt.date(day.year - years, 2, 28)


def month_start(day: dt.date, months_back: int = 0) -> dt.date:
    """First day of the month `months_back` months before the month of `day`."""
    index = day.year * 12 + day.month - 1 - months_back
    return dt.date(index // 12, index % 12 + 1, 1)


def overlaps(
    start: dt.date, end: dt.date | None, window_start: dt.date, window_end: dt.date
) -> bool:
    """Whether the inclusive period [start, end] (end None: open) meets the inclusive window."""
    return start <= window_end and (end is None or end >= window_start)


def age_at(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def iso_day(value: Any) -> str | None:
    """A wire date, checked, given back as `YYYY-MM-DD` (the policy compares such strings)."""
    day = wire.opt_day(value)
    return None if day is None else day.isoformat()
