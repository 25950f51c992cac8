"""Production hardening at the HTTP edge: security headers on every response, and error
messages without graphql-core's "Did you mean …" suggestions (they map the schema for a caller
who may not introspect it).

Demo mode keeps GraphiQL, served by the gateway itself (gateway/graphiql.py): its page is the
one response with another Content-Security-Policy, `DEMO_PAGE_CSP` — scripts, styles and
connections from the gateway only (inline styles and data: fonts, which GraphiQL uses).
"""

from __future__ import annotations

import re

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.logs import scrub

#: Nothing may be loaded, framed or submitted from a JSON API response.
STRICT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

#: Demo mode's GraphiQL page: its scripts, styles and requests go to the gateway alone. GraphiQL
#: sets inline styles (React `style` attributes) and embeds its fonts and icons as data: URLs.
DEMO_PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)

BASE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}

_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


def strip_suggestions(message: str) -> str:
    """graphql-core's messages without "Did you mean 'x'?" (validation hides them already when
    asked; variable coercion during execution does not)."""
    return _SUGGESTION.sub("", message)


def client_message(message: str, *, production: bool) -> str:
    """An error message as it may leave: graphql-core echoes rejected input ("Value
    '1503044112' does not exist in 'Purpose' enum"), so a CPR-shaped number is scrubbed from
    every message; in production the suggestions go too."""
    message = scrub(message)
    return strip_suggestions(message) if production else message


class SecurityHeaders:
    """Pure ASGI middleware: adds the security headers to every HTTP response."""

    def __init__(
        self, app: ASGIApp, *, demo: bool = False, hsts_max_age: int | None = None
    ) -> None:
        self.app = app
        self.demo = demo
        self.headers = dict(BASE_HEADERS)
        if hsts_max_age is not None:
            self.headers["Strict-Transport-Security"] = f"max-age={hsts_max_age}; includeSubDomains"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers[name] = value
                # A page that states its own policy keeps it (the Jobnet pages: gateway/jobnet/).
                if "content-security-policy" not in headers:
                    demo_page = self.demo and _is_html(headers)
                    headers["Content-Security-Policy"] = DEMO_PAGE_CSP if demo_page else STRICT_CSP
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _is_html(headers: MutableHeaders) -> bool:
    return str(headers.get("content-type", "")).startswith("text/html")
