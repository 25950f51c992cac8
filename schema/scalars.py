"""Custom scalars. `CPR` refuses anything that is not a CPR number before any resolver runs."""

from __future__ import annotations

from typing import Any, NewType

import strawberry

from schema.cpr import InvalidCPR, parse_cpr

CPR = NewType("CPR", str)


def _parse(value: object) -> str:
    if not isinstance(value, str):
        raise InvalidCPR("a CPR number is a string of ten digits")
    return parse_cpr(value)


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
    )
}
