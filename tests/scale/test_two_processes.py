"""Running at scale: two `ungeprofil serve` processes on different ports over one Redis and one
PostgreSQL (README "Running at scale"). A mixed load through both loses and duplicates no
audit record and leaves one intact chain; a register answer fetched by one is served to the
other from the shared cache; a caseload cursor from one pages on the other."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from gateway.audit import AuditFilter, open_audit_store
from tests.audit.conftest import POSTGRES_DSN, drop_schema
from tests.conftest import require_service
from tests.crash.gateway_process import GatewayProcess, gateway_env
from tests.e2e.conftest import ALI, ANNE, FREJA, JONAS, PEOPLE
from tests.e2e.queries import FULL_PROFILE, ME
from tests.opa.conftest import OpaServer

REDIS_URL = "redis://127.0.0.1:6379/5"
REQUESTS = 80
CONCURRENCY = 8

MIX: list[tuple[str, str, dict[str, Any]]] = [
    ("jette", FULL_PROFILE, {"cpr": ANNE, "purpose": "PLANNING"}),
    ("jette", FULL_PROFILE, {"cpr": ALI, "purpose": "PLANNING"}),
    ("mikkel", FULL_PROFILE, {"cpr": ANNE, "purpose": "MENTORING"}),
    ("lars", FULL_PROFILE, {"cpr": FREJA, "purpose": "PLANNING"}),
    ("anne", ME, {}),
    (
        "fagsystem",
        "query($c: [CPR!]!) { youths(cprs: $c, purpose: CASE_RECORD) { identity { firstName } } }",
        {"c": [ANNE, ALI, FREJA, JONAS]},
    ),
]
CASELOAD = """query($after: String) { caseload(purpose: PLANNING, first: 2, after: $after) {
  edges { node { cpr } } pageInfo { hasNextPage endCursor } } }"""


class Pair:
    def __init__(self, processes: list[GatewayProcess], audit_url: str, tokens: dict[str, str]):
        self.processes = processes
        self.audit_url = audit_url
        self.tokens = tokens

    async def ask(
        self, http: httpx.AsyncClient, which: int, who: str, query: str, variables: dict[str, Any]
    ) -> httpx.Response:
        return await http.post(
            f"{self.processes[which].url}/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {self.tokens[who]}"},
            timeout=30,
        )

    async def register_calls(self, http: httpx.AsyncClient, which: int, kind: str) -> float:
        text = (await http.get(f"{self.processes[which].url}/metrics")).text
        return sum(
            sample.value
            for family in text_string_to_metric_families(text)
            if family.name == "ungeprofil_register_requests"
            for sample in family.samples
            if sample.name.endswith("_total") and sample.labels.get("kind") == kind
        )


@contextlib.asynccontextmanager
async def running_pair(
    mocks: Any, token: Any, state_dir: Path, logs: Path, **extra: str
) -> AsyncIterator[Pair]:
    require_service("PostgreSQL", "127.0.0.1", 5432)
    require_service("Redis", "127.0.0.1", 6379)
    schema = f"scale_{uuid.uuid4().hex[:12]}"
    audit_url = f"{POSTGRES_DSN}?schema={schema}"
    env = gateway_env(mocks.urls, audit_url, state_dir)
    # One secret for both: the keys of the shared cache and of caseload cursors.
    env |= {"CACHE_URL": REDIS_URL, "CACHE_KEY_SECRET": uuid.uuid4().hex, **extra}
    processes = [GatewayProcess(env, logs / f"gateway-{n}.log") for n in range(2)]
    try:
        async with httpx.AsyncClient() as http:
            for process in processes:
                await process.wait_ready(http)
        yield Pair(processes, audit_url, {who: token(**p) for who, p in PEOPLE.items()})
    finally:
        for process in processes:
            process.stop()
        await drop_schema(schema)


@pytest.fixture
async def pair(mocks: Any, token: Any, state_dir: Path, tmp_path: Path) -> AsyncIterator[Pair]:
    async with running_pair(mocks, token, state_dir, tmp_path) as both:
        yield both


async def mixed_load(pair: Pair) -> None:
    """REQUESTS requests of the MIX alternately through both processes; then every response's
    records are in the one log, none lost, stray or duplicated, and the chain is intact."""
    asks = list(itertools.islice(itertools.cycle(MIX), REQUESTS))
    gate = asyncio.Semaphore(CONCURRENCY)
    async with httpx.AsyncClient() as http:

        async def one(n: int, who: str, query: str, variables: dict[str, Any]) -> str:
            async with gate:
                response = await pair.ask(http, n % 2, who, query, variables)
            assert response.status_code == 200, response.text
            assert "AUDIT_UNAVAILABLE" not in response.text
            return response.headers["X-Request-Id"]

        request_ids = await asyncio.gather(*(one(n, *ask) for n, ask in enumerate(asks)))

    store = await open_audit_store(pair.audit_url)
    try:
        page = await store.query(AuditFilter(), 10_000)
        records = page.records
        assert (await store.verify()).ok
    finally:
        await store.close()
    assert len(set(request_ids)) == REQUESTS
    assert {r.request_id for r in records} == set(request_ids), "a lost or stray request"
    decisions = [(r.request_id, r.cpr, r.purpose, r.category, r.kind) for r in records]
    assert len(decisions) == len(set(decisions)), "a duplicated record"
    assert sorted(r.seq for r in records) == list(range(1, len(records) + 1)), "a gap"


async def test_a_mixed_load_through_both_keeps_one_intact_log(pair: Pair) -> None:
    await mixed_load(pair)


async def test_both_processes_ask_one_opa_server(
    mocks: Any, token: Any, state_dir: Path, tmp_path: Path, opa: OpaServer
) -> None:
    """The OPA-server path: one server loaded with build_bundle() decides for both."""
    async with running_pair(mocks, token, state_dir, tmp_path, OPA_URL=opa.url) as both:
        await mixed_load(both)
    assert opa.front.data_calls > 2  # each process's version check, then decisions


async def test_what_one_fetched_the_other_serves_from_the_shared_cache(pair: Pair) -> None:
    ask = ("jette", FULL_PROFILE, {"cpr": JONAS, "purpose": "PLANNING"})
    async with httpx.AsyncClient() as http:
        first = await pair.ask(http, 0, *ask)
        before = await pair.register_calls(http, 1, "data")
        second = await pair.ask(http, 1, *ask)
        after = await pair.register_calls(http, 1, "data")
    assert first.json()["data"] == second.json()["data"]
    assert after == before, "the second process asked the registers again"


async def test_a_caseload_cursor_from_one_pages_on_the_other(pair: Pair) -> None:
    async with httpx.AsyncClient() as http:
        whole = await pair.ask(http, 0, "jette", CASELOAD.replace("first: 2", "first: 50"), {})
        everyone = [e["node"]["cpr"] for e in whole.json()["data"]["caseload"]["edges"]]
        seen: list[str] = []
        after = None
        for turn in range(10):
            body = (await pair.ask(http, turn % 2, "jette", CASELOAD, {"after": after})).json()
            page = body["data"]["caseload"]
            seen += [e["node"]["cpr"] for e in page["edges"]]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
    assert seen == everyone and len(everyone) >= 4
