"""Failures become RegisterUnavailable(register), never a CPR in a message; a broken cache
never fails a request."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest
from aiocache import SimpleMemoryCache

from gateway.metrics import Metrics
from gateway.resolvers import Registers, RegisterUnavailable
from gateway.transport import HttpxRegisterTransport
from schema.enums import Category
from tests.resolvers.conftest import World
from tests.resolvers.fake_registers import FAULTS, URLS, FakeRegisters
from tests.resolvers.wire_documents import ALI, ANNE, T


@pytest.mark.parametrize("fault", FAULTS)
async def test_data_faults(world: World, fault: str, caplog: pytest.LogCaptureFixture) -> None:
    world.fake.faults["dfdg"] = fault
    caplog.set_level(logging.DEBUG)
    with pytest.raises(RegisterUnavailable) as raised:
        await world.registers.session().category(ANNE, Category.PLAN)
    assert raised.value.register == "dfdg"
    assert ANNE not in str(raised.value) and raised.value.__cause__ is None
    assert ANNE not in caplog.text
    assert world.count("dfdg", "data", "error") == 1
    assert world.count("dfdg", "data", "ok") == 0
    # Nothing was cached from the failed call: once the register is back, it is asked again.
    del world.fake.faults["dfdg"]
    assert await world.registers.session().category(ANNE, Category.PLAN) is not None


@pytest.mark.parametrize("fault", FAULTS)
async def test_facts_faults(world: World, fault: str) -> None:
    world.fake.faults["udb"] = fault
    with pytest.raises(RegisterUnavailable) as raised:
        await world.registers.session().facts(ANNE)
    assert raised.value.register == "udb"
    assert world.count("udb", "facts", "error") == 1


@pytest.mark.parametrize("fault", ["500", "garbage", "not_object", "timeout"])
async def test_lookup_faults(world: World, fault: str) -> None:
    world.fake.faults["dfdg"] = fault
    with pytest.raises(RegisterUnavailable):
        await world.registers.session().related_cprs("mentor", "mikkel.holm", None, "0101")
    assert world.count("dfdg", "lookup", "error") == 1


async def test_one_register_down_leaves_the_others(world: World) -> None:
    world.fake.faults["eindkomst"] = "500"
    session = world.registers.session()
    with pytest.raises(RegisterUnavailable):
        await session.category(ANNE, Category.INCOME)
    assert await session.category(ANNE, Category.IDENTITY) is not None


async def test_contacts_name_the_failing_register(world: World) -> None:
    world.fake.faults["udb"] = "timeout"
    with pytest.raises(RegisterUnavailable) as raised:
        await world.registers.session().category(ANNE, Category.CONTACTS)
    assert raised.value.register == "udb"


async def test_a_section_of_the_wrong_shape(world: World) -> None:
    world.fake.data["dfdg"][ANNE]["plan"]["tilbud"] = "not a list"
    world.fake.data["udb"][ANNE]["frafald"]["notifikationer"][0]["dato"] = "18/11/2026"
    session = world.registers.session()
    with pytest.raises(RegisterUnavailable) as raised:
        await session.category(ANNE, Category.PLAN)
    assert raised.value.register == "dfdg"
    with pytest.raises(RegisterUnavailable) as raised:
        await session.category(ANNE, Category.DROPOUT_RISK)
    assert raised.value.register == "udb"


def _registers(urls: dict[str, str], http: httpx.AsyncClient) -> Registers:
    return Registers(
        urls, HttpxRegisterTransport(http), SimpleMemoryCache(), Metrics(), reference_date=lambda: T
    )


async def test_a_register_without_url_is_unavailable() -> None:
    fake = FakeRegisters()
    urls = {label: url for label, url in URLS.items() if label != "social"}
    async with httpx.AsyncClient(transport=httpx.MockTransport(fake.handler)) as http:
        registers = _registers(urls, http)
        with pytest.raises(RegisterUnavailable) as raised:
            await registers.session().category(ALI, Category.SOCIAL_PLANS)
    assert raised.value.register == "social" and fake.requests == []


async def test_urls_may_carry_the_prefix() -> None:
    fake = FakeRegisters()
    urls = {"dfdg": URLS["dfdg"] + "/dfdg/v1/"}
    async with httpx.AsyncClient(transport=httpx.MockTransport(fake.handler)) as http:
        registers = _registers(urls, http)
        assert await registers.session().category(ANNE, Category.IDENTITY) is not None
    assert fake.requests[0].url.path == "/dfdg/v1/personer/soeg"


class BrokenCache(SimpleMemoryCache):  # type: ignore[misc]
    """A cache whose backend is down, as Redis would be."""

    async def multi_get(self, *args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("cache down")

    async def multi_set(self, *args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("cache down")


async def test_a_broken_cache_falls_through_to_the_register() -> None:
    fake = FakeRegisters()
    metrics = Metrics()
    async with httpx.AsyncClient(transport=httpx.MockTransport(fake.handler)) as http:
        registers = Registers(
            URLS, HttpxRegisterTransport(http), BrokenCache(), metrics, reference_date=lambda: T
        )
        for _ in range(2):
            assert await registers.session().category(ANNE, Category.PLAN) is not None
            assert (await registers.session().facts(ANNE))["exists"] is True
    assert len(fake.calls("dfdg")) == 2
    misses = metrics.registry.get_sample_value(
        "ungeprofil_register_cache_lookups_total", {"register": "dfdg", "result": "miss"}
    )
    assert misses == 4


async def test_latency_is_observed(world: World) -> None:
    await world.registers.session().category(ANNE, Category.PLAN)
    count = world.metrics.registry.get_sample_value(
        "ungeprofil_register_request_seconds_count", {"register": "dfdg"}
    )
    assert count == 1
