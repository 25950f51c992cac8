"""The register-answer cache on aiocache: keyed without raw CPRs, and never fatal.

Keys are `ungeprofil:{register}:{section}:{digest}`, the digest a keyed hash (HMAC-SHA256) of
the CPR, so a Redis key never shows a CPR and cannot be reversed by hashing every possible
CPR. Replicas that share one Redis must share the secret to share entries.

The cache sits below the policy: the gateway only asks for categories the caller may see, so
nothing caller-specific belongs in a key. A cache that fails (Redis down) counts as a miss and
the register is asked; it never fails a request.

Beside each answer a second, longer-lived entry `ungeprofil:stale:{register}:{section}:{digest}`
keeps `{"t": when fetched (epoch seconds), "v": answer}`; it is read only when the register is
down (its breaker open or its call failed), and what it answers is reported as stale.
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

from aiocache.base import BaseCache

from gateway.metrics import Metrics

log = logging.getLogger("gateway.resolvers")

#: What the cache stores for "the register does not know this person" (a cached None).
ABSENT = "ukendt"


#: The prefix that turns an answer's key into the key of its stale copy.
STALE_PREFIX = "ungeprofil:stale:"


def stale_key(key: str) -> str:
    return STALE_PREFIX + key.removeprefix("ungeprofil:")


class AnswerCache:
    def __init__(
        self,
        backend: BaseCache,
        metrics: Metrics,
        secret: bytes,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._backend = backend
        self._metrics = metrics
        self._secret = secret
        self.clock = clock

    def key(self, register: str, section: str, cpr: str) -> str:
        digest = hmac.new(self._secret, cpr.encode(), hashlib.sha256).hexdigest()[:40]
        return f"ungeprofil:{register}:{section}:{digest}"

    async def store(self, pairs: Sequence[tuple[str, Any]], ttl: float, stale_ttl: float) -> None:
        """Each answer under its key for `ttl`, and its stale copy for `stale_ttl`."""
        if ttl <= 0 and stale_ttl <= 0:
            return
        now = self.clock()
        stale = [(stale_key(key), {"t": now, "v": value}) for key, value in pairs]
        await asyncio.gather(self.set_many(pairs, ttl), self.set_many(stale, stale_ttl))

    async def get_stale(
        self, register: str, kind: str, keys: Sequence[str], max_age: float
    ) -> list[tuple[Any, float] | None]:
        """(answer, age in seconds) of the stale copies no older than `max_age`, None for the
        others (and for every key if the cache fails)."""
        if not keys or max_age <= 0:
            return [None] * len(keys)
        try:
            values = list(await self._backend.multi_get([stale_key(key) for key in keys]))
        except Exception as exc:  # no stale answer is all a broken cache costs
            log.warning("stale-answer cache read failed (%s)", type(exc).__name__)
            return [None] * len(keys)
        now = self.clock()
        found: list[tuple[Any, float] | None] = []
        for value in values:
            fetched = value.get("t") if isinstance(value, dict) else None
            age = now - fetched if isinstance(fetched, int | float) else math.inf
            if max(age, 0.0) <= max_age:  # a little in the future: another replica's clock
                found.append((value.get("v"), max(age, 0.0)))
            else:
                found.append(None)
        hits = sum(entry is not None for entry in found)
        if hits:
            self._metrics.register_stale_answers.labels(register, kind).inc(hits)
        return found

    async def get_many(self, register: str, keys: Sequence[str]) -> list[Any]:
        """Cached values in key order, None for a miss (and for every key if the cache fails)."""
        if not keys:
            return []
        try:
            values: list[Any] = list(await self._backend.multi_get(list(keys)))
        except Exception as exc:  # any backend failure is a miss, never a failed request
            log.warning("register cache read failed (%s); asking the register", type(exc).__name__)
            values = [None] * len(keys)
        hits = sum(value is not None for value in values)
        if hits:
            self._metrics.cache_lookups.labels(register, "hit").inc(hits)
        if len(values) - hits:
            self._metrics.cache_lookups.labels(register, "miss").inc(len(values) - hits)
        return values

    async def set_many(self, pairs: Sequence[tuple[str, Any]], ttl: float) -> None:
        if not pairs or ttl <= 0:
            return
        try:
            await self._backend.multi_set(list(pairs), ttl=ttl)
        except Exception as exc:  # a cache that cannot store only costs the next request a call
            log.warning("register cache write failed (%s)", type(exc).__name__)
