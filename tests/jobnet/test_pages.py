"""The Jobnet pages without a browser (JOBNET.md "Scenarios"): each page over ASGI with the
sign-in cookie, its sections in the state the policy left them, nothing denied in the HTML."""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any

import pytest

from tests.conftest import REFERENCE_DATE
from tests.e2e.conftest import ALI, ANNE, SOFIE
from tests.jobnet.conftest import Site, has_cpr, main_of, section, state_of, text_of

YOUTH_PAGES = (
    "/jobnet",
    "/jobnet/oplysninger",
    "/jobnet/fra-dig",
    "/jobnet/plan",
    "/jobnet/adgang",
)
MONTHS = "januar februar marts april maj juni juli august september oktober november december"


def danish(day: dt.date) -> str:
    return f"{day.day}. {MONTHS.split()[day.month - 1]} {day.year}"


async def case_page(site: Site, who: str, cpr: str, purpose: str = "PLANNING") -> Any:
    return await site.get(who, f"/jobnet/sag/{site.ref(who, cpr)}?formaal={purpose}")


# --- scenario 1: Anne signs in ------------------------------------------------------------------


async def test_anne_is_welcomed_with_her_contact_person(site: Site) -> None:
    response = await site.get("anne", "/jobnet")
    assert response.status_code == 200
    html = response.text
    assert '<html lang="da">' in html
    words = text_of(html)
    assert "Velkommen Anne" in words
    card = section(html, "contacts")
    assert "Jette Hansen" in card
    assert 'href="tel:+4531993801"' in card
    assert 'href="mailto:jette.hansen@jobcenterkoebenhavn.dk"' in card
    assert state_of(html, "questionnaire") == ["shown"]
    assert state_of(html, "benefits") == ["shown"]
    assert "Du modtager kontanthjælp" in words


async def test_anne_sees_the_road_to_her_goal(site: Site) -> None:
    html = (await site.get("anne", "/jobnet/plan")).text
    words = text_of(html)
    assert state_of(html, "plan") == ["shown"]
    road = section(html, "plan")
    stops = re.findall(r'<li class="jobnet-road-(\w+)', road)
    assert stops == ["offer", "offer", "education", "goal"]
    order = [
        "Mentor I gang",
        "Mikkel Holm",
        "Virksomhedspraktik I gang",
        "Sara Nielsen",
        f"Uddannelsesstart: Gartner Planlagt {danish(REFERENCE_DATE + dt.timedelta(days=40))}",
        "Grøn Erhvervsskole",
        "Dit mål: Uddannelse inden for det grønne område",
    ]
    positions = [words.find(text) for text in order]
    assert -1 not in positions, list(zip(order, positions, strict=True))
    assert positions == sorted(positions)
    assert "Formål: støtte til at komme godt i gang og holde fast" in words
    for goal in ("Uddannelse inden for det grønne område", "Servicemedarbejder"):
        assert goal in words
    assert words.count("Aftalt med Jette Hansen") == 3  # the education goal and two job goals
    assert "Viceværtsmedhjælper" in words
    assert "step-indicator" not in html, "no four-step progress bar on Min plan"
    assert "Opdateret den" in words
    assert 'media="print"' in html


async def test_every_page_of_the_young_person_shows_the_contact_person(site: Site) -> None:
    for path in YOUTH_PAGES:
        html = (await site.get("anne", path)).text
        assert "Din kontaktperson" in html and "Jette Hansen" in section(html, "contacts"), path


# --- scenarios 2 and 3: Jette opens Anne ----------------------------------------------------------


async def test_jette_finds_anne_in_her_caseload_by_reference(site: Site) -> None:
    html = (await site.get("jette", "/jobnet/sager?formaal=PLANNING")).text
    assert state_of(html, "caseload") == ["shown"]
    links = dict(
        re.findall(r'<a href="(/jobnet/sag/[0-9a-f]{32}\?formaal=PLANNING)">([^<]+)</a>', html)
    )
    by_name = {name: href for href, name in links.items()}
    assert {"Anne Jensen", "Ali Hassan"} <= set(by_name)
    assert by_name["Anne Jensen"] == f"/jobnet/sag/{site.ref('jette', ANNE)}?formaal=PLANNING"
    assert not has_cpr(html)


