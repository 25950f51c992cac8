"""Both register transports send the same bytes and fail the same way."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import orjson
import pytest

from gateway.transport import (
    AiohttpRegisterTransport,
    HttpxRegisterTransport,
    RegisterTransport,
    TransportFailure,
)

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
    echo = orjson.dumps(
        {"method": method, "target": target, "headers": headers, "body": body.decode()}
    )
    return _reply("201 Created", echo, "Content-Type: application/json", "X-Register: mock")


@pytest.fixture
async def server() -> AsyncIterator[str]:
    running, url = await _serve(_echo)
    yield url
    running.close()


def _aiohttp() -> RegisterTransport:
    return AiohttpRegisterTransport(max_connections=4, connect_timeout=1.0, read_timeout=0.2)


def _httpx() -> RegisterTransport:
    return HttpxRegisterTransport(httpx.AsyncClient(timeout=httpx.Timeout(1.0, read=0.2)))


@pytest.fixture(params=[_aiohttp, _httpx], ids=["aiohttp", "httpx"])
async def transport(request: pytest.FixtureRequest) -> AsyncIterator[RegisterTransport]:
    made: RegisterTransport = request.param()
    yield made
    await made.aclose()


async def test_method_path_json_headers_and_body_travel_both_ways(
    server: str, transport: RegisterTransport
) -> None:
    status, body = await transport.send(
        "POST", f"{server}/dfdg/v1/personer/soeg?x=%C3%A6", b'{"cprListe": []}'
    )
    assert status == 201
    echo = orjson.loads(body)
    assert echo["method"] == "POST"
    assert echo["target"] == "/dfdg/v1/personer/soeg?x=%C3%A6"  # not re-encoded
    assert echo["body"] == '{"cprListe": []}'
    assert echo["headers"]["content-type"] == "application/json"
    assert echo["headers"]["accept"] == "application/json"


async def test_keeps_the_connection_for_the_next_call(
    server: str, transport: RegisterTransport
) -> None:
    CONNECTIONS.clear()
    _, first = await transport.send("GET", f"{server}/a", None)
    _, second = await transport.send("GET", f"{server}/b", None)
    assert (orjson.loads(first)["target"], orjson.loads(second)["target"]) == ("/a", "/b")
    assert orjson.loads(first)["body"] == ""
    assert len(CONNECTIONS) == 1


async def test_a_register_that_never_answers_is_a_retryable_failure(
    server: str, transport: RegisterTransport
) -> None:
    with pytest.raises(TransportFailure) as caught:
        await transport.send("GET", f"{server}/hang", None)
    assert caught.value.retryable


async def test_a_refused_connection_is_a_retryable_failure(transport: RegisterTransport) -> None:
    with socket.socket() as sock:  # a port nobody listens on: bound, never listening
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        with pytest.raises(TransportFailure) as caught:
            await transport.send("GET", f"http://127.0.0.1:{port}/", None)
    assert caught.value.retryable


async def test_a_connection_dropped_mid_answer_is_a_retryable_failure(
    server: str, transport: RegisterTransport
) -> None:
    with pytest.raises(TransportFailure) as caught:
        await transport.send("GET", f"{server}/short", None)
    assert caught.value.retryable
    assert "Timeout" not in caught.value.reason


async def test_a_url_that_cannot_be_sent_to_is_not_retried(transport: RegisterTransport) -> None:
    with pytest.raises(TransportFailure) as caught:
        await transport.send("GET", "ftp://127.0.0.1/x", None)
    assert not caught.value.retryable


async def test_a_closed_transport_opens_no_new_session(server: str) -> None:
    transport = AiohttpRegisterTransport()
    await transport.send("GET", f"{server}/x", None)
    await transport.aclose()
    with pytest.raises(TransportFailure) as caught:
        await transport.send("GET", f"{server}/x", None)
    assert not caught.value.retryable
