"""One long poll of UDB's event log per process, fanned out to the streams of that process.

Every worker runs its own loop over the same global log, so every worker's streams see every
event, whichever worker wrote it; the gateway keeps no business state of its own (the log is
UDB's, and a stream's position is the client's cursor). A stream that falls too far behind is
ended rather than buffered without bound: the client resumes from its last cursor.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from gateway.resolvers.errors import RegisterUnavailable
from gateway.resolvers.feed import FeedCursorExpired, UdbEvent, UdbFeed

log = logging.getLogger("ungeprofil.events")

#: Events a stream may have waiting before it is ended (the client resumes from its cursor).
STREAM_BUFFER = 1_000
POLL_WAIT_SECONDS = 20.0
BATCH = 100


class StreamOverflow(Exception):
    """The stream fell behind by more than STREAM_BUFFER events."""


class EventHub:
    def __init__(self, feed: UdbFeed, *, wait: float = POLL_WAIT_SECONDS) -> None:
        self._feed = feed
        self._wait = wait
        self._queues: set[asyncio.Queue[UdbEvent | None]] = set()
        self._task: asyncio.Task[None] | None = None
        self.position: int | None = None  # the newest sequence this process has seen

    @property
    def streams(self) -> int:
        return len(self._queues)

    @contextlib.asynccontextmanager
    async def listen(self) -> AsyncIterator[tuple[asyncio.Queue[UdbEvent | None], int]]:
        """(a queue of every event after `start`, `start`): None in the queue when the stream
        was ended for falling behind. The events up to `start` are the stream's to read from
        the log itself (its replay); the poll loop runs while anyone listens."""
        if self.position is None:
            self.position = (await self._feed.read(None, 1)).latest
        # No await between reading the position and joining: every later event is queued.
        start = self.position
        queue: asyncio.Queue[UdbEvent | None] = asyncio.Queue(STREAM_BUFFER + 1)
        self._queues.add(queue)
        self._ensure_running()
        try:
            yield queue, start
        finally:
            self._queues.discard(queue)

    def _ensure_running(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._poll(), name="udb-event-poll")

    async def _poll(self) -> None:
        failures = 0
        while self._queues:
            try:
                if self.position is None:
                    self.position = (await self._feed.read(None, 1)).latest
                    continue
                page = await self._feed.read(self.position, BATCH, self._wait)
                failures = 0
            except FeedCursorExpired:
                self.position = None  # the log moved past us: start again from its head
                continue
            except RegisterUnavailable:
                failures += 1
                await asyncio.sleep(min(0.2 * 2**failures, 5.0))  # back off while UDB is down
                continue
            for event in page.events:
                self.position = event.sequence
                for queue in list(self._queues):
                    if queue.qsize() >= STREAM_BUFFER:
                        queue.put_nowait(None)  # ends that stream; its client resumes
                        self._queues.discard(queue)
                    else:
                        queue.put_nowait(event)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
