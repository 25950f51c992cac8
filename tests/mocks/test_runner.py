from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from datetime import date

import httpx
import pytest

from mocks.runner import MockConfig, MocksThread, _bind
from tests.mocks.conftest import ANNE, CPR_HEADER

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
    assert len(mocks.population) == 26
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
