"""Operable: one trace per request (OpenTelemetry, captured in memory), the request id on every
log line of a request and taken over from a trusted proxy only, and HTTP metrics whose labels
stay bounded whatever operation names clients send."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import orjson
import pytest
from aiohttp import web
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from gateway import tracing
from gateway.audit.memory import MemoryAuditStore
from gateway.logs import JsonLines
from gateway.persisted import SHIPPED_FILE, operation_hash
from gateway.settings import from_environment
from tests.e2e.conftest import ANNE, Client
from tests.e2e.queries import FULL_PROFILE

CPR_LIKE = re.compile(r"(?<!\d)\d{6}-?\d{4}(?!\d)")
PLANNING = {"cpr": ANNE, "purpose": "PLANNING"}


@pytest.fixture
def build(make_client: Callable[..., Any]) -> Callable[..., Any]:
    """make_client (tests/e2e/conftest.py) with a tracer provider of the test's choosing."""

    async def make(*, provider: TracerProvider | None = None, **kw: Any) -> Client:
        client: Client = await make_client(tracer_provider=provider, **kw)
        return client

    return make


@pytest.fixture
async def recording_proxy(mocks: Any) -> AsyncIterator[tuple[str, list[dict[str, str]]]]:
    """A loopback HTTP proxy in front of the udb mock that records each request's headers."""
    target = mocks.urls["udb"]
    seen: list[dict[str, str]] = []
    session = aiohttp.ClientSession()

    async def forward(request: web.Request) -> web.Response:
        seen.append({k.lower(): v for k, v in request.headers.items()})
        body = await request.read()
        async with session.request(
            request.method,
            f"{target}{request.path_qs}",
            data=body,
            headers={"content-type": request.headers.get("content-type", "application/json")},
        ) as answer:
            return web.Response(
                status=answer.status, body=await answer.read(), content_type="application/json"
            )

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", forward)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}{urlsplit(target).path}", seen
    await runner.cleanup()
    await session.close()


def _attribute_values(spans: list[ReadableSpan]) -> list[str]:
    return [str(v) for s in spans for v in (s.attributes or {}).values()] + [s.name for s in spans]


async def test_one_profile_request_is_one_trace_and_the_registers_get_its_traceparent(
    build: Callable[..., Any], mocks: Any, recording_proxy: tuple[str, list[dict[str, str]]]
) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    proxy_url, seen = recording_proxy
    client = await build(provider=provider, register_urls={**mocks.urls, "udb": proxy_url})

    body = await client.query("jette", FULL_PROFILE, PLANNING)
    assert body["_status"] == 200 and body["data"]["youth"]["identity"], body

    spans = list(exporter.get_finished_spans())
    assert len({s.context.trace_id for s in spans}) == 1, [s.name for s in spans]
    roots = [s for s in spans if s.parent is None]
    assert [(r.name, r.kind) for r in roots] == [("POST /graphql", SpanKind.SERVER)]
    root = roots[0]
    assert root.attributes is not None
    assert root.attributes["http.response.status_code"] == 200
    children = [
        s for s in spans if s.parent is not None and s.parent.span_id == root.context.span_id
    ]
    names = [s.name for s in children]
    registers = [s for s in children if s.name.startswith("register ")]
    assert {s.attributes["register"] for s in registers if s.attributes} >= {"udb", "dfdg"}
    assert names.count("policy.decide_batch") == 1
    assert names.count("audit.write") >= 1
    assert len(spans) == 1 + len(children)  # nothing hangs elsewhere in the tree
    # Named by register and kind; never a CPR, a URL or a body anywhere in the trace.
    for value in _attribute_values(spans):
        assert not CPR_LIKE.search(value) and "http://" not in value and ANNE not in value

    # udb was called through the proxy, with the W3C traceparent of its register call's span.
    assert seen, "udb was never called"
    udb_span_ids = {
        s.context.span_id for s in registers if s.attributes and s.attributes["register"] == "udb"
    }
    for headers in seen:
        version, trace_id, parent_id, _flags = headers["traceparent"].split("-")
        assert version == "00" and int(trace_id, 16) == root.context.trace_id
        assert int(parent_id, 16) in udb_span_ids

    print(f"\nspans in one profile request's trace: {len(spans)} ({sorted(set(names))})")


async def test_without_a_provider_nothing_is_traced_and_no_header_is_added(
    build: Callable[..., Any],
) -> None:
    client = await build()
    assert not any(m.cls is tracing.RequestTracing for m in client.app.user_middleware)
    with tracing.span("anything") as current:
        assert current is None
    headers = {"accept": "application/json"}
    assert tracing.outgoing_headers(headers) is headers
    assert tracing.provider_for(None) is None
    assert from_environment({}).otel_endpoint is None
    env = {
        "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318",
        "TRUSTED_PROXY_IPS": "10.0.0.0/8, ::1",
    }
    configured = from_environment(env)
    assert configured.otel_endpoint == "http://collector:4318"
    assert configured.trusted_proxies == ("10.0.0.0/8", "::1")
    provider = tracing.provider_for(configured.otel_endpoint)
    assert provider is not None
    provider.shutdown()


