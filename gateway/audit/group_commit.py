"""Group commit: appends that wait at the same moment share one transaction.

The chain makes appends take turns, and each turn ends in an fsync. Under load, requests
would queue behind one another's fsyncs; instead, whatever batches are waiting when the
writer comes round are written in one transaction, each batch still whole and in order, and
each caller is answered when that transaction has committed (or told it failed: then none of
the group's batches were written).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

from gateway.audit.chain import ChainPoint, seal_all
from gateway.audit.records import AuditRecord
from gateway.audit.store import AuditUnavailable

Batch = Sequence[AuditRecord]
# Writes the batches in one transaction, in order; returns the indices of batches it left out
# because they could not be serialised (the others are written without them).
WriteGroup = Callable[[list[Batch]], Awaitable[set[int]]]


def seal_batches(
    batches: list[Batch], head: ChainPoint
) -> tuple[list[AuditRecord], set[int], ChainPoint]:
    """Seals batch after batch onto the chain. A batch that cannot be serialised is left out
    whole, so one bad batch never takes its neighbours' transaction down with it."""
    sealed: list[AuditRecord] = []
    refused: set[int] = set()
    for index, batch in enumerate(batches):
        try:
            placed = seal_all(batch, head)
        except (TypeError, UnicodeError, ValueError):
            refused.add(index)
            continue
        sealed.extend(placed)
        if placed:
            head = ChainPoint(placed[-1].seq, placed[-1].hash)
    return sealed, refused, head


class GroupCommit:
    def __init__(self, write_group: WriteGroup, *, max_batches: int = 64) -> None:
        self._write_group = write_group
        self._max_batches = max_batches
        self._waiting: list[tuple[Batch, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def append(self, records: Batch) -> None:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((records, done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._drain())
        # Shielded: a caller that gives up does not cancel the write its neighbours wait on.
        try:
            await asyncio.shield(done)
        except asyncio.CancelledError:
            done.add_done_callback(_collect)
            raise

    async def _drain(self) -> None:
        while self._waiting:
            group = self._waiting[: self._max_batches]
            del self._waiting[: self._max_batches]
            try:
                refused = await self._write_group([records for records, _ in group])
            except BaseException as error:
                # Each caller gets its own exception; none of the group's batches was written.
                for _, done in group:
                    if not done.done():
                        failure = AuditUnavailable("audit records could not be stored")
                        failure.__cause__ = error
                        done.set_exception(failure)
                if not isinstance(error, Exception):
                    raise
            else:
                for index, (_, done) in enumerate(group):
                    if done.done():
                        continue
                    if index in refused:
                        done.set_exception(AuditUnavailable("audit records not serialisable"))
                    else:
                        done.set_result(None)

    async def wait_idle(self) -> None:
        """Lets the writes already queued finish, e.g. before the store closes."""
        while self._writer is not None and not self._writer.done():
            await asyncio.wait({self._writer})


def _collect(done: asyncio.Future[None]) -> None:
    """Reads the outcome nobody waits for any more, so asyncio does not report it as lost."""
    if not done.cancelled():
        done.exception()
