"""Production mode (`ungeprofil serve` without --demo) against demo mode: introspection,
suggestions, GraphiQL, and the security headers on every response."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from gateway.security import BASE_HEADERS, DEMO_PAGE_CSP, STRICT_CSP
from tests.e2e.conftest import ANNE
from tests.security.conftest import Guarded, fill

TYPO_FIELD = {"query": fill('{ youth(cpr: "%s", purpose: PLANNING) { identiy { age } } }', ANNE)}
TYPO_ENUM = {
    "query": fill('query($p: Purpose!) { youth(cpr: "%s", purpose: $p) { cpr } }', ANNE),
    "variables": {"p": "PLANING"},
}
INTROSPECTION = {"query": "{ __schema { queryType { name } } }"}


async def responses(guarded: Guarded) -> dict[str, httpx.Response]:
    http = guarded.client.http
    auth = {"Authorization": f"Bearer {guarded.client.tokens['jette']}"}
    return {
        "graphql 200": await http.post("/graphql", json={"query": "{ __typename }"}, headers=auth),
        "graphql 400": await http.post("/graphql", json={"query": "{"}, headers=auth),
        "graphql 401": await http.post("/graphql", json={"query": "{ __typename }"}),
        "graphql 413": await http.post(
            "/graphql", content=b"x" * 70_000, headers={**auth, "Content-Type": "application/json"}
        ),
        "graphql 415": await http.post("/graphql", content=b"{}", headers=auth),
        "graphql GET": await http.get("/graphql"),
        "healthz": await http.get("/healthz"),
        "metrics": await http.get("/metrics"),
        "not found": await http.get("/nowhere"),
    }


async def test_every_response_carries_the_security_headers(guarded: Guarded) -> None:
    for name, response in (await responses(guarded)).items():
        for header, value in BASE_HEADERS.items():
            assert response.headers.get(header) == value, (name, header)
        assert response.headers.get("Content-Security-Policy") == STRICT_CSP, name
        assert "Strict-Transport-Security" not in response.headers, name


async def test_hsts_is_sent_when_configured(make_guarded: Any) -> None:
    guarded: Guarded = await make_guarded(hsts_max_age=31_536_000)
    for name, response in (await responses(guarded)).items():
        assert (
            response.headers.get("Strict-Transport-Security")
            == "max-age=31536000; includeSubDomains"
        ), name


async def test_demo_mode_serves_graphiql_with_its_own_csp(make_guarded: Any) -> None:
    guarded: Guarded = await make_guarded(demo=True)
    found = await responses(guarded)
    page = found.pop("graphql GET")
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    # Scripts from the gateway only (gateway/graphiql.py): tests/security/test_graphiql.py
    assert page.headers["Content-Security-Policy"] == DEMO_PAGE_CSP
    assert page.headers["X-Frame-Options"] == "DENY"
    for name, response in found.items():
        assert response.headers.get("Content-Security-Policy") == STRICT_CSP, name


async def test_production_has_no_introspection_and_no_suggestions(guarded: Guarded) -> None:
    status, body = await guarded.post(INTROSPECTION)
    assert status == 400 and "introspection has been disabled" in body["errors"][0]["message"]
    for request in (TYPO_FIELD, TYPO_ENUM):
        status, body = await guarded.post(request)
        assert status == 400
        message = body["errors"][0]["message"]
        assert "Did you mean" not in message and "identity" not in message
        assert "PLANNING" not in message, message
    status, body = await guarded.post({"query": "{ __typename }"})
    assert body == {"data": {"__typename": "Query"}}  # __typename is not introspection
    assert guarded.untouched()


async def test_demo_mode_keeps_introspection_and_suggestions(make_guarded: Any) -> None:
    guarded: Guarded = await make_guarded(demo=True)
    status, body = await guarded.post(INTROSPECTION)
    assert status == 200 and body["data"]["__schema"]["queryType"]["name"] == "Query"
    status, body = await guarded.post(TYPO_FIELD)
    assert "Did you mean 'identity'?" in body["errors"][0]["message"]
    status, body = await guarded.post(TYPO_ENUM)
    assert "Did you mean the enum value 'PLANNING'?" in body["errors"][0]["message"]


@pytest.mark.parametrize("demo", [False, True])
async def test_a_repeated_query_is_parsed_and_validated_once(make_guarded: Any, demo: bool) -> None:
    guarded: Guarded = await make_guarded(demo=demo)
    guard = guarded.client.app.state.gateway.guard
    query = {
        "query": fill('{ youth(cpr: "%s", purpose: PLANNING) { cpr identity { age } } }', ANNE)
    }
    for _ in range(3):
        status, body = await guarded.post(query)
        assert status == 200 and body["data"]["youth"]["cpr"] == ANNE
    assert (guard.misses, guard.hits) == (1, 2)


async def test_a_document_with_several_operations_runs_the_named_one(guarded: Guarded) -> None:
    document = "query A { __typename } query B { b: __typename }"
    status, body = await guarded.post({"query": document, "operationName": "B"})
    assert (status, body) == (200, {"data": {"b": "Query"}})
    status, body = await guarded.post({"query": document})
    assert status == 400 and "operationName" in body["errors"][0]["message"]
