from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date

import httpx
import pytest

from mocks.runner import MockConfig, MocksThread, _bind
from tests.mocks.conftest import ANNE, CPR_HEADER, JONAS

CONFIG = MockConfig(
    population=20, reference_date=date(2026, 11, 23), base_port=None, fail=frozenset({"social"})
)


@pytest.fixture(scope="module")
def mocks() -> Iterator[MocksThread]:
    with MocksThread(CONFIG) as running:
        yield running


def test_all_seven_registers_listen_on_their_own_port(mocks: MocksThread) -> None:
    assert list(mocks.urls) == [
        "udb", "dfdg", "grades", "eindkomst", "admissions", "questionnaire", "social",
    ]  # fmt: skip
    assert len({url for url in mocks.urls.values()}) == 7
    assert len(mocks.population) == 27
    with httpx.Client(timeout=5) as client:
        health = {
            label: client.get(f"{url}/healthz").status_code for label, url in mocks.urls.items()
        }
        assert health == {label: 503 if label == "social" else 200 for label in mocks.urls}
        response = client.get(f"{mocks.urls['dfdg']}/dfdg/v1/person", headers={CPR_HEADER: ANNE})
        assert response.json()["stamdata"]["fornavn"] == "Anne"


def test_hang_holds_the_answer_until_the_client_gives_up(mocks: MocksThread) -> None:
    url = f"{mocks.urls['grades']}/karakterer/v1/person"
    mocks.faults["grades"].hang = True
    try:
        with httpx.Client(timeout=0.3) as client, pytest.raises(httpx.ReadTimeout):
            client.get(url, headers={CPR_HEADER: ANNE})
    finally:
        mocks.reset_faults()
    with httpx.Client(timeout=5) as client:
        assert client.get(url, headers={CPR_HEADER: ANNE}).status_code == 200


def test_admin_endpoint_over_the_wire(mocks: MocksThread) -> None:
    base = mocks.urls["admissions"]
    with httpx.Client(timeout=5) as client:
        assert client.post(f"{base}/_admin/faults", json={"fail": True}).status_code == 200
        assert client.get(f"{base}/healthz").status_code == 503
        client.post(f"{base}/_admin/reset")
        assert client.get(f"{base}/healthz").status_code == 200


def test_refuse_stops_listening_and_restore_listens_again(mocks: MocksThread) -> None:
    url = f"{mocks.urls['eindkomst']}/healthz"
    mocks.refuse("eindkomst")
    with httpx.Client(timeout=5) as client:
        with pytest.raises(httpx.ConnectError):
            client.get(url)
        mocks.restore("eindkomst")
        assert client.get(url).status_code == 200


def test_the_thread_stops_cleanly() -> None:
    running = MocksThread(MockConfig(population=0, base_port=None)).start()
    url = running.urls["udb"]
    running.stop()
    assert not running._thread.is_alive()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/healthz", timeout=2)


def _poll_until_waiting(running: MocksThread, pool: ThreadPoolExecutor) -> Future[httpx.Response]:
    """A long-poll over real HTTP, returned once the register has it waiting: the feed's
    counter goes up in the same step that starts the wait, so the metric says when."""
    base = running.urls["udb"]
    latest = httpx.get(f"{base}/udb/v1/haendelser", timeout=5).json()["senesteSekvens"]
    poll = pool.submit(
        httpx.get, f"{base}/udb/v1/haendelser?efter={latest}&ventSekunder=20", timeout=30
    )
    counted = 'mock_requests_total{path="/udb/v1/haendelser"} 2.0'
    deadline = time.monotonic() + 10
    while counted not in httpx.get(f"{base}/metrics", timeout=5).text:
        assert time.monotonic() < deadline, "the poll never arrived"
    return poll


def test_a_write_over_http_ends_a_waiting_poll(mocks: MocksThread) -> None:
    with ThreadPoolExecutor(1) as pool:
        poll = _poll_until_waiting(mocks, pool)
        written = httpx.post(
            f"{mocks.urls['udb']}/udb/v1/haendelser",
            headers={CPR_HEADER: JONAS, "x-requestId": "runner-1"},
            json={"type": "RISIKO_FOR_FRAFALD", "institutionsnummer": "851234",
                  "aarsager": ["FRAVAER"], "foersteFravaersbrevSendt": False},
            timeout=5,
        )  # fmt: skip
        [event] = poll.result(timeout=5).json()["haendelser"]
    assert event["haendelseId"] == written.json()["haendelseId"]


def test_stopping_is_not_held_up_by_a_waiting_poll() -> None:
    running = MocksThread(MockConfig(population=0, base_port=None)).start()
    with ThreadPoolExecutor(1) as pool:
        poll = _poll_until_waiting(running, pool)
        started = time.monotonic()
        running.stop()
        assert time.monotonic() - started < 5  # not the poll's 20 s
        assert poll.result(timeout=5).json()["haendelser"] == []


def test_unknown_register_names_are_refused() -> None:
    with pytest.raises(ValueError):
        MockConfig(fail=frozenset({"nope"}))


async def test_accepted_connections_send_without_waiting_for_acks() -> None:
    """Nagle's algorithm on a register's socket holds the body of every keep-alive answer for
    the client's delayed ACK (~40 ms on Linux): the mocks' sockets must have TCP_NODELAY."""
    accepted: asyncio.Queue[socket.socket] = asyncio.Queue()

    async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await accepted.put(writer.get_extra_info("socket"))
        writer.close()

    server = await asyncio.start_server(on_connect, sock=_bind("127.0.0.1", 0))
    async with server:
        port = server.sockets[0].getsockname()[1]
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        peer = await accepted.get()
        assert peer.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
        writer.close()
