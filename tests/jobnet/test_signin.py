"""Signing in to the pages (JOBNET.md scenario 10): the demo's persona sign-in, the cookie it
sets, signing out, and that the cookie opens the pages and nothing else — `/graphql` takes only
the Authorization header, and outside demo mode `/demo/login` does not exist."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gateway.jobnet.signin import COOKIE
from tests.crash.gateway_process import gateway_env
from tests.jobnet.conftest import Site, has_cpr, text_of
from tests.security.served import serving


def cookie_from(response: Any) -> str:
    header = response.headers["set-cookie"]
    assert header.startswith(f"{COOKIE}=")
    return str(header.split(";")[0].split("=", 1)[1])


async def test_no_cookie_goes_to_sign_in_and_back(site: Site) -> None:
    response = await site.get(None, "/jobnet/plan")
    assert response.status_code == 303
    assert response.headers["location"] == "/demo/login?next=/jobnet/plan"


async def test_the_demo_lists_the_personas_and_signs_one_in(site: Site) -> None:
    page = await site.http.get("/demo/login")
    assert page.status_code == 200
    words = text_of(page.text)
    assert "Anne Jensen" in words and "Jette Hansen" in words and "Ali Hassan" in words
    assert "Fagsystem" not in words, "a case system signs in no browser"
    assert not has_cpr(page.text), "personas are chosen by name, never by CPR"
    signed_in = await site.http.post(
        "/demo/login",
        content="persona=anne-jensen&next=/jobnet/plan",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/jobnet/plan"
    attributes = [a.strip().lower() for a in signed_in.headers["set-cookie"].split(";")]
    assert "httponly" in attributes and "samesite=strict" in attributes
    assert "path=/jobnet" in attributes
    token = cookie_from(signed_in)
    plan = await site.http.get("/jobnet/plan", headers={"cookie": f"{COOKIE}={token}"})
    assert plan.status_code == 200 and "Min plan" in plan.text


async def test_staff_land_on_their_caseload(site: Site) -> None:
    signed_in = await site.http.post(
        "/demo/login",
        content="persona=jette-hansen",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert signed_in.headers["location"] == "/jobnet/sager"


async def test_an_unknown_persona_or_a_foreign_next_page_gets_nowhere(site: Site) -> None:
    unknown = await site.http.post(
        "/demo/login",
        content="persona=1503044112",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert unknown.status_code == 400 and "set-cookie" not in unknown.headers
    away = await site.http.post(
        "/demo/login",
        content="persona=anne-jensen&next=https://evil.example/",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert away.headers["location"] == "/jobnet"


async def test_signing_in_from_another_site_is_refused(site: Site) -> None:
    response = await site.http.post(
        "/demo/login",
        content="persona=anne-jensen",
        headers={
            "content-type": "application/x-www-form-urlencoded",
            "sec-fetch-site": "cross-site",
        },
    )
    assert response.status_code == 403 and "set-cookie" not in response.headers


async def test_log_af_clears_the_cookie(site: Site) -> None:
    response = await site.post("anne", "/jobnet/log-af", {})
    assert response.status_code == 303
    assert response.headers["location"] == "/demo/login"
    cleared = response.headers["set-cookie"].lower()
    assert cleared.startswith(f"{COOKIE}=") and "max-age=0" in cleared


async def test_a_bad_cookie_is_cleared_and_sends_to_sign_in(site: Site) -> None:
    response = await site.http.get("/jobnet", headers={"cookie": f"{COOKIE}=not-a-token"})
    assert response.status_code == 303
    assert response.headers["location"].startswith("/demo/login")
    assert "max-age=0" in response.headers["set-cookie"].lower()


async def test_graphql_never_takes_the_cookie(site: Site) -> None:
    response = await site.http.post(
        "/graphql", json={"query": "{ me { identity { firstName } } }"}, headers=site.cookie("anne")
    )
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_outside_demo_mode_there_is_no_demo_sign_in(make_site: Any) -> None:
    site = await make_site(demo=False)
    assert (await site.http.get("/demo/login")).status_code == 404
    assert (await site.http.post("/demo/login", content="persona=anne-jensen")).status_code == 404
    to_sign_in = await site.get(None, "/jobnet")
    assert to_sign_in.headers["location"] == "/jobnet/log-ind?next=/jobnet"
    assert (await site.get(None, "/jobnet/log-ind")).status_code == 401
    # A token from the deployment's own sign-in in the same cookie opens the pages.
    assert (await site.get("anne", "/jobnet")).status_code == 200


async def test_a_production_serve_has_no_demo_sign_in(mocks: Any, tmp_path: Path) -> None:
    env = gateway_env(mocks.urls, f"sqlite:///{tmp_path / 'audit.sqlite3'}", tmp_path / "state")
    async with serving(env, tmp_path / "gateway.log") as gateway:
        import httpx

        async with httpx.AsyncClient(base_url=gateway.url) as http:
            assert (await http.get("/demo/login")).status_code == 404
            jobnet = await http.get("/jobnet")
            assert jobnet.status_code == 303
            assert jobnet.headers["location"] == "/jobnet/log-ind?next=/jobnet"
