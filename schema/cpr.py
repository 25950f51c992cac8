"""CPR numbers (personnummer): format, date and century digit. No modulus-11 check.

Numbers without the modulus-11 property have been issued since 2007 (cpr.dk: "Personnumre uden
modulus 11 kontrol er gyldige"), so rejecting on it would refuse real people.
"""

from __future__ import annotations

import datetime as dt
import re

_SHAPE = re.compile(r"^([0-9]{6})-?([0-9]{4})$")


class InvalidCPR(ValueError):
    """The text is not a CPR number. The message never repeats the input."""


def birth_date(cpr: str) -> dt.date:
    """The birth date a normalised 10-digit CPR number encodes (century table of cpr.dk)."""
    day, month, yy, digit7 = int(cpr[0:2]), int(cpr[2:4]), int(cpr[4:6]), int(cpr[6])
    if digit7 <= 3:
        century = 1900
    elif digit7 in (4, 9):
        century = 2000 if yy <= 36 else 1900
    elif yy <= 36:
        century = 2000
    elif yy >= 58:
        century = 1800
    else:
        raise InvalidCPR("the century digit does not fit the birth year")
    try:
        return dt.date(century + yy, month, day)
    except ValueError as exc:
        raise InvalidCPR("not a valid date") from exc


def parse_cpr(text: str) -> str:
    """Normalise `DDMMYY-SSSS` or `DDMMYYSSSS` to ten digits, or raise InvalidCPR."""
    if not isinstance(text, str):
        raise InvalidCPR("a CPR number is a string of ten digits")
    match = _SHAPE.match(text)
    if match is None:
        raise InvalidCPR("a CPR number is ten digits, optionally with a hyphen after the sixth")
    cpr = match.group(1) + match.group(2)
    birth_date(cpr)
    return cpr


def age_on(cpr: str, day: dt.date) -> int:
    born = birth_date(cpr)
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
