"""UDB's exchange writes over HTTP: support needs, receipts, dropout risk, the school's view,
and what the reads and the event log say afterwards."""

from __future__ import annotations

from datetime import timedelta

from mocks.codes import add_months
from tests.mocks.conftest import ALI, ANNE, EMIL, FREJA, JONAS, T
from tests.mocks.exchange_helpers import MARIA, dropout_risk, support_need

UNKNOWN = "0101011000"


async def test_a_support_need_is_a_new_version_with_its_event(writable) -> None:
    udb = writable("udb")
    before = udb.live.state.log.latest
    response = await udb.write("POST", "/udb/v1/stoettebehov", ANNE, support_need())
    assert response.status_code == 200
    answer = response.json()
    assert answer["aendret"] is True
    assert (answer["sekvens"], answer["stoettebehov"]["version"]) == (before + 1, 2)
    written = answer["stoettebehov"]
    assert written["kommunalKontakt"]["telefon"] == "+45 31993801"
    assert written["afsender"]["kommunekode"] == "0101"  # three digits answered with four
    assert (written["registreret"], written["kvitteretDato"]) == (T.isoformat(), None)
    assert ANNE not in response.text  # a write's answer never carries the CPR

    # The reads say the same at once.
    support = (await udb.person(ANNE, "stoettebehov"))["stoettebehov"]
    assert (support["version"], support["kvitteretVersion"]) == (2, None)
    assert [v["version"] for v in support["versioner"]] == [1, 2]
    assert support["versioner"][1] == written
    assert support["behov"]["fagligt"] is True and support["registreret"] == T.isoformat()
    contact = (await udb.person(ANNE, "kontakt"))["kontakt"]
    assert contact["kommunalKontakt"]["type"] == "SELV"
    [event] = await udb.events_after(before)
    assert event["haendelseId"] == answer["haendelseId"]
    assert (event["type"], event["cpr"], event["sekvens"]) == ("STOETTEBEHOV", ANNE, before + 1)
    assert (event["institutionsnummer"], event["kommunekode"]) == ("851234", "0101")
    assert event["data"] == written


async def test_the_same_support_need_again_changes_nothing(writable) -> None:
    udb = writable("udb")
    first = (await udb.write("POST", "/udb/v1/stoettebehov", ANNE, support_need())).json()
    latest = udb.live.state.log.latest
    again = await udb.write("POST", "/udb/v1/stoettebehov", ANNE, support_need())
    assert again.status_code == 200
    assert again.json() == {
        "aendret": False,
        "stoettebehov": first["stoettebehov"],
        "sekvens": None,
        "haendelseId": None,
    }
    assert udb.live.state.log.latest == latest
    other = await udb.write("POST", "/udb/v1/stoettebehov", ANNE, support_need(omraader=[]))
    assert other.json()["stoettebehov"]["version"] == 3


async def test_support_need_refusals(writable) -> None:
    udb = writable("udb")
    cases = [
        (ANNE, support_need(institutionsnummer="999999"), 404, 2001),
        (FREJA, support_need(), 404, 2001),  # no admission at 851234
        (ANNE, support_need(vurdering="INTET_BEHOV"), 400, 2004),  # NO_NEED with an area
        (ANNE, support_need(afsender={"organisation": "X", "kommunekode": "0999"}), 400, 4013),
        (ANNE, {**support_need(), "note": "ADHD"}, 400, 1014),  # no free text gets in
        (ANNE, support_need(omraader=["PSYKIATRI"]), 400, 1014),
        (ANNE, support_need(omraader=["FAGLIGT", "FAGLIGT"]), 400, 1014),
        (ANNE, support_need(dokumenteret="ja"), 400, 1014),
        (ANNE, support_need(institutionsnummer="85123"), 400, 1014),
        (ANNE, support_need(kommunalKontakt={"type": "SELV", "id": "jette.hansen"}), 400, 1014),
        (ANNE, {k: v for k, v in support_need().items() if k != "afsender"}, 400, 1014),
        ("3202041234", support_need(), 400, 1001),
        (UNKNOWN, support_need(), 404, 1010),
    ]
    before = udb.live.state.log.latest
    for cpr, body, status, code in cases:
        response = await udb.write("POST", "/udb/v1/stoettebehov", cpr, body)
        assert (response.status_code, response.json()["fejlkode"]) == (status, code), body
        assert cpr not in response.text
    assert udb.live.state.log.latest == before
    no_body = await udb.client.post(
        "/udb/v1/stoettebehov",
        content=b"not json",
        headers={"x-civilregistrationIdentifier": ANNE, "x-requestId": "x-1"},
    )
    assert (no_body.status_code, no_body.json()["fejlkode"]) == (400, 1014)


