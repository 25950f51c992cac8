"""The gateway with `opa_url` set: an OPA server decides, and nothing else changes — same answers
as the embedded engine; no start against another policy version; /readyz tells when the server
changes version or goes away; and with the server down, nothing is released."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette

from gateway.audit.memory import MemoryAuditStore
from gateway.policies.engine import EmbeddedEngine, PolicyUnavailable
from gateway.policies.opa_server import OpaServerEngine, PolicyVersionMismatch
from gateway.policies.sources import load_catalogue, policy_version
from tests.crash.gateway_process import GatewayProcess, free_port, gateway_env
from tests.e2e.conftest import ANNE, Client
from tests.e2e.queries import FULL_PROFILE, ME
from tests.opa.conftest import OTHER_VERSION, OpaServer

CASES = [
    ("jette", ANNE, "PLANNING"),
    ("mikkel", ANNE, "MENTORING"),
    ("lars", ANNE, "PLANNING"),
    ("anne", None, None),
]


async def ask(client: Client, who: str, cpr: str | None, purpose: str | None) -> dict[str, Any]:
    if cpr is None:
        return await client.query(who, ME)
    return await client.query(who, FULL_PROFILE, {"cpr": cpr, "purpose": purpose})


def decisions(store: MemoryAuditStore) -> list[tuple[Any, ...]]:
    return sorted(
        (
            r.subject,
            r.cpr,
            r.purpose,
            r.category,
            r.decision,
            r.reason,
            r.legal_bases,
            r.policy_version,
        )
        for r in store.records
    )


async def test_personas_get_the_same_answers_as_with_the_embedded_engine(
    make_client: Any, opa: OpaServer
) -> None:
    embedded_log, server_log = MemoryAuditStore(), MemoryAuditStore()
    embedded: Client = await make_client(audit=embedded_log)
    served: Client = await make_client(opa_url=opa.url, audit=server_log)
    assert isinstance(embedded.app.state.gateway.engine, EmbeddedEngine)
    assert isinstance(served.app.state.gateway.engine, OpaServerEngine)
    calls_at_start = opa.front.data_calls
    assert calls_at_start == 1  # the version check in the lifespan

    answers = {}
    for who, cpr, purpose in CASES:
        expected = await ask(embedded, who, cpr, purpose)
        got = await ask(served, who, cpr, purpose)
        assert got == expected, who
        answers[who] = got
    # One decision per (caller, person, purpose), each asked of the server.
    assert opa.front.data_calls - calls_at_start == len(CASES)
    assert decisions(server_log) == decisions(embedded_log)
    assert len(server_log.records) == 16 * len(CASES)  # one record per category

    # The answers are the personas' answers, not empty agreement.
    assert answers["jette"]["data"]["youth"]["identity"]["firstName"] == "Anne"
    assert answers["jette"]["data"]["youth"]["grades"] is None
    assert answers["mikkel"]["data"]["youth"]["identity"]["firstName"] == "Anne"
    assert answers["lars"]["data"] == {"youth": None}
    assert answers["lars"]["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert answers["anne"]["data"]["me"]["grades"] is not None
    assert {r.policy_version for r in server_log.records} == {policy_version(load_catalogue())}


OVERSIGHT = [
    ("anne", "{ myAccessLog(first: 5) { edges { node { kind role } } } }"),
    ("henrik", "{ auditLog(first: 5) { edges { node { kind subject } } } }"),
    (
        "henrik",
        '{ policy { explain(role: "mentor", purpose: MENTORING, category: IDENTITY, '
        'situation: "active_mentor") { allowed reason } } }',
    ),
    ("jette", "{ policy { version } }"),
    ("jette", "{ auditLog(first: 5) { edges { node { kind } } } }"),
]


async def test_the_server_decides_the_oversight_actions_as_the_embedded_engine(
    make_client: Any, opa: OpaServer
) -> None:
    embedded_log, server_log = MemoryAuditStore(), MemoryAuditStore()
    embedded: Client = await make_client(audit=embedded_log)
    served: Client = await make_client(opa_url=opa.url, audit=server_log)
    for who, query in OVERSIGHT:
        assert await served.query(who, query) == await embedded.query(who, query), query
    assert decisions(server_log) == decisions(embedded_log)
    kinds = sorted((r.subject, r.kind, r.decision) for r in server_log.records)
    assert kinds == [
        ("1503044112", "log_read", "allow"),
        ("henrik.soerensen", "log_read", "allow"),
        ("henrik.soerensen", "policy_read", "allow"),
        ("jette.hansen", "log_read", "deny"),
        ("jette.hansen", "policy_read", "deny"),
    ]


async def test_the_lifespan_refuses_another_policy_version(
    make_client: Any, opa: OpaServer, policy_apps: dict[str, Starlette]
) -> None:
    opa.serve(policy_apps["other"])
    with pytest.raises(PolicyVersionMismatch, match=OTHER_VERSION):
        await make_client(opa_url=opa.url)


async def test_the_lifespan_refuses_an_unreachable_server(make_client: Any) -> None:
    with pytest.raises(PolicyUnavailable):
        await make_client(opa_url=f"http://127.0.0.1:{free_port()}")


async def test_serve_exits_instead_of_serving_another_policy_version(
    mocks: Any,
    state_dir: Path,
    tmp_path: Path,
    opa: OpaServer,
    policy_apps: dict[str, Starlette],
) -> None:
    """What "refuses" means for an operator: `ungeprofil serve` exits non-zero, never listening."""
    opa.serve(policy_apps["other"])
    env = gateway_env(mocks.urls, f"sqlite:///{tmp_path / 'audit.sqlite3'}", state_dir)
    env["OPA_URL"] = opa.url
    gateway = GatewayProcess(env, tmp_path / "gateway.log")
    try:
        status = gateway.process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        gateway.stop()
        raise AssertionError(f"the gateway kept running:\n{gateway.log_tail()}") from None
    gateway.stop()
    log = gateway.log_path.read_text()
    assert status != 0, log
    assert "PolicyVersionMismatch" in log and OTHER_VERSION in log, log
    assert opa.front.data_calls == 1  # asked the version, then nothing


async def test_readyz_reports_a_version_change_after_start_up(
    make_client: Any, opa: OpaServer, policy_apps: dict[str, Starlette]
) -> None:
    client: Client = await make_client(opa_url=opa.url)
    ready = await client.http.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"]["policy"] is True
    await client.query("mikkel", FULL_PROFILE, {"cpr": ANNE, "purpose": "MENTORING"})
    engine = client.app.state.gateway.engine
    assert len(engine.cache) > 0

    opa.serve(policy_apps["other"])
    changed = await client.http.get("/readyz")
    assert len(engine.cache) == 0  # decisions of the old version are not reused
    assert changed.status_code == 503
    checks = changed.json()["checks"]
    assert checks["policy"] is False
    assert all(ok for name, ok in checks.items() if name != "policy"), checks

    opa.serve(policy_apps["current"])
    back = await client.http.get("/readyz")
    assert back.status_code == 200 and back.json()["checks"]["policy"] is True


async def test_requests_fail_closed_when_the_server_is_down(
    make_client: Any, opa: OpaServer
) -> None:
    log = MemoryAuditStore()
    client: Client = await make_client(opa_url=opa.url, audit=log)
    warm = await client.query("mikkel", FULL_PROFILE, {"cpr": ANNE, "purpose": "MENTORING"})
    assert warm["data"]["youth"]["identity"]["firstName"] == "Anne"
    records_before = len(log.records)

    opa.stop()
    for who, cpr, purpose in (("jette", ANNE, "PLANNING"), ("anne", None, None)):
        body = await ask(client, who, cpr, purpose)
        assert body["_status"] == 200
        assert body["data"] in ({"youth": None}, {"me": None}), body
        [error] = body["errors"]
        assert error["extensions"]["code"] == "FORBIDDEN"
        assert "policy engine" in error["extensions"]["reason"]
        text = str(body)
        assert "Anne" not in text and ANNE not in text and opa.url not in text
    # Nothing was decided, so nothing was allowed in the log either.
    assert len(log.records) == records_before

    ready = await client.http.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["checks"]["policy"] is False
