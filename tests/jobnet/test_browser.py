"""The Jobnet pages in a real browser (JOBNET.md "Browser tests"): `ungeprofil demo` started as a
subprocess, Debian's Chromium driven by Playwright, axe-core injected into every page.

- axe: 0 violations of WCAG 2.1 A/AA on every page for Anne, Ali and Jette at 1280 and 375 px;
- 375 px: no horizontal scroll, tables stacked, the menu drawer reaches "Log af";
- accordions and the questionnaire by keyboard alone (scenario 6), health sharing switched on
  and off (scenario 5), the pages without JavaScript, a register failing or hanging (8);
- a screenshot of every page at both widths in build/screenshots/jobnet/ (or SCREENSHOT_DIR).

The demo is this module's own (its own state directory and mock registers), so what the tests
write changes no other test's data.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from gateway.auth import sign_demo_token
from gateway.settings import AUDIENCE, DEMO_ISSUER
from tests.jobnet.browser import (
    AXE,
    CHROMIUM_FLAGS,
    SCREENSHOTS,
    WCAG,
    Demo,
    require_browser,
    running_demo,
)

ANNE = "1503044112"
WIDTHS = (1280, 375)
YOUTH_PAGES = {
    "velkommen": "/jobnet",
    "oplysninger": "/jobnet/oplysninger",
    "fra-dig": "/jobnet/fra-dig",
    "sporgsmaal": "/jobnet/fra-dig/sporgsmaal",
    "plan": "/jobnet/plan",
    "adgang": "/jobnet/adgang",
    "adgang-egne": "/jobnet/adgang?egne=1",
}
PERSONAS = {"anne": "anne-jensen", "ali": "ali-hassan", "jette": "jette-hansen"}

AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' ' + n.failureSummary)
  }));
}"""

LAYOUT = """() => {
  const root = document.documentElement;
  const stacked = [...document.querySelectorAll('table.table--responsive-headers')]
    .filter(t => t.offsetParent !== null)
    .map(t => getComputedStyle(t.querySelector('thead')).display === 'none'
          && [...t.querySelectorAll('td')].every(td => getComputedStyle(td).display === 'block'));
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, stacked};
}"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    require_browser()
    with running_demo(tmp_path_factory.mktemp("jobnet-demo")) as running:
        yield running


@pytest.fixture(scope="module")
def looked_at(demo: Demo) -> None:
    """Jette has opened Anne and Ali, so their logs have rows (for axe and the screenshots)."""
    with httpx.Client(base_url=demo.url, timeout=20.0) as http:
        cookie = _sign_in_cookie(http, "jette-hansen")
        caseload = http.get("/jobnet/sager", headers={"cookie": cookie}).text
        for name in ("Anne Jensen", "Ali Hassan"):
            found = re.search(rf'<a href="(/jobnet/sag/[0-9a-f]{{32}}[^"]*)">{name}</a>', caseload)
            assert found, name
            http.get(found.group(1).replace("&amp;", "&"), headers={"cookie": cookie})


def _sign_in_cookie(http: httpx.Client, persona: str) -> str:
    signed = http.post(
        "/demo/login",
        content=f"persona={persona}",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    return str(signed.headers["set-cookie"].split(";")[0])


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Any]:
    require_browser()
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=shutil.which("chromium"), args=list(CHROMIUM_FLAGS)
        )
        yield launched
        await launched.close()


class Tab:
    """One signed-in browser tab, collecting what the console complained about."""

    def __init__(self, page: Any, url: str) -> None:
        self.page = page
        self.url = url
        self.problems: list[str] = []
        page.on("console", lambda m: self.problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: self.problems.append(str(error)))

    async def goto(self, path: str) -> Any:
        response = await self.page.goto(self.url + path)
        await self.page.wait_for_load_state("load")
        return response

    async def axe(self) -> list[dict[str, Any]]:
        if not await self.page.evaluate("typeof window.axe !== 'undefined'"):
            await self.page.evaluate(AXE.read_text())
        violations: list[dict[str, Any]] = await self.page.evaluate(AXE_RUN, WCAG)
        return violations

    async def shot(self, name: str, full_page: bool = True) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = str(SCREENSHOTS / f"{name}.png")
        await self.page.screenshot(path=path, full_page=full_page)

    async def state(self, category: str) -> str | None:
        """The data-state of the first section of `category`; None when the page has none."""
        sections = self.page.locator(f'[data-category="{category}"]')
        if await sections.count() == 0:
            return None
        found: str | None = await sections.first.get_attribute("data-state")
        return found

    async def tab_to(self, selector: str, limit: int = 80) -> None:
        """Press Tab until the focused element matches `selector` (keyboard only)."""
        for _ in range(limit):
            await self.page.keyboard.press("Tab")
            if await self.page.evaluate(
                "(s) => document.activeElement !== null && document.activeElement.matches(s)",
                selector,
            ):
                return
        raise AssertionError(f"Tab never reached {selector}")


async def signed_in(
    browser: Any, demo: Demo, who: str, width: int = 1280, javascript: bool = True
) -> Tab:
    context = await browser.new_context(
        viewport={"width": width, "height": 900}, java_script_enabled=javascript, locale="da-DK"
    )
    tab = Tab(await context.new_page(), demo.url)
    await tab.goto("/demo/login")
    await tab.page.click(f'button[value="{PERSONAS[who]}"]')
    await tab.page.wait_for_load_state("load")
    return tab


async def close(tab: Tab) -> None:
    await tab.page.context.close()


async def case_paths(browser: Any, demo: Demo) -> dict[str, str]:
    """Jette's links to Anne and Ali, from her caseload (references, never CPR numbers)."""
    tab = await signed_in(browser, demo, "jette")
    await tab.goto("/jobnet/sager?formaal=PLANNING")
    found = {}
    for name, key in (("Anne Jensen", "anne"), ("Ali Hassan", "ali")):
        href = await tab.page.get_attribute(f'a:text-is("{name}")', "href")
        assert href and re.fullmatch(r"/jobnet/sag/[0-9a-f]{32}\?formaal=PLANNING", href)
        found[key] = href
    await close(tab)
    return found


