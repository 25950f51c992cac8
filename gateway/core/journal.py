"""The audit records of one session: written while the work goes on, waited for at release."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from gateway.audit.records import AuditRecord
from gateway.audit.store import AuditUnavailable

Write = Callable[[list[AuditRecord]], Awaitable[None]]


class Journal:
    """Records made in one tick of the event loop (every category decided for a young person
    lands in the same tick) are handed to `write` together as soon as that tick ends, so the
    store's write (an fsync) runs while the request fetches data and completes its answer
    instead of after it. `flush` writes what is left and waits for every write; the session
    calls it at release and withholds the answer if any write failed. A request that fails
    after a write still leaves its decisions in the log, as made.
    """

    def __init__(self, write: Write) -> None:
        self.records: list[AuditRecord] = []
        self._write = write
        self._pending: list[AuditRecord] = []
        self._writes: list[asyncio.Future[None]] = []
        self._scheduled = False

    def add(self, record: AuditRecord) -> None:
        self.records.append(record)
        self._pending.append(record)
        if not self._scheduled:
            self._scheduled = True
            asyncio.get_running_loop().call_soon(self._start_write)

    def _start_write(self) -> None:
        self._scheduled = False
        if not self._pending:
            return
        batch, self._pending = self._pending, []
        write = asyncio.ensure_future(self._write(batch))
        write.add_done_callback(_retrieved)  # flush reports failures; none go unobserved
        self._writes.append(write)

    async def flush(self) -> None:
        """Every record written, or AuditUnavailable."""
        self._start_write()
        outcomes = await asyncio.gather(*self._writes, return_exceptions=True)
        for outcome in outcomes:
            if isinstance(outcome, AuditUnavailable):
                raise outcome
            if isinstance(outcome, BaseException):
                raise AuditUnavailable("audit write failed") from outcome


def _retrieved(write: asyncio.Future[None]) -> None:
    if not write.cancelled():
        write.exception()
