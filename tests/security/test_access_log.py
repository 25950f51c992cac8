"""One JSON access line per HTTP request — request id, route, operation, status, duration,
role, purposes, counts — and never a CPR, a token or a register URL in it, whatever the request
carried (a young person's token, whose `sub` is a CPR; CPRs in the body, the path and the
operation name; a bad token)."""

from __future__ import annotations

import logging
import re
from typing import Any

import orjson
import pytest

from gateway.logs import JsonLines
from tests.e2e.conftest import ALI, ANNE
from tests.security.conftest import Guarded, fill

CPR_LIKE = re.compile(r"(?<!\d)\d{6}-?\d{4}(?!\d)")
YOUTH = "query Profile($c: CPR!) { youth(cpr: $c, purpose: PLANNING) { identity { age } } }"


def access_lines(caplog: pytest.LogCaptureFixture) -> list[tuple[str, dict[str, Any]]]:
    formatter = JsonLines()
    lines = []
    for record in caplog.records:
        if record.name == "ungeprofil.access":
            text = formatter.format(record)
            lines.append((text, orjson.loads(text)))
    return lines


async def test_one_line_per_request_with_the_operation_and_no_personal_data(
    guarded: Guarded, mocks: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="ungeprofil.access")
    http = guarded.client.http
    tokens = guarded.client.tokens
    sent: list[str] = []

    async def post(who: str | None, body: Any, **headers: str) -> None:
        auth = {"Authorization": f"Bearer {tokens[who]}"} if who else {}
        await http.post("/graphql", json=body, headers={**auth, **headers})
        sent.append(tokens[who] if who else "")

    await post("jette", {"query": YOUTH, "variables": {"c": ANNE}})
    await post("anne", {"query": "{ mine: me { cpr identity { firstName } } }"})
    await post(
        "fagsystem",
        {
            "query": fill(
                'query cpr_1503044112 { youths(cprs: ["%s", "%s"], purpose: CASE_RECORD) { cpr } }',
                ANNE,
                ALI,
            ),
            "operationName": "cpr_1503044112",
        },
    )
    await post(None, {"query": YOUTH, "variables": {"c": ANNE}}, Authorization="Bearer x.y.z")
    await post("jette", {"query": YOUTH, "variables": {"c": "1503044112x"}})
    await http.get(f"/{ANNE}")
    await http.get("/healthz")

    lines = access_lines(caplog)
    assert len(lines) == 7, [line for line, _ in lines]
    profile, me, batch, unauthenticated, bad, not_found, health = (fields for _, fields in lines)
    assert profile["route"] == "/graphql" and profile["status"] == 200
    assert profile["operation"] == "youth" and profile["operationName"] == "Profile"
    assert profile["role"] == "contact_person" and profile["purposes"] == ["PLANNING"]
    assert profile["youngPeople"] == 1 and profile["allowed"] >= 1
    assert re.fullmatch(r"[a-p]{32}", profile["requestId"]) and profile["durationMs"] >= 0
    assert me["operation"] == "me" and me["role"] == "youth" and me["youngPeople"] == 1
    assert batch["operation"] == "youths" and batch["youngPeople"] == 2
    assert batch["operationName"] == "cpr_[cpr]"
    assert unauthenticated["status"] == 401 and "role" not in unauthenticated
    assert bad["status"] == 400 and bad["errors"] >= 1
    assert not_found["route"] == "other" and not_found["status"] == 404
    assert health["route"] == "/healthz" and health["status"] == 200
    for text, _ in lines:
        # A request id is written in letters (gateway/core/session.py): nothing to skip.
        assert not CPR_LIKE.search(text), text
        assert "http://" not in text and not any(url in text for url in mocks.urls.values())
        assert not any(token and token[:40] in text for token in sent), text
        assert "Bearer" not in text
