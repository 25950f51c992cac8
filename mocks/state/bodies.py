"""Strict JSON bodies for the write endpoints.

A field the spec does not name, a missing required field, a wrong type, a value out of range
or an unknown code answers `400 1014`: the mock is strict so that a caller's bug shows at
once instead of being stored. A check takes the decoded value and returns it normalised.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import orjson

from mocks.wire import VALIDATION_FAILED, StarError

Check = Callable[[Any], Any]


class Invalid(Exception):
    """One value broke its check; `parse` answers it as `400 1014`."""


def parse(raw: bytes, check: Check) -> Any:
    try:
        return check(orjson.loads(raw))
    except (orjson.JSONDecodeError, Invalid) as error:
        raise StarError(VALIDATION_FAILED) from error


def obj(required: Mapping[str, Check], optional: Mapping[str, Check] | None = None) -> Check:
    """A JSON object with exactly these keys; an absent optional key reads as None."""
    optional = optional or {}
    known = {**required, **optional}

    def check(value: Any) -> dict[str, Any]:
        if not isinstance(value, dict) or not set(value) <= set(known):
            raise Invalid("unknown field")
        if not set(required) <= set(value):
            raise Invalid("missing field")
        return {key: known[key](value[key]) if key in value else None for key in known}

    return check


def boolean(value: Any) -> bool:
    if type(value) is not bool:
        raise Invalid("boolean")
    return value


def integer(low: int, high: int) -> Check:
    def check(value: Any) -> int:
        if type(value) is not int or not low <= value <= high:
            raise Invalid("integer")
        return value

    return check


def text(max_length: int, pattern: str | None = None, multiline: bool = False) -> Check:
    """A non-empty string without control characters (no line breaks hidden in a name);
    `multiline` lets a free-text answer keep its line breaks."""
    shape = re.compile(pattern) if pattern else None
    allowed = "\n" if multiline else ""

    def check(value: Any) -> str:
        if not isinstance(value, str) or not 0 < len(value) <= max_length:
            raise Invalid("text")
        if any((ord(c) < 32 or ord(c) == 127) and c not in allowed for c in value):
            raise Invalid("control character")
        if shape is not None and not shape.fullmatch(value):
            raise Invalid("pattern")
        return value

    return check


def code(*values: str) -> Check:
    def check(value: Any) -> str:
        if value not in values:
            raise Invalid("code")
        return str(value)

    return check


def codes(*values: str, at_least: int = 0) -> Check:
    """A list of distinct codes, kept in the caller's order."""
    one = code(*values)

    def check(value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or len(set(map(str, value))) != len(value):
            raise Invalid("codes")
        if len(value) < at_least:
            raise Invalid("too few codes")
        return tuple(one(item) for item in value)

    return check


def day(value: Any) -> date:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise Invalid("date")
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise Invalid("date") from error


def nullable(inner: Check) -> Check:
    def check(value: Any) -> Any:
        return None if value is None else inner(value)

    return check


# --- shapes shared by several bodies -----------------------------------------------------------

INSTITUTION_NUMBER = text(6, r"\d{6}")
STAFF_ID = text(100, r"[A-Za-z0-9._@-]+")
ORGANISATION = text(100, r"[\w .,'&()/-]+")
# The school contact's name is the one typed free string in the exchange: letters, spaces and
# hyphens only (EXCHANGE.md), so nothing else can be smuggled in through it.
PERSON_NAME = text(80, r"[^\W\d_]+(?:[ -][^\W\d_]+)*")


def municipality_code(value: Any) -> str:
    """Three or four digits, answered with four (`101` → `0101`)."""
    return str(text(4, r"\d{3,4}")(value)).zfill(4)


def phone_number(value: Any) -> str:
    """`+45` and eight digits, with or without a space; stored as `+45 12345678` like the
    registers' own numbers, so two spellings of one number compare equal."""
    number = text(12, r"\+45 ?\d{8}")(value)
    return f"+45 {number[-8:]}"


def email_address(value: Any) -> str:
    address = text(254, r"[^@\s]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")(value)
    return str(address).lower()
