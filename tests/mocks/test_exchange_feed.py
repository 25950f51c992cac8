"""UDB's event feed and what every write shares: one gap-free sekvens, the long-poll, retention
(410), x-requestId (412) and the fault knobs."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, date, datetime, timedelta

import pytest

from mocks.state.clock import MockClock
from mocks.state.events import EventLog
from mocks.wire import StarError
from tests.mocks.conftest import ALI, ANNE, EMIL, JONAS
from tests.mocks.exchange_helpers import MARIA, dropout_risk, headers, support_need

FEED = "/udb/v1/haendelser"


async def until_waiting(udb, readers: int = 1) -> None:
    """Yield to the event loop until `readers` polls are blocked in the log (no timed sleep)."""
    while udb.live.state.log.waiting < readers:  # noqa: ASYNC110 - a yield, not a timed wait
        await asyncio.sleep(0)


async def test_the_seeded_history_is_kept_400_days_and_older_cursors_are_refused(writable):
    udb = writable("udb")
    log = udb.live.state.log
    # Ali's interrupted courses of 2017 and 2021 are older than 400 days: gone from the log,
    # so sekvens 1 is no longer kept and a cursor of 0 has lost events.
    assert log.oldest > 1
    expired = await udb.read(FEED, efter=0)
    assert expired.status_code == 410
    assert expired.json() == {
        "fejlkode": 3001,
        "fejltekst": "Cursor expired",
        "aeldsteSekvens": log.oldest,
    }
    start = await udb.read(FEED, efter=log.oldest - 1, antal=1000)
    assert start.status_code == 200
    body = start.json()
    assert [e["sekvens"] for e in body["haendelser"]] == list(range(log.oldest, log.latest + 1))
    assert (body["aeldsteSekvens"], body["senesteSekvens"]) == (log.oldest, log.latest)
    default = (await udb.read(FEED)).json()  # no `efter`: from the oldest kept event
    assert default["haendelser"] == body["haendelser"][:100]
    ahead = await udb.read(FEED, efter=log.latest + 1)
    assert (ahead.status_code, ahead.json()["fejlkode"]) == (410, 3002)
    assert set(body["haendelser"][0]) == {
        "sekvens", "haendelseId", "type", "cpr", "tidspunkt", "institutionsnummer",
        "kommunekode", "data",
    }  # fmt: skip
    types = {e["type"] for e in body["haendelser"]}
    assert {"OPTAGET", "STOETTEBEHOV", "INSTITUTION_KONTAKT", "RISIKO_FOR_FRAFALD"} <= types
    assert "UDB_ABONNEMENT_OPRETTET" in types


@pytest.mark.parametrize(
    "params", [{"efter": "-1"}, {"efter": "x"}, {"antal": "0"}, {"antal": "1001"},
               {"ventSekunder": "61"}, {"ventSekunder": "1.5"}],
)  # fmt: skip
async def test_bad_feed_parameters(writable, params) -> None:
    udb = writable("udb")
    response = await udb.read(FEED, **params)
    assert (response.status_code, response.json()["fejlkode"]) == (400, 1014)


async def test_events_age_out_after_400_days() -> None:
    now = [datetime(2026, 11, 23, 12, tzinfo=UTC)]
    log = EventLog(MockClock(date(2026, 11, 23), lambda: now[0]))
    for n in range(3):
        log.append("OPTAGET", ANNE, f"id-{n}", "851234", "0101", {})
    assert log.after(0, 10)[0].sequence == 1
    now[0] += timedelta(days=400, seconds=1)
    log.append("AFBRUDT", ANNE, "id-3", "851234", "0101", {})
    assert (log.oldest, log.latest) == (4, 4)
    with pytest.raises(StarError) as expired:
        log.after(2, 10)
    assert expired.value.error[1] == 3001
    assert [e.sequence for e in log.after(3, 10)] == [4]


async def test_the_long_poll_answers_when_an_event_arrives(writable) -> None:
    udb = writable("udb")
    latest = udb.live.state.log.latest
    started = time.perf_counter()
    poll = asyncio.create_task(udb.read(FEED, efter=latest, ventSekunder=20))
    await until_waiting(udb)
    written = await udb.write("POST", "/udb/v1/haendelser", JONAS, dropout_risk())
    response = await asyncio.wait_for(poll, timeout=5)
    assert time.perf_counter() - started < 5  # long before the 20 s
    [event] = response.json()["haendelser"]
    assert event["haendelseId"] == written.json()["haendelseId"]
    assert event["sekvens"] == latest + 1


async def test_the_long_poll_answers_at_once_when_events_are_there(writable) -> None:
    udb = writable("udb")
    latest = udb.live.state.log.latest
    started = time.perf_counter()
    response = await udb.read(FEED, efter=latest - 2, ventSekunder=20)
    assert time.perf_counter() - started < 1
    assert [e["sekvens"] for e in response.json()["haendelser"]] == [latest - 1, latest]
    empty = await udb.read(FEED, efter=latest)  # ventSekunder defaults to 0
    assert empty.json()["haendelser"] == []


async def test_a_waiting_poll_is_let_go_by_a_reset(writable) -> None:
    """The register stopping (or /_admin/reset) ends a long-poll with an empty answer, so a
    server never waits 20 s for its pollers before it can stop."""
    udb = writable("udb")
    poll = asyncio.create_task(udb.read(FEED, efter=udb.live.state.log.latest, ventSekunder=20))
    await until_waiting(udb)
    await udb.client.post("/_admin/reset")
    response = await asyncio.wait_for(poll, timeout=5)
    assert response.status_code == 200 and response.json()["haendelser"] == []


async def test_the_log_has_no_gaps_under_concurrent_writes(writable) -> None:
    udb = writable("udb")
    latest = udb.live.state.log.latest
    writes = [udb.write("POST", FEED, JONAS, dropout_risk()) for _ in range(15)]
    writes += [udb.write("POST", FEED, EMIL, dropout_risk()) for _ in range(15)]
    writes += [
        udb.write("POST", "/udb/v1/stoettebehov", ANNE, support_need(oenskerKontakt=n % 2 == 0))
        for n in range(10)
    ]
    pollers = [
        asyncio.create_task(udb.read(FEED, efter=latest, antal=1000, ventSekunder=20))
        for _ in range(3)
    ]
    answers = await asyncio.gather(*writes)
    assert all(a.status_code == 200 for a in answers)
    numbers = sorted(a.json()["sekvens"] for a in answers)
    assert numbers == list(range(latest + 1, latest + 41))
    events = await udb.events_after(latest)
    assert [e["sekvens"] for e in events] == numbers
    assert len({e["haendelseId"] for e in events}) == 40
    versions = [e["data"]["version"] for e in events if e["type"] == "STOETTEBEHOV"]
    assert versions == list(range(2, 12))  # in the order of the log
    for poller in pollers:  # every waiting reader got (at least the first of) them
        first = (await asyncio.wait_for(poller, timeout=5)).json()["haendelser"]
        assert first and first[0]["sekvens"] == latest + 1


async def test_a_repeated_request_id_answers_412_with_the_original(writable) -> None:
    udb = writable("udb")
    first = await udb.write("POST", "/udb/v1/stoettebehov", ANNE, support_need(), "key-1")
    latest = udb.live.state.log.latest
    again = await udb.write("POST", "/udb/v1/stoettebehov", ANNE, support_need(), "key-1")
    assert again.status_code == 412
    assert again.json() == {
        "fejlkode": 1016,
        "fejltekst": "Request id already used",
        "oprindeligtSvar": first.json(),
    }
    # Spent for good: another body, another endpoint, it is still the same id.
    other = await udb.write("POST", "/udb/v1/institutionkontakt", ANNE, MARIA, "key-1")
    assert other.status_code == 412
    assert udb.live.state.log.latest == latest
    # A refused write does not spend its id.
    refused = await udb.write("POST", FEED, ANNE, dropout_risk(), "key-2")
    assert refused.status_code == 409
    assert (await udb.write("POST", FEED, JONAS, dropout_risk(), "key-2")).status_code == 200


async def test_two_concurrent_writes_with_one_request_id_apply_once(writable) -> None:
    udb = writable("udb")
    latest = udb.live.state.log.latest
    answers = await asyncio.gather(
        *(udb.write("POST", FEED, JONAS, dropout_risk(), "same-key") for _ in range(5))
    )
    assert sorted(a.status_code for a in answers) == [200, 412, 412, 412, 412]
    assert udb.live.state.log.latest == latest + 1


@pytest.mark.parametrize("request_id", [None, "", "has space", "x" * 101])
async def test_every_write_needs_a_request_id(writable, request_id) -> None:
    udb = writable("udb")
    sent = headers(JONAS, None)
    if request_id is not None:
        sent["x-requestId"] = request_id
    response = await udb.client.post(FEED, headers=sent, json=dropout_risk())
    assert (response.status_code, response.json()["fejlkode"]) == (400, 1015)


async def test_fail_refuses_every_new_endpoint_and_writes_nothing(writable) -> None:
    udb = writable("udb")
    latest = udb.live.state.log.latest
    udb.faults.fail = True
    calls = [
        udb.write("POST", "/udb/v1/stoettebehov", ANNE, support_need()),
        udb.write("POST", "/udb/v1/institutionkontakt", ANNE, MARIA),
        udb.write("POST", FEED, JONAS, dropout_risk()),
        udb.write("POST", "/v1/UDBabonnement", ALI, {"afsender": support_need()["afsender"]}),
        udb.write("DELETE", "/v1/UDBabonnement", ALI, {"afsender": support_need()["afsender"]}),
        udb.read("/v1/UDBabonnement", ALI),
        udb.read("/udb/v1/datatilinstitution", ANNE, institutionsnummer="851234"),
        udb.read(FEED, efter=latest),
    ]
    for response in await asyncio.gather(*calls):
        assert response.status_code == 500
        assert response.json() == {"fejlkode": 9999, "fejltekst": "Internal error"}
    assert udb.live.state.log.latest == latest
    udb.faults.fail = False
    retried = await udb.write("POST", FEED, JONAS, dropout_risk())
    assert retried.status_code == 200


async def test_hang_holds_a_write_unapplied_until_released(writable) -> None:
    udb = writable("udb")
    latest = udb.live.state.log.latest
    udb.faults.hang = True
    write = asyncio.create_task(udb.write("POST", FEED, JONAS, dropout_risk()))
    while udb.faults._release is None:  # noqa: ASYNC110 - yield until the request hangs
        await asyncio.sleep(0)
    assert not write.done() and udb.live.state.log.latest == latest
    udb.faults.reset()
    assert (await asyncio.wait_for(write, timeout=5)).status_code == 500
    assert udb.live.state.log.latest == latest


async def test_garbage_applies_a_write_but_garbles_its_answer(writable) -> None:
    udb = writable("udb")
    latest = udb.live.state.log.latest
    udb.faults.garbage = True
    written = await udb.write("POST", FEED, JONAS, dropout_risk())
    assert written.status_code == 200 and isinstance(written.json(), list)
    assert udb.live.state.log.latest == latest + 1
    feed = await udb.read(FEED, efter=latest)
    assert isinstance(feed.json(), list)


async def test_metrics_tell_writes_from_polls_and_never_show_a_cpr(writable) -> None:
    udb = writable("udb")
    await udb.write("POST", FEED, JONAS, dropout_risk())
    await udb.read(FEED, efter=udb.live.state.log.latest)
    await udb.read("/v1/UDBabonnement", JONAS)
    text = (await udb.client.get("/metrics")).text
    assert 'mock_requests_total{path="POST /udb/v1/haendelser"} 1.0' in text
    assert 'mock_requests_total{path="/udb/v1/haendelser"} 1.0' in text
    assert 'mock_requests_total{path="/v1/UDBabonnement"} 1.0' in text
    assert JONAS not in text
