"""Against a real `ungeprofil serve` (production mode) on a loopback port: what only a real HTTP
server shows. Huge or countless headers are refused with 431 before they cost memory; a client
that sends nothing, its headers or its body too slowly is cut off; a slow key server does not
stall the event loop; a token whose algorithm does not fit its key is a 401, not a 500 with a
traceback; and `serve` without production keys does not start at all."""

from __future__ import annotations

import asyncio
import json
import subprocess
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from gateway.security import BASE_HEADERS, STRICT_CSP
from tests.crash.gateway_process import ROOT, UNGEPROFIL, GatewayProcess, free_port
from tests.e2e.conftest import ANNE
from tests.security.served import (
    KeyServer,
    ProductionKeys,
    exchange_raw,
    peak_rss_kib,
    production_env,
    serving,
    status_of,
)

QUERY = {
    "query": "query($c: CPR!) { youth(cpr: $c, purpose: PLANNING) { identity { age } } }",
    "variables": {"c": ANNE},
}
#: Short client timeouts for this module's gateway, so a slow client is cut off in a test's time.
SHORT = {"HEADER_TIMEOUT": "1", "BODY_TIMEOUT": "1", "IDLE_TIMEOUT": "1"}
CUT_OFF_WITHIN = 4.0  # seconds: a timeout of 1 s, plus a generous margin for a loaded machine


@pytest.fixture(scope="module")
def keys() -> ProductionKeys:
    return ProductionKeys()


