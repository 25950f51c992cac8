"""The register-answer cache on aiocache: keyed without raw CPRs, and never fatal.

Keys are `ungeprofil:{register}:{section}:{digest}`, the digest a keyed hash (HMAC-SHA256) of
the CPR, so a Redis key never shows a CPR and cannot be reversed by hashing every possible
CPR. Replicas that share one Redis must share the secret to share entries.

The cache sits below the policy: the gateway only asks for categories the caller may see, so
nothing caller-specific belongs in a key. A cache that fails (Redis down) counts as a miss and
the register is asked; it never fails a request.

Each entry is `{"t": when fetched (epoch seconds), "v": answer}`, kept for the longer of the
answer's ttl and its stale ttl. It answers as fresh while younger than the ttl; older, it is
read only when the register is down (its breaker open or its call failed), and what it answers
is reported as stale. One entry serves both, so an answer costs one write.

In front of a shared backend (Redis) each process keeps a near copy of the fresh entries it has
read or written (`near_entries`, least recently used dropped first), expiring at the same
moment the entry stops being fresh: the fetch time travels with the entry, so a near copy is
never older than a Redis read could be. A cache hit then costs no round trip, and the same
answer object comes back each time, which lets the mapped categories be reused too
(registers.py). An in-process backend needs no near copy.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import math
import time
from collections.abc import Callable, Sequence
from typing import Any

from aiocache import SimpleMemoryCache
from aiocache.base import BaseCache
from cachetools import TLRUCache

from gateway.metrics import Metrics

log = logging.getLogger("gateway.resolvers")

#: What the cache stores for "the register does not know this person" (a cached None).
ABSENT = "ukendt"


def _fetched(entry: Any) -> float | None:
    """The fetch time of a well-formed entry; None for anything else (a foreign or old entry)."""
    if isinstance(entry, dict) and len(entry) == 2 and "v" in entry:
        fetched = entry.get("t")
        if isinstance(fetched, int | float) and not isinstance(fetched, bool):
            return float(fetched)
    return None


def _near_expiry(key: str, value: tuple[float, Any], now: float) -> float:
    return value[0]


class AnswerCache:
    def __init__(
        self,
        backend: BaseCache,
        metrics: Metrics,
        secret: bytes,
        clock: Callable[[], float] = time.time,
        near_entries: int = 0,
    ) -> None:
        self._backend = backend
        self._metrics = metrics
        self._secret = secret
        self.clock = clock
        # key -> (when it stops being fresh, answer)
        self._near: TLRUCache[str, tuple[float, Any]] | None = (
            TLRUCache(near_entries, _near_expiry, timer=clock)
            if near_entries > 0 and not isinstance(backend, SimpleMemoryCache)
            else None
        )

    def key(self, register: str, section: str, cpr: str) -> str:
        digest = hmac.new(self._secret, cpr.encode(), hashlib.sha256).hexdigest()[:40]
        return f"ungeprofil:{register}:{section}:{digest}"

    async def store(self, pairs: Sequence[tuple[str, Any]], ttl: float, stale_ttl: float) -> None:
        """Each answer under its key: fresh for `ttl`, kept for stale use for `stale_ttl`."""
        keep = max(ttl, stale_ttl)
        if not pairs or keep <= 0:
            return
        now = self.clock()
        if self._near is not None and ttl > 0:
            for key, value in pairs:
                self._near[key] = (now + ttl, value)
        try:
            await self._backend.multi_set([(key, {"t": now, "v": v}) for key, v in pairs], ttl=keep)
        except Exception as exc:  # a cache that cannot store only costs the next request a call
            log.warning("register cache write failed (%s)", type(exc).__name__)

    async def get_many(self, register: str, keys: Sequence[str], ttl: float) -> list[Any]:
        """The answers fetched less than `ttl` ago, in key order; None for the others (and for
        every key the backend could not be asked for)."""
        if not keys:
            return []
        values: list[Any] = [None] * len(keys)
        far = list(range(len(keys)))
        near = self._near
        if near is not None:
            far = []
            for i, key in enumerate(keys):
                entry = near.get(key)
                if entry is None:
                    far.append(i)
                else:
                    values[i] = entry[1]
        if far:
            entries = await self._read([keys[i] for i in far], "register cache read")
            now = self.clock()
            for i, entry in zip(far, entries, strict=True):
                fetched = _fetched(entry)
                if fetched is not None and now - fetched < ttl:
                    values[i] = entry["v"]
                    if near is not None:
                        near[keys[i]] = (fetched + ttl, values[i])
        hits = sum(value is not None for value in values)
        if hits:
            self._metrics.cache_lookups.labels(register, "hit").inc(hits)
        if len(values) - hits:
            self._metrics.cache_lookups.labels(register, "miss").inc(len(values) - hits)
        return values

    async def get_stale(
        self, register: str, kind: str, keys: Sequence[str], max_age: float
    ) -> list[tuple[Any, float] | None]:
        """(answer, age in seconds) of the entries no older than `max_age`, None for the others
        (and for every key if the cache fails)."""
        if not keys or max_age <= 0:
            return [None] * len(keys)
        entries = await self._read(list(keys), "stale-answer cache read")
        now = self.clock()
        found: list[tuple[Any, float] | None] = []
        for entry in entries:
            fetched = _fetched(entry)
            age = max(now - fetched, 0.0) if fetched is not None else math.inf
            # (a fetch time a little in the future is another replica's clock: age 0)
            found.append((entry["v"], age) if age <= max_age else None)
        hits = sum(entry is not None for entry in found)
        if hits:
            self._metrics.register_stale_answers.labels(register, kind).inc(hits)
        return found

    async def forget(self, keys: Sequence[str]) -> None:
        """Drop these answers, fresh and stale, here and in the shared backend: after a write
        the next read must ask the register (a withdrawn consent takes effect at once). Other
        workers' near copies are dropped by `drop_near` when the write is announced."""
        self.drop_near(keys)
        try:
            await asyncio.gather(*(self._backend.delete(key) for key in keys))
        except Exception as exc:
            # Not forgotten in the shared cache: the write must not look done when it isn't.
            log.error("register cache delete failed (%s)", type(exc).__name__)
            raise

    def drop_near(self, keys: Sequence[str]) -> None:
        if self._near is not None:
            for key in keys:
                self._near.pop(key, None)

    async def _read(self, keys: list[str], what: str) -> list[Any]:
        try:
            return list(await self._backend.multi_get(keys))
        except Exception as exc:  # any backend failure is a miss, never a failed request
            log.warning("%s failed (%s)", what, type(exc).__name__)
            return [None] * len(keys)