async def check_page(tab: Tab, name: str, width: int) -> list[str]:
    """axe (as loaded, and with every accordion opened), the 375-px rules, a screenshot.
    Returns what is wrong, for one assertion over all pages."""
    wrong = []
    for violation in await tab.axe():
        wrong.append(f"{name}: axe {violation['id']} ({violation['impact']}): {violation['nodes']}")
    closed = tab.page.locator('.accordion-button[aria-expanded="false"]')
    if await closed.count():
        for _ in range(await closed.count()):
            await closed.first.click()
        for violation in await tab.axe():
            wrong.append(f"{name} opened: axe {violation['id']}: {violation['nodes']}")
    if width == 375:
        layout = await tab.page.evaluate(LAYOUT)
        if layout["scrollWidth"] > layout["clientWidth"]:
            wrong.append(f"{name}: scrolls sideways ({layout['scrollWidth']} px)")
        if not all(layout["stacked"]):
            wrong.append(f"{name}: a table is not stacked")
    await tab.shot(f"{name}-{width}")
    return wrong


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("who", ["anne", "ali"])
async def test_the_young_persons_pages(
    browser: Any, demo: Demo, looked_at: None, who: str, width: int
) -> None:
    tab = await signed_in(browser, demo, who, width)
    wrong = []
    for name, path in YOUTH_PAGES.items():
        response = await tab.goto(path)
        assert response.status == 200, path
        wrong += await check_page(tab, f"{who}-{name}", width)
    await close(tab)
    assert wrong == []
    assert tab.problems == []


@pytest.mark.parametrize("width", WIDTHS)
async def test_the_case_workers_pages(browser: Any, demo: Demo, width: int) -> None:
    cases = await case_paths(browser, demo)
    tab = await signed_in(browser, demo, "jette", width)
    wrong = []
    for name, path in (
        ("sager", "/jobnet/sager"),
        ("sag-anne", cases["anne"]),
        ("sag-ali", cases["ali"]),
        ("ingen-adgang", "/jobnet/sag/" + "0" * 32),
    ):
        await tab.goto(path)
        wrong += await check_page(tab, f"jette-{name}", width)
    assert await tab.state("grades") is None  # the no-access page shows no section
    await tab.goto(cases["anne"])
    assert await tab.state("grades") == "forbidden"
    assert await tab.state("health") == "shown"
    await close(tab)
    assert wrong == []
    # The no-access page is answered 403, which Chromium notes in the console.
    assert [p for p in tab.problems if "status of 403" not in p] == []


@pytest.mark.parametrize("width", WIDTHS)
async def test_the_sign_in_page(browser: Any, demo: Demo, width: int) -> None:
    context = await browser.new_context(viewport={"width": width, "height": 900})
    tab = Tab(await context.new_page(), demo.url)
    await tab.goto("/jobnet")
    assert tab.page.url.startswith(f"{demo.url}/demo/login")
    wrong = await check_page(tab, "demo-login", width)
    await context.close()
    assert wrong == []