async def test_no_support_need_without_an_active_education_order(writable, population) -> None:
    udb = writable("udb")
    person = next(
        p
        for p in population.people.values()
        if p.order is None and any(a.institution.number for a in p.admissions)
    )
    school = person.admissions[-1].institution.number
    body = support_need(institutionsnummer=school)
    response = await udb.write("POST", "/udb/v1/stoettebehov", person.cpr, body)
    assert (response.status_code, response.json()["fejlkode"]) == (409, 2003)


async def test_the_school_view_is_order_support_need_contacts_and_risk_only(writable) -> None:
    udb = writable("udb")
    school = "/udb/v1/datatilinstitution"
    response = await udb.read(school, ANNE, institutionsnummer="851234")
    assert response.status_code == 200
    view = response.json()
    assert set(view) == {
        "cpr", "institutionsnummer", "institutionsnavn", "status", "startDato",
        "uddannelsespaalaeg", "stoettebehov", "kontakter", "frafaldsrisiko",
    }  # fmt: skip
    assert (view["status"], view["startDato"]) == ("OPTAGET", (T + timedelta(40)).isoformat())
    assert view["uddannelsespaalaeg"] == {"aktiv": True, "trin": 3, "institutionsnummer": "851234"}
    assert view["stoettebehov"]["version"] == 1
    assert view["kontakter"] == {
        "kommunal": view["stoettebehov"]["kommunalKontakt"],
        "institution": None,  # Anne's school has not sent its receipt yet
    }
    assert view["frafaldsrisiko"] == []
    jonas = (await udb.read(school, JONAS, institutionsnummer="851234")).json()
    assert [n["aarsag"] for n in jonas["frafaldsrisiko"]] == ["FRAVAER"]
    assert jonas["kontakter"]["institution"]["kvitteretVersion"] == 1
    emil = (await udb.read(school, EMIL, institutionsnummer="851234")).json()
    assert emil["stoettebehov"] is None
    assert emil["kontakter"]["kommunal"]["id"] == "jette.hansen"  # the KUI contact person
    elsewhere = await udb.read(school, ALI, institutionsnummer="851234")
    assert (elsewhere.status_code, elsewhere.json()["fejlkode"]) == (404, 2001)
    bad = await udb.read(school, ANNE)
    assert (bad.status_code, bad.json()["fejlkode"]) == (400, 1014)


async def test_the_receipt_acknowledges_the_latest_version(writable) -> None:
    udb = writable("udb")
    await udb.write("POST", "/udb/v1/stoettebehov", ANNE, support_need())
    before = udb.live.state.log.latest
    response = await udb.write("POST", "/udb/v1/institutionkontakt", ANNE, MARIA)
    assert response.status_code == 200
    answer = response.json()
    assert answer["aendret"] is True and answer["sekvens"] == before + 1
    contact = answer["kontakt"]
    assert (contact["kvitteretVersion"], contact["kvitteretDato"]) == (2, T.isoformat())
    assert contact["telefon"] == "+45 22334455"
    [event] = await udb.events_after(before)
    assert (event["type"], event["data"]) == ("INSTITUTION_KONTAKT", contact)
    doc = await udb.person(ANNE, "stoettebehov", "kontakt")
    assert doc["kontakt"]["institutionskontakter"] == [contact]
    assert doc["stoettebehov"]["kvitteretVersion"] == 2
    assert doc["stoettebehov"]["versioner"][1]["kvitteretDato"] == T.isoformat()
    assert doc["stoettebehov"]["versioner"][0]["kvitteretDato"] is None

    # The same contact again: unchanged, no event. A new phone: a new receipt.
    same = await udb.write("POST", "/udb/v1/institutionkontakt", ANNE, MARIA)
    assert same.json()["aendret"] is False and same.json()["kontakt"] == contact
    assert udb.live.state.log.latest == before + 1
    moved = await udb.write(
        "POST", "/udb/v1/institutionkontakt", ANNE, {**MARIA, "telefon": "+45 99887766"}
    )
    assert moved.json()["aendret"] is True and udb.live.state.log.latest == before + 2


