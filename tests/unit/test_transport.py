"""The aiohttp-backed httpx transport behaves like httpx's own: answers, timeouts, failures."""

from __future__ import annotations

import asyncio
import gzip
import socket
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import orjson
import pytest

from gateway.transport import AiohttpTransport

Handler = Callable[[bytes, dict[str, str], bytes], Awaitable[bytes | None]]


CONNECTIONS: list[int] = []


async def _serve(handler: Handler) -> tuple[asyncio.Server, str]:
    """A tiny HTTP/1.1 server on an ephemeral loopback port; `handler` returns the raw reply
    (None = never answer)."""

    async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        CONNECTIONS.append(1)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                request_line, *lines = head.decode("latin-1").split("\r\n")
                headers = {
                    k.strip().lower(): v.strip() for k, v in (x.split(":", 1) for x in lines if x)
                }
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                reply = await handler(request_line.encode(), headers, body)
                if reply is None:
                    await asyncio.Event().wait()  # hang until the client gives up
                    return
                writer.write(reply)
                await writer.drain()
                if b"Connection: close" in reply.split(b"\r\n\r\n")[0]:
                    return
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(connection, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}"


def _reply(status: str, body: bytes, *headers: str) -> bytes:
    head = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}", *headers]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


async def _echo(request_line: bytes, headers: dict[str, str], body: bytes) -> bytes:
    method, target, _ = request_line.decode().split(" ")
    if target == "/hang":
        return None  # type: ignore[return-value]
    if target == "/short":  # promises 100 bytes, sends 5, hangs up
        return b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\nshort"
    if target == "/gzip":
        return _reply("200 OK", gzip.compress(b'{"packed": true}'), "Content-Encoding: gzip")
    echo = orjson.dumps(
        {"method": method, "target": target, "headers": headers, "body": body.decode()}
    )
    return _reply("201 Created", echo, "Content-Type: application/json", "X-Register: mock")


@pytest.fixture
async def server() -> AsyncIterator[str]:
    running, url = await _serve(_echo)
    yield url
    running.close()


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    http = httpx.AsyncClient(transport=AiohttpTransport(max_connections=4), timeout=2.0)
    yield http
    await http.aclose()


async def test_status_headers_and_body_travel_both_ways(
    server: str, client: httpx.AsyncClient
) -> None:
    response = await client.post(
        f"{server}/dfdg/v1/personer/soeg?x=%C3%A6",
        content=b'{"cprListe": []}',
        headers={"content-type": "application/json", "x-civilregistrationIdentifier": "1"},
    )
    assert response.status_code == 201
    assert response.reason_phrase == "Created"
    assert response.headers["x-register"] == "mock"
    assert response.headers["content-type"] == "application/json"
    echo = response.json()
    assert echo["method"] == "POST"
    assert echo["target"] == "/dfdg/v1/personer/soeg?x=%C3%A6"  # not re-encoded
    assert echo["body"] == '{"cprListe": []}'
    assert echo["headers"]["x-civilregistrationidentifier"] == "1"
    assert echo["headers"]["content-type"] == "application/json"


async def test_keeps_the_connection_for_the_next_call(
    server: str, client: httpx.AsyncClient
) -> None:
    CONNECTIONS.clear()
    first = await client.get(f"{server}/a")
    second = await client.get(f"{server}/b")
    assert (first.json()["target"], second.json()["target"]) == ("/a", "/b")
    assert first.json()["method"] == "GET" and first.json()["body"] == ""
    assert len(CONNECTIONS) == 1


async def test_httpx_decodes_the_content_encoding(server: str, client: httpx.AsyncClient) -> None:
    response = await client.get(f"{server}/gzip")
    assert response.json() == {"packed": True}


async def test_a_register_that_never_answers_is_an_httpx_timeout(
    server: str, client: httpx.AsyncClient
) -> None:
    with pytest.raises(httpx.TimeoutException) as caught:
        await client.get(f"{server}/hang", timeout=httpx.Timeout(1.0, read=0.1))
    assert isinstance(caught.value, httpx.ReadTimeout)


async def test_a_refused_connection_is_an_httpx_connect_error(
    client: httpx.AsyncClient,
) -> None:
    with socket.socket() as sock:  # a port nobody listens on: bound, never listening
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        with pytest.raises(httpx.ConnectError):
            await client.get(f"http://127.0.0.1:{port}/")


async def test_a_connection_dropped_mid_answer_is_an_httpx_transport_error(
    server: str, client: httpx.AsyncClient
) -> None:
    with pytest.raises(httpx.TransportError) as caught:
        await client.get(f"{server}/short", timeout=httpx.Timeout(1.0, read=0.5))
    assert not isinstance(caught.value, httpx.TimeoutException)


async def test_closing_the_client_closes_the_session(server: str) -> None:
    transport = AiohttpTransport()
    async with httpx.AsyncClient(transport=transport) as http:
        await http.get(f"{server}/x")
        assert transport._session is not None
        session = transport._session
    assert session.closed