async def test_jette_on_anne_sees_what_the_policy_allows_and_no_grade(site: Site) -> None:
    response = await case_page(site, "jette", ANNE)
    assert response.status_code == 200
    html = response.text
    words = text_of(html)
    assert (
        "Du ser Anne Jensen som kontaktperson i Jobcenter København, med formålet planlægning"
        in words
    )
    assert state_of(html, "grades") == ["forbidden"]
    assert state_of(html, "social_plans") == ["forbidden"]
    assert "Ikke delt med dig – ingen lovhjemmel for karakterer" in words
    assert "Ikke delt med dig – ingen lovhjemmel for handleplaner på det sociale område" in words
    assert state_of(html, "health") == ["shown"]  # Anne consented
    assert state_of(html, "plan") == ["shown"] and state_of(html, "schooling") == ["shown"]
    # No value of a denied category anywhere in the page: not her grades, not the exam.
    assert "jobnet-grade" not in html and "Afgangsprøve" not in words
    for subject in ("Fysik/kemi", "Matematik", "Engelsk", "Naturfag"):
        assert subject not in words
    assert not has_cpr(html)
    # The purpose picker offers the role's purposes only.
    options = re.findall(r'<option value="(\w+)"', html)
    assert options == ["VISITATION", "PLANNING", "EDUCATION_START", "RETENTION"]


async def test_annes_log_shows_jettes_look_with_the_refused_grades(site: Site) -> None:
    await case_page(site, "jette", ANNE)
    html = (await site.get("anne", "/jobnet/adgang")).text
    assert state_of(html, "access_log") == ["shown"]
    rows = re.findall(r"<tr>(.*?)</tr>", section(html, "access_log"), flags=re.S)
    jette = [text_of(row) for row in rows if "Jette Hansen" in row]
    assert jette, "Jette's look is in Anne's log"
    row = jette[0]
    assert "Jette Hansen, Jobcenter København" in row
    assert "Planlægning" in row
    assert "Uddannelser" in row and "Min plan" in row  # categories seen
    assert "Karakterer fra afgangsprøven – ingen lovhjemmel for karakterer" in row
    assert not has_cpr(html)


async def test_the_log_pages_and_hides_the_young_persons_own_reads_unless_asked(
    site: Site,
) -> None:
    for _ in range(3):
        await site.get("anne", "/jobnet/plan")
    html = (await site.get("anne", "/jobnet/adgang")).text
    assert "Dig selv" not in section(html, "access_log")
    own = (await site.get("anne", "/jobnet/adgang?egne=1")).text
    assert "Dig selv" in section(own, "access_log")
    assert not has_cpr(own), "a young person's own reads name them by CPR: never shown"


# --- scenario 4: Ali ---------------------------------------------------------------------------


async def test_ali_sees_his_own_grades_courses_plan_and_health(site: Site) -> None:
    html = (await site.get("ali", "/jobnet/oplysninger")).text
    words = text_of(html)
    grades = section(html, "grades")
    assert state_of(html, "grades") == ["shown"]
    cells = re.findall(r'class="jobnet-grade">([^<]+)<', grades)
    assert "02" in cells and "00" in cells
    schooling = text_of(section(html, "schooling"))
    assert len(re.findall(r"\(Erhvervsuddannelse\).*?Afbrudt", schooling)) == 2
    assert state_of(html, "social_plans") == ["shown"]
    assert "Handleplan for unge voksne" in words
    health = text_of((await site.get("ali", "/jobnet/fra-dig")).text)
    assert "Delt med din kontaktperson: nej" in health


async def test_jette_on_ali_is_refused_health_without_consent(site: Site) -> None:
    html = (await case_page(site, "jette", ALI)).text
    assert state_of(html, "health") == ["forbidden"]
    assert "Ikke delt med dig – den unge har ikke givet samtykke" in text_of(html)
    assert "Mentalt helbred" not in html


# --- who may see each category: the policy matrix, read by the young person ----------------------


async def test_anne_is_told_who_may_see_each_category(site: Site) -> None:
    html = (await site.get("anne", "/jobnet/oplysninger")).text
    grades = text_of(section(html, "grades"))
    assert "Hvem kan se det: Du selv – og ingen andre." in grades
    contacts = text_of(section(html, "contacts"))
    assert "Din kontaktperson i jobcentret" in contacts
    assert "Din mentor (til mentorstøtte)" in contacts
    assert "Det bruges til:" in contacts
    for category in (
        "schooling",
        "grades",
        "employment",
        "benefits",
        "plan",
        "social_plans",
        "admissions",
        "contacts",
        "support_needs",
        "dropout_risk",
    ):
        assert set(state_of(html, category)) in ({"shown"}, {"empty"}), category


# --- scenario 7: no access, one answer ---------------------------------------------------------


