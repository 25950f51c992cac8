"""Code lists (from `data/*.json`) and the arithmetic of Danish identifiers and dates.

The mocks are other systems: nothing here is shared with the gateway, on purpose.
"""

from __future__ import annotations

import calendar
import hashlib
import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

# Modulus-11 weights (REGISTERS.md 2.1 and 2.2).
_CPR_WEIGHTS = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
_CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)

# The benefit type changed on this date (kontanthjælpsreformen, REGISTERS.md finding 3).
REFORM_DATE = date(2025, 7, 1)


@cache
def load(name: str) -> Any:
    """One JSON file under mocks/data, parsed once per process."""
    text = resources.files("mocks").joinpath("data", name).read_text(encoding="utf-8")
    return json.loads(text)


@dataclass(frozen=True, slots=True)
class Municipality:
    code: str
    name: str
    share: float


@cache
def municipalities() -> tuple[Municipality, ...]:
    rows = load("kommuner.json")["kommuner"]
    return tuple(Municipality(r["kode"], r["navn"], r["andel"]) for r in rows)


@cache
def municipality_names() -> dict[str, str]:
    return {m.code: m.name for m in municipalities()}


# --- CPR -------------------------------------------------------------------------------------


def cpr_weighted_sum(digits: str) -> int:
    return sum(int(d) * w for d, w in zip(digits, _CPR_WEIGHTS, strict=False))


def cpr_has_modulus11(cpr: str) -> bool:
    return cpr_weighted_sum(cpr) % 11 == 0


def cpr_check_digit(first_nine: str) -> int | None:
    """The tenth digit that makes the number modulus-11 valid, or None when none exists."""
    digit = (-cpr_weighted_sum(first_nine)) % 11
    return None if digit == 10 else digit


def century_digits(birth: date) -> tuple[int, ...]:
    """Digit 7 values that give the birth year's century (cpr.dk century table)."""
    return (0, 1, 2, 3) if birth.year < 2000 else (4, 9)


def cpr_birth_date(cpr: str) -> date:
    day, month, yy, digit7 = int(cpr[0:2]), int(cpr[2:4]), int(cpr[4:6]), int(cpr[6])
    if digit7 <= 3:
        century = 1900
    elif digit7 in (4, 9):
        century = 2000 if yy <= 36 else 1900
    else:
        century = 2000 if yy <= 57 else 1800
    return date(century + yy, month, day)


# --- CVR -------------------------------------------------------------------------------------


def cvr_from_serial(serial: int) -> str | None:
    """An 8-digit, modulus-11-valid CVR from a 7-digit serial, or None if the serial has none."""
    first_seven = f"{serial:07d}"
    remainder = sum(int(d) * w for d, w in zip(first_seven, _CVR_WEIGHTS, strict=False)) % 11
    if remainder == 1:
        return None
    return first_seven + str(0 if remainder == 0 else 11 - remainder)


def cvr_is_valid(cvr: str) -> bool:
    return (
        len(cvr) == 8
        and cvr.isdigit()
        and sum(int(d) * w for d, w in zip(cvr, _CVR_WEIGHTS, strict=True)) % 11 == 0
    )


@cache
def stable_cvr(tag: str) -> str:
    """A valid CVR that depends only on `tag`, e.g. a municipality's own CVR."""
    serial = int.from_bytes(hashlib.blake2b(tag.encode(), digest_size=4).digest()) % 9_000_000
    while (cvr := cvr_from_serial(1_000_000 + serial)) is None:
        serial = (serial + 1) % 9_000_000
    return cvr


# --- ids and dates ---------------------------------------------------------------------------


def stable_guid(*parts: object) -> str:
    """A GUID that depends only on its parts, so a document renders the same on every call."""
    h = hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=16).hexdigest()
    # Formatted by hand (version 4, RFC 4122 variant): uuid.UUID is the slow part otherwise.
    variant = "89ab"[int(h[16], 16) & 3]
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{variant}{h[17:20]}-{h[20:32]}"


def add_months(day: date, months: int) -> date:
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_start(day: date) -> date:
    return day.replace(day=1)


@cache
def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def birthday(birth: date, age: int) -> date:
    """The date someone turns `age` (28 February for those born on 29 February)."""
    year = birth.year + age
    if birth.month == 2 and birth.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return birth.replace(year=year)


def school_year(start: date) -> str:
    """`2026/2027` for anything starting from August 2026 to July 2027."""
    first = start.year if start.month >= 8 else start.year - 1
    return f"{first}/{first + 1}"
