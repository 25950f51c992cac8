"""EXCHANGE.md's feed scenarios: a case system's cursor feed, and a live screen's stream over
GraphQL-over-SSE, served by uvicorn on a loopback port (SSE needs a real stream)."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import datetime as dt
import json
import socket
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from gateway.auth import sign_demo_token
from gateway.settings import AUDIENCE, DEMO_ISSUER
from tests.e2e.conftest import ALI, JONAS, Client
from tests.exchange.test_writes import DROPOUT, risk_input

FEED = """
query Feed($after: String, $first: Int!) {
  exchangeEvents(purpose: CASE_RECORD, after: $after, first: $first) {
    edges { cursor node { id type cpr withinFirstSixMonths beforeFirstAbsenceLetter } }
    pageInfo { hasNextPage endCursor }
  }
}"""

STREAM = """
subscription Live($after: String) {
  exchangeEventAdded(purpose: RETENTION, after: $after) {
    id cursor type cpr reasons withinFirstSixMonths beforeFirstAbsenceLetter
  }
}"""


@contextlib.asynccontextmanager
async def served(client: Client) -> AsyncIterator[str]:
    """The client's app (its lifespan already running) on a loopback port."""
    # Bound and listening before the server runs: a client's connection waits in the backlog,
    # so nobody has to wait for the server to start.
    sock = socket.create_server(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(client.app, lifespan="off", log_level="error"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


class Stream:
    """One GraphQL-over-SSE subscription: `next()` is the next event's payload."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self._lines = response.aiter_lines()

    async def next(self, within: float = 5.0) -> dict[str, Any]:
        async with asyncio.timeout(within):
            event = None
            async for line in self._lines:
                if line.startswith("event: "):
                    event = line.removeprefix("event: ")
                elif line.startswith("data: ") and event == "next":
                    payload: dict[str, Any] = json.loads(line.removeprefix("data: "))
                    return payload
                elif event == "complete":
                    raise EOFError("the stream completed")
        raise EOFError("the stream ended")


@contextlib.asynccontextmanager
async def stream(base: str, token: str, after: str | None = None) -> AsyncIterator[Stream]:
    async with (
        httpx.AsyncClient(base_url=base, timeout=30) as http,
        http.stream(
            "POST",
            "/graphql",
            json={"query": STREAM, "variables": {"after": after}},
            headers={"Authorization": f"Bearer {token}", "Accept": "text/event-stream"},
        ) as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        yield Stream(response)


async def now(client: Client, who: str, purpose: str) -> str:
    """The feed's end for this reader: a stream from it misses nothing written after, however
    long it takes to start listening (its replay covers the gap)."""
    query = "query($p: Purpose!, $a: String) { exchangeEvents(purpose: $p, after: $a, first: 500)"
    query += " { pageInfo { hasNextPage endCursor } } }"
    cursor = None
    while True:
        body = await client.query(who, query, {"p": purpose, "a": cursor})
        page = body["data"]["exchangeEvents"]["pageInfo"]
        cursor = page["endCursor"]
        if not page["hasNextPage"]:
            return str(cursor)


async def test_dropout_risk_reaches_the_stream_and_the_feed(
    make_client: Callable[..., Any],
) -> None:
    """Scenario 2: Maria reports ABSENCE for Jonas before the first absence letter; Jette's
    stream has it within 2 s with both flags; fagsystem-101's feed has the same event once,
    and its old cursor replays it."""
    client: Client = await make_client()
    feed_cursor = await now(client, "fagsystem", "CASE_RECORD")
    jette_cursor = await now(client, "jette", "RETENTION")
    async with served(client) as base, stream(base, client.tokens["jette"], jette_cursor) as live:
        sent = time.perf_counter()
        body = await client.query("maria", DROPOUT, {"input": risk_input(JONAS)})
        assert body["data"]["dropoutRiskReport"]["changed"] is True
        event = (await live.next(within=2.0))["data"]["exchangeEventAdded"]
        arrived = time.perf_counter() - sent
    assert arrived < 2.0
    assert event["type"] == "DROPOUT_RISK_REPORTED" and event["cpr"] == JONAS
    assert event["reasons"] == ["ABSENCE"]
    assert event["withinFirstSixMonths"] is True and event["beforeFirstAbsenceLetter"] is True

    polled = await client.query("fagsystem", FEED, {"first": 500, "after": feed_cursor})
    edges = polled["data"]["exchangeEvents"]["edges"]
    assert [e["node"]["id"] for e in edges] == [event["id"]]
    replay = await client.query("fagsystem", FEED, {"first": 500, "after": feed_cursor})
    assert [e["node"]["id"] for e in replay["data"]["exchangeEvents"]["edges"]] == [event["id"]]


async def test_a_dropped_stream_resumes_from_its_cursor_exactly_once(
    make_client: Callable[..., Any],
) -> None:
    """Scenario 3: drop the stream, report again, reconnect from the last cursor: the event
    arrives once, and nothing before it again."""
    client: Client = await make_client()
    async with served(client) as base:
        async with stream(
            base, client.tokens["jette"], await now(client, "jette", "RETENTION")
        ) as live:
            await client.query("maria", DROPOUT, {"input": risk_input(JONAS)})
            first = (await live.next())["data"]["exchangeEventAdded"]
        missed = await client.query(
            "maria", DROPOUT, {"input": risk_input(JONAS, reasons=["CONDUCT"])}
        )
        assert missed["data"]["dropoutRiskReport"]["changed"] is True
        async with stream(base, client.tokens["jette"], after=first["cursor"]) as resumed:
            again = (await resumed.next())["data"]["exchangeEventAdded"]
            assert again["reasons"] == ["CONDUCT"] and again["id"] != first["id"]
            await client.query("maria", DROPOUT, {"input": risk_input(JONAS, reasons=["OTHER"])})
            live_one = (await resumed.next())["data"]["exchangeEventAdded"]
            assert live_one["reasons"] == ["OTHER"]


async def test_events_of_others_are_skipped_and_reads_are_audited(
    make_client: Callable[..., Any],
) -> None:
    """Lars (Aarhus) polls the feed: nothing of København's young people, not even a count;
    fagsystem-101's read of an event is journalled as a read of its category."""
    from gateway.audit.memory import MemoryAuditStore

    audit = MemoryAuditStore()
    client: Client = await make_client(audit=audit)
    await client.query("maria", DROPOUT, {"input": risk_input(JONAS)})
    lars = await client.query(
        "lars",
        "{ exchangeEvents(purpose: PLANNING, first: 500) { edges { node { cpr } } } }",
    )
    cprs = {e["node"]["cpr"] for e in lars["data"]["exchangeEvents"]["edges"]}
    assert JONAS not in cprs and ALI not in cprs
    before = len(audit.records)
    await client.query("fagsystem", FEED, {"first": 500})
    reads = [r for r in audit.records[before:] if r.cpr == JONAS]
    assert reads and all(r.kind == "category_read" for r in reads)
    assert "dropout_risk" in {r.category for r in reads}


async def test_bad_and_expired_cursors(make_client: Callable[..., Any]) -> None:
    client: Client = await make_client()
    bad = await client.query("fagsystem", FEED, {"first": 5, "after": JONAS})
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    # Sequence 0 is older than the 400 days UDB keeps (Ali's events from 2017 are gone).
    for position in (b"udb-event:0", b"udb-event:999999999"):
        after = base64.urlsafe_b64encode(position).decode()
        expired = await client.query("fagsystem", FEED, {"first": 5, "after": after})
        assert expired["errors"][0]["extensions"]["code"] == "CURSOR_EXPIRED"


async def test_a_stream_ends_when_its_token_does(
    make_client: Callable[..., Any], state_dir: Path
) -> None:
    """The stream's last frame is UNAUTHENTICATED once the token has expired."""
    client: Client = await make_client()
    short = sign_demo_token(
        state_dir,
        sub="jette.hansen",
        role="contact_person",
        municipality="101",
        issuer=DEMO_ISSUER,
        audience=AUDIENCE,
        lifetime=dt.timedelta(seconds=1),
    )
    async with served(client) as base, stream(base, short) as live:
        ended = await live.next(within=5.0)
    assert ended["data"] is None
    assert ended["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_stream_sends_nothing_while_the_audit_log_is_down(
    make_client: Callable[..., Any],
) -> None:
    """An event is journalled before it is sent: with the audit store down the stream's frame
    is AUDIT_UNAVAILABLE with no data, and the stream ends."""
    from gateway.audit.memory import FailingAuditStore

    store = FailingAuditStore(failing=False)
    client: Client = await make_client(audit=store)
    after = await now(client, "jette", "RETENTION")
    await client.query("maria", DROPOUT, {"input": risk_input(JONAS)})
    store.failing = True
    async with served(client) as base, stream(base, client.tokens["jette"], after) as live:
        frame = await live.next()
        with pytest.raises(EOFError):
            await live.next()
    assert frame["data"] is None
    assert [e["extensions"]["code"] for e in frame["errors"]] == ["AUDIT_UNAVAILABLE"]
    assert JONAS not in json.dumps(frame)
