"""Fault tests: the real app over ASGITransport, the mock registers over loopback, faults
switched on at run time and reset after every test, and short timeouts so a hang costs < 1 s."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Client, make_client  # noqa: F401  (the one app builder, reused)

#: Short limits for every fault test: the deadline bounds a hang under a second, with room
#: for a healthy register on a busy two-core machine (a full profile can take 0.3 s there).
FAST = {"connect_timeout": 0.5, "read_timeout": 0.6, "register_deadline": 0.8}
#: For tests that count rather than time: healthy registers never time out under load.
PATIENT = {"connect_timeout": 1.0, "read_timeout": 2.5, "register_deadline": 3.0}

#: How each fault is switched on at a mock register (refused connections: `mocks.refuse`).
FAULTS: dict[str, dict[str, Any]] = {
    "500": {"fail": True},
    "hang": {"hang": True},
    "slow_beyond_deadline": {"latency_ms": 900},
    "slow_within_deadline": {"latency_ms": 100},
    "garbage": {"garbage": True},
    "refused": {},
}


def break_register(mocks: Any, label: str, fault: str) -> None:
    if fault == "refused":
        mocks.refuse(label)
    else:
        mocks.faults[label].update(FAULTS[fault])


@pytest.fixture(autouse=True)
def healthy_registers(mocks: Any) -> Iterator[None]:
    """Every register healthy before and after each test, whatever the test switched on."""
    mocks.reset_faults()
    yield
    mocks.reset_faults()
    for label in mocks.urls:
        mocks.restore(label)


async def upstream_calls(mocks: Any, label: str, path: str | None = None) -> float:
    """Requests a mock register served on its data, relationship and lookup routes (its own
    `mock_requests_total`), optionally of one route template (e.g. "/personer/soeg")."""
    async with httpx.AsyncClient() as http:
        text = (await http.get(f"{mocks.urls[label]}/metrics")).text
    total = 0.0
    for route, value in re.findall(r'^mock_requests_total\{path="([^"]+)"\} (\S+)$', text, re.M):
        if route.endswith(("/healthz", "/metrics")) or "_admin" in route:
            continue
        if path is None or route.endswith(path):
            total += float(value)
    return total


@pytest.fixture
def gateway_client(make_client: Callable[..., Any]) -> Callable[..., Any]:  # noqa: F811
    """`await gateway_client(transport=..., **settings)`: make_client (tests/e2e/conftest.py)
    with FAST limits, no answer cache (so every request reaches the registers), a memory audit
    store."""

    async def make(**overrides: Any) -> Client:
        client: Client = await make_client(**{**FAST, **overrides})
        return client

    return make