async def test_receipt_refusals(writable) -> None:
    udb = writable("udb")
    for cpr, body, status, code in [
        (ANNE, {**MARIA, "navn": "Maria 2 Kristensen"}, 400, 1014),  # digits in the name
        (ANNE, {**MARIA, "navn": "Maria\nKristensen"}, 400, 1014),
        (ANNE, {**MARIA, "telefon": "22334455"}, 400, 1014),
        (ANNE, {**MARIA, "email": "maria"}, 400, 1014),
        (ANNE, {**MARIA, "rolle": "REKTOR"}, 400, 1014),
        (ANNE, {**MARIA, "bemaerkning": "…"}, 400, 1014),
        (ALI, MARIA, 404, 2001),
    ]:
        response = await udb.write("POST", "/udb/v1/institutionkontakt", cpr, body)
        assert (response.status_code, response.json()["fejlkode"]) == (status, code), body


async def test_jonas_school_receipt_is_in_the_history(writable) -> None:
    udb = writable("udb")
    oldest = udb.live.state.log.oldest
    history = [e for e in await udb.events_after(oldest - 1) if e["cpr"] == JONAS]
    receipts = [e for e in history if e["type"] == "INSTITUTION_KONTAKT"]
    assert [e["tidspunkt"][:10] for e in receipts] == [(T - timedelta(85)).isoformat()]
    assert receipts[0]["data"]["kvitteretVersion"] == 1
    [risk] = [e for e in history if e["type"] == "RISIKO_FOR_FRAFALD"]
    assert risk["tidspunkt"][:10] == (T - timedelta(5)).isoformat()
    assert risk["data"]["indenForFoersteSeksMaaneder"] is True
    assert risk["data"]["foerFoersteFravaersbrev"] is True
    notice = (await udb.person(JONAS, "frafald"))["frafald"]["notifikationer"][0]
    assert notice["haendelseId"] == risk["haendelseId"]  # one id for the notice and its event
    anne = [e for e in await udb.events_after(oldest - 1) if e["cpr"] == ANNE]
    assert [e["type"] for e in anne] == ["UDB_ABONNEMENT_OPRETTET", "OPTAGET", "STOETTEBEHOV"]
    assert anne[-1]["tidspunkt"][:10] == (T - timedelta(5)).isoformat()
    assert anne[-1]["data"]["version"] == 1


async def test_dropout_risk_is_reported_with_its_timing(writable) -> None:
    udb = writable("udb")
    before = udb.live.state.log.latest
    response = await udb.write("POST", "/udb/v1/haendelser", JONAS, dropout_risk())
    assert response.status_code == 200
    notice = response.json()["notifikation"]
    assert notice["udloeber"] == add_months(T, 3).isoformat()
    assert notice["indenForFoersteSeksMaaneder"] is True  # started T-90d
    assert notice["foerFoersteFravaersbrev"] is True
    [event] = await udb.events_after(before)
    assert (event["type"], event["haendelseId"]) == ("RISIKO_FOR_FRAFALD", notice["haendelseId"])
    assert event["data"] == notice
    notices = (await udb.person(JONAS, "frafald"))["frafald"]["notifikationer"]
    assert notices[-1] == notice and len(notices) == 2

    # Emil started T-200d: past the 6 months, still his school's duty to report.
    emil = await udb.write(
        "POST",
        "/udb/v1/haendelser",
        EMIL,
        dropout_risk(aarsager=["FRAVAER", "ADFAERD"], foersteFravaersbrevSendt=True),
    )
    assert emil.status_code == 200
    assert emil.json()["notifikation"]["indenForFoersteSeksMaaneder"] is False
    assert emil.json()["notifikation"]["foerFoersteFravaersbrev"] is False
    assert emil.json()["notifikation"]["aarsager"] == ["FRAVAER", "ADFAERD"]

    # A second report is news, not a repeat.
    again = await udb.write("POST", "/udb/v1/haendelser", JONAS, dropout_risk())
    assert again.json()["aendret"] is True and again.json()["sekvens"] == before + 3


async def test_dropout_risk_refusals(writable) -> None:
    udb = writable("udb")
    for cpr, body, status, code in [
        (ANNE, dropout_risk(), 409, 2002),  # admitted, not started
        (ALI, dropout_risk(), 404, 2001),
        (JONAS, dropout_risk(aarsager=[]), 400, 1014),
        (JONAS, dropout_risk(type="STOETTEBEHOV"), 400, 1014),
        (JONAS, {**dropout_risk(), "udloeber": "2030-01-01"}, 400, 1014),
    ]:
        response = await udb.write("POST", "/udb/v1/haendelser", cpr, body)
        assert (response.status_code, response.json()["fejlkode"]) == (status, code), body
