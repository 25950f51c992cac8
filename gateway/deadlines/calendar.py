"""The calendar of the deadline conventions (DEADLINES.md): whole days, no clock time.

A day is a date of the Danish calendar (the gateway's clock gives today's date in
Europe/Copenhagen), so no time zone appears here. One week is 7 days, 4 weeks 28 days, and a
month is the same day of the month that many months later, on the month's last day when it is
shorter (31 January + 1 month = 28 or 29 February). Weekends and holidays move nothing.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

ONE_DAY = dt.timedelta(days=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """`months` calendar months after (or before) `day`, clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Duration:
    """How long a deadline runs: calendar months first, then weeks and days."""

    months: int = 0
    weeks: int = 0
    days: int = 0

    @classmethod
    def parse(cls, spec: Mapping[str, int]) -> Duration:
        unknown = set(spec) - {"months", "weeks", "days"}
        if unknown:
            raise ValueError(f"a duration has months, weeks or days, not {sorted(unknown)}")
        return cls(
            months=int(spec.get("months", 0)),
            weeks=int(spec.get("weeks", 0)),
            days=int(spec.get("days", 0)),
        )

    def after(self, day: dt.date) -> dt.date:
        return add_months(day, self.months) + dt.timedelta(days=7 * self.weeks + self.days)

    def before(self, day: dt.date) -> dt.date:
        return add_months(day, -self.months) - dt.timedelta(days=7 * self.weeks + self.days)


@dataclass(frozen=True)
class Pause:
    """A period that stops a deadline's clock: an exemption (illness, leave, STU, treatment)
    or a suspension of the rule. `end` is inclusive; None while it lasts."""

    start: dt.date
    end: dt.date | None
    reason: str


@dataclass(frozen=True)
class Applied:
    """A pause that moved a due date: from `counted_from` (the later of its start and the
    clock's) to its end, and the due date as it stood before it."""

    pause: Pause
    counted_from: dt.date
    due_before: dt.date

    @property
    def covers_due_date(self) -> bool:
        """The pause was under way on the day the deadline would otherwise have fallen."""
        return self.pause.end is None or self.due_before <= self.pause.end

    def holds_on(self, day: dt.date) -> bool:
        return self.counted_from <= day and (self.pause.end is None or day <= self.pause.end)


@dataclass(frozen=True)
class Postponed:
    """A due date after the pauses: None while an open-ended pause covers it."""

    due: dt.date | None
    applied: tuple[Applied, ...]

    def exempt_on(self, day: dt.date) -> Applied | None:
        """The pause that makes the deadline EXEMPT on `day`: one that covers the due date and
        is under way that day."""
        return next((a for a in self.applied if a.covers_due_date and a.holds_on(day)), None)


def merged(pauses: Iterable[Pause]) -> list[Pause]:
    """Overlapping or adjacent pauses as one (a day paused twice is paused once); the reason is
    the earliest one's."""
    out: list[Pause] = []
    for pause in sorted(pauses, key=lambda p: p.start):
        if pause.end is not None and pause.end < pause.start:
            continue  # ends before it starts: no pause
        last = out[-1] if out else None
        if last is not None and (last.end is None or pause.start <= last.end + ONE_DAY):
            end = None if last.end is None or pause.end is None else max(last.end, pause.end)
            out[-1] = Pause(last.start, end, last.reason)
        else:
            out.append(pause)
    return out


def postpone(start: dt.date, due: dt.date, pauses: Sequence[Pause]) -> Postponed:
    """The due date of a deadline whose clock starts on `start`, moved by every day a pause
    holds from the clock's start on, as long as the pause began on or before the due date as
    moved so far (a pause after the deadline moves nothing)."""
    if not pauses:
        return Postponed(due, ())  # the common case, asked for every deadline judged
    applied: list[Applied] = []
    current: dt.date | None = due
    for pause in merged(pauses):
        if current is None or pause.start > current:
            break
        if pause.end is not None and pause.end < start:
            continue
        counted_from = max(pause.start, start)
        applied.append(Applied(pause, counted_from, current))
        if pause.end is None:
            current = None
        else:
            current = current + dt.timedelta(days=(pause.end - counted_from).days + 1)
    return Postponed(current, tuple(applied))


def month_of(day: dt.date) -> tuple[int, int]:
    return day.year, day.month


def months_between(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    """Every (year, month) from `first` to `last`, both included."""
    start = first[0] * 12 + first[1] - 1
    end = last[0] * 12 + last[1] - 1
    return [(index // 12, index % 12 + 1) for index in range(start, end + 1)]
