"""One JSON access line per HTTP request (logger `ungeprofil.access`).

The line says what an operator needs to follow traffic — the request id, the route, the GraphQL
operation, the status, the duration, the caller's role, the purposes declared, and counts — and
never what would make the log a copy of the data: no CPR number (a young person's `sub` is one,
so no subject at all), no token, no register URL, no query text or variables, no query string,
and a path only when it is one of the gateway's routes.

`AccessLog` is a pure ASGI middleware that times the request and takes the status from the
response; the GraphQL endpoint adds what only it knows through `access_note(scope)`.

It also gives the request its id, first of all: a trusted proxy's `X-Request-Id` (a peer
listed in `TRUSTED_PROXY_IPS`, and only a bounded token of safe characters that is nothing
CPR-shaped), else a new one. The id is bound to every log line of the request
(gateway/logs.py), is the session's (so the audit records carry it), and is answered in the
response's `X-Request-Id`. And it counts the request in `ungeprofil_http_requests` by route,
status and operation — a persisted operation's name, else "other": label values a client cannot
multiply.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import time
from collections.abc import Iterable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.logs import bind_request_id, new_request_id, scrub, unbind_request_id
from gateway.metrics import Metrics

log = logging.getLogger("ungeprofil.access")

#: The routes a line may name; any other path (it could carry anything) is logged as "other".
ROUTES = frozenset({"/graphql", "/healthz", "/readyz", "/metrics"})
_NOTE = "ungeprofil.access"
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,63}")
_REQUEST_ID = "ungeprofil.request_id"
#: A proxy's request id as it may be taken over: 8 to 64 letters, digits, '.', '_', '-'.
_PROXY_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{7,63}")
#: The `operation` label of requests that ran no GraphQL operation (other routes, refusals).
NO_OPERATION = "none"
#: The `operation` label of a GraphQL request that named no persisted operation.
OTHER_OPERATION = "other"


def access_note(scope: Scope) -> dict[str, Any]:
    """The fields the endpoint adds to this request's access line."""
    note: dict[str, Any] = scope.setdefault(_NOTE, {})
    return note


def request_id_of(scope: Scope) -> str | None:
    """The id AccessLog gave this request (None when the app runs without it)."""
    request_id: str | None = scope.get(_REQUEST_ID)
    return request_id


def set_metric_operation(scope: Scope, label: str) -> None:
    """The `operation` label this request is counted under (a persisted name, or "other")."""
    access_note(scope)["metricOperation"] = label


class TrustedProxies:
    """The peers whose `X-Request-Id` (and `traceparent`, gateway/tracing.py) are believed.

    The peer is the connection's address as the ASGI server reports it; uvicorn rewrites it
    from `X-Forwarded-For` for the peers in its own FORWARDED_ALLOW_IPS (127.0.0.1 by default),
    so a proxy on the loopback that sends X-Forwarded-For is not recognised (fail closed)."""

    def __init__(self, entries: Iterable[str] = ()) -> None:
        # An unparsable entry fails at start-up (ValueError), never silently trusts nothing.
        self.networks = tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)

    def __bool__(self) -> bool:
        return bool(self.networks)

    def trusts(self, scope: Scope) -> bool:
        if not self.networks:
            return False
        client = scope.get("client")
        if not client:
            return False
        try:
            address = ipaddress.ip_address(client[0])
        except ValueError:
            return False
        return any(address in network for network in self.networks)


def accepted_request_id(value: bytes | None) -> str | None:
    """A proxy's request id if it is a bounded token of safe characters with nothing
    CPR-shaped in it, else None (then the gateway makes its own)."""
    if not value or len(value) > 64:
        return None
    try:
        text = value.decode("ascii")
    except UnicodeDecodeError:
        return None
    if not _PROXY_ID.fullmatch(text) or scrub(text) != text:
        return None
    return text


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value)
    return None


def operation_name(name: object) -> str | None:
    """A client's operationName as it may be logged: a GraphQL name of at most 64 characters,
    with anything CPR-shaped in it scrubbed (a name is the client's free choice)."""
    if isinstance(name, str) and _NAME.fullmatch(name):
        return scrub(name)
    return None


class AccessLog:
    def __init__(
        self,
        app: ASGIApp,
        *,
        metrics: Metrics | None = None,
        trusted_proxies: Iterable[str] = (),
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.trusted = TrustedProxies(trusted_proxies)

    def _request_id(self, scope: Scope) -> str:
        if self.trusted and self.trusted.trusts(scope):
            accepted = accepted_request_id(_header(scope, b"x-request-id"))
            if accepted is not None:
                return accepted
        return new_request_id()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = self._request_id(scope)
        scope[_REQUEST_ID] = request_id
        header = request_id.encode()
        started = time.perf_counter()
        status = 500  # what the server answers when the app raises before it answers

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = message.setdefault("headers", [])
                if not any(key.lower() == b"x-request-id" for key, _ in headers):
                    message["headers"] = [*headers, (b"x-request-id", header)]
            await send(message)

        bound = bind_request_id(request_id)
        try:
            await self.app(scope, receive, send_and_note)
        finally:
            try:
                self._finish(scope, request_id, status, started)
            finally:
                unbind_request_id(bound)

    def _finish(self, scope: Scope, request_id: str, status: int, started: float) -> None:
        path = scope.get("path", "")
        route = path if path in ROUTES else "other"
        note: dict[str, Any] = scope.get(_NOTE, {})
        operation = note.pop("metricOperation", NO_OPERATION)
        if self.metrics is not None:
            self.metrics.http_requests.labels(route, str(status), operation).inc()
        if log.isEnabledFor(logging.INFO):
            fields: dict[str, Any] = {
                "method": scope.get("method"),
                "route": route,
                "status": status,
                "durationMs": round((time.perf_counter() - started) * 1000, 2),
                "requestId": request_id,
                **note,
            }
            log.info("access", extra={"fields": fields})
