"""Through the app against the mocks: the circuit breaker opens, fails fast and recovers through
half-open; the bulkhead bounds calls in flight to a register; the retry budget keeps retry
amplification under a failing register at most 1.1 upstream calls per request; stale answers
are served, marked and expire — and never bypass the policy."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import ANNE, errors_by_path
from tests.e2e.queries import FULL_PROFILE, ME, YOUTH
from tests.faults.conftest import FAST, PATIENT, upstream_calls

JETTE_ON_ANNE = {"cpr": ANNE, "purpose": "PLANNING"}
INCOME = YOUTH % "cpr income { lines { aIncome } } employment { jobs { totalHours } }"
POLL_SECONDS = 5.0
FAST_DEADLINE = FAST["register_deadline"]


def code(body: dict[str, Any], path: str) -> str | None:
    error = errors_by_path(body).get(path)
    return None if error is None else str(error["extensions"]["code"])


async def metric(client: Any, line_start: str) -> float | None:
    text = (await client.http.get("/metrics")).text
    for line in text.splitlines():
        if line.startswith(line_start + " "):
            return float(line.split()[-1])
    return None


async def income_answer(client: Any) -> dict[str, Any]:
    body: dict[str, Any] = await client.query("jette", INCOME, JETTE_ON_ANNE)
    return body


async def test_the_breaker_opens_fails_fast_and_recovers_through_half_open(
    gateway_client: Any, mocks: Any
) -> None:
    client = await gateway_client(stale_ttl=0.0, breaker_failures=3, breaker_cooldown=1.0)
    gauge = 'ungeprofil_register_circuit_open{register="eindkomst"}'
    assert (await income_answer(client))["data"]["youth"]["income"] is not None
    assert await metric(client, gauge) == 0.0

    mocks.faults["eindkomst"].update({"fail": True})
    for _ in range(3):
        assert code(await income_answer(client), "youth.income") == "REGISTER_UNAVAILABLE"
    assert await metric(client, gauge) == 1.0

    before = await upstream_calls(mocks, "eindkomst")
    body = await income_answer(client)  # inside the cooldown: fails fast
    assert code(body, "youth.income") == "REGISTER_UNAVAILABLE"
    assert body["data"]["youth"]["cpr"] == ANNE  # the rest of the youth still answers
    assert await upstream_calls(mocks, "eindkomst") == before  # not even asked
    short = 'ungeprofil_register_short_circuits_total{register="eindkomst"}'
    assert (await metric(client, short) or 0) >= 1

    mocks.reset_faults()  # the register recovers; after the cooldown one probe closes it
    deadline = time.monotonic() + POLL_SECONDS
    while (await income_answer(client))["data"]["youth"]["income"] is None:
        assert time.monotonic() < deadline, "the breaker never closed again"
        await asyncio.sleep(0.05)
    assert await metric(client, gauge) == 0.0
    assert "errors" not in await income_answer(client)


class CountingTransport(httpx.AsyncBaseTransport):
    """httpx's own transport, counting requests in flight per register port."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.in_flight: Counter[int] = Counter()
        self.most: Counter[int] = Counter()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        port = request.url.port or 80
        self.in_flight[port] += 1
        self.most[port] = max(self.most[port], self.in_flight[port])
        try:
            response = await self._inner.handle_async_request(request)
            await response.aread()
            return response
        finally:
            self.in_flight[port] -= 1

    async def aclose(self) -> None:
        await self._inner.aclose()


def port_of(mocks: Any, label: str) -> int:
    port = httpx.URL(mocks.urls[label]).port
    assert port is not None
    return port


@pytest.mark.parametrize("limit", [1, 3])
async def test_the_bulkhead_bounds_calls_in_flight(
    gateway_client: Any, mocks: Any, limit: int
) -> None:
    transport = CountingTransport()
    client = await gateway_client(transport=transport, register_concurrency=limit, **PATIENT)
    mocks.faults["eindkomst"].update({"latency_ms": 60})
    bodies = await asyncio.gather(*(income_answer(client) for _ in range(8)))
    assert all(b["data"]["youth"]["income"] is not None for b in bodies)  # slow, not failed
    assert transport.most[port_of(mocks, "eindkomst")] == limit


async def test_a_hanging_register_holds_only_its_own_share(gateway_client: Any, mocks: Any) -> None:
    transport = CountingTransport()
    client = await gateway_client(
        transport=transport,
        register_concurrency=2,
        connect_timeout=1.0,
        read_timeout=1.2,
        register_deadline=1.5,
    )
    mocks.faults["eindkomst"].update({"hang": True})
    bodies = await asyncio.gather(
        *(client.query("jette", FULL_PROFILE, JETTE_ON_ANNE) for _ in range(4))
    )
    assert transport.most[port_of(mocks, "eindkomst")] == 2
    for body in bodies:
        assert code(body, "youth.income") == "REGISTER_UNAVAILABLE"
        assert body["data"]["youth"]["identity"]["firstName"] == "Anne"