@pytest.fixture(scope="module")
async def gateway(
    mocks: Any, keys: ProductionKeys, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[GatewayProcess]:
    tmp = tmp_path_factory.mktemp("served")
    async with serving(production_env(mocks, tmp, keys, **SHORT), tmp / "gateway.log") as running:
        yield running


def head(extra: str = "", *, content_length: int = 2) -> bytes:
    return (
        "POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {content_length}\r\n{extra}"
    ).encode()


async def test_a_production_token_is_served(gateway: GatewayProcess, keys: ProductionKeys) -> None:
    async with httpx.AsyncClient(base_url=gateway.url) as http:
        response = await http.post(
            "/graphql", json=QUERY, headers={"Authorization": f"Bearer {keys.token()}"}
        )
    assert response.status_code == 200, response.text
    assert response.json()["data"]["youth"]["identity"]["age"] > 0


async def test_huge_headers_get_431_without_costing_memory(gateway: GatewayProcess) -> None:
    size = 32 * 1024 * 1024  # per connection; three at once
    before = peak_rss_kib(gateway.process.pid)
    huge = head() + b"Authorization: Bearer " + b"a" * size + b"\r\n\r\n{}"
    results = await asyncio.gather(
        *(asyncio.to_thread(exchange_raw, gateway.port, huge, deadline=30.0) for _ in range(3))
    )
    grown = (peak_rss_kib(gateway.process.pid) - before) / 1024
    print(f"\n3 x {size >> 20} MB Authorization headers: peak RSS grew {grown:.1f} MB")
    assert [status_of(raw) for raw, _ in results] == [431] * 3, [r[:80] for r, _ in results]
    for raw, _ in results:
        for header, value in BASE_HEADERS.items():
            assert f"{header}: {value}".lower().encode() in raw.lower(), header
    assert grown < 16, f"peak RSS grew {grown:.1f} MB"


async def test_too_many_headers_get_431(gateway: GatewayProcess) -> None:
    many = "".join(f"X-Filler-{i}: {i}\r\n" for i in range(1000))
    raw, _ = await asyncio.to_thread(exchange_raw, gateway.port, head(many) + b"\r\n{}")
    assert status_of(raw) == 431, raw[:200]


async def test_headers_within_the_limits_and_a_body_in_one_packet_are_served(
    gateway: GatewayProcess, keys: ProductionKeys
) -> None:
    # Fifty ordinary headers, and a 60 kB body that arrives with the head: neither is refused.
    body = json.dumps({**QUERY, "extensions": {"padding": "x" * 60_000}}).encode()
    ordinary = "".join(f"X-Filler-{i}: {i}\r\n" for i in range(50))
    request = (
        head(f"Authorization: Bearer {keys.token()}\r\n{ordinary}", content_length=len(body))
        + b"\r\n"
        + body
    )
    raw, _ = await asyncio.to_thread(exchange_raw, gateway.port, request)
    assert status_of(raw) == 200, raw[:300]


async def test_an_idle_connection_is_closed(gateway: GatewayProcess) -> None:
    raw, took = await asyncio.to_thread(exchange_raw, gateway.port, b"", deadline=10.0)
    assert took < CUT_OFF_WITHIN, f"an idle connection stayed open {took:.1f}s"


async def test_a_slow_loris_sending_partial_headers_is_cut_off(gateway: GatewayProcess) -> None:
    # One more header byte every 0.2 s: each byte is progress, but the head never completes.
    trickle = [b"X-Slow-%d: 1\r\n" % i for i in range(200)]
    raw, took = await asyncio.to_thread(
        exchange_raw, gateway.port, head(), trickle, pace=0.2, deadline=10.0
    )
    print(f"\nslow loris: cut off after {took:.1f}s")
    assert took < CUT_OFF_WITHIN, f"a slow loris stayed connected {took:.1f}s"
    assert status_of(raw) in (408, None), raw[:200]


async def test_a_slow_body_is_cut_off(gateway: GatewayProcess, keys: ProductionKeys) -> None:
    request = head(f"Authorization: Bearer {keys.token()}\r\n", content_length=10_000) + b"\r\n{"
    trickle = [b" " for _ in range(200)]
    raw, took = await asyncio.to_thread(
        exchange_raw, gateway.port, request, trickle, pace=0.2, deadline=10.0
    )
    assert took < CUT_OFF_WITHIN, f"a slow body kept the connection {took:.1f}s"
    assert status_of(raw) in (408, None), raw[:200]


async def test_an_algorithm_that_does_not_fit_the_key_is_401(
    gateway: GatewayProcess, keys: ProductionKeys
) -> None:
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tokens = {
        "RS256 under the EC key's kid": keys.token(key=rsa_key, algorithm="RS256"),
        "ES384 under an ES256 key": keys.token(algorithm="ES384", key=_p384()),
    }
    async with httpx.AsyncClient(base_url=gateway.url) as http:
        for name, token in tokens.items():
            response = await http.post(
                "/graphql", json=QUERY, headers={"Authorization": f"Bearer {token}"}
            )
            assert response.status_code == 401, (name, response.status_code, response.text)
            assert response.json()["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}
            for header, value in BASE_HEADERS.items():
                assert response.headers.get(header) == value, (name, header)
            assert response.headers.get("Content-Security-Policy") == STRICT_CSP
    assert "Traceback" not in gateway.log_tail(200)


def _p384() -> Any:
    from cryptography.hazmat.primitives.asymmetric import ec

    return ec.generate_private_key(ec.SECP384R1())


async def _healthz_latencies(url: str, until: Callable[[], bool], limit: float) -> list[float]:
    """/healthz answered again and again (each within 5 s) until `until()` or `limit` seconds."""
    latencies: list[float] = []
    started = time.monotonic()
    async with httpx.AsyncClient(timeout=5.0) as http:
        while not until() and time.monotonic() - started < limit:
            sent = time.monotonic()
            response = await http.get(f"{url}/healthz")
            assert response.status_code == 200
            latencies.append(time.monotonic() - sent)
    return latencies


async def test_a_slow_key_server_does_not_stall_the_gateway(
    mocks: Any, keys: ProductionKeys, tmp_path: Path
) -> None:
    with KeyServer(keys.jwks()) as key_server:
        env = production_env(mocks, tmp_path, keys, JWKS_URL=key_server.url, JWKS_TIMEOUT="2")
        async with serving(env, tmp_path / "gateway.log") as gateway:
            fetched = key_server.hits
            key_server.delay = 3.0  # the key server turns slow
            async with httpx.AsyncClient(base_url=gateway.url, timeout=10.0) as http:

                async def ask(token: str) -> httpx.Response:
                    auth = {"Authorization": f"Bearer {token}"}
                    return await http.post("/graphql", json=QUERY, headers=auth)

                # A token naming a key the gateway has not seen makes it ask the key server.
                first = asyncio.create_task(ask(keys.token(kid="rotated-key-2")))
                latencies = await _healthz_latencies(gateway.url, first.done, limit=8.0)
                refused = await first
                # A flood of made-up kids right after: no further fetch, each refused at once.
                flood = await asyncio.wait_for(
                    asyncio.gather(*(ask(keys.token(kid=f"made-up-{i}")) for i in range(10))),
                    2.0,
                )
                known = await ask(keys.token())
            log = gateway.log_tail(200)
    print(
        f"\n/healthz during a 3 s key fetch: {len(latencies)} answers, slowest "
        f"{max(latencies) * 1000:.0f} ms; key server hits {fetched} at start, "
        f"{key_server.hits} after 11 unknown kids"
    )
    assert refused.status_code == 401
    assert refused.json()["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}
    assert [r.status_code for r in flood] == [401] * 10
    assert known.status_code == 200, known.text
    assert len(latencies) >= 5 and max(latencies) < 0.5, latencies
    assert key_server.hits <= fetched + 1
    assert "Traceback" not in log


def test_serve_without_production_keys_refuses_to_start(
    mocks: Any, keys: ProductionKeys, tmp_path: Path
) -> None:
    env = production_env(mocks, tmp_path, keys)
    del env["JWKS_FILE"]
    try:
        finished = subprocess.run(
            [UNGEPROFIL, "serve", "--port", str(free_port())],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=20,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("serve without JWKS_FILE/JWKS_URL started and kept serving")
    assert finished.returncode != 0
    lines = [line for line in finished.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, finished.stderr
    assert "JWKS_FILE" in lines[0] and "JWKS_URL" in lines[0] and "--demo" in lines[0]
    assert "Traceback" not in finished.stdout + finished.stderr


async def test_a_production_serve_has_no_graphiql_and_no_demo_tokens(
    gateway: GatewayProcess,
) -> None:
    async with httpx.AsyncClient(base_url=gateway.url) as http:
        for path in ("/demo/tokens", "/static/demo.js", "/static/graphiql/graphiql.min.js"):
            assert (await http.get(path)).status_code == 404, path
        assert (await http.get("/graphql")).status_code == 405
