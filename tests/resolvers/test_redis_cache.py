"""The register cache on a real Redis: payloads survive its serializer, keys hold no CPR.

Skips when Redis (127.0.0.1:6379) is unreachable, unless CI=true, where it must fail.
"""

from __future__ import annotations

import os
import socket

import httpx
import pytest
from aiocache import Cache

from gateway.metrics import Metrics
from gateway.resolvers import Registers
from gateway.transport import HttpxRegisterTransport
from schema.categories import Plan
from schema.enums import Category
from tests.resolvers.fake_registers import URLS, FakeRegisters
from tests.resolvers.wire_documents import ANNE, UNKNOWN, T

pytestmark = pytest.mark.redis


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


async def test_answers_round_trip_through_redis() -> None:
    if not _redis_up():
        if os.environ.get("CI") == "true":
            pytest.fail("Redis at 127.0.0.1:6379 is unreachable")
        pytest.skip("Redis at 127.0.0.1:6379 is unreachable")
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
            ttl = await cache.raw("ttl", keys[0])
            assert 0 < ttl <= 30
        finally:
            for key in keys:
                await cache.delete(key)
            await cache.close()
