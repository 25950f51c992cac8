"""Reading the registers' JSON: small checked accessors that fail loudly on a wrong shape.

Mapping code reads every field through these, so an answer of the wrong shape becomes one
`WireError`, which the caller turns into `RegisterUnavailable`. Messages name the problem,
never the value (a value could be a CPR number).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, TypeVar

E = TypeVar("E")


class WireError(ValueError):
    """A register's answer does not have the documented shape."""


def obj(value: Any) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise WireError("expected an object")
    return value


def opt_obj(value: Any) -> Mapping[str, Any] | None:
    return None if value is None else obj(value)


def items(value: Any) -> list[Mapping[str, Any]]:
    """A list of objects; a missing list (null) is an empty one."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise WireError("expected a list")
    return [obj(item) for item in value]


def texts(value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise WireError("expected a list")
    return [text(item) for item in value]


def text(value: Any) -> str:
    if not isinstance(value, str):
        raise WireError("expected a string")
    return value


def opt_text(value: Any) -> str | None:
    return None if value is None else text(value)


def day(value: Any) -> dt.date:
    try:
        return dt.date.fromisoformat(text(value))
    except ValueError:
        raise WireError("expected a date YYYY-MM-DD") from None


def opt_day(value: Any) -> dt.date | None:
    return None if value is None else day(value)


def number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise WireError("expected a number")
    return float(value)


def opt_number(value: Any) -> float | None:
    return None if value is None else number(value)


def integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise WireError("expected an integer")
    return value


def opt_integer(value: Any) -> int | None:
    return None if value is None else integer(value)


def flag(value: Any, default: bool = False) -> bool:
    if value is None:
        return default
    if not isinstance(value, bool):
        raise WireError("expected a boolean")
    return value


def code(table: Mapping[str, E], value: Any) -> E:
    """A closed code list: an unknown code is a wrong shape."""
    try:
        return table[text(value)]
    except KeyError:
        raise WireError("unknown code") from None


def open_code(table: Mapping[str, E], value: Any, other: E) -> E:
    """An open code list (the contract says '…'): an unknown code maps to `other`."""
    return table.get(text(value), other)