@pytest.mark.parametrize(
    ("breaker_failures", "requests"), [(0, 200), (5, 60)], ids=["budget-alone", "with-breaker"]
)
async def test_retry_amplification_stays_at_most_1_1(
    gateway_client: Any, mocks: Any, breaker_failures: int, requests: int
) -> None:
    client = await gateway_client(stale_ttl=0.0, breaker_failures=breaker_failures, **PATIENT)
    mocks.faults["eindkomst"].update({"fail": True})
    before = await upstream_calls(mocks, "eindkomst", "/personer/soeg")
    for _ in range(requests // 10):
        bodies = await asyncio.gather(*(income_answer(client) for _ in range(10)))
        other = [
            b.get("errors") for b in bodies if code(b, "youth.income") != "REGISTER_UNAVAILABLE"
        ]
        assert not other  # only the failing register's fields fail
    upstream = await upstream_calls(mocks, "eindkomst", "/personer/soeg") - before
    assert upstream <= 1.1 * requests
    if breaker_failures == 0:
        assert upstream > requests  # the budget's retries did happen: this test can fail
        assert client.register_calls("eindkomst") == upstream  # our count agrees with theirs
    else:
        assert upstream < 0.5 * requests  # the open breaker keeps most away


async def test_a_stale_answer_is_served_marked_and_expires(gateway_client: Any, mocks: Any) -> None:
    client = await gateway_client(stale_ttl=1.5, breaker_failures=3, breaker_cooldown=60.0)
    fetched = time.monotonic()  # (the stale copies are written a little after this)
    healthy = await income_answer(client)
    assert "extensions" not in healthy and healthy["data"]["youth"]["income"] is not None

    mocks.faults["eindkomst"].update({"fail": True})
    body = await income_answer(client)
    assert "errors" not in body and body["data"] == healthy["data"]
    (stale,) = body["extensions"]["stale"]
    assert stale["register"] == "eindkomst" and 0 <= stale["ageSeconds"] <= 2
    assert ANNE not in str(body["extensions"])

    # Past stale_ttl the answer is gone, breaker open or not: the register's fields fail.
    deadline = time.monotonic() + POLL_SECONDS
    while "extensions" in (body := await income_answer(client)):
        assert body["data"] == healthy["data"]
        assert time.monotonic() < deadline, "the stale answer never expired"
        await asyncio.sleep(0.05)
    assert time.monotonic() - fetched >= 1.5
    assert code(body, "youth.income") == "REGISTER_UNAVAILABLE"
    assert code(body, "youth.employment") == "REGISTER_UNAVAILABLE"
    stale_total = 'ungeprofil_register_stale_answers_total{kind="data",register="eindkomst"}'
    assert (await metric(client, stale_total) or 0) >= 2  # income + employment, at least once


async def test_staleness_never_bypasses_the_policy(gateway_client: Any, mocks: Any) -> None:
    client = await gateway_client()
    anne = await client.query("anne", ME)  # Anne sees her grades: now there is a stale copy
    assert anne["data"]["me"]["grades"] is not None
    grades_calls = client.register_calls("grades")
    mocks.faults["grades"].update({"fail": True})
    body = await client.query("jette", FULL_PROFILE, JETTE_ON_ANNE)
    assert body["data"]["youth"]["grades"] is None
    assert code(body, "youth.grades") == "FORBIDDEN"
    assert "extensions" not in body  # nothing was served stale
    assert client.register_calls("grades") == grades_calls


async def test_stale_relationship_facts_only_within_their_short_grace(
    gateway_client: Any, mocks: Any
) -> None:
    client = await gateway_client(facts_stale_grace=1.0)  # facts_ttl is 0 here
    fetched = time.monotonic()  # (the stale copies are written a little after this)
    healthy = await client.query("jette", FULL_PROFILE, JETTE_ON_ANNE)
    assert healthy["data"]["youth"] is not None
    mocks.refuse("udb")
    body = await client.query("jette", FULL_PROFILE, JETTE_ON_ANNE)
    if time.monotonic() - fetched < 1.0:  # (a slow machine may already be past the grace)
        assert body["data"] == healthy["data"]
        assert [s["register"] for s in body["extensions"]["stale"]] == ["udb"]
    # Data may be 10 minutes stale, but who may see it may not: once the facts are too old,
    # nothing can be decided, and the whole young person is unavailable (fail closed).
    deadline = time.monotonic() + POLL_SECONDS
    while (body := await client.query("jette", FULL_PROFILE, JETTE_ON_ANNE))["data"]["youth"]:
        assert time.monotonic() < deadline, "stale facts were served past their grace"
        await asyncio.sleep(0.05)
    assert time.monotonic() - fetched >= 1.0
    assert code(body, "youth") == "REGISTER_UNAVAILABLE"
    assert errors_by_path(body)["youth"]["extensions"]["register"] == "udb"


async def test_a_register_that_failed_once_is_not_asked_again_in_that_request(
    gateway_client: Any, mocks: Any
) -> None:
    """UDB hangs after a healthy profile: its facts come stale after one deadline, and its
    data categories go straight to their stale copies instead of waiting a second deadline."""
    client = await gateway_client(facts_stale_grace=60.0)
    healthy = await client.query("jette", FULL_PROFILE, JETTE_ON_ANNE)
    mocks.faults["udb"].update({"hang": True})
    started = time.perf_counter()
    body = await client.query("jette", FULL_PROFILE, JETTE_ON_ANNE)
    elapsed = time.perf_counter() - started
    assert body["data"] == healthy["data"]
    assert [s["register"] for s in body["extensions"]["stale"]] == ["udb"]
    assert FAST_DEADLINE <= elapsed < 2 * FAST_DEADLINE
    assert client.register_calls("udb", "data") == 1  # the healthy profile's only
