"""A real `ungeprofil serve` in production mode (no --demo, keys from JWKS_FILE or JWKS_URL) on a
loopback port, for what only a real server shows: header limits, slow clients, a slow key server,
the log.

`ProductionKeys` is the identity provider of these tests: its own EC key, its own issuer, and a
JWKS document the gateway reads from a file or from `KeyServer`, a loopback HTTP server whose
answer can be slowed down.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.server
import json
import select
import socket
import threading
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import ec

from tests.crash.gateway_process import GatewayProcess, gateway_env

ISSUER = "https://idp.test.invalid"
AUDIENCE = "ungeprofil"
KID = "test-key-1"


class ProductionKeys:
    def __init__(self) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())

    def jwks(self, *, kid: str = KID) -> dict[str, Any]:
        jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(self.key.public_key()))
        jwk.update({"kid": kid, "alg": "ES256", "use": "sig"})
        return {"keys": [jwk]}

    def token(
        self,
        sub: str = "jette.hansen",
        role: str = "contact_person",
        *,
        municipality: str | None = "101",
        kid: str = KID,
        key: Any = None,
        algorithm: str = "ES256",
        **claims: Any,
    ) -> str:
        now = dt.datetime.now(dt.UTC)
        body: dict[str, Any] = {
            "sub": sub,
            "role": role,
            "iss": ISSUER,
            "aud": AUDIENCE,
            "iat": now,
            "nbf": now,
            "exp": now + dt.timedelta(minutes=10),
        }
        if municipality is not None:
            body["municipality"] = municipality
        body.update(claims)
        return jwt.encode(
            body, key if key is not None else self.key, algorithm=algorithm, headers={"kid": kid}
        )


class KeyServer:
    """A JWKS endpoint on a loopback port, in a thread; `delay` slows every answer and `hits`
    counts the requests."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = dict(document)
        self.delay = 0.0
        self.hits = 0
        self._release = threading.Event()  # set at stop: a slowed answer ends at once
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
                outer.hits += 1
                outer._release.wait(outer.delay)
                payload = json.dumps(outer.document).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *_: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/jwks.json"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> KeyServer:
        self._thread.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self._release.set()
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=10)


def production_env(
    mocks: Any, tmp_path: Path, keys: ProductionKeys, **extra: str
) -> dict[str, str]:
    """The environment of `serve` in production mode: the mocks, a SQLite audit store, and the
    test identity provider's keys (a JWKS file unless `extra` names JWKS_URL)."""
    env = gateway_env(mocks.urls, f"sqlite:///{tmp_path / 'audit.sqlite3'}", tmp_path / "state")
    env.pop("JWKS_FILE", None)
    env.pop("JWKS_URL", None)
    if "JWKS_URL" not in extra:
        jwks_file = tmp_path / "jwks.json"
        jwks_file.write_text(json.dumps(keys.jwks()))
        env["JWKS_FILE"] = str(jwks_file)
    env.update({"TOKEN_ISSUER": ISSUER, "TOKEN_AUDIENCE": AUDIENCE, **extra})
    return env


@contextlib.asynccontextmanager
async def serving(
    env: Mapping[str, str], log_path: Path, args: Sequence[str] = ()
) -> AsyncIterator[GatewayProcess]:
    """`ungeprofil serve` started, polled until ready, and stopped at the end."""
    gateway = GatewayProcess(env, log_path, args)
    try:
        async with httpx.AsyncClient() as http:
            await gateway.wait_ready(http)
        yield gateway
    finally:
        gateway.stop()


def peak_rss_kib(pid: int) -> int:
    """The process's peak resident set (VmHWM), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM in /proc status")


def exchange_raw(
    port: int,
    head: bytes,
    trickle: Sequence[bytes] = (),
    *,
    pace: float = 0.0,
    deadline: float = 10.0,
) -> tuple[bytes, float]:
    """Sends `head`, then each piece of `trickle` (waiting up to `pace` s for an answer before
    each), until the server answers or closes, or `deadline` passes. Returns what the server sent
    and the seconds until it answered or closed (`deadline` when it never did)."""
    started = time.monotonic()
    received = b""
    with socket.create_connection(("127.0.0.1", port), timeout=deadline) as sock:
        sock.setblocking(False)
        pieces = [head, *trickle]
        for index in range(len(pieces) + int(deadline / max(pace, 0.01)) + 1):
            if time.monotonic() - started > deadline:
                return received, deadline
            if index < len(pieces):
                try:
                    _send_all(sock, pieces[index], started, deadline)
                except (BrokenPipeError, ConnectionResetError):
                    return received + _drain(sock), time.monotonic() - started
            wait = pace if index < len(pieces) else min(0.1, deadline)
            readable, _, _ = select.select([sock], [], [], wait)
            if readable:
                try:
                    chunk = sock.recv(65536)
                except ConnectionResetError:
                    return received, time.monotonic() - started
                received += chunk
                if not chunk or b"\r\n\r\n" in received:
                    return received + _drain(sock), time.monotonic() - started
    return received, time.monotonic() - started


def _send_all(sock: socket.socket, data: bytes, started: float, deadline: float) -> None:
    view = memoryview(data)
    while view and time.monotonic() - started < deadline:
        _, writable, _ = select.select([], [sock], [], 0.1)
        if writable:
            view = view[sock.send(view[: 1 << 16]) :]
        # An answer while sending (431 before the whole head is out) ends the sending.
        readable, _, _ = select.select([sock], [], [], 0)
        if readable:
            return


def _drain(sock: socket.socket) -> bytes:
    data = b""
    for _ in range(64):
        readable, _, _ = select.select([sock], [], [], 0.2)
        if not readable:
            break
        try:
            chunk = sock.recv(65536)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    return data


def status_of(raw: bytes) -> int | None:
    """The status code of a raw HTTP response, None for no answer."""
    if not raw.startswith(b"HTTP/1."):
        return None
    return int(raw.split(b" ", 2)[1])
