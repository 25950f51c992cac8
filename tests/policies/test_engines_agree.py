"""The same Rego gives the same decisions on rego-cpp, on the real OPA engine in process, and
through an OPA-compatible server loaded from the bundle (opa-python-client over HTTP)."""

from __future__ import annotations

import pytest

from gateway.policies.decision import document_of
from gateway.policies.engine import EmbeddedEngine
from gateway.policies.opa_server import OpaServerEngine, PolicyVersionMismatch
from gateway.policies.sources import load_catalogue, policy_version
from tests.policies.opa_test_server import RunningServer
from tests.policies.personas import callers, decision_input
from tests.policies.test_policy_table import TABLE

CALLERS = callers()


@pytest.mark.parametrize("caller", sorted(CALLERS))
async def test_rego_cpp_agrees_with_opa(
    regopy_engine: EmbeddedEngine, go_engine: EmbeddedEngine, caller: str
) -> None:
    differ = []
    for _, person, purpose in (row for row in TABLE if row[0] == caller):
        request = decision_input(CALLERS[caller], person, purpose)
        expected = document_of(await go_engine.decide(request))
        if document_of(await regopy_engine.decide(request)) != expected:
            differ.append((person, purpose))
    assert not differ


# Through HTTP, every caller on every young person with the caller's own purposes and one
# foreign purpose (the other purposes deny before any relationship check).
SERVER_TABLE = [
    row
    for row in TABLE
    if row[2]
    in {"SELF", "PLANNING", "MENTORING", "JOB_PLACEMENT", "RETENTION", "CASE_RECORD", "SUPERVISION"}
]


@pytest.mark.parametrize("caller", sorted(CALLERS))
async def test_server_agrees_with_embedded(
    regopy_engine: EmbeddedEngine, server_engine: OpaServerEngine, caller: str
) -> None:
    differ = []
    for _, person, purpose in (row for row in SERVER_TABLE if row[0] == caller):
        request = decision_input(CALLERS[caller], person, purpose)
        if await server_engine.decide(request) != await regopy_engine.decide(request):
            differ.append((person, purpose))
    assert not differ


async def test_server_runs_the_expected_version(
    server_engine: OpaServerEngine, opa_server: RunningServer, real_opa: bool
) -> None:
    print(f"OPA test server evaluates with {opa_server.app.state.engine_name}")
    assert opa_server.app.state.engine_name == ("go-opa" if real_opa else "regopy")
    assert await server_engine.bundle_revision() == policy_version(load_catalogue())
    await server_engine.check_version()
    assert await server_engine.healthy()


async def test_server_version_mismatch_is_refused(opa_server: RunningServer) -> None:
    engine = OpaServerEngine(opa_server.url, policy_version="1999-01-01.1")
    try:
        with pytest.raises(PolicyVersionMismatch):
            await engine.check_version()
    finally:
        await engine.aclose()
