"""The calendar conventions of DEADLINES.md as tables: clamped months, leap years, weeks, and
pauses (exemptions, suspensions) that move a due date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from gateway.deadlines.calendar import (
    Duration,
    Pause,
    add_months,
    merged,
    months_between,
    postpone,
)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # clamped to the month's last day
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # a leap year
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),  # over a year end
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2028, 2, 29), 48, date(2032, 2, 29)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 15), -24, date(2024, 1, 15)),
        (date(2026, 5, 10), 0, date(2026, 5, 10)),
    ],
)
def test_months_are_the_same_day_clamped(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("spec", "start", "expected"),
    [
        ({"weeks": 1}, date(2026, 12, 28), date(2027, 1, 4)),  # 7 days, over new year
        ({"weeks": 4}, date(2026, 2, 10), date(2026, 3, 10)),  # 28 days in a February
        ({"weeks": 4}, date(2028, 2, 10), date(2028, 3, 9)),  # 28 days in a leap February
        ({"days": 14}, date(2026, 12, 20), date(2027, 1, 3)),  # no holiday shift
        ({"days": 0}, date(2026, 12, 24), date(2026, 12, 24)),  # "at once"
        ({"months": 1}, date(2026, 1, 30), date(2026, 2, 28)),
        ({"months": 3}, date(2026, 11, 30), date(2027, 2, 28)),
        ({"weeks": 1}, date(2026, 12, 5), date(2026, 12, 12)),  # a Saturday stays a Saturday
    ],
)
def test_durations(spec: dict[str, int], start: date, expected: date) -> None:
    assert Duration.parse(spec).after(start) == expected
    assert Duration.parse(spec).before(expected) <= start or spec.get("months")


def test_a_duration_names_only_months_weeks_or_days() -> None:
    with pytest.raises(ValueError):
        Duration.parse({"hours": 5})


FC = date(2026, 3, 10)


@pytest.mark.parametrize(
    ("pauses", "due", "exempt_on", "not_exempt_on"),
    [
        # No pause: the due date stands.
        ([], date(2026, 4, 10), [], [date(2026, 3, 20)]),
        # The scenario: ill from first contact + 10 to + 40 (31 days) moves a one-month
        # deadline by 31 days, and the deadline is EXEMPT during the illness.
        (
            [(10, 40)],
            add_months(FC, 1) + timedelta(31),
            [FC + timedelta(10), FC + timedelta(40)],
            [FC + timedelta(9), FC + timedelta(41)],
        ),
        # A pause before the clock started moves nothing.
        ([(-30, -1)], date(2026, 4, 10), [], [FC]),
        # A pause that began before the clock counts only from the clock's start.
        ([(-5, 4)], date(2026, 4, 15), [], [FC, FC + timedelta(5)]),
        # A short pause well before the due date moves it but does not cover it: no EXEMPT.
        ([(2, 5)], date(2026, 4, 14), [], [FC + timedelta(3)]),
        # A pause that begins after the deadline moves nothing.
        ([(40, 50)], date(2026, 4, 10), [], [FC + timedelta(45)]),
        # Two overlapping pauses count each day once.
        ([(10, 20), (15, 25)], date(2026, 4, 26), [], [FC + timedelta(12)]),
        # A pause that begins on the moved due date moves it again.
        ([(5, 9), (36, 40)], date(2026, 4, 20), [FC + timedelta(37)], [FC + timedelta(6)]),
        # Open-ended: no due date while it lasts.
        ([(20, None)], None, [FC + timedelta(20), FC + timedelta(400)], [FC + timedelta(19)]),
    ],
)
def test_pauses_move_the_due_date(
    pauses: list[tuple[int, int | None]],
    due: date | None,
    exempt_on: list[date],
    not_exempt_on: list[date],
) -> None:
    periods = [
        Pause(FC + timedelta(a), None if b is None else FC + timedelta(b), "ILLNESS")
        for a, b in pauses
    ]
    moved = postpone(FC, add_months(FC, 1), periods)
    assert moved.due == due
    for day in exempt_on:
        assert moved.exempt_on(day) is not None, day
    for day in not_exempt_on:
        assert moved.exempt_on(day) is None, day


def test_adjacent_pauses_merge_and_a_pause_ending_before_it_starts_is_none() -> None:
    a = Pause(date(2026, 1, 1), date(2026, 1, 10), "ILLNESS")
    b = Pause(date(2026, 1, 11), date(2026, 1, 20), "LEAVE")
    c = Pause(date(2026, 3, 1), date(2026, 2, 1), "ILLNESS")
    assert merged([b, a, c]) == [Pause(date(2026, 1, 1), date(2026, 1, 20), "ILLNESS")]


def test_months_between() -> None:
    assert months_between((2025, 11), (2026, 2)) == [(2025, 11), (2025, 12), (2026, 1), (2026, 2)]
    assert months_between((2026, 5), (2026, 5)) == [(2026, 5)]
    assert months_between((2026, 5), (2026, 4)) == []
