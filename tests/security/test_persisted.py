"""Persisted (trusted) operations: by hash, and the trusted-only gateway."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from gateway import cli
from gateway.persisted import SHIPPED_FILE, PersistedOperations, operation_hash
from gateway.settings import from_environment
from tests.e2e.conftest import ANNE
from tests.security.conftest import Guarded

SHIPPED: dict[str, str] = orjson.loads(SHIPPED_FILE.read_bytes())
PROFILE_HASH = next(h for h, q in SHIPPED.items() if "JobnetProfile" in q)
BATCH_HASH = next(h for h, q in SHIPPED.items() if "CaseSystemBatch" in q)
AD_HOC = "query($c: CPR!) { youth(cpr: $c, purpose: PLANNING) { identity { age } } }"


def by_hash(digest: str, variables: dict[str, Any], version: int = 1) -> dict[str, Any]:
    return {
        "variables": variables,
        "extensions": {"persistedQuery": {"version": version, "sha256Hash": digest}},
    }


def test_the_shipped_file_names_each_operation_by_its_hash() -> None:
    assert {PROFILE_HASH, BATCH_HASH} <= set(SHIPPED)
    assert all(operation_hash(query) == digest for digest, query in SHIPPED.items())
    # Besides the profile and the batch: the Jobnet pages' own (gateway/jobnet/), one name each.
    names = PersistedOperations.load(None).by_name()
    assert len(names) == len(SHIPPED)
    assert set(names) - {"JobnetProfile", "CaseSystemBatch"} == {
        name for name in names if name.startswith("Jobnet") and name != "JobnetProfile"
    }


def test_a_file_with_a_wrong_hash_is_refused_at_start(tmp_path: Path) -> None:
    path = tmp_path / "ops.json"
    path.write_bytes(orjson.dumps({"0" * 64: AD_HOC}))
    with pytest.raises(ValueError, match="does not match"):
        PersistedOperations.load(path)


async def test_a_persisted_operation_runs_by_its_hash(guarded: Guarded) -> None:
    status, body = await guarded.post(by_hash(PROFILE_HASH, {"cpr": ANNE, "purpose": "PLANNING"}))
    assert status == 200
    assert body["data"]["youth"]["identity"]["firstName"] == "Anne"


async def test_the_batch_runs_by_its_hash(guarded: Guarded) -> None:
    status, body = await guarded.post(
        by_hash(BATCH_HASH, {"cprs": [ANNE], "purpose": "CASE_RECORD"}), who="fagsystem"
    )
    assert status == 200 and body["data"]["youths"][0]["cpr"] == ANNE


@pytest.mark.parametrize(
    ("request_body", "code"),
    [
        (by_hash("ab" * 32, {}), "PERSISTED_QUERY_NOT_FOUND"),
        (by_hash(PROFILE_HASH, {}, version=2), "BAD_USER_INPUT"),
        ({"extensions": {"persistedQuery": {"version": 1}}}, "BAD_USER_INPUT"),
        ({"extensions": {"persistedQuery": "yes"}}, "BAD_USER_INPUT"),
        # A query sent with someone else's hash: mismatch, never stored.
        ({"query": AD_HOC, **by_hash(PROFILE_HASH, {"c": ANNE})}, "BAD_USER_INPUT"),
    ],
)
async def test_bad_persisted_requests_are_refused(
    guarded: Guarded, request_body: dict[str, Any], code: str
) -> None:
    status, body = await guarded.post(request_body)
    assert status == 400
    assert body["errors"][0]["extensions"]["code"] == code
    assert guarded.untouched()


async def test_a_query_sent_with_its_own_hash_runs_but_is_not_stored(guarded: Guarded) -> None:
    request = {"query": AD_HOC, **by_hash(operation_hash(AD_HOC), {"c": ANNE})}
    status, body = await guarded.post(request)
    assert status == 200 and body["data"]["youth"]["identity"]["age"] > 0
    status, body = await guarded.post(by_hash(operation_hash(AD_HOC), {"c": ANNE}))
    assert body["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


async def test_trusted_only_runs_nothing_but_the_list(make_guarded: Any) -> None:
    guarded: Guarded = await make_guarded(trusted_operations_only=True)
    for request in (
        {"query": AD_HOC, "variables": {"c": ANNE}},
        {"query": AD_HOC, **by_hash(operation_hash(AD_HOC), {"c": ANNE})},
        {"query": SHIPPED[PROFILE_HASH] + " ", "variables": {"cpr": ANNE, "purpose": "PLANNING"}},
    ):
        status, body = await guarded.post(request)
        assert status == 400
        assert body["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert guarded.untouched()
    variables = {"cpr": ANNE, "purpose": "PLANNING"}
    status, body = await guarded.post(by_hash(PROFILE_HASH, variables))
    assert status == 200 and body["data"]["youth"]["cpr"] == ANNE
    status, body = await guarded.post({"query": SHIPPED[PROFILE_HASH], "variables": variables})
    assert status == 200 and body["data"]["youth"]["cpr"] == ANNE


async def test_a_custom_operations_file(make_guarded: Any, tmp_path: Path) -> None:
    path = tmp_path / "ops.json"
    path.write_bytes(orjson.dumps({operation_hash(AD_HOC): AD_HOC}))
    guarded: Guarded = await make_guarded(
        persisted_operations_file=str(path), trusted_operations_only=True
    )
    status, body = await guarded.post(by_hash(operation_hash(AD_HOC), {"c": ANNE}))
    assert status == 200 and body["data"]["youth"]["identity"]["age"] > 0
    status, body = await guarded.post(by_hash(PROFILE_HASH, {"cpr": ANNE, "purpose": "PLANNING"}))
    assert body["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


def test_the_settings_and_the_serve_flag(monkeypatch: pytest.MonkeyPatch) -> None:
    env = {"TRUSTED_OPERATIONS_ONLY": "true", "PERSISTED_OPERATIONS_FILE": "/x.json"}
    settings = from_environment(env)
    assert settings.trusted_operations_only and settings.persisted_operations_file == "/x.json"
    assert not from_environment({}).trusted_operations_only
    started: list[dict[str, str]] = []
    monkeypatch.setattr(cli, "_run_gateway", lambda env, *args, **kw: started.append(env))
    monkeypatch.setattr(cli, "_port_problem", lambda host, port: None)
    monkeypatch.setenv("JWKS_FILE", "/etc/ungeprofil/jwks.json")  # production keys named
    cli._serve(cli._parser().parse_args(["serve", "--trusted-only"]))
    cli._serve(cli._parser().parse_args(["serve"]))
    assert started == [{"TRUSTED_OPERATIONS_ONLY": "true"}, {}]
