"""Holes an attacker found in the landed gateway (issue 13), each shut and kept shut, through the
app's HTTP endpoint against the mock registers: a cost limit that did not count a variable's
default, aliases that became metric labels, a young person's token whose `sub` was no
normalised CPR (its register 400s opened the breakers for everyone), an audit cursor too large
for the store's column, and /readyz answering 503 for one register down."""

from __future__ import annotations

import base64
import re
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import parse

from gateway.app import create_app
from gateway.audit.records import InvalidCursor, decode_cursor, encode_cursor
from gateway.settings import Settings
from tests.conftest import REFERENCE_DATE
from tests.e2e.conftest import ANNE, PEOPLE, Client
from tests.security.conftest import Guarded, fill
from tests.security.test_limits import SCHEMA

# --- the cost of a variable's default --------------------------------------------------------

CPRS_500 = ", ".join(f'"{ANNE}"' for _ in range(500))
TWELVE_BATCHES = fill(
    "query($c: [CPR!]! = [%s]) { %s }",
    CPRS_500,
    " ".join(
        f"a{i}: youths(cprs: $c, purpose: CASE_RECORD) {{ cpr identity {{ age }} }}"
        for i in range(12)
    ),
)


def test_a_variable_default_costs_what_the_same_variable_costs() -> None:
    from gateway.limits import query_cost

    query = fill(
        "query($c: [CPR!]! = [%s, %s, %s]) { youths(cprs: $c, purpose: CASE_RECORD) "
        "{ identity { age } } }",
        f'"{ANNE}"',
        f'"{ANNE}"',
        f'"{ANNE}"',
    )
    document = parse(query)
    assert query_cost(SCHEMA, document, None, {}) == 3 * 2  # the default
    assert query_cost(SCHEMA, document, None, {"c": [ANNE]}) == 1 * 2  # a value sent wins
    page = "query($n: Int = 60) { caseload(purpose: PLANNING, first: $n) { edges { cursor } } }"
    assert query_cost(SCHEMA, parse(page), None, {}) == 60
    assert query_cost(SCHEMA, parse(TWELVE_BATCHES), None, {}) == 12 * 500 * 2


async def test_twelve_batches_from_a_default_are_refused_before_any_register_call(
    guarded: Guarded,
) -> None:
    status, body = await guarded.post({"query": TWELVE_BATCHES}, who="fagsystem")
    assert status == 400, str(body)[:300]
    assert body["errors"][0]["extensions"] == {"code": "QUERY_TOO_COMPLEX", "limit": "cost"}
    assert guarded.untouched()


# --- aliases are no metric labels --------------------------------------------------------------

OPERATION_LABEL = re.compile(r'ungeprofil_graphql_operation_seconds_count\{operation="([^"]*)"\}')


async def test_aliases_never_become_metric_labels(guarded: Guarded) -> None:
    http = guarded.client.http
    for i in range(300):
        status, _ = await guarded.post({"query": f"{{ alias{i}: __typename }}"})
        assert status == 200
    status, body = await guarded.post({"query": "{ mine: me { cpr } }"}, who="anne")
    assert status == 200 and body["data"]["mine"]["cpr"] == ANNE
    metrics = (await http.get("/metrics")).text
    labels = set(OPERATION_LABEL.findall(metrics))
    query_fields = set(SCHEMA.query_type.fields) if SCHEMA.query_type else set()
    assert "me" in labels and "other" in labels, labels
    assert labels <= query_fields | {"other", "none"}, labels
    assert not any(label.startswith("alias") or label == "mine" for label in labels)
    assert len(metrics) < 40_000, len(metrics)


# --- a young person's sub --------------------------------------------------------------------


@pytest.fixture
async def make_app(
    mocks: Any, token: Callable[..., str], state_dir: Path
) -> AsyncIterator[Callable[..., Any]]:
    """The app with the settings given (a real audit store by URL, unlike `make_guarded`)."""
    opened: list[tuple[Any, httpx.AsyncClient]] = []

    async def make(**overrides: Any) -> Client:
        settings = Settings(
            register_urls=mocks.urls, state_dir=state_dir, cache_ttl=0.0, facts_ttl=0.0
        ).with_(**overrides)
        app = create_app(settings, today=lambda: REFERENCE_DATE)
        lifespan = app.router.lifespan_context(app)
        await lifespan.__aenter__()
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw")
        opened.append((lifespan, http))
        tokens = {who: token(**p) for who, p in PEOPLE.items()}
        tokens["anne-hyphen"] = token(sub="150304-4112", role="youth", name="Anne Jensen")
        return Client(http=http, app=app, tokens=tokens)

    yield make
    for lifespan, http in opened:
        await http.aclose()
        await lifespan.__aexit__(None, None, None)


