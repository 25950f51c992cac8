"""STAR's UDBabonnement on the mock: open, close by hand, read; STAR's error codes."""

from __future__ import annotations

import dataclasses

from mocks.state.finders import aged_30_with_education_order, without_education_order
from mocks.state.rules import NO_ACTIVE_PLAN, subscription_refusal
from tests.mocks.conftest import ALI, ANNE, JONAS, MADS, SOFIE, T
from tests.mocks.exchange_helpers import JETTE_SENDER

PATH = "/v1/UDBabonnement"
OPEN = {"afsender": JETTE_SENDER}


async def subscriptions(udb, cpr: str) -> list[dict]:
    response = await udb.read(PATH, cpr)
    assert response.status_code == 200
    return response.json()["abonnementer"]


async def test_alis_subscription_stays_open_after_his_support_ended(writable, population):
    ali = population.people[ALI]
    assert ali.benefits[-1].end is not None and ali.benefits[-1].end < T
    udb = writable("udb")
    [subscription] = await subscriptions(udb, ALI)
    assert (subscription["kommunekode"], subscription["slut"]) == ("0101", None)
    latest = udb.live.state.log.latest
    # Asking again is a no-op, even though Ali (no education order) could not open one now.
    again = await udb.write("POST", PATH, ALI, OPEN)
    assert again.status_code == 200
    assert again.json() == {
        "aendret": False,
        "abonnement": subscription,
        "sekvens": None,
        "haendelseId": None,
    }
    assert udb.live.state.log.latest == latest


async def test_closing_by_hand_records_who_and_emits_an_event(writable) -> None:
    udb = writable("udb")
    latest = udb.live.state.log.latest
    closer = {"organisation": "Jobcenter København", "kommunekode": "0101", "id": "fagsystem-101"}
    response = await udb.write("DELETE", PATH, ALI, {"afsender": closer})
    assert response.status_code == 200
    closed = response.json()["abonnement"]
    assert closed["slut"] == T.isoformat() and closed["lukketAf"] == closer
    assert response.json()["sekvens"] == latest + 1
    [event] = await udb.events_after(latest)
    assert (event["type"], event["cpr"], event["kommunekode"]) == ("UDB_ABONNEMENT_LUKKET", ALI,
                                                                   "0101")  # fmt: skip
    assert event["institutionsnummer"] is None and event["data"] == closed
    assert await subscriptions(udb, ALI) == [closed]
    relations = await udb.client.post("/udb/v1/relationer/soeg", json={"cprListe": [ALI]})
    assert relations.json()["personer"][0]["abonnementer"] == [closed]
    again = await udb.write("DELETE", PATH, ALI, {"afsender": closer})
    assert again.json()["aendret"] is False and udb.live.state.log.latest == latest + 1
    # Ali has no education order: once closed, it cannot be opened again.
    reopen = await udb.write("POST", PATH, ALI, OPEN)
    assert (reopen.status_code, reopen.json()["fejlkode"]) == (409, 8066)


async def test_reopening_gives_a_new_subscription(writable) -> None:
    udb = writable("udb")
    await udb.write("DELETE", PATH, ANNE, OPEN)
    latest = udb.live.state.log.latest
    response = await udb.write("POST", PATH, ANNE, {**OPEN, "start": "2026-12-01"})
    assert response.status_code == 200
    opened = response.json()["abonnement"]
    assert (opened["start"], opened["slut"], opened["lukketAf"]) == ("2026-12-01", None, None)
    assert opened["oprettetAf"]["id"] == "jette.hansen"
    [event] = await udb.events_after(latest)
    assert event["type"] == "UDB_ABONNEMENT_OPRETTET" and event["data"] == opened
    listed = await subscriptions(udb, ANNE)
    assert [s["slut"] for s in listed] == [T.isoformat(), None]
    assert len({s["abonnementId"] for s in listed}) == 2


async def test_star_codes(writable, population) -> None:
    udb = writable("udb")
    aged_30 = aged_30_with_education_order(population)
    no_order = without_education_order(population)
    aarhus = {"afsender": {**JETTE_SENDER, "kommunekode": "0751"}}
    for cpr, method, body, status, code in [
        (aged_30, "POST", OPEN, 409, 8067),
        (no_order, "POST", OPEN, 409, 8066),
        (MADS, "POST", OPEN, 409, 8060),  # no case anywhere
        (SOFIE, "POST", OPEN, 409, 8068),  # her case is in Aarhus, not København
        (JONAS, "POST", aarhus, 409, 8068),
        (JONAS, "POST", {"afsender": {**JETTE_SENDER, "kommunekode": "0999"}}, 400, 4013),
        (JONAS, "POST", {**OPEN, "start": "2026-02-30"}, 400, 1014),
        (JONAS, "POST", {**OPEN, "slut": None}, 400, 1014),
        ("1234", "POST", OPEN, 400, 1001),
        ("0101011000", "POST", OPEN, 404, 1010),
        (MADS, "DELETE", OPEN, 404, 2005),  # nothing to close
    ]:
        response = await udb.write(method, PATH, cpr, body)
        assert (response.status_code, response.json()["fejlkode"]) == (status, code), cpr
        assert cpr not in response.text
    # The age limit counts on the start day.
    young = await udb.write("POST", PATH, no_order, {**OPEN, "start": "2060-01-01"})
    assert (young.status_code, young.json()["fejlkode"]) == (409, 8067)
    missing = await udb.read(PATH, None)
    assert (missing.status_code, missing.json()["fejlkode"]) == (400, 1001)


def test_no_min_plan_is_8002(population) -> None:
    # Every generated open case has Min Plan, so 8002 is shown on a copy without one.
    anne = dataclasses.replace(population.people[ANNE], plan=None)
    assert subscription_refusal(anne, "0101", T) == NO_ACTIVE_PLAN


def test_the_finders_find_people_refused_for_exactly_that(population) -> None:
    aged_30 = population.people[aged_30_with_education_order(population)]
    assert aged_30.order is not None and not aged_30.is_persona
    assert subscription_refusal(aged_30, "0101", T)[1] == 8067
    no_order = population.people[without_education_order(population)]
    assert no_order.order is None and no_order.plan is not None
    assert subscription_refusal(no_order, "0101", T)[1] == 8066
