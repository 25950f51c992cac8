"""Telling every worker that a write made some cached register answers wrong.

A write forgets what the registers said about its young person in the shared cache (Redis)
itself; what each worker also keeps is a near copy in front of it (resolvers/cache.py). So a
write announces the cache keys it forgot on a Redis channel, and every worker drops its near
copies of them: a withdrawn consent takes effect on the next request, on any worker, with no
wait for a TTL (GDPR art. 7(3)). The keys are keyed hashes, never a CPR. With the in-memory
cache there is one worker and nothing to announce.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence

import orjson
import redis.asyncio as redis

log = logging.getLogger("ungeprofil.invalidation")

CHANNEL = "ungeprofil:forget"

Drop = Callable[[Sequence[str]], None]


class Invalidations:
    """`publish` on one worker reaches `drop` on all (started with `start`, ended by `close`)."""

    def __init__(self, cache_url: str, drop: Drop) -> None:
        self._url = cache_url if cache_url.startswith(("redis://", "rediss://")) else None
        self._drop = drop
        self._client: redis.Redis | None = None
        self._listener: asyncio.Task[None] | None = None
        self._subscribed = asyncio.Event()

    async def start(self) -> None:
        if self._url is None:
            return
        self._client = redis.Redis.from_url(self._url)
        self._listener = asyncio.create_task(self._listen(), name="cache-invalidations")
        # A write on this worker right after start-up must already be heard by the others; wait
        # (briefly) until this worker hears theirs.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._subscribed.wait(), timeout=2.0)

    async def publish(self, keys: Sequence[str]) -> None:
        if self._client is None or not keys:
            return
        try:
            await self._client.publish(CHANNEL, orjson.dumps(list(keys)))
        except Exception as exc:  # the shared copies are gone; near copies expire by TTL
            log.error("could not announce a cache invalidation (%s)", type(exc).__name__)

    async def _listen(self) -> None:
        while True:
            try:
                assert self._client is not None
                async with self._client.pubsub() as pubsub:
                    await pubsub.subscribe(CHANNEL)
                    self._subscribed.set()
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            self._drop(orjson.loads(message["data"]))
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.error("cache invalidation channel lost (%s); reconnecting", type(exc).__name__)
                await asyncio.sleep(1.0)

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._listener
        if self._client is not None:
            await self._client.aclose()
