"""CPR validation: date and century digit, no modulus-11 (numbers without it exist since 2007)."""

from __future__ import annotations

import datetime as dt

import pytest

from schema.cpr import InvalidCPR, age_on, birth_date, parse_cpr


@pytest.mark.parametrize(
    ("text", "normalised", "born"),
    [
        ("1503044112", "1503044112", dt.date(2004, 3, 15)),  # Anne: digit 7 = 4, yy 04 -> 2000s
        ("150304-4112", "1503044112", dt.date(2004, 3, 15)),
        ("0211014127", "0211014127", dt.date(2001, 11, 2)),
        ("0101651234", "0101651234", dt.date(1965, 1, 1)),  # digit 7 = 1 -> 1900s
        ("0101995234", "0101995234", dt.date(1899, 1, 1)),  # digit 7 = 5, yy 99 -> 1800s
        ("0101379234", "0101379234", dt.date(1937, 1, 1)),  # digit 7 = 9, yy 37 -> 1900s
        ("0101369234", "0101369234", dt.date(2036, 1, 1)),  # digit 7 = 9, yy 36 -> 2000s
        ("2902044000", "2902044000", dt.date(2004, 2, 29)),  # leap day in a leap year
        ("0101901000", "0101901000", dt.date(1990, 1, 1)),  # fails modulus 11: still valid
    ],
)
def test_valid(text: str, normalised: str, born: dt.date) -> None:
    assert parse_cpr(text) == normalised
    assert birth_date(normalised) == born


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abcdefghij",
        "150304411",  # nine digits
        "15030441120",  # eleven digits
        "15030-44112",  # hyphen in the wrong place
        "1503-044112",
        "150304 4112",
        "3202044112",  # 32 February
        "2902054000",  # 29 February 2005 is not a date
        "0013044112",  # day 00
        "1513044112",  # month 13
        "0101585234",  # digit 7 = 5 with yy 58..99 is the 1800s: valid; with yy 37..57: invalid
        "0101455234",
        "１５０３０４４１１２",  # full-width digits
    ],
)
def test_invalid(text: str) -> None:
    if text == "0101585234":
        assert parse_cpr(text) == text  # 1858: a valid (if old) CPR
        return
    with pytest.raises(InvalidCPR) as caught:
        parse_cpr(text)
    assert text not in str(caught.value) or text == ""


def test_age_turns_on_the_birthday() -> None:
    assert age_on("1503044112", dt.date(2026, 3, 14)) == 21
    assert age_on("1503044112", dt.date(2026, 3, 15)) == 22
