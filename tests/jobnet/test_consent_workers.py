"""Scenario 5 across processes: two `ungeprofil serve` processes sharing Redis, with the answer
and facts caches on (their defaults). Ali switches health sharing on and off on his page, on one
process or the other; Jette's next request on either process shows his health, then is denied
it at once (GDPR art. 7(3)): no process may answer from what it cached before.

Two processes rather than `--workers 2`: the workers of one `serve` share a listening socket,
and an idle one lets the other take every connection, so a test could not say which answered.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import Any

import httpx

from gateway.auth import sign_demo_token
from gateway.jobnet.signin import COOKIE
from gateway.settings import AUDIENCE, DEMO_ISSUER
from tests.conftest import require_service
from tests.crash.gateway_process import gateway_env
from tests.e2e.conftest import ALI
from tests.security.served import serving

REDIS_URL = "redis://127.0.0.1:6379/6"
FORM = "application/x-www-form-urlencoded"


def cookie(state_dir: Path, sub: str, role: str, **claims: str) -> dict[str, str]:
    token = sign_demo_token(
        state_dir, sub=sub, role=role, issuer=DEMO_ISSUER, audience=AUDIENCE, **claims
    )
    return {"cookie": f"{COOKIE}={token}"}


async def health_state(url: str, path: str, jette: dict[str, str]) -> str:
    async with httpx.AsyncClient(base_url=url, timeout=20.0) as http:
        html = (await http.get(path, headers=jette)).text
    found = re.findall(r'data-category="health" data-state="(\w+)"', html)
    assert found, html[:500]
    return found[0]


async def share(url: str, ali: dict[str, str], choice: str) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=20.0) as http:
        response = await http.post(
            "/jobnet/fra-dig/deling", content=f"del={choice}", headers={**ali, "content-type": FORM}
        )
    assert response.status_code == 303, response.text[:300]
    assert response.headers["location"].startswith(f"/jobnet/fra-dig?deling={choice}")


async def test_withdrawn_consent_holds_on_every_process_at_once(mocks: Any, tmp_path: Path) -> None:
    require_service("Redis", "127.0.0.1", 6379)
    state = tmp_path / "state"
    envs = []
    for name in ("a", "b"):
        env = gateway_env(mocks.urls, f"sqlite:///{tmp_path / f'audit-{name}.sqlite3'}", state)
        env.update(CACHE_URL=REDIS_URL, CACHE_TTL="30", FACTS_TTL="10")
        env["CACHE_KEY_SECRET"] = "jobnet-consent-test-" + "0" * 44  # one key: one reference
        envs.append(env)
    ali = cookie(state, ALI, "youth")
    jette = cookie(
        state,
        "jette.hansen",
        "contact_person",
        org="Jobcenter København",
        municipality="0101",
        name="Jette Hansen",
    )
    async with contextlib.AsyncExitStack() as stack:
        a, b = [
            await stack.enter_async_context(serving(env, tmp_path / f"gateway-{i}.log"))
            for i, env in enumerate(envs)
        ]
        async with httpx.AsyncClient(base_url=a.url, timeout=20.0) as http:
            caseload = (await http.get("/jobnet/sager", headers=jette)).text
        found = re.search(r'<a href="(/jobnet/sag/[0-9a-f]{32})[^"]*">Ali Hassan</a>', caseload)
        assert found, caseload[:500]
        path = found.group(1)
        try:
            # Both processes have read (and cached) Ali's facts without consent.
            assert [await health_state(g.url, path, jette) for g in (a, b)] == ["forbidden"] * 2
            await share(a.url, ali, "ja")
            assert [await health_state(g.url, path, jette) for g in (b, a)] == ["shown"] * 2
            await share(b.url, ali, "nej")
            assert [await health_state(g.url, path, jette) for g in (a, b)] == ["forbidden"] * 2
        finally:
            await share(a.url, ali, "nej")
