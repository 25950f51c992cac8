from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import date
from typing import Any

import httpx
import pytest

from mocks.app import create_register_app
from mocks.faults import Faults
from mocks.population import Population, build_population

T = date(2026, 11, 23)
ANNE, ALI, FREJA, JONAS, SOFIE, MADS, EMIL = (
    "1503044112",
    "0211014127",
    "2706064136",
    "0909034145",
    "2101054154",
    "3012024163",
    "1403064171",
)
CPR_HEADER = "x-civilregistrationIdentifier"


@pytest.fixture(scope="session")
def population() -> Population:
    return build_population(2000, 42, T)


@pytest.fixture
async def register_client(
    population: Population,
) -> AsyncIterator[Callable[[str], tuple[httpx.AsyncClient, Faults]]]:
    """A fresh app (with its own fault knobs) per register, driven in-process."""
    clients: list[httpx.AsyncClient] = []

    def make(label: str, client_host: str = "127.0.0.1") -> tuple[httpx.AsyncClient, Faults]:
        faults = Faults()
        app = create_register_app(label, population, faults)
        transport = httpx.ASGITransport(app=app, client=(client_host, 40000))
        client = httpx.AsyncClient(transport=transport, base_url="http://mock")
        clients.append(client)
        return client, faults

    yield make
    for client in clients:
        await client.aclose()


@pytest.fixture
async def writable(population: Population) -> AsyncIterator[Callable[[str], Any]]:
    """A writable register's fresh app (own state, own fault knobs) with helpers: a `Mock`."""
    from tests.mocks.exchange_helpers import Mock

    clients: list[httpx.AsyncClient] = []

    def make(label: str) -> Mock:
        faults = Faults()
        app = create_register_app(label, population, faults)
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))
        client = httpx.AsyncClient(transport=transport, base_url="http://mock")
        clients.append(client)
        return Mock(client, faults, app.state.live, app.state.register.prefix)

    yield make
    for client in clients:
        await client.aclose()
