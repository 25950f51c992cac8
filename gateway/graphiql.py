"""GraphiQL for demo mode, served entirely by the gateway: no CDN, nothing external at run time.

- `GET /graphql` (demo mode) answers `PAGE`, which loads only files under `/static/`:
  the pinned GraphiQL and React builds vendored in `gateway/static/graphiql/` (versions and
  how to refresh them: its README.md) and the page's own script `gateway/static/demo.js`.
- `GET /demo/tokens` hands the page a signed demo token per persona (gateway/personas.py), so
  the page offers them as a sign-in picker instead of a token pasted by hand.

`demo_routes` is the only way in, and `create_app` calls it only when `settings.demo`: outside
demo mode neither the assets nor the tokens exist (404). The page's Content-Security-Policy
(`DEMO_PAGE_CSP`, set by gateway/security.py) allows scripts from the gateway alone.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from gateway.auth import sign_demo_token
from gateway.personas import PERSONAS
from gateway.settings import Settings

STATIC_DIR = Path(__file__).parent / "static"

PAGE = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Ungeprofil GraphiQL (demo)</title>
    <link rel="stylesheet" href="/static/graphiql/graphiql.min.css" />
    <link rel="stylesheet" href="/static/demo.css" />
  </head>
  <body>
    <div id="graphiql">Loading…</div>
    <script src="/static/graphiql/react.production.min.js"></script>
    <script src="/static/graphiql/react-dom.production.min.js"></script>
    <script src="/static/graphiql/graphiql.min.js"></script>
    <script src="/static/demo.js"></script>
  </body>
</html>
"""

#: How long the picker's tokens are valid (a reload fetches fresh ones).
TOKEN_LIFETIME = dt.timedelta(hours=8)


def page() -> Response:
    return Response(PAGE, media_type="text/html; charset=utf-8")


def persona_tokens(settings: Settings) -> dict[str, dict[str, str | None]]:
    """`{subject: {name, role, org, token}}` for every persona, signed with the demo key."""
    return {
        persona.sub: {
            "name": persona.name,
            "role": persona.role,
            "org": persona.org,
            "token": sign_demo_token(
                settings.state_dir,
                sub=persona.sub,
                role=persona.role,
                org=persona.org,
                municipality=persona.municipality,
                name=persona.name if persona.role != "youth" else None,
                issuer=settings.token_issuer,  # what this gateway accepts
                audience=settings.token_audience,
                lifetime=TOKEN_LIFETIME,
            ),
        }
        for persona in PERSONAS
    }


def demo_routes(settings: Settings) -> list[BaseRoute]:
    """The demo page's assets and the persona tokens; never part of a production app."""
    if not settings.demo:
        raise RuntimeError("the demo routes exist in demo mode only")

    async def tokens(_: Request) -> Response:
        return Response(orjson.dumps(persona_tokens(settings)), media_type="application/json")

    return [
        Route("/demo/tokens", tokens, methods=["GET"]),
        Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
    ]
