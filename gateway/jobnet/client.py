"""The pages' one way to data: a persisted operation posted to this very app's `/graphql`, in
process (httpx's ASGI transport), with the signed-in person's bearer token.

So a page passes auth, the limits, the policy, audit-before-release and the error codes
exactly as any client does, and a gateway that runs only trusted operations
(`serve --trusted-only`) serves the pages too: they send the hash, never a query text.

The outcome a page cannot render around is an exception: `SignInNeeded` (401), `Withheld`
(AUDIT_UNAVAILABLE: nothing may be shown) and `Failed` (anything else that left no data).
Everything else — a denied category, a register that is down — is in the `Answer`, for the
page to show per section.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson
from starlette.types import ASGIApp

AUDIT_UNAVAILABLE = "AUDIT_UNAVAILABLE"
UNAUTHENTICATED = "UNAUTHENTICATED"
FORBIDDEN = "FORBIDDEN"
REGISTER_UNAVAILABLE = "REGISTER_UNAVAILABLE"


class SignInNeeded(Exception):
    """The token is missing, expired or not accepted: the person must sign in again."""


class Withheld(Exception):
    """The audit log could not record the access, so the gateway released nothing."""


class Failed(Exception):
    """The operation did not run (unknown operation, bad input, an internal error)."""

    def __init__(self, code: str, request_id: str | None) -> None:
        super().__init__(code)
        self.code = code
        self.request_id = request_id


@dataclass
class Answer:
    """What one operation answered: its data, and its errors by path ("me.grades")."""

    data: dict[str, Any]
    errors: dict[str, dict[str, Any]] = field(default_factory=dict)
    request_id: str | None = None
    stale: list[dict[str, Any]] = field(default_factory=list)

    def error_at(self, *path: str | int) -> dict[str, Any] | None:
        return self.errors.get(".".join(str(p) for p in path))

    def code_at(self, *path: str | int) -> str | None:
        error = self.error_at(*path)
        code = (error or {}).get("extensions", {}).get("code")
        return str(code) if code else None


class GraphQLClient:
    """Posts persisted operations, by name, to the app it is given."""

    def __init__(self, app: ASGIApp, hashes: Mapping[str, str]) -> None:
        self._http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://jobnet.internal"
        )
        self._hashes = dict(hashes)

    async def run(
        self, token: str, operation: str, variables: Mapping[str, Any] | None = None
    ) -> Answer:
        digest = self._hashes.get(operation)
        if digest is None:  # the gateway's operations file does not ship the pages' operations
            raise Failed("PERSISTED_QUERY_NOT_FOUND", None)
        body = {
            "operationName": operation,
            "variables": dict(variables or {}),
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}},
        }
        response = await self._http.post(
            "/graphql",
            content=orjson.dumps(body),
            headers={"authorization": f"Bearer {token}", "content-type": "application/json"},
        )
        request_id = response.headers.get("x-request-id")
        if response.status_code == 401:
            raise SignInNeeded()
        try:
            payload = orjson.loads(response.content)
        except orjson.JSONDecodeError:
            raise Failed("INTERNAL", request_id) from None
        errors = payload.get("errors") or []
        codes = [e.get("extensions", {}).get("code") for e in errors]
        if AUDIT_UNAVAILABLE in codes:
            raise Withheld()
        if UNAUTHENTICATED in codes:
            raise SignInNeeded()
        data = payload.get("data")
        if not isinstance(data, dict):
            raise Failed(next((str(c) for c in codes if c), "INTERNAL"), request_id)
        by_path: dict[str, dict[str, Any]] = {}
        for error in errors:
            path = error.get("path")
            if path:
                by_path.setdefault(".".join(str(p) for p in path), error)
            else:  # an error of the whole operation although some data came: do not guess
                raise Failed(str(error.get("extensions", {}).get("code", "INTERNAL")), request_id)
        stale = (payload.get("extensions") or {}).get("stale") or []
        return Answer(data=data, errors=by_path, request_id=request_id, stale=stale)

    async def aclose(self) -> None:
        await self._http.aclose()
