"""Demo mode's GraphiQL in a real browser, offline: `ungeprofil serve --demo` on loopback,
Chromium with every request that leaves 127.0.0.1 refused. The page loads, signs in the
default persona, runs a query, switches person, and keeps the choice over a reload.

Needs Python Playwright (`pip install -c requirements.lock -e '.[browser]'`) and a Chromium
(Debian's `chromium`, or Playwright's own); skipped, saying which is missing, without them.
Not part of the default CI set-up: the HTTP-level checks are tests/security/test_graphiql.py.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.crash.gateway_process import gateway_env
from tests.security.served import serving

playwright_api = pytest.importorskip(
    "playwright.async_api", reason="Python Playwright is not installed (extra 'browser')"
)
CHROMIUM = (
    os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
)

ANNE = "1503044112"


async def test_graphiql_signs_in_a_persona_offline(mocks: Any, tmp_path: Path) -> None:
    if CHROMIUM is None:
        pytest.skip("no Chromium on PATH (apt-get install chromium, or set CHROMIUM)")
    env = gateway_env(mocks.urls, f"sqlite:///{tmp_path / 'audit.sqlite3'}", tmp_path / "state")
    env.pop("JWKS_FILE")  # demo mode: the demo key of its state directory
    async with (
        serving(env, tmp_path / "gateway.log", ["--demo"]) as gateway,
        playwright_api.async_playwright() as playwright,
    ):
        browser = await playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            await check_the_page(browser, gateway.url, tmp_path)
        finally:
            await browser.close()


async def check_the_page(browser: Any, url: str, tmp_path: Path) -> None:
    expect = playwright_api.expect
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    page = await context.new_page()
    outside: list[str] = []
    problems: list[str] = []

    async def only_loopback(route: Any) -> None:
        if route.request.url.startswith(url):
            await route.continue_()
        else:
            outside.append(route.request.url)
            await route.abort()

    await context.route("**/*", only_loopback)
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    await page.goto(f"{url}/graphql")
    picker = page.locator("#ungeprofil-persona")
    await expect(picker).to_have_value("jette.hansen", timeout=15_000)
    await run_and_expect(page, "Anne")  # Jette's default query: Anne's identity

    await picker.select_option(ANNE)
    assert await page.evaluate("localStorage.getItem('ungeprofil.persona')") == ANNE
    await page.reload()
    await expect(picker).to_have_value(ANNE, timeout=15_000)
    await expect(page.locator("[data-testid=signed-in]")).to_contain_text(ANNE)
    await run_and_expect(page, '"me"')  # Anne's default query: `me`
    await page.screenshot(path=str(tmp_path / "graphiql.png"))
    if os.environ.get("SCREENSHOT_DIR"):  # to look at it: SCREENSHOT_DIR=/tmp/shots pytest ...
        await page.screenshot(path=os.path.join(os.environ["SCREENSHOT_DIR"], "graphiql.png"))

    assert outside == [], outside
    csp = [p for p in problems if "Content Security Policy" in p]
    assert csp == [], csp
    assert [p for p in problems if "sourcemap" not in p.lower()] == [], problems


async def run_and_expect(page: Any, text: str) -> None:
    await page.locator(".graphiql-execute-button").click()
    response = page.locator(".graphiql-response")
    await playwright_api.expect(response).to_contain_text(text, timeout=15_000)
