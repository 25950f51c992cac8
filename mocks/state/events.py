"""UDB's event log: one global, gap-free, append-only `sekvens`, kept 400 days.

Readers long-poll: `wait_after` answers at once when there are events after the cursor, else
waits on an asyncio.Event that every append sets (no sleeping, no polling), up to a timeout.
A cursor before the oldest kept event (minus one) has lost events to retention: it is refused
(`410`), never silently skipped forward.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from mocks.state.clock import MockClock
from mocks.wire import StarError

RETENTION = timedelta(days=400)
CURSOR_EXPIRED = (410, 3001, "Cursor expired")
CURSOR_AHEAD = (410, 3002, "Cursor ahead of the log")

Document = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Event:
    sequence: int
    event_id: str
    kind: str
    cpr: str
    at: datetime
    institution: str | None
    municipality: str | None
    data: Document = field(default_factory=dict)

    def wire(self) -> Document:
        return {
            "sekvens": self.sequence,
            "haendelseId": self.event_id,
            "type": self.kind,
            "cpr": self.cpr,
            "tidspunkt": self.at,
            "institutionsnummer": self.institution,
            "kommunekode": self.municipality,
            "data": self.data,
        }


class EventLog:
    def __init__(self, clock: MockClock, retention: timedelta = RETENTION) -> None:
        self.clock = clock
        self.retention = retention
        self._events: list[Event] = []
        self._next = 1
        self._appended = asyncio.Event()
        self.waiting = 0  # readers blocked in wait_after now (tests wait for one to block)

    @property
    def oldest(self) -> int:
        """The sekvens of the oldest kept event (latest + 1 when none is kept)."""
        self._forget_old()
        return self._events[0].sequence if self._events else self._next

    @property
    def latest(self) -> int:
        """The sekvens of the last event ever appended (0 before the first)."""
        return self._next - 1

    def append(
        self,
        kind: str,
        cpr: str,
        event_id: str,
        institution: str | None,
        municipality: str | None,
        data: Document,
        at: datetime | None = None,
    ) -> Event:
        event = Event(
            self._next, event_id, kind, cpr, at or self.clock.now(), institution, municipality, data
        )
        self._events.append(event)
        self._next += 1
        # Wake every waiting reader, and give later readers a fresh event to wait on.
        self._appended.set()
        self._appended = asyncio.Event()
        self._forget_old()
        return event

    def after(self, cursor: int, limit: int) -> list[Event]:
        """Up to `limit` events with sekvens > cursor, oldest first."""
        oldest = self.oldest
        if cursor < oldest - 1:
            raise StarError(CURSOR_EXPIRED, {"aeldsteSekvens": oldest})
        if cursor > self.latest:
            raise StarError(CURSOR_AHEAD, {"senesteSekvens": self.latest})
        start = cursor - oldest + 1  # sekvens is gap-free, so it indexes the list
        return self._events[start : start + limit]

    async def wait_after(
        self,
        cursor: int,
        limit: int,
        wait_seconds: float,
        wakers: Sequence[Callable[[], Awaitable[Any]]] = (),
    ) -> list[Event]:
        """`after`, waiting up to `wait_seconds` for an append when nothing is there yet.
        A waker (the client going away, the register stopping) ends the wait early."""
        found = self.after(cursor, limit)
        if found or wait_seconds <= 0:
            return found
        # No await since `after`: no append can have slipped in between.
        waits = [asyncio.ensure_future(self._appended.wait())]
        waits += [asyncio.ensure_future(wake()) for wake in wakers]
        self.waiting += 1
        try:
            await asyncio.wait(waits, timeout=wait_seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            self.waiting -= 1
            for waiting in waits:
                waiting.cancel()
        return self.after(cursor, limit)

    def _forget_old(self) -> None:
        cutoff = self.clock.now() - self.retention
        drop = 0
        while drop < len(self._events) and self._events[drop].at < cutoff:
            drop += 1
        if drop:
            del self._events[:drop]
