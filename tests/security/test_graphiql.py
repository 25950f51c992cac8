"""Demo mode's GraphiQL works offline: the page names no external URL, its assets and the
persona tokens come from the gateway, and none of it exists outside demo mode (404)."""

from __future__ import annotations

import re
from typing import Any

import httpx

from gateway.personas import PERSONAS
from gateway.security import DEMO_PAGE_CSP, STRICT_CSP
from tests.security.conftest import Guarded

ASSETS = (
    "/static/graphiql/react.production.min.js",
    "/static/graphiql/react-dom.production.min.js",
    "/static/graphiql/graphiql.min.js",
    "/static/graphiql/graphiql.min.css",
    "/static/demo.js",
    "/static/demo.css",
)
_REFERENCE = re.compile(r"""<(?:script|link)\b[^>]*\b(?:src|href)=["']([^"']+)["']""")


def references(html: str) -> list[str]:
    return _REFERENCE.findall(html)


async def test_the_demo_page_loads_only_from_the_gateway(make_guarded: Any) -> None:
    guarded: Guarded = await make_guarded(demo=True)
    http = guarded.client.http
    page = await http.get("/graphql")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "://" not in page.text  # no CDN, no absolute URL of any kind
    found = references(page.text)
    assert sorted(found) == sorted(ASSETS)
    assert page.headers["Content-Security-Policy"] == DEMO_PAGE_CSP
    assert "script-src 'self';" in DEMO_PAGE_CSP and "unsafe-eval" not in DEMO_PAGE_CSP
    for asset in found:
        response = await http.get(asset)
        assert response.status_code == 200, asset
        assert response.content, asset
        assert response.headers["Content-Security-Policy"] == STRICT_CSP, asset
        kind = "text/css" if asset.endswith(".css") else "javascript"
        assert kind in response.headers["content-type"], asset


async def test_demo_tokens_sign_in_every_persona(make_guarded: Any) -> None:
    guarded: Guarded = await make_guarded(demo=True)
    http = guarded.client.http
    response = await http.get("/demo/tokens")
    assert response.status_code == 200
    tokens = response.json()
    assert list(tokens) == [persona.sub for persona in PERSONAS]
    for persona in PERSONAS:
        entry = tokens[persona.sub]
        assert (entry["role"], entry["name"]) == (persona.role, persona.name)
        answer = await http.post(
            "/graphql",
            json={"query": "{ __typename }"},
            headers={"Authorization": f"Bearer {entry['token']}"},
        )
        assert answer.json() == {"data": {"__typename": "Query"}}, persona.sub
    anne = tokens["1503044112"]["token"]
    me = await http.post(
        "/graphql",
        json={"query": "{ me { identity { firstName } } }"},
        headers={"Authorization": f"Bearer {anne}"},
    )
    assert me.json()["data"]["me"]["identity"]["firstName"] == "Anne"


async def test_production_has_no_page_no_assets_and_no_tokens(guarded: Guarded) -> None:
    http: httpx.AsyncClient = guarded.client.http
    assert (await http.get("/graphql")).status_code == 405
    for path in ("/demo/tokens", *ASSETS, "/static/graphiql/README.md"):
        response = await http.get(path)
        assert response.status_code == 404, path
        assert "token" not in response.text.lower(), path
