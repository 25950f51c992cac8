"""Custom scalars. `CPR` refuses anything that is not a CPR number before any resolver runs."""

from __future__ import annotations

import re
from typing import Any, NewType

import strawberry

from schema.cpr import InvalidCPR, parse_cpr

CPR = NewType("CPR", str)

#: A calendar month, "YYYY-MM" (a report's month).
YearMonth = NewType("YearMonth", str)

_YEAR_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


def _parse(value: object) -> str:
    if not isinstance(value, str):
        raise InvalidCPR("a CPR number is a string of ten digits")
    return parse_cpr(value)


def _parse_year_month(value: object) -> str:
    if not isinstance(value, str) or not _YEAR_MONTH.fullmatch(value) or value < "0001-01":
        raise ValueError("a month is written YYYY-MM")
    return value


#: The schema maps the `CPR` type to this definition (StrawberryConfig.scalar_map).
SCALARS: dict[object, Any] = {
    CPR: strawberry.scalar(
        name="CPR",
        description=(
            "A Danish CPR number (personnummer): ten digits, a hyphen after the sixth is accepted "
            "on input. The date and century digit are validated; the modulus-11 check is not "
            "required."
        ),
        serialize=str,
        parse_value=_parse,
    ),
    YearMonth: strawberry.scalar(
        name="YearMonth",
        description='A calendar month, "YYYY-MM" (e.g. "2026-11").',
        serialize=str,
        parse_value=_parse_year_month,
    ),
}
