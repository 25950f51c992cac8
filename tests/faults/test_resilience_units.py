"""The guard's parts on a fake clock: circuit breaker states, the retry budget, and the deadline
around bulkhead waiting (against an httpx.MockTransport that never answers)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest

from gateway.metrics import Metrics
from gateway.resolvers import RegisterUnavailable
from gateway.resolvers.http import RegisterEndpoint
from gateway.resolvers.resilience import (
    CircuitBreaker,
    RegisterGuard,
    ResilienceConfig,
    RetryBudget,
    State,
    Ticket,
)
from gateway.resolvers.wire import WireError
from gateway.transport import HttpxRegisterTransport
from tests.conftest import Clock


def breaker(clock: Clock, **config: Any) -> tuple[CircuitBreaker, list[State]]:
    changes: list[State] = []
    settings = ResilienceConfig(**{"breaker_failures": 3, "breaker_cooldown": 5.0, **config})
    return CircuitBreaker("udb", settings, clock, changes.append), changes


def fail(b: CircuitBreaker, times: int = 1) -> None:
    for _ in range(times):
        ticket = b.admit()
        assert ticket is not None
        b.settle(ticket, False)


def test_opens_after_failures_in_a_row_and_fails_fast() -> None:
    clock = Clock()
    b, changes = breaker(clock)
    fail(b, 2)
    ticket = b.admit()
    assert ticket is Ticket.NORMAL
    b.settle(ticket, True)  # a success breaks the row
    fail(b, 2)
    assert b.state is State.CLOSED
    fail(b)
    assert b.state is State.OPEN and changes == [State.OPEN]
    clock.now += 4.9
    assert b.admit() is None


def test_opens_on_a_failure_rate() -> None:
    b, _ = breaker(Clock(), breaker_failures=100, breaker_window=10, breaker_failure_rate=0.5)
    for n in range(10):
        ticket = b.admit()
        assert ticket is not None and b.state is State.CLOSED
        b.settle(ticket, n % 2 == 0)  # every other call fails: 50 %
    assert b.state is State.OPEN


def test_half_open_lets_one_probe_through_and_closes_on_its_success() -> None:
    clock = Clock()
    b, changes = breaker(clock)
    fail(b, 3)
    clock.now += 5.0
    probe = b.admit()
    assert probe is Ticket.PROBE and b.state is State.HALF_OPEN
    assert b.admit() is None  # one probe at a time
    b.settle(probe, True)
    assert b.state is State.CLOSED and b.admit() is Ticket.NORMAL
    assert changes == [State.OPEN, State.HALF_OPEN, State.CLOSED]


def test_a_failed_probe_opens_again_for_another_cooldown() -> None:
    clock = Clock()
    b, _ = breaker(clock)
    fail(b, 3)
    clock.now += 5.0
    probe = b.admit()
    assert probe is Ticket.PROBE
    b.settle(probe, False)
    assert b.state is State.OPEN
    clock.now += 4.0
    assert b.admit() is None
    clock.now += 1.0
    assert b.admit() is Ticket.PROBE


def test_a_cancelled_probe_frees_the_probe_slot() -> None:
    clock = Clock()
    b, _ = breaker(clock)
    fail(b, 3)
    clock.now += 5.0
    probe = b.admit()
    assert probe is Ticket.PROBE
    b.settle(probe, None)
    assert b.state is State.HALF_OPEN and b.admit() is Ticket.PROBE


def test_late_answers_of_calls_admitted_before_opening_are_ignored() -> None:
    clock = Clock()
    b, _ = breaker(clock)
    late = b.admit()
    fail(b, 3)
    assert late is not None
    b.settle(late, True)
    assert b.state is State.OPEN


def test_zero_failures_means_no_breaker() -> None:
    b, _ = breaker(Clock(), breaker_failures=0)
    fail(b, 100)
    assert b.state is State.CLOSED and b.admit() is Ticket.NORMAL


def test_the_retry_budget_is_a_floor_plus_a_share_of_calls_over_a_window() -> None:
    clock = Clock()
    budget = RetryBudget(ratio=0.1, floor=3, window=10.0, clock=clock)
    spent = 0
    for _ in range(200):
        budget.record_call()
        spent += budget.try_spend()
    assert spent == 20  # 10 % of 200 calls
    budget = RetryBudget(ratio=0.1, floor=3, window=10.0, clock=clock)
    budget.record_call()
    assert [budget.try_spend() for _ in range(4)] == [True, True, True, False]  # the floor
    clock.now += 10.0  # the window slid past all of it
    assert budget.try_spend()


async def test_the_deadline_covers_waiting_for_the_bulkhead() -> None:
    release = asyncio.Event()

    async def never(request: httpx.Request) -> httpx.Response:
        await release.wait()
        return httpx.Response(200, json={})

    metrics = Metrics()
    guard = RegisterGuard("udb", ResilienceConfig(deadline=0.2, concurrency=1), metrics)
    async with httpx.AsyncClient(transport=httpx.MockTransport(never)) as http:
        endpoint = RegisterEndpoint(
            "udb", "http://udb.test/udb/v1", HttpxRegisterTransport(http), metrics, guard
        )
        started = time.perf_counter()
        results = await asyncio.gather(
            *(endpoint.call("GET", "/x", "lookup", lambda a: a) for _ in range(3)),
            return_exceptions=True,
        )
        elapsed = time.perf_counter() - started
        release.set()
    assert all(isinstance(r, RegisterUnavailable) for r in results)
    assert 0.2 <= elapsed < 0.5  # all three end at the deadline, two of them never got a slot


@pytest.mark.parametrize(("status", "calls"), [(500, 2), (503, 2), (400, 1), (200, 1)])
async def test_one_retry_only_of_5xx_and_connection_errors(status: int, calls: int) -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, content=b"[]" if status == 200 else b"{}")

    metrics = Metrics()
    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http:
        endpoint = RegisterEndpoint(
            "udb", "http://udb.test/udb/v1", HttpxRegisterTransport(http), metrics
        )

        def parse(answer: Any) -> Any:
            raise WireError("the wrong shape")

        with pytest.raises(RegisterUnavailable):
            await endpoint.call("GET", "/x", "lookup", parse)
    assert len(seen) == calls  # garbage (a 200 of the wrong shape) is not retried either


async def test_a_refused_connection_is_retried_once() -> None:
    seen: list[httpx.Request] = []

    def refuse(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        raise httpx.ConnectError("refused", request=request)

    metrics = Metrics()
    async with httpx.AsyncClient(transport=httpx.MockTransport(refuse)) as http:
        endpoint = RegisterEndpoint(
            "udb", "http://udb.test/udb/v1", HttpxRegisterTransport(http), metrics
        )
        with pytest.raises(RegisterUnavailable):
            await endpoint.call("GET", "/x", "lookup", lambda a: a)
    assert len(seen) == 2
    retries = metrics.registry.get_sample_value(
        "ungeprofil_register_requests_total",
        {"register": "udb", "kind": "lookup", "outcome": "retry"},
    )
    assert retries == 1


@pytest.mark.parametrize(
    ("status", "opens"),
    [(400, False), (404, False), (422, False), (429, True), (401, True), (503, True)],
)
async def test_only_failures_of_the_register_open_its_breaker(status: int, opens: bool) -> None:
    """A 4xx about the request's input (one caller's bad CPR) fails that call, and says nothing
    about the register: ten of them leave the breaker closed for everyone else. A 5xx, a 429
    (overloaded) or a 401 (the gateway's own standing) are failures of the register."""

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=b'{"code": 1001, "message": "Invalid cpr"}')

    metrics = Metrics()
    guard = RegisterGuard("udb", ResilienceConfig(breaker_failures=3, retry_ratio=0), metrics)
    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http:
        endpoint = RegisterEndpoint(
            "udb", "http://udb.test/udb/v1", HttpxRegisterTransport(http), metrics, guard
        )
        for _ in range(10):
            with pytest.raises(RegisterUnavailable):
                await endpoint.call("POST", "/x", "data", lambda a: a, body={"cpr": "x"})
    assert (guard.breaker.state is State.OPEN) is opens
    rejected = metrics.registry.get_sample_value(
        "ungeprofil_register_requests_total",
        {"register": "udb", "kind": "data", "outcome": "rejected"},
    )
    assert rejected == (None if opens else 10)
