"""The register cache on a real Redis: payloads survive its serializer, keys hold no CPR, and
each process's near copies are never fresher-looking than Redis itself.

Skips when Redis (127.0.0.1:6379) is unreachable, unless CI=true, where it must fail.
"""

from __future__ import annotations

import httpx
import pytest
from aiocache import Cache

from gateway.metrics import Metrics
from gateway.resolvers import Registers
from gateway.transport import HttpxRegisterTransport
from schema.categories import Plan
from schema.enums import Category
from tests.conftest import Clock, require_service
from tests.resolvers.fake_registers import URLS, FakeRegisters
from tests.resolvers.wire_documents import ANNE, UNKNOWN, T

pytestmark = pytest.mark.redis


async def test_answers_round_trip_through_redis() -> None:
    require_service("Redis", "127.0.0.1", 6379)
    fake = FakeRegisters()
    metrics = Metrics()
    cache = Cache.from_url("redis://127.0.0.1:6379/0")
    async with httpx.AsyncClient(transport=httpx.MockTransport(fake.handler)) as http:
        registers = Registers(
            URLS, HttpxRegisterTransport(http), cache, metrics, reference_date=lambda: T
        )
        keys = [
            registers.cache.key("dfdg", "plan", ANNE),
            registers.cache.key("dfdg", "plan", UNKNOWN),
        ]
        try:
            first = await registers.session().category(ANNE, Category.PLAN)
            assert await registers.session().category(UNKNOWN, Category.PLAN) is None
            again = await registers.session().category(ANNE, Category.PLAN)
            assert await registers.session().category(UNKNOWN, Category.PLAN) is None
            assert isinstance(first, Plan) and again == first
            assert len(fake.calls("dfdg")) == 2
            stored = await cache.raw("keys", "ungeprofil:dfdg:plan:*")
            names = {k.decode() if isinstance(k, bytes) else k for k in stored}
            assert set(keys) <= names and not any(ANNE in name for name in names)
            # One entry per answer: fresh for 30 s, kept for the stale ttl (600 s).
            ttl = await cache.raw("ttl", keys[0])
            assert 30 < ttl <= 600
        finally:
            for key in keys:
                await cache.delete(key)
            await cache.close()


async def test_near_copies_spare_redis_and_end_when_the_entry_stops_being_fresh() -> None:
    """Two workers share one Redis (and its key secret). The second reads what the first
    fetched 25 s earlier; its near copy then serves without Redis, but only for the 5 s the
    entry has left, after which the register is asked again."""
    require_service("Redis", "127.0.0.1", 6379)
    fake = FakeRegisters()
    clock = Clock()
    secret = b"shared-by-the-workers"
    shared = Cache.from_url("redis://127.0.0.1:6379/0")
    async with httpx.AsyncClient(transport=httpx.MockTransport(fake.handler)) as http:

        def worker(backend: Cache) -> Registers:
            return Registers(
                URLS,
                HttpxRegisterTransport(http),
                backend,
                Metrics(),
                reference_date=lambda: T,
                cache_key_secret=secret,
                clock=clock,
                near_entries=100,
            )

        first = worker(shared)
        second_backend = Cache.from_url("redis://127.0.0.1:6379/0")
        second = worker(second_backend)
        key = first.cache.key("dfdg", "plan", ANNE)
        try:
            await shared.delete(key)
            plan = await first.session().category(ANNE, Category.PLAN)
            assert len(fake.calls("dfdg")) == 1
            clock.now += 25
            assert await second.session().category(ANNE, Category.PLAN) == plan
            assert len(fake.calls("dfdg")) == 1  # read from Redis, not the register
            await shared.delete(key)  # from here only the near copies know the answer
            assert await second.session().category(ANNE, Category.PLAN) == plan
            assert await first.session().category(ANNE, Category.PLAN) == plan
            assert len(fake.calls("dfdg")) == 1
            clock.now += 5  # 30 s after the fetch: no longer fresh anywhere
            await second.session().category(ANNE, Category.PLAN)
            assert len(fake.calls("dfdg")) == 2
        finally:
            await shared.delete(key)
            await shared.close()
            await second_backend.close()
