"""The young person's writes from the pages, as forms without JavaScript (JOBNET.md scenarios 5
and 6): health sharing switched on and off takes effect on the contact person's next request,
and the questionnaire in steps reaches the case system structured.

Both change the mock registers the whole session shares, so each test puts back what it changed.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.e2e.conftest import ALI, ANNE
from tests.jobnet.conftest import Site, has_cpr, section, state_of, text_of

#: Anne's answers as the personas have them (PERSONAS.md), to put back after a test.
ANNES_ANSWERS = {
    "goal": "EDUCATION",
    "goal_text": "Jeg vil være gartner",
    "self_belief": "4",
    "network": "SOME",
    "mental_health": "3",
    "physical_health": "4",
    "psychiatry": "nej",
    "barriers": ["FINANCES"],
    "other_difficulties": "",
    "children_at_home": "0",
}

NEW_ANSWERS = {
    "goal": "JOB",
    "goal_text": "Noget med dyr",
    "self_belief": "5",
    "network": "STRONG",
    "mental_health": "4",
    "physical_health": "5",
    "psychiatry": "",
    "barriers": ["TRANSPORT", "HOUSING"],
    "other_difficulties": "Lang vej til skolen",
    "children_at_home": "1",
}

CASE_RECORD = """query($cpr: CPR!) { youth(cpr: $cpr, purpose: CASE_RECORD) {
  questionnaire { answered goal { type text } selfBelief network barriers childrenAtHome } } }"""


def form_fields(answers: dict[str, Any], key: str, step: int, action: str) -> list[tuple[str, str]]:
    fields = [("trin", str(step)), ("key", key), ("handling", action)]
    for name, value in answers.items():
        for item in value if isinstance(value, list) else [value]:
            fields.append((name, item))
    return fields


async def fill_in(site: Site, who: str, answers: dict[str, Any]) -> Any:
    """The questionnaire from its first step to sending, as a browser without scripts would."""
    start = await site.get(who, "/jobnet/fra-dig/sporgsmaal")
    assert start.status_code == 200
    key = re.search(r'name="key" value="([^"]+)"', start.text)
    assert key
    response = None
    for step in range(1, 6):
        response = await site.post(
            who,
            "/jobnet/fra-dig/sporgsmaal",
            form_fields(answers, key.group(1), step, "send" if step == 5 else "naeste"),
        )
        if step < 5:
            assert response.status_code == 200, text_of(response.text)[:400]
            assert f"Trin {step + 1} af 5" in text_of(response.text)
    return response


@pytest.fixture
async def anne_restored(site: Site) -> AsyncIterator[Site]:
    yield site
    done = await fill_in(site, "anne", ANNES_ANSWERS)
    assert done.status_code == 303, "Anne's own answers were put back"


@pytest.fixture
async def ali_not_sharing(site: Site) -> AsyncIterator[Site]:
    yield site
    await site.post("ali", "/jobnet/fra-dig/deling", {"del": "nej"})


async def case_health(site: Site, cpr: str) -> list[str]:
    html = (await site.get("jette", f"/jobnet/sag/{site.ref('jette', cpr)}")).text
    return state_of(html, "health")


async def test_sharing_health_takes_effect_on_the_contact_persons_next_request(
    ali_not_sharing: Site,
) -> None:
    site = ali_not_sharing
    assert await case_health(site, ALI) == ["forbidden"]
    shared = await site.post("ali", "/jobnet/fra-dig/deling", {"del": "ja"})
    assert shared.status_code == 303
    assert shared.headers["location"] == "/jobnet/fra-dig?deling=ja#deling"
    page = (await site.get("ali", "/jobnet/fra-dig?deling=ja")).text
    assert "Delt med din kontaktperson: ja" in text_of(page)
    assert await case_health(site, ALI) == ["shown"]
    withdrawn = await site.post("ali", "/jobnet/fra-dig/deling", {"del": "nej"})
    assert withdrawn.status_code == 303
    assert await case_health(site, ALI) == ["forbidden"]  # at once: no cache lets it through


async def test_a_choice_that_is_neither_yes_nor_no_changes_nothing(site: Site) -> None:
    response = await site.post("ali", "/jobnet/fra-dig/deling", {"del": "måske"})
    assert response.status_code == 303
    assert response.headers["location"].startswith("/jobnet/fra-dig?fejl=deling")
    assert await case_health(site, ALI) == ["forbidden"]


async def test_the_questionnaire_in_steps_reaches_the_case_system_structured(
    anne_restored: Site,
) -> None:
    site = anne_restored
    done = await fill_in(site, "anne", NEW_ANSWERS)
    assert done.status_code == 303, text_of(done.text)[:600]
    assert done.headers["location"] == "/jobnet/fra-dig?gemt=1"
    page = (await site.get("anne", "/jobnet/fra-dig?gemt=1")).text
    assert "dine svar er gemt" in text_of(page)
    assert "Noget med dyr" in text_of(section(page, "questionnaire"))
    body = await site.client.query("fagsystem", CASE_RECORD, {"cpr": ANNE})
    questionnaire = body["data"]["youth"]["questionnaire"]
    assert questionnaire["goal"] == {"type": "JOB", "text": "Noget med dyr"}
    assert questionnaire["selfBelief"] == 5
    assert questionnaire["network"] == "STRONG"
    assert set(questionnaire["barriers"]) == {"TRANSPORT", "HOUSING"}
    assert questionnaire["childrenAtHome"] == 1


async def test_a_step_with_a_mistake_is_shown_again_with_the_mistake(site: Site) -> None:
    start = await site.get("anne", "/jobnet/fra-dig/sporgsmaal")
    key = re.search(r'name="key" value="([^"]+)"', start.text)
    assert key
    wrong = {"goal": "PIRATE", "goal_text": "x" * 121}
    response = await site.post(
        "anne", "/jobnet/fra-dig/sporgsmaal", form_fields(wrong, key.group(1), 1, "naeste")
    )
    assert response.status_code == 400
    words = text_of(response.text)
    assert "Trin 1 af 5" in words
    assert "Der er 2 fejl i dine svar" in words
    assert "Skriv højst 120 tegn" in words
    assert 'aria-describedby="goal_text-hjaelp goal_text-fejl goal_text-graense"' in response.text
    back = await site.post(
        "anne",
        "/jobnet/fra-dig/sporgsmaal",
        form_fields(NEW_ANSWERS, key.group(1), 3, "tilbage"),
    )
    assert "Trin 2 af 5" in text_of(back.text)
    assert not has_cpr(response.text)


async def test_a_post_from_another_site_is_refused(site: Site) -> None:
    response = await site.http.post(
        "/jobnet/fra-dig/deling",
        content="del=ja",
        headers={
            **site.cookie("ali"),
            "sec-fetch-site": "cross-site",
            "content-type": "application/x-www-form-urlencoded",
        },
    )
    assert response.status_code == 403
    assert await case_health(site, ALI) == ["forbidden"]
