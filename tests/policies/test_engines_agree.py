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


# Every action other than READ, for every caller, with each purpose, about the caller
# themself, about Anne and about nobody, and on a date before and after the bases began.
ACTIONS = ("READ_LOG", "READ_POLICY", "WRITE", "NO_SUCH_ACTION")
ACTION_PURPOSES = ("SELF", "SUPERVISION", "PLANNING")


def action_inputs(caller: dict[str, str]) -> list[dict[str, object]]:
    inputs: list[dict[str, object]] = []
    for action in ACTIONS:
        for purpose in ACTION_PURPOSES:
            for cpr in (caller["sub"], "1503044112", ""):
                for day in ("2026-11-23", "2017-01-01"):
                    inputs.append(
                        {
                            "subject": dict(caller),
                            "action": action,
                            "purpose": purpose,
                            "cpr": cpr,
                            "date": day,
                            "facts": {},
                        }
                    )
    return inputs


@pytest.mark.parametrize("caller", sorted(CALLERS))
async def test_engines_agree_on_actions(
    regopy_engine: EmbeddedEngine,
    go_engine: EmbeddedEngine,
    server_engine: OpaServerEngine,
    caller: str,
) -> None:
    differ = []
    for request in action_inputs(CALLERS[caller]):
        expected = document_of(await go_engine.decide(request))
        if document_of(await regopy_engine.decide(request)) != expected:
            differ.append(("rego-cpp", request["action"], request["purpose"], request["date"]))
        if document_of(await server_engine.decide(request)) != expected:
            differ.append(("server", request["action"], request["purpose"], request["date"]))
    assert not differ


async def test_only_the_young_person_and_the_privacy_officer_read_a_log(
    go_engine: EmbeddedEngine,
) -> None:
    allowed = set()
    for name, caller in CALLERS.items():
        for request in action_inputs(caller):
            decision = await go_engine.decide(request)
            for resource in decision.allowed_categories:
                allowed.add((caller["role"], request["action"], resource, request["purpose"]))
                assert request["date"] == "2026-11-23", "no basis was in force in 2017"
                if resource in {"access_log", "questionnaire", "health_consent"}:
                    assert request["cpr"] == caller["sub"], name
    assert allowed == {
        ("youth", "READ_LOG", "access_log", "SELF"),
        ("privacy_officer", "READ_LOG", "audit_log", "SUPERVISION"),
        ("privacy_officer", "READ_POLICY", "policy", "SUPERVISION"),
        # Who may see what, and why (GDPR art. 13/14): the young person's "Oplysninger om dig".
        ("youth", "READ_POLICY", "policy", "SELF"),
        # Without facts no write about another young person holds; the young person's own do.
        ("youth", "WRITE", "questionnaire", "SELF"),
        ("youth", "WRITE", "health_consent", "SELF"),
    }
