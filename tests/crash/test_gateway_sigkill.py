"""SIGKILL the gateway under load: every response a client received has its audit records.

The gateway writes a request's audit records before it sends the response (gateway/app.py), so
a kill at any moment may lose responses nobody received, never the record of one that was
received. Run against both durable stores: SQLite (one file, WAL) and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from gateway.audit import AuditFilter, AuditRecord, AuditStore, open_audit_store
from schema.youth import FIELD_CATEGORIES
from tests.conftest import require_service
from tests.crash.gateway_process import UNGEPROFIL, GatewayProcess, gateway_env
from tests.e2e.conftest import ALI, ANNE, FREJA, JONAS, NOBODY, PEOPLE
from tests.e2e.queries import FULL_PROFILE, ME

POSTGRES_DSN = os.environ.get("AUDIT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
WORKERS = 6
KILL_AFTER = 40  # responses received before the kill
MAX_REQUESTS = 400  # the load never runs away, whatever happens
LOAD_DEADLINE = 45.0

SOME_FIELDS = (
    "cpr identity { firstName } schooling { courses { type } } grades { year } "
    "plan { educationGoal }"
)
YOUTH_SOME = "query($cpr: CPR!, $purpose: Purpose!) { youth(cpr: $cpr, purpose: $purpose) { %s } }"
YOUTHS = (
    "query($cprs: [CPR!]!, $purpose: Purpose!) { youths(cprs: $cprs, purpose: $purpose) { %s } }"
)
CASELOAD = (
    "query($purpose: Purpose!) { caseload(purpose: $purpose, first: 5) { edges { node { %s } } } }"
)
SOME = ("identity", "schooling", "grades", "plan")
ALL = tuple(FIELD_CATEGORIES)


@dataclass(frozen=True)
class Ask:
    who: str
    root: str  # youth | youths | me | caseload
    query: str
    variables: dict[str, Any]
    fields: tuple[str, ...]  # the category fields the query selects


MIX = [
    Ask("jette", "youth", FULL_PROFILE, {"cpr": ANNE, "purpose": "PLANNING"}, ALL),
    Ask("lars", "youth", YOUTH_SOME % SOME_FIELDS, {"cpr": ANNE, "purpose": "PLANNING"}, SOME),
    Ask("mikkel", "youth", FULL_PROFILE, {"cpr": ANNE, "purpose": "MENTORING"}, ALL),
    Ask("anne", "me", ME, {}, ALL),
    Ask(
        "fagsystem",
        "youths",
        YOUTHS % SOME_FIELDS,
        {"cprs": [ANNE, ALI, FREJA, NOBODY], "purpose": "CASE_RECORD"},
        SOME,
    ),
    Ask("jette", "caseload", CASELOAD % SOME_FIELDS, {"purpose": "PLANNING"}, SOME),
    Ask(
        "jette",
        "youths",
        YOUTHS % SOME_FIELDS,
        {"cprs": [ANNE, ALI, JONAS], "purpose": "PLANNING"},
        SOME,
    ),
]


@dataclass
class Received:
    ask: Ask
    status: int
    request_id: str | None
    body: dict[str, Any]


@dataclass
class Load:
    http: httpx.AsyncClient
    url: str
    tokens: dict[str, str]
    kill_after: int
    received: list[Received] = field(default_factory=list)
    started: int = 0
    in_flight: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    enough: asyncio.Event = field(default_factory=asyncio.Event)
    stopped: bool = False

    async def worker(self, offset: int) -> None:
        index = offset
        while not self.stopped and self.started < MAX_REQUESTS:
            ask = MIX[index % len(MIX)]
            index += 1
            self.started += 1
            self.in_flight += 1
            try:
                response = await self.http.post(
                    f"{self.url}/graphql",
                    json={"query": ask.query, "variables": ask.variables},
                    headers={"Authorization": f"Bearer {self.tokens[ask.who]}"},
                )
            except httpx.TransportError as error:
                # The kill: this response never reached the client.
                self.failures[type(error).__name__] += 1
                return
            finally:
                self.in_flight -= 1
            self.received.append(
                Received(
                    ask, response.status_code, response.headers.get("x-request-id"), response.json()
                )
            )
            if len(self.received) >= self.kill_after:
                self.enough.set()


def expected_records(got: Received) -> set[tuple[str, str, str]]:
    """(cpr, category, decision) the store must hold for what this response showed."""
    ask, data = got.ask, got.body.get("data") or {}
    expected: set[tuple[str, str, str]] = set()
    cpr_at: dict[tuple[Any, ...], str] = {}
    people: list[tuple[tuple[Any, ...], Any, str]]
    if ask.root == "youth":
        people = [(("youth",), data.get("youth"), ask.variables["cpr"])]
    elif ask.root == "me":
        people = [(("me",), data.get("me"), PEOPLE["anne"]["sub"])]
    elif ask.root == "youths":
        people = [
            (("youths", i), person, ask.variables["cprs"][i])
            for i, person in enumerate(data.get("youths") or [])
        ]
    else:
        edges = (data.get("caseload") or {}).get("edges") or []
        people = [
            (("caseload", "edges", i, "node"), edge["node"], edge["node"]["cpr"])
            for i, edge in enumerate(edges)
        ]
    for path, person, cpr in people:
        cpr_at[path] = cpr
        if person is None:
            continue
        assert person["cpr"] == cpr
        for name, category in FIELD_CATEGORIES.items():
            if person.get(name) is not None:
                expected.add((cpr, category.value, "allow"))
    for error in got.body.get("errors", []):
        if error.get("extensions", {}).get("code") != "FORBIDDEN":
            continue
        path = tuple(error.get("path", ()))
        owner = next((p for p in cpr_at if path[: len(p)] == p), None)
        if owner is None or "policy engine" in error["extensions"].get("reason", ""):
            continue  # no person's data, or no decision at all: nothing released, nothing decided
        category = error["extensions"].get("category")
        if category is not None:
            expected.add((cpr_at[owner], category, "deny"))
        else:  # nothing of this person: every category asked for is denied
            expected |= {(cpr_at[owner], FIELD_CATEGORIES[f].value, "deny") for f in ask.fields}
    return expected


async def all_records(store: AuditStore) -> list[AuditRecord]:
    records: list[AuditRecord] = []
    after: str | None = None
    for _ in range(10_000):
        page = await store.query(AuditFilter(), 500, after)
        records += page.records
        if page.next_cursor is None:
            return records
        after = page.next_cursor
    raise AssertionError("pagination never ended")


@dataclass
class Target:
    name: str
    url: str
    tamper: Callable[[int, str], Any]  # (seq, new reason) -> awaitable


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def target(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Target]:
    if request.param == "sqlite":
        path = tmp_path / "audit.sqlite3"

        async def tamper_sqlite(seq: int, reason: str) -> None:
            connection = sqlite3.connect(path, isolation_level=None)
            try:
                connection.execute(
                    "UPDATE audit_records SET reason = ? WHERE seq = ?", (reason, seq)
                )
            finally:
                connection.close()

        yield Target("sqlite", f"sqlite:///{path}", tamper_sqlite)
        return
    require_service("PostgreSQL", "127.0.0.1", 5432)
    schema = f"crash_{uuid.uuid4().hex[:12]}"

    async def tamper_postgres(seq: int, reason: str) -> None:
        connection = await asyncpg.connect(POSTGRES_DSN, server_settings={"search_path": schema})
        try:
            await connection.execute(
                "UPDATE audit_records SET reason = $1 WHERE seq = $2", reason, seq
            )
        finally:
            await connection.close()

    try:
        yield Target("postgres", f"{POSTGRES_DSN}?schema={schema}", tamper_postgres)
    finally:
        connection = await asyncpg.connect(POSTGRES_DSN)
        try:
            await connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        finally:
            await connection.close()


def audit_verify(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [UNGEPROFIL, "audit", "verify"], env=env, capture_output=True, text=True, timeout=60
    )


async def test_sigkill_under_load_loses_no_audit_record_of_a_received_response(
    mocks: Any, token: Callable[..., str], state_dir: Path, tmp_path: Path, target: Target
) -> None:
    timings: dict[str, float] = {}
    env = gateway_env(mocks.urls, target.url, state_dir)
    tokens = {who: token(**person) for who, person in PEOPLE.items()}
    limits = httpx.Limits(max_connections=WORKERS, max_keepalive_connections=WORKERS)
    async with httpx.AsyncClient(timeout=20.0, limits=limits) as http:
        # 1. Load, then SIGKILL while requests are in flight.
        gateway = GatewayProcess(env, tmp_path / "gateway-1.log")
        try:
            timings["ready"] = await gateway.wait_ready(http)
            load = Load(http, gateway.url, tokens, KILL_AFTER)
            workers = [asyncio.create_task(load.worker(i)) for i in range(WORKERS)]
            started = time.monotonic()
            await asyncio.wait_for(load.enough.wait(), LOAD_DEADLINE)
            in_flight_at_kill = load.in_flight
            load.stopped = True
            status = gateway.kill()
            timings["load"] = time.monotonic() - started
            await asyncio.wait_for(asyncio.gather(*workers), 30)
        finally:
            gateway.stop()
        assert status == -9
        assert in_flight_at_kill > 0, "the kill should land while requests are in flight"

        # 2. Every received response with data has all its records, and the chain holds.
        received = [r for r in load.received if r.status == 200 and r.body.get("data")]
        others = Counter(
            (r.ask.who, r.ask.root, r.status, str(r.body.get("errors"))[:200])
            for r in load.received
            if r not in received
        )
        assert len(received) >= KILL_AFTER, others
        assert all(r.request_id for r in received)
        store = await open_audit_store(target.url)
        try:
            records = await all_records(store)
            by_request: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
            subjects: dict[str, set[str]] = defaultdict(set)
            for record in records:
                by_request[record.request_id].add((record.cpr, record.category, record.decision))
                subjects[record.request_id].add(record.subject)
            checked = Counter[str]()
            with_records = 0
            missing = []
            for got in received:
                assert got.request_id is not None
                expected = expected_records(got)
                with_records += bool(expected)
                lost = expected - by_request.get(got.request_id, set())
                if lost:
                    missing.append((got.ask.who, got.ask.root, got.request_id, sorted(lost)[:3]))
                assert subjects[got.request_id] <= {PEOPLE[got.ask.who]["sub"]}
                checked.update(decision for _, _, decision in expected)
            assert not missing, missing[:5]
            # Not a vacuous pass: most responses showed someone's data or a denial of it.
            assert with_records >= KILL_AFTER * 3 // 4, with_records
            assert checked["allow"] and checked["deny"]
            result = await store.verify()
            assert result.ok, result
            assert result.checked == len(records)
            # Audited but never received: answered by the gateway when the kill came.
            unseen = set(by_request) - {r.request_id for r in load.received}
        finally:
            await store.close()

        # 3. A restart on the same store serves, audits and chains on.
        gateway = GatewayProcess(env, tmp_path / "gateway-2.log")
        try:
            timings["restart_ready"] = await gateway.wait_ready(http)
            response = await http.post(
                f"{gateway.url}/graphql",
                json={"query": FULL_PROFILE, "variables": {"cpr": ANNE, "purpose": "PLANNING"}},
                headers={"Authorization": f"Bearer {tokens['jette']}"},
            )
        finally:
            gateway.stop()
        after_restart = Received(
            MIX[0], response.status_code, response.headers.get("x-request-id"), response.json()
        )
        assert after_restart.status == 200
        assert after_restart.body["data"]["youth"]["identity"]["firstName"] == "Anne"
        store = await open_audit_store(target.url)
        try:
            records_after = await all_records(store)
            stored = {
                (r.cpr, r.category, r.decision)
                for r in records_after
                if r.request_id == after_restart.request_id
            }
            assert expected_records(after_restart) <= stored
            result = await store.verify()
            assert result.ok and result.checked == len(records_after) > len(records)
        finally:
            await store.close()

    # 4. The CLI: intact before tampering, broken after, naming the changed record.
    cli_env = {**env, "AUDIT_URL": target.url}
    intact = audit_verify(cli_env)
    assert intact.returncode == 0, intact.stdout + intact.stderr
    assert f"{len(records_after)} records checked" in intact.stdout
    victim = next(
        r for r in sorted(records, key=lambda r: r.seq) if r.request_id == received[-1].request_id
    )
    await target.tamper(victim.seq, "nothing to see here")
    broken = audit_verify(cli_env)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert f"broken at record {victim.seq}: changed" in broken.stdout
    assert "1503044112" not in broken.stdout + broken.stderr

    print(
        f"\n[{target.name}] ready {timings['ready']:.2f}s; load {timings['load']:.2f}s: "
        f"{load.started} sent, {len(load.received)} received ({len(received)} with data, "
        f"{with_records} showing data or denials), "
        f"{in_flight_at_kill} in flight at the kill, transport errors {dict(load.failures)}; "
        f"{sum(checked.values())} expected records checked ({dict(checked)}) against "
        f"{len(records)} stored in {len(by_request)} requests ({len(unseen)} audited, never "
        f"received); verify ok {result.checked}; restart ready {timings['restart_ready']:.2f}s; "
        f"tampered seq {victim.seq} -> CLI exit {broken.returncode}"
    )