def breakers_open(client: Client) -> dict[str, float]:
    registry = client.app.state.gateway.metrics.registry
    return {
        sample.labels["register"]: sample.value
        for metric in registry.collect()
        if metric.name == "ungeprofil_register_circuit_open"
        for sample in metric.samples
        if sample.value
    }


ME = "{ me { cpr identity { firstName } schooling { courses { type } } grades { year } } }"


async def test_a_youth_sub_with_a_hyphen_is_normalised_and_opens_no_breaker(
    make_app: Callable[..., Any], tmp_path: Path
) -> None:
    client: Client = await make_app(
        audit_url=f"sqlite:///{tmp_path / 'audit.sqlite3'}", breaker_failures=3
    )
    for _ in range(6):  # twice what opens a breaker
        body = await client.query("anne-hyphen", ME)
        assert body["_status"] == 200, body
        assert body["data"]["me"]["cpr"] == ANNE, body
        assert body["data"]["me"]["identity"]["firstName"] == "Anne", body
    assert breakers_open(client) == {}
    # Everyone else is served as before.
    body = await client.query(
        "jette",
        "query($c: CPR!) { youth(cpr: $c, purpose: PLANNING) { identity { firstName } } }",
        {"c": ANNE},
    )
    assert body["data"]["youth"]["identity"]["firstName"] == "Anne", body


# --- cursors too large for the store -----------------------------------------------------------

HUGE_CURSOR = base64.urlsafe_b64encode(b"audit:" + b"9" * 30).decode()
LOGS = {
    "henrik": "query($a: String) { auditLog(first: 5, after: $a) { edges { cursor } } }",
    "anne": "query($a: String) { myAccessLog(first: 5, after: $a) { edges { cursor } } }",
}


def test_a_cursor_is_ascii_digits_a_column_can_hold() -> None:
    assert decode_cursor(encode_cursor(2**63 - 1)) == 2**63 - 1
    for text in (b"audit:" + b"9" * 30, b"audit:" + "²".encode(), b"audit:-1", b"audit:"):
        with pytest.raises(InvalidCursor):
            decode_cursor(base64.urlsafe_b64encode(text).decode())
    with pytest.raises(InvalidCursor):
        decode_cursor("A" * 10_000)


@pytest.mark.parametrize("who", list(LOGS))
async def test_an_oversized_audit_cursor_is_bad_user_input(
    make_app: Callable[..., Any], tmp_path: Path, who: str
) -> None:
    client: Client = await make_app(audit_url=f"sqlite:///{tmp_path / 'audit.sqlite3'}")
    body = await client.query(who, LOGS[who], {"a": HUGE_CURSOR})
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    assert "unknown cursor" in error["message"]


# --- /readyz -----------------------------------------------------------------------------------


async def test_readyz_is_degraded_not_503_for_one_register_down(
    make_app: Callable[..., Any], mocks: Any
) -> None:
    urls = {**mocks.urls, "eindkomst": "http://127.0.0.1:9"}  # nothing listens on port 9
    client: Client = await make_app(register_urls=urls, audit_url="memory://")
    ready = await client.http.get("/readyz")
    assert ready.status_code == 200, ready.text
    body = ready.json()
    assert body["status"] == "degraded" and body["registersDown"] == ["eindkomst"]
    assert body["checks"]["eindkomst"] is False and body["checks"]["audit"] is True


async def test_readyz_is_503_without_registers(make_app: Callable[..., Any]) -> None:
    client: Client = await make_app(register_urls={}, audit_url="memory://")
    ready = await client.http.get("/readyz")
    assert ready.status_code == 503, ready.text
    assert ready.json()["status"] == "not ready" and "registers" in ready.json()["problems"]


async def test_readyz_is_ready_when_everything_answers(make_app: Callable[..., Any]) -> None:
    client: Client = await make_app(audit_url="memory://")
    ready = await client.http.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json()["status"] == "ready" and ready.json()["registersDown"] == []