async def test_the_menu_drawer_reaches_log_af_on_a_phone(browser: Any, demo: Demo) -> None:
    tab = await signed_in(browser, demo, "anne", 375)
    await tab.goto("/jobnet/plan")
    assert not await tab.page.locator(".navigation-menu .nav").is_visible()
    await tab.tab_to(".js-menu-open")
    await tab.page.keyboard.press("Enter")
    drawer = tab.page.locator(".mobile-drawer")
    await drawer.wait_for(state="visible")
    await drawer.evaluate("el => Promise.all(el.getAnimations().map(a => a.finished))")
    await tab.shot("anne-menu-375", full_page=False)
    await tab.tab_to(".mobile-drawer .log-off")
    await tab.page.keyboard.press("Enter")
    await tab.page.wait_for_url(f"{demo.url}/demo/login")
    signed_out = await tab.goto("/jobnet")
    assert signed_out.url.startswith(f"{demo.url}/demo/login")
    await close(tab)


async def test_min_plan_prints_its_content_only(browser: Any, demo: Demo) -> None:
    tab = await signed_in(browser, demo, "anne", 1280)
    await tab.goto("/jobnet/plan")
    await tab.page.emulate_media(media="print")
    assert not await tab.page.locator("header.header").is_visible()
    assert not await tab.page.locator("footer").is_visible()
    assert await tab.page.locator(".jobnet-road-goal").is_visible()
    assert await tab.page.locator(".jobnet-contact").is_visible()
    await tab.shot("anne-plan-print")
    await close(tab)


async def test_accordions_open_and_close_by_keyboard(browser: Any, demo: Demo) -> None:
    tab = await signed_in(browser, demo, "anne", 1280)
    await tab.goto("/jobnet/oplysninger")
    first = tab.page.locator(".accordion-button").first
    assert await first.get_attribute("aria-expanded") == "false"
    panel = tab.page.locator("#afsnit-skolegang")
    assert not await panel.is_visible()
    await tab.tab_to(".accordion-button")
    await tab.page.keyboard.press("Enter")
    assert await first.get_attribute("aria-expanded") == "true"
    assert await panel.is_visible()
    await tab.page.keyboard.press("Space")
    assert await first.get_attribute("aria-expanded") == "false"
    await close(tab)


async def test_anne_answers_the_questionnaire_by_keyboard(browser: Any, demo: Demo) -> None:
    """Scenario 6: from start to end with the keyboard alone; the case system then reads the
    new answers structured through `youth(…, CASE_RECORD)`."""
    tab = await signed_in(browser, demo, "anne", 1280)
    page = tab.page
    await tab.goto("/jobnet/fra-dig")
    await tab.tab_to('a[href="/jobnet/fra-dig/sporgsmaal"]')
    await page.keyboard.press("Enter")
    await page.wait_for_url("**/sporgsmaal")
    # 1: the goal (Anne's answer, education, is checked: one down is job) and her own words.
    await tab.tab_to('input[name="goal"]')
    await page.keyboard.press("ArrowDown")
    await tab.tab_to('input[name="goal_text"]')
    await page.keyboard.press("Control+A")
    await page.keyboard.type("Noget med dyr")
    await page.keyboard.press("Enter")
    await page.wait_for_selector("text=Trin 2 af 5")
    # 2: self-belief 4 -> 5, network "some" -> "strong".
    await tab.tab_to('input[name="self_belief"]')
    await page.keyboard.press("ArrowDown")
    await tab.tab_to('input[name="network"]')
    await page.keyboard.press("ArrowUp")
    await tab.tab_to('button[value="naeste"]')
    await page.keyboard.press("Enter")
    await page.wait_for_selector("text=Trin 3 af 5")
    # 3: health.
    await tab.tab_to('input[name="mental_health"]')
    await page.keyboard.press("ArrowDown")
    await tab.tab_to('input[name="physical_health"]')
    await page.keyboard.press("ArrowDown")
    await tab.tab_to('button[value="naeste"]')
    await page.keyboard.press("Enter")
    await page.wait_for_selector("text=Trin 4 af 5")
    # 4: barriers (finances off, transport on), other difficulties, children.
    await tab.tab_to("#barriers-1")
    await page.keyboard.press("Space")
    await tab.tab_to("#barriers-3")
    await page.keyboard.press("Space")
    await tab.tab_to("textarea")
    await page.keyboard.type("Lang vej til skolen")
    await tab.tab_to('input[name="children_at_home"]')
    await page.keyboard.press("Control+A")
    await page.keyboard.type("1")
    await tab.tab_to('button[value="naeste"]')
    await page.keyboard.press("Enter")
    await page.wait_for_selector("text=Trin 5 af 5")
    await tab.shot("anne-sporgsmaal-trin5-1280")
    assert await tab.axe() == []
    await tab.tab_to('button[value="send"]')
    await page.keyboard.press("Enter")
    await page.wait_for_url("**/jobnet/fra-dig?gemt=1")
    assert await page.locator("text=Tak – dine svar er gemt.").is_visible()
    await close(tab)

    token = sign_demo_token(
        demo.state_dir,
        sub="fagsystem-101",
        role="case_system",
        org="Københavns Kommune",
        municipality="0101",
        issuer=DEMO_ISSUER,
        audience=AUDIENCE,
    )
    query = """query($cpr: CPR!) { youth(cpr: $cpr, purpose: CASE_RECORD) {
      questionnaire { goal { type text } selfBelief network barriers childrenAtHome } } }"""
    async with httpx.AsyncClient(base_url=demo.url) as http:
        body = (
            await http.post(
                "/graphql",
                json={"query": query, "variables": {"cpr": ANNE}},
                headers={"authorization": f"Bearer {token}"},
            )
        ).json()
    answers = body["data"]["youth"]["questionnaire"]
    assert answers["goal"] == {"type": "JOB", "text": "Noget med dyr"}
    assert answers["selfBelief"] == 5 and answers["network"] == "STRONG"
    assert set(answers["barriers"]) == {"TRANSPORT"}
    assert answers["childrenAtHome"] == 1