def _lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    formatter = JsonLines()
    return [  # the gateway's lines (not the test client's own httpx line, after the request)
        orjson.loads(formatter.format(r))
        for r in caplog.records
        if r.name.startswith(("ungeprofil", "gateway"))
    ]


async def test_the_request_id_is_on_every_line_and_a_trusted_proxys_is_taken_over(
    build: Callable[..., Any], mocks: Any, caplog: pytest.LogCaptureFixture
) -> None:
    audit = MemoryAuditStore()
    # admissions is down: its warning is a line of the request, besides the access line.
    urls = {**mocks.urls, "admissions": "http://127.0.0.1:9"}
    client = await build(audit=audit, register_urls=urls, trusted_proxies=("127.0.0.0/8",))
    caplog.set_level(logging.INFO)
    auth = {"Authorization": f"Bearer {client.tokens['jette']}"}
    sent = {"query": FULL_PROFILE, "variables": PLANNING}

    response = await client.http.post(
        "/graphql", json=sent, headers={**auth, "X-Request-Id": "lb-7f3a.req_42"}
    )
    assert response.status_code == 200
    assert response.headers["x-request-id"] == "lb-7f3a.req_42"
    lines = _lines(caplog)
    assert {line["logger"] for line in lines} >= {"ungeprofil.access", "gateway.resolvers"}
    assert all(line.get("requestId") == "lb-7f3a.req_42" for line in lines), lines
    records = audit.records
    assert records and {r.request_id for r in records} == {"lb-7f3a.req_42"}

    # Not a token of safe characters, or CPR-shaped: the gateway makes its own.
    for hostile in (
        ANNE,
        f"id-{ANNE}",
        "has space",
        "x" * 65,
        "<script>",
        "short",
        "ø-unicode-id".encode(),
    ):
        caplog.clear()
        response = await client.http.post(
            "/graphql", json=sent, headers={**auth, "X-Request-Id": hostile}
        )
        own = response.headers["x-request-id"]
        assert re.fullmatch(r"[a-p]{32}", own), hostile
        assert all(line.get("requestId") == own for line in _lines(caplog))


async def test_an_untrusted_peers_request_id_and_traceparent_are_ignored(
    build: Callable[..., Any],
) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    client = await build(provider=provider)  # no TRUSTED_PROXY_IPS
    parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    response = await client.http.get(
        "/healthz", headers={"X-Request-Id": "lb-7f3a.req_42", "traceparent": parent}
    )
    assert re.fullmatch(r"[a-p]{32}", response.headers["x-request-id"])
    (root,) = exporter.get_finished_spans()
    assert root.parent is None and root.context.trace_id != 0x0AF7651916CD43DD8448EB211C80319C

    trusting = await build(provider=provider, trusted_proxies=("127.0.0.1",))
    exporter.clear()
    await trusting.http.get("/healthz", headers={"traceparent": parent})
    (root,) = exporter.get_finished_spans()
    assert root.context.trace_id == 0x0AF7651916CD43DD8448EB211C80319C


async def test_http_metrics_stay_bounded_under_many_operation_names(
    build: Callable[..., Any],
) -> None:
    client = await build()
    auth = {"Authorization": f"Bearer {client.tokens['jette']}"}
    for i in range(60):
        name = f"Op{i}"
        query = f"query {name}($cpr: CPR!) {{ youth(cpr: $cpr, purpose: PLANNING) {{ cpr }} }}"
        await client.http.post(
            "/graphql",
            json={"query": query, "operationName": name, "variables": {"cpr": ANNE}},
            headers=auth,
        )
    shipped = orjson.loads(SHIPPED_FILE.read_bytes())
    profile_hash = next(h for h, q in shipped.items() if "JobnetProfile" in q)
    assert operation_hash(shipped[profile_hash]) == profile_hash
    persisted = {
        "variables": PLANNING,
        "extensions": {"persistedQuery": {"version": 1, "sha256Hash": profile_hash}},
    }
    response = await client.http.post("/graphql", json=persisted, headers=auth)
    assert response.status_code == 200
    await client.http.post("/graphql", json={"query": "{ me { cpr } }"})  # 401: ran nothing
    await client.http.get("/nowhere-" + "x" * 40)

    exposition = (await client.http.get("/metrics")).text
    series = [
        line
        for line in exposition.splitlines()
        if line.startswith("ungeprofil_http_requests_total")
    ]
    labels = [dict(re.findall(r'(\w+)="([^"]*)"', line)) for line in series]
    assert {label["operation"] for label in labels} <= {
        "JobnetProfile",
        "CaseSystemBatch",
        "other",
        "none",
    }
    assert {label["route"] for label in labels} <= {
        "/graphql",
        "/healthz",
        "/readyz",
        "/metrics",
        "other",
    }
    counts = {
        (lb["route"], lb["status"], lb["operation"]): line
        for lb, line in zip(labels, series, strict=True)
    }
    assert counts[("/graphql", "200", "other")].endswith(" 60.0")
    assert counts[("/graphql", "200", "JobnetProfile")].endswith(" 1.0")
    assert ("/graphql", "401", "none") in counts and ("other", "404", "none") in counts
    assert len(series) <= 6
    # The process's own figures, on the gateway's registry.
    for name in ("process_cpu_seconds_total", "process_resident_memory_bytes", "python_info"):
        assert re.search(rf"^{name}", exposition, re.M), name
