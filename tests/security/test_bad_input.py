"""Hostile and malformed input, over HTTP: each gets BAD_USER_INPUT, QUERY_TOO_COMPLEX or the
right HTTP status — and no register is called, no audit record written, no CPR echoed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import orjson
import pytest

from tests.e2e.conftest import ANNE
from tests.e2e.queries import ALL_FIELDS
from tests.security.conftest import Guarded, fill

YOUTH = (
    "query($cpr: CPR!, $purpose: Purpose!) "
    "{ youth(cpr: $cpr, purpose: $purpose) { cpr identity { firstName } } }"
)
YOUTHS = "query($cprs: [CPR!]!) { youths(cprs: $cprs, purpose: CASE_RECORD) { cpr } }"
CASELOAD = "query($n: Int) { caseload(purpose: PLANNING, first: $n) { edges { cursor } } }"
CPR_LIKE = re.compile(r"(?<!\d)\d{6}-?\d{4}(?!\d)")
JSON = {"Content-Type": "application/json"}


@dataclass
class Case:
    status: int
    code: str
    body: Any = None
    content: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    limit: str | None = None
    who: str = "jette"


def youth(cpr: Any, purpose: Any = "PLANNING") -> dict[str, Any]:
    return {"query": YOUTH, "variables": {"cpr": cpr, "purpose": purpose}}


def literal(arguments: str, selection: str = "cpr") -> dict[str, Any]:
    return {"query": fill("{ youth(%s) { %s } }", arguments, selection)}


def raw(content: bytes, content_type: str | None = "application/json") -> dict[str, Any]:
    return {"content": content, "headers": {"Content-Type": content_type} if content_type else {}}


BAD = "BAD_USER_INPUT"
COMPLEX = "QUERY_TOO_COMPLEX"
EVERYTHING = " ".join(f"{f} {{ __typename }}" for f in ALL_FIELDS)

CASES: dict[str, Case] = {
    # --- malformed CPR numbers (variables and literals) ---
    "cpr with letters": Case(400, BAD, youth("15O3044112")),
    "cpr of 9 digits": Case(400, BAD, youth("150304411")),
    "cpr of 11 digits": Case(400, BAD, youth("15030441120")),
    "cpr with an impossible date": Case(400, BAD, youth("3102041234")),
    "cpr with day 00": Case(400, BAD, youth("0003044112")),
    "cpr hyphen in the wrong place": Case(400, BAD, youth("15030-44112")),
    "cpr with two hyphens": Case(400, BAD, youth("150304--4112")),
    "cpr in Arabic-Indic digits": Case(400, BAD, youth("١٥٠٣٠٤٤١١٢")),
    "cpr in full-width digits": Case(400, BAD, youth("１５０３０４４１１２")),
    "cpr null": Case(400, BAD, youth(None)),
    "cpr as a number": Case(400, BAD, youth(1503044112)),
    "cpr as a list": Case(400, BAD, youth([ANNE])),
    "cpr as an object": Case(400, BAD, youth({"cpr": ANNE})),
    "cpr empty": Case(400, BAD, youth("")),
    "cpr huge string": Case(400, BAD, youth("1" * 60_000)),
    "cpr literal number": Case(400, BAD, literal(f"cpr: {ANNE}, purpose: PLANNING")),
    "cpr literal letters": Case(400, BAD, literal('cpr: "abc", purpose: PLANNING')),
    "cprs with one bad entry": Case(
        400, BAD, {"query": YOUTHS, "variables": {"cprs": [ANNE, "12345"]}}, who="fagsystem"
    ),
    "cprs as an object": Case(
        400, BAD, {"query": YOUTHS, "variables": {"cprs": {"a": ANNE}}}, who="fagsystem"
    ),
    # --- purposes and enums ---
    "unknown purpose": Case(400, BAD, youth(ANNE, "PLANING")),
    "purpose in lower case": Case(400, BAD, youth(ANNE, "planning")),
    "purpose that looks like a cpr": Case(400, BAD, youth(ANNE, ANNE)),
    "purpose as a number": Case(400, BAD, youth(ANNE, 3)),
    "purpose literal unknown": Case(400, BAD, literal(f'cpr: "{ANNE}", purpose: HACKING')),
    "purpose literal as a string": Case(400, BAD, literal(f'cpr: "{ANNE}", purpose: "PLANNING"')),
    "purpose missing": Case(400, BAD, literal(f'cpr: "{ANNE}"')),
    # --- wrong variable types and shapes ---
    "first as a string": Case(400, BAD, {"query": CASELOAD, "variables": {"n": "ten"}}),
    "first beyond 32 bits": Case(400, BAD, {"query": CASELOAD, "variables": {"n": 2**40}}),
    "first over the page cap": Case(200, BAD, {"query": CASELOAD, "variables": {"n": 101}}),
    "first negative": Case(200, BAD, {"query": CASELOAD, "variables": {"n": -1}}),
    "youths over the batch cap": Case(
        200, BAD, {"query": YOUTHS, "variables": {"cprs": [ANNE] * 501}}, who="fagsystem"
    ),
    "missing required variable": Case(400, BAD, {"query": YOUTH, "variables": {"cpr": ANNE}}),
    "variables as a list": Case(400, BAD, {"query": YOUTH, "variables": [ANNE]}),
    "variables as a string": Case(400, BAD, {"query": YOUTH, "variables": ANNE}),
    "operationName as a number": Case(400, BAD, {"query": YOUTH, "operationName": 1}),
    "unknown operationName": Case(
        400, BAD, {"query": "query A { me { cpr } }", "operationName": "B"}
    ),
    "two operations and no name": Case(
        400, BAD, {"query": "query A { me { cpr } } query B { me { cpr } }"}
    ),
    "only a fragment": Case(400, BAD, {"query": "fragment F on Youth { cpr }"}),
    "a mutation": Case(400, BAD, {"query": "mutation { youth { cpr } }"}),
    # Subscriptions are served as GraphQL over SSE only (Accept: text/event-stream).
    "a subscription as JSON": Case(
        406, BAD, {"query": "subscription { exchangeEventAdded(purpose: RETENTION) { id } }"}
    ),
    "unknown field": Case(400, BAD, literal(f'cpr: "{ANNE}", purpose: PLANNING', "cpr identiy")),
    "introspection in production": Case(400, BAD, {"query": "{ __schema { types { name } } }"}),
    "__type in production": Case(400, BAD, {"query": '{ __type(name: "Youth") { name } }'}),
    "syntax error": Case(400, BAD, {"query": "{ youth(cpr: "}),
    "query is a number": Case(400, BAD, {"query": 42}),
    "query empty": Case(400, BAD, {"query": "   "}),
    "no query": Case(400, BAD, {"variables": {}}),
    # --- the HTTP envelope ---
    "invalid JSON": Case(400, BAD, **raw(b'{"query": "{ me { cpr } }"')),
    "empty body": Case(400, BAD, **raw(b"")),
    "JSON string body": Case(400, BAD, **raw(b'"{ me { cpr } }"')),
    "batched operations": Case(
        400, BAD, **raw(orjson.dumps([{"query": "{ me { cpr } }"}, {"query": "{ me { cpr } }"}]))
    ),
    "text/plain": Case(415, BAD, **raw(b'{"query": "{ __typename }"}', "text/plain")),
    "form encoded": Case(
        415, BAD, **raw(b"query=%7B__typename%7D", "application/x-www-form-urlencoded")
    ),
    "application/graphql": Case(415, BAD, **raw(b"{ __typename }", "application/graphql")),
    "no content type": Case(415, BAD, **raw(b'{"query": "{ __typename }"}', None)),
    "body over the cap": Case(413, BAD, youth("1" * 70_000)),
    "JSON nested 10,000 deep": Case(400, BAD, **raw(b"[" * 10_000 + b"]" * 10_000)),
    # --- expensive queries ---
    "too deep": Case(
        400, COMPLEX, {"query": "{ " + "a { " * 12 + "b" + " }" * 12 + " }"}, limit="depth"
    ),
    "too many aliases": Case(
        400,
        COMPLEX,
        {"query": fill("{ %s }", " ".join(f"a{i}: __typename" for i in range(16)))},
        limit="aliases",
    ),
    "too many directives": Case(
        400,
        COMPLEX,
        literal(f'cpr: "{ANNE}", purpose: PLANNING', "cpr" + " @include(if: true)" * 21),
        limit="directives",
    ),
    "one field many times": Case(
        400,
        COMPLEX,
        literal(f'cpr: "{ANNE}", purpose: PLANNING', "cpr " * 6),
        limit="repeatedFields",
    ),
    "too many tokens": Case(
        400, COMPLEX, {"query": "{ " + "__typename " * 2100 + "}"}, limit="tokens"
    ),
    "too many comments": Case(
        400, COMPLEX, {"query": "{ __typename " + "#\n" * 2100 + "}"}, limit="tokens"
    ),
    "two full batches": Case(
        400,
        COMPLEX,
        {
            "query": fill(
                "query($c: [CPR!]!) { a: youths(cprs: $c, purpose: CASE_RECORD) { %s } "
                "b: youths(cprs: $c, purpose: CASE_RECORD) { %s } }",
                EVERYTHING,
                EVERYTHING,
            ),
            "variables": {"c": [ANNE] * 500},
        },
        limit="cost",
        who="fagsystem",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
async def test_bad_input_is_refused_before_anything_happens(guarded: Guarded, name: str) -> None:
    case = CASES[name]
    headers = case.headers if case.content is not None else {}
    status, body, text = await guarded.exchange(
        case.body, content=case.content, headers=headers, who=case.who
    )
    assert status == case.status, text[:500]
    error = body["errors"][0]
    assert error["extensions"]["code"] == case.code, error
    if case.limit is not None:
        assert error["extensions"]["limit"] == case.limit
    assert guarded.untouched(), "a register was called or an audit record written"
    # Nothing of the input comes back as a CPR, and no schema hints in production.
    assert not CPR_LIKE.search(text), text[:500]
    assert "Did you mean" not in text
    assert "Traceback" not in text and "http://" not in text


async def test_get_is_not_graphql_in_production(guarded: Guarded) -> None:
    response = await guarded.client.http.get("/graphql", params={"query": "{ __typename }"})
    assert response.status_code == 405
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "graphiql" not in response.text.lower()
