"""The register-answer cache on aiocache: keyed without raw CPRs, and never fatal.

Keys are `ungeprofil:{register}:{section}:{digest}`, the digest a keyed hash (HMAC-SHA256) of
the CPR, so a Redis key never shows a CPR and cannot be reversed by hashing every possible
CPR. Replicas that share one Redis must share the secret to share entries.

The cache sits below the policy: the gateway only asks for categories the caller may see, so
nothing caller-specific belongs in a key. A cache that fails (Redis down) counts as a miss and
the register is asked; it never fails a request.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Sequence
from typing import Any

from aiocache.base import BaseCache

from gateway.metrics import Metrics

log = logging.getLogger("gateway.resolvers")

#: What the cache stores for "the register does not know this person" (a cached None).
ABSENT = "ukendt"


class AnswerCache:
    def __init__(self, backend: BaseCache, metrics: Metrics, secret: bytes) -> None:
        self._backend = backend
        self._metrics = metrics
        self._secret = secret

    def key(self, register: str, section: str, cpr: str) -> str:
        digest = hmac.new(self._secret, cpr.encode(), hashlib.sha256).hexdigest()[:40]
        return f"ungeprofil:{register}:{section}:{digest}"

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