async def test_ali_switches_health_sharing_and_jette_sees_it_at_once(
    browser: Any, demo: Demo
) -> None:
    """Scenario 5 in the browser: on, Jette's next request shows Ali's health; off, denied."""
    cases = await case_paths(browser, demo)
    ali = await signed_in(browser, demo, "ali", 1280)
    jette = await signed_in(browser, demo, "jette", 1280)
    await jette.goto(cases["ali"])
    assert await jette.state("health") == "forbidden"
    for choice, state in (
        ("Ja, min kontaktperson må se dem", "shown"),
        ("Nej, kun jeg må se dem", "forbidden"),
    ):
        await ali.goto("/jobnet/fra-dig")
        await ali.page.get_by_label(choice).check()
        await ali.page.get_by_role("button", name="Gem dit valg").click()
        await ali.page.wait_for_url("**/jobnet/fra-dig?deling=*")
        await jette.goto(cases["ali"])
        assert await jette.state("health") == state, choice
    await close(ali)
    await close(jette)


async def test_the_pages_work_without_javascript(browser: Any, demo: Demo) -> None:
    tab = await signed_in(browser, demo, "anne", 375, javascript=False)
    await tab.goto("/jobnet/oplysninger")
    assert await tab.page.locator("#afsnit-skolegang").is_visible()  # every section open
    assert await tab.page.locator(".mobile-drawer .log-off").is_visible()  # the menu is a list
    await tab.shot("anne-oplysninger-uden-js-375")
    await tab.goto("/jobnet/fra-dig/sporgsmaal")
    await tab.page.get_by_role("button", name="Næste").click()
    await tab.page.wait_for_selector("text=Trin 2 af 5")
    await close(tab)


def test_a_failing_register_is_named_and_the_rest_renders(
    tmp_path: Path,
) -> None:
    """Scenario 8, `demo --fail grades` (no browser needed: the page as served)."""
    with running_demo(tmp_path / "failing", ["--fail", "grades"]) as failing:
        page = _signed_in_http(failing, "anne-jensen", "/jobnet/oplysninger")
    assert 'data-category="grades" data-state="unavailable"' in page
    assert "Karakterdatabasen er midlertidigt utilgængelig" in page
    assert 'data-category="schooling" data-state="shown"' in page


def test_a_hanging_register_leaves_the_page_within_the_deadline(tmp_path: Path) -> None:
    """Scenario 8, `demo --hang dfdg`: the page answers within the register deadline (3 s)."""
    with running_demo(tmp_path / "hanging", ["--hang", "dfdg"]) as hanging:
        started = time.monotonic()
        page = _signed_in_http(hanging, "anne-jensen", "/jobnet/plan")
        took = time.monotonic() - started
    assert took < 6.0, took
    assert 'data-category="plan" data-state="unavailable"' in page


def _signed_in_http(demo: Demo, persona: str, path: str) -> str:
    with httpx.Client(base_url=demo.url, timeout=20.0) as http:
        return http.get(path, headers={"cookie": _sign_in_cookie(http, persona)}).text
