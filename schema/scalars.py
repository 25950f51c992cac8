"""Custom scalars. `CPR` refuses anything that is not a CPR number before any resolver runs."""

from __future__ import annotations

from typing import NewType

import strawberry

from schema.cpr import InvalidCPR, parse_cpr


def _parse(value: object) -> str:
    if not isinstance(value, str):
        raise InvalidCPR("a CPR number is a string of ten digits")
    return parse_cpr(value)


CPR = strawberry.scalar(
    NewType("CPR", str),
    name="CPR",
    description=(
        "A Danish CPR number (personnummer): ten digits, a hyphen after the sixth is accepted on "
        "input. The date and century digit are validated; the modulus-11 check is not required."
    ),
    serialize=str,
    parse_value=_parse,
)
