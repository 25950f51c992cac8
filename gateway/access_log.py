"""One JSON access line per HTTP request (logger `ungeprofil.access`).

The line says what an operator needs to follow traffic — the request id, the route, the GraphQL
operation, the status, the duration, the caller's role, the purposes declared, and counts — and
never what would make the log a copy of the data: no CPR number (a young person's `sub` is one,
so no subject at all), no token, no register URL, no query text or variables, no query string,
and a path only when it is one of the gateway's routes.

`AccessLog` is a pure ASGI middleware that times the request and takes the status from the
response; the GraphQL endpoint adds what only it knows through `access_note(scope)`.
"""

from __future__ import annotations

import logging
import re
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.logs import scrub

log = logging.getLogger("ungeprofil.access")

#: The routes a line may name; any other path (it could carry anything) is logged as "other".
ROUTES = frozenset({"/graphql", "/healthz", "/readyz", "/metrics"})
_NOTE = "ungeprofil.access"
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,63}")


def access_note(scope: Scope) -> dict[str, Any]:
    """The fields the endpoint adds to this request's access line."""
    note: dict[str, Any] = scope.setdefault(_NOTE, {})
    return note


def operation_name(name: object) -> str | None:
    """A client's operationName as it may be logged: a GraphQL name of at most 64 characters,
    with anything CPR-shaped in it scrubbed (a name is the client's free choice)."""
    if isinstance(name, str) and _NAME.fullmatch(name):
        return scrub(name)
    return None


class AccessLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not log.isEnabledFor(logging.INFO):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the server answers when the app raises before it answers

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            path = scope.get("path", "")
            fields: dict[str, Any] = {
                "method": scope.get("method"),
                "route": path if path in ROUTES else "other",
                "status": status,
                "durationMs": round((time.perf_counter() - started) * 1000, 2),
                **scope.get(_NOTE, {}),
            }
            log.info("access", extra={"fields": fields})
