"""Fixtures: the register clients wired to the fake registers through httpx.MockTransport."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from aiocache import SimpleMemoryCache

from gateway.metrics import Metrics
from gateway.resolvers import Registers
from gateway.transport import HttpxRegisterTransport
from tests.resolvers.fake_registers import URLS, FakeRegisters
from tests.resolvers.wire_documents import T


@dataclass
class World:
    fake: FakeRegisters
    registers: Registers
    metrics: Metrics
    cache: SimpleMemoryCache

    def count(self, register: str, kind: str, outcome: str) -> float:
        value = self.metrics.registry.get_sample_value(
            "ungeprofil_register_requests_total",
            {"register": register, "kind": kind, "outcome": outcome},
        )
        return value or 0.0

    def cache_lookups(self, register: str, result: str) -> float:
        value = self.metrics.registry.get_sample_value(
            "ungeprofil_register_cache_lookups_total", {"register": register, "result": result}
        )
        return value or 0.0


@pytest.fixture
async def world() -> AsyncIterator[World]:
    fake = FakeRegisters()
    metrics = Metrics()
    cache = SimpleMemoryCache()
    async with httpx.AsyncClient(transport=httpx.MockTransport(fake.handler)) as http:
        registers = Registers(
            URLS, HttpxRegisterTransport(http), cache, metrics, reference_date=lambda: T
        )
        yield World(fake, registers, metrics, cache)
    await cache.clear()
