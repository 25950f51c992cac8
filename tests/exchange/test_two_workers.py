"""EXCHANGE.md scenario 9 and JOBNET.md scenario 5 with two workers: two `ungeprofil serve`
processes over one Redis and one PostgreSQL. An idempotency key used on one is replayed on the
other; a stream on one sees a write made through the other; a consent withdrawn through one
denies the contact person's next request on the other, every cache on."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx

from tests.e2e.conftest import ALI, JONAS
from tests.exchange.conftest import udb_latest_sequence
from tests.exchange.test_feed import STREAM, Stream
from tests.exchange.test_own_answers import CONSENT, JETTE_READS_HEALTH, health_code
from tests.exchange.test_writes import CONTACT_REPORT, DROPOUT, contact_input, risk_input
from tests.scale.test_two_processes import Pair, running_pair


async def ask(pair: Pair, which: int, who: str, query: str, variables: dict[str, Any]) -> Any:
    async with httpx.AsyncClient() as http:
        response = await pair.ask(http, which, who, query, variables)
    return response.json()


@contextlib.asynccontextmanager
async def stream_on(pair: Pair, which: int, who: str, after: str) -> AsyncIterator[Stream]:
    async with (
        httpx.AsyncClient(timeout=30) as http,
        http.stream(
            "POST",
            f"{pair.processes[which].url}/graphql",
            json={"query": STREAM, "variables": {"after": after}},
            headers={"Authorization": f"Bearer {pair.tokens[who]}", "Accept": "text/event-stream"},
        ) as response,
    ):
        assert response.status_code == 200
        yield Stream(response)


async def feed_end(pair: Pair, which: int, who: str) -> str:
    query = "query($a: String) { exchangeEvents(purpose: RETENTION, after: $a, first: 500)"
    query += " { pageInfo { hasNextPage endCursor } } }"
    cursor = None
    while True:
        page = (await ask(pair, which, who, query, {"a": cursor}))["data"]["exchangeEvents"]
        cursor = page["pageInfo"]["endCursor"]
        if not page["pageInfo"]["hasNextPage"]:
            return str(cursor)


async def test_two_workers_share_keys_streams_and_consent(
    mocks: Any, token: Any, state_dir: Path, tmp_path: Path
) -> None:
    async with running_pair(mocks, token, state_dir, tmp_path) as pair:
        # A key used on one worker is replayed on the other: same payload, no new event.
        report = contact_input(JONAS, phone="+4544556677")
        first = await ask(pair, 0, "maria", CONTACT_REPORT, {"input": report})
        assert first["data"]["institutionContactReport"]["changed"] is True, first
        events = udb_latest_sequence(mocks)
        replay = await ask(pair, 1, "maria", CONTACT_REPORT, {"input": report})
        assert replay["data"] == first["data"]
        assert udb_latest_sequence(mocks) == events

        # A stream on worker 0 sees a write made through worker 1.
        after = await feed_end(pair, 0, "jette")
        async with stream_on(pair, 0, "jette", after) as live:
            written = await ask(pair, 1, "maria", DROPOUT, {"input": risk_input(JONAS)})
            assert written["data"]["dropoutRiskReport"]["changed"] is True
            event = (await live.next(within=2.0))["data"]["exchangeEventAdded"]
        assert event["type"] == "DROPOUT_RISK_REPORTED" and event["cpr"] == JONAS

        # Consent through worker 0, the contact person's reads on worker 1 (caches on).
        denied = await ask(pair, 1, "jette", JETTE_READS_HEALTH, {"cpr": ALI})
        assert health_code(denied) == "FORBIDDEN"
        await ask(pair, 0, "ali", CONSENT, {"share": True})
        shown = await ask(pair, 1, "jette", JETTE_READS_HEALTH, {"cpr": ALI})
        assert shown["data"]["youth"]["health"] is not None, json.dumps(shown)
        withdrawn = await ask(pair, 0, "ali", CONSENT, {"share": False})
        assert withdrawn["data"]["healthConsentSet"]["changed"] is True
        after_withdrawal = await ask(pair, 1, "jette", JETTE_READS_HEALTH, {"cpr": ALI})
        assert after_withdrawal["data"]["youth"]["health"] is None
        assert health_code(after_withdrawal) == "FORBIDDEN"