async def test_no_relationship_and_unknown_reference_are_the_same_page(site: Site) -> None:
    sofie = await case_page(site, "jette", SOFIE)
    unknown = await site.get("jette", "/jobnet/sag/" + "7" * 32 + "?formaal=PLANNING")
    malformed = await site.get("jette", "/jobnet/sag/1503044112")
    ended = await site.get("mikkel", f"/jobnet/sag/{site.ref('mikkel', ALI)}?formaal=MENTORING")
    answers = [sofie, unknown, malformed, ended]
    assert {r.status_code for r in answers} == {403}
    assert len({r.text for r in answers[:3]}) == 1  # Jette's three: the very same page
    assert len({main_of(r.text) for r in answers}) == 1  # Mikkel's differs in the header only
    assert "Ingen adgang" in sofie.text


async def test_mikkel_sees_anne_for_mentoring(site: Site) -> None:
    html = (await case_page(site, "mikkel", ANNE, "MENTORING")).text
    assert state_of(html, "plan") == ["shown"]
    assert state_of(html, "grades") == ["forbidden"]
    assert state_of(html, "employment") == ["forbidden"]
    assert re.findall(r'<option value="(\w+)"', html) == ["MENTORING"]


# --- scenario 8: registers down -----------------------------------------------------------------


async def test_a_failing_register_costs_only_its_own_section(site: Site, mocks: Any) -> None:
    mocks.faults["grades"].update({"fail": True})
    html = (await site.get("anne", "/jobnet/oplysninger")).text
    assert state_of(html, "grades") == ["unavailable"]
    assert "Karakterdatabasen er midlertidigt utilgængelig" in text_of(section(html, "grades"))
    assert state_of(html, "schooling") == ["shown"]
    assert state_of(html, "plan") == ["shown"]
    assert set(state_of(html, "contacts")) == {"shown"}


async def test_a_hanging_register_answers_within_the_deadline(make_site: Any, mocks: Any) -> None:
    site = await make_site(connect_timeout=0.5, read_timeout=0.6, register_deadline=0.8)
    mocks.faults["dfdg"].update({"hang": True})
    started = time.monotonic()
    response = await site.get("anne", "/jobnet/plan")
    took = time.monotonic() - started
    assert took < 3.0, took
    assert response.status_code == 200
    html = response.text
    assert state_of(html, "plan") == ["unavailable"]
    assert "Det fælles datagrundlag (DFDG) er midlertidigt utilgængelig" in text_of(
        section(html, "plan")
    )


# --- the ways in and out -------------------------------------------------------------------------


async def test_a_young_person_is_sent_to_their_own_pages_and_staff_to_theirs(site: Site) -> None:
    staff = await site.get("anne", "/jobnet/sager")
    assert staff.status_code == 303 and staff.headers["location"] == "/jobnet"
    youth = await site.get("jette", "/jobnet/plan")
    assert youth.status_code == 303 and youth.headers["location"] == "/jobnet/sager"


async def test_no_page_carries_a_cpr_in_a_link(site: Site) -> None:
    pages = [*(("anne", p) for p in YOUTH_PAGES), ("jette", "/jobnet/sager")]
    for who, path in pages:
        html = (await site.get(who, path)).text
        for target in re.findall(r'(?:href|action|src)="([^"]*)"', html):
            assert not has_cpr(target), (path, target)
    html = (await case_page(site, "jette", ANNE)).text
    for target in re.findall(r'(?:href|action|src)="([^"]*)"', html):
        assert not has_cpr(target), target


async def test_pages_state_their_own_content_security_policy(site: Site) -> None:
    response = await site.get("anne", "/jobnet")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "form-action 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["cache-control"] == "no-store"
    api = await site.http.post("/graphql", json={"query": "{ me { cpr } }"})
    assert api.headers["content-security-policy"].startswith("default-src 'none'")


@pytest.mark.parametrize("path", YOUTH_PAGES)
async def test_pages_are_served_by_a_gateway_that_runs_only_trusted_operations(
    make_site: Any, path: str
) -> None:
    site = await make_site(trusted_operations_only=True)
    response = await site.get("anne", path)
    assert response.status_code == 200, text_of(response.text)[:300]
    adhoc = await site.http.post(
        "/graphql",
        json={"query": "{ me { identity { firstName } } }"},
        headers={"authorization": f"Bearer {site.client.tokens['anne']}"},
    )
    assert adhoc.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


@pytest.mark.parametrize("who", ["jette", "mikkel", "sara", "lars", "maria", "henrik"])
async def test_every_professional_gets_a_caseload_page(site: Site, who: str) -> None:
    response = await site.get(who, "/jobnet/sager")
    assert response.status_code == 200
    states = state_of(response.text, "caseload")
    assert states in (["shown"], ["empty"], ["forbidden"]), states
    if who == "henrik":  # a privacy officer sees no young person's data
        assert states in (["empty"], ["forbidden"])
    assert not has_cpr(response.text)
