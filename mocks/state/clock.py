"""The mocks' clock: the reference date T with the wall clock's time of day.

Event times must agree with the seeded history (which is relative to T) and still move
forward, so the clock is the wall clock shifted by whole days onto T.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time


def wall_clock() -> datetime:
    return datetime.now(UTC)


class MockClock:
    def __init__(self, today: date, now: Callable[[], datetime] = wall_clock) -> None:
        self._now = now
        real = now()
        self._shift = datetime.combine(today, time(), UTC) - datetime.combine(
            real.date(), time(), UTC
        )

    def now(self) -> datetime:
        return self._now() + self._shift
