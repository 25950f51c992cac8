"""OpenTelemetry tracing: a span per request, per policy decision batch, per register call and
per audit write, in one trace; the W3C `traceparent` sent on to the registers.

Off unless a tracer provider is configured (`OTEL_EXPORTER_OTLP_ENDPOINT`, or a test's own
provider): then `RequestTracing` is not even in the middleware stack, and `span()` costs one
context-variable look-up. When on, the middleware binds the app's tracer to the request's
context, so the guard (gateway/core/guard.py), the register endpoint (resolvers/http.py), the
transports and the audit write find it without being handed it — and two apps in one process
(the tests) never share a tracer.

What a span may carry: names and attributes fixed by the code (a register's label, the kind of
call, counts, statuses, a route of the gateway, the request id). Never a CPR, a token, a URL, a
query or a body — register calls carry CPR lists in their bodies, so no body goes near a span —
and an exception is recorded by its type's name alone (its text could quote anything).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from typing import Any

from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import Span, SpanKind, Status, StatusCode, Tracer
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.access_log import ROUTES, TrustedProxies, request_id_of

_TRACER: ContextVar[Tracer | None] = ContextVar("ungeprofil_tracer", default=None)
_W3C = TraceContextTextMapPropagator()
_NO_SPAN: contextlib.nullcontext[None] = contextlib.nullcontext()

Attributes = Mapping[str, str | int | bool]


def provider_for(endpoint: str | None, service_name: str = "ungeprofil") -> TracerProvider | None:
    """A provider exporting to an OTLP/HTTP collector at `endpoint`, or None (no tracing)."""
    if not endpoint:
        return None
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
    provider.add_span_processor(
        BatchSpanProcessor(OTLPSpanExporter(endpoint=f"{endpoint.rstrip('/')}/v1/traces"))
    )
    return provider


def span(
    name: str, attributes: Attributes | None = None
) -> contextlib.AbstractContextManager[Span | None]:
    """A child of the current span for the `with` block, or nothing when tracing is off."""
    tracer = _TRACER.get()
    if tracer is None:
        return _NO_SPAN
    return _span(tracer, name, attributes, SpanKind.INTERNAL, None)


def set_attribute(current: Span | None, key: str, value: str | int | bool) -> None:
    if current is not None:
        current.set_attribute(key, value)


def outgoing_headers(headers: Mapping[str, str]) -> Mapping[str, str]:
    """`headers` plus the current span's `traceparent` (W3C), or `headers` itself when off."""
    if _TRACER.get() is None:
        return headers
    carrier = dict(headers)
    _W3C.inject(carrier)
    return carrier


@contextlib.contextmanager
def _span(
    tracer: Tracer,
    name: str,
    attributes: Attributes | None,
    kind: SpanKind,
    context: Context | None,
) -> Iterator[Span]:
    with tracer.start_as_current_span(
        name,
        context=context,
        kind=kind,
        attributes=attributes,
        record_exception=False,  # its message and traceback could quote a CPR
        set_status_on_exception=False,
    ) as current:
        try:
            yield current
        except Exception as exc:
            current.set_status(Status(StatusCode.ERROR, type(exc).__name__))
            raise


class RequestTracing:
    """Pure ASGI middleware: the server span of one HTTP request, the root of its trace unless
    a trusted proxy sent a `traceparent` (anyone else's is ignored: a new trace)."""

    def __init__(
        self, app: ASGIApp, *, provider: TracerProvider, trusted_proxies: tuple[str, ...] = ()
    ) -> None:
        self.app = app
        self.tracer = provider.get_tracer("ungeprofil")
        self.trusted = TrustedProxies(trusted_proxies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        parent: Context | None = None
        if self.trusted.trusts(scope):
            carrier: dict[str, Any] = {}
            for key, value in scope.get("headers", ()):
                if key in (b"traceparent", b"tracestate"):
                    carrier[key.decode("latin-1")] = value.decode("latin-1")
            parent = _W3C.extract(carrier) if carrier else None
        path = scope.get("path", "")
        route = path if path in ROUTES else "other"
        method = str(scope.get("method", ""))
        attributes: dict[str, str | int | bool] = {
            "http.request.method": method,
            "http.route": route,
        }
        request_id = request_id_of(scope)
        if request_id is not None:
            attributes["ungeprofil.request_id"] = request_id
        bound = _TRACER.set(self.tracer)
        try:
            with _span(self.tracer, f"{method} {route}", attributes, SpanKind.SERVER, parent) as s:

                async def send_and_note(message: Message) -> None:
                    if message["type"] == "http.response.start":
                        status = int(message["status"])
                        s.set_attribute("http.response.status_code", status)
                        if status >= 500:
                            s.set_status(Status(StatusCode.ERROR))
                    await send(message)

                await self.app(scope, receive, send_and_note)
        finally:
            _TRACER.reset(bound)
