from __future__ import annotations

import time
from datetime import date

import pytest

from mocks.population import Population
from tests.mocks.conftest import ALI, ANNE, CPR_HEADER, EMIL, FREJA, JONAS, MADS, SOFIE

UNKNOWN = "0101011000"  # a well-formed CPR nobody in the population has
PREFIX = {
    "udb": "/udb/v1",
    "dfdg": "/dfdg/v1",
    "grades": "/karakterer/v1",
    "eindkomst": "/eindkomst/v1",
    "admissions": "/optagelse/v1",
    "questionnaire": "/spoergeskema/v1",
    "social": "/social/v1",
}


@pytest.mark.parametrize("label", list(PREFIX))
async def test_single_read_takes_the_cpr_from_the_header_only(register_client, label) -> None:
    client, _ = register_client(label)
    url = f"{PREFIX[label]}/person"
    missing = await client.get(url, params={"cpr": JONAS})
    assert missing.status_code == 400
    assert missing.json() == {"fejlkode": 1001, "fejltekst": "Invalid cpr"}
    assert JONAS not in missing.text
    malformed = await client.get(url, headers={CPR_HEADER: "3202041234"})  # 32 February
    assert (malformed.status_code, malformed.json()["fejlkode"]) == (400, 1001)
    unknown = await client.get(url, headers={CPR_HEADER: UNKNOWN})
    assert unknown.status_code == 404
    assert unknown.json() == {"fejlkode": 1010, "fejltekst": "Unknown cpr"}
    assert UNKNOWN not in unknown.text
    known = await client.get(url, headers={CPR_HEADER: MADS if label != "social" else ALI})
    assert known.status_code == 200
    assert known.headers["content-type"] == "application/json"


@pytest.mark.parametrize(
    ("label", "cpr", "status"),
    [("grades", "1503044112", 200), ("social", ANNE, 404), ("social", ALI, 200),
     ("questionnaire", FREJA, 404), ("admissions", SOFIE, 404)],
)  # fmt: skip
async def test_a_register_without_a_record_answers_404(register_client, label, cpr, status):
    client, _ = register_client(label)
    response = await client.get(f"{PREFIX[label]}/person", headers={CPR_HEADER: cpr})
    assert response.status_code == status


async def test_batch_read_answers_known_people_and_lists_the_unknown(register_client) -> None:
    client, _ = register_client("dfdg")
    response = await client.post(
        "/dfdg/v1/personer/soeg",
        json={"cprListe": [ANNE, UNKNOWN, JONAS, ANNE], "sektioner": ["stamdata"]},
    )
    assert response.status_code == 200
    body = response.json()
    assert sorted(d["cpr"] for d in body["personer"]) == sorted([ANNE, JONAS])
    assert body["ukendte"] == [UNKNOWN]
    assert all(set(d) == {"cpr", "stamdata"} for d in body["personer"])


async def test_batch_of_a_register_where_absent_people_are_unknown(register_client) -> None:
    client, _ = register_client("social")
    response = await client.post("/social/v1/personer/soeg", json={"cprListe": [ANNE, ALI]})
    body = response.json()
    assert [d["cpr"] for d in body["personer"]] == [ALI]
    assert body["ukendte"] == [ANNE]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"not json", 1014),
        (b"[]", 1014),
        (b"{}", 1014),
        (b'{"cprListe": "1503044112"}', 1014),
        (b'{"cprListe": ["1503044112"], "sektioner": ["nope"]}', 1014),
        (b'{"cprListe": ["1503044112"], "sektioner": "stamdata"}', 1014),
        (b'{"cprListe": ["150304411"]}', 1001),
        (b'{"cprListe": [1503044112]}', 1001),
    ],
)
async def test_bad_batch_bodies_are_refused(register_client, body: bytes, code: int) -> None:
    client, _ = register_client("dfdg")
    response = await client.post("/dfdg/v1/personer/soeg", content=body)
    assert response.status_code == 400
    assert response.json()["fejlkode"] == code
    assert "1503044112" not in response.text


async def test_at_most_1000_cprs_per_call(register_client, population: Population) -> None:
    client, _ = register_client("udb")
    cprs = list(population.people)[:1000]
    ok = await client.post("/udb/v1/personer/soeg", json={"cprListe": cprs, "sektioner": []})
    assert ok.status_code == 200 and len(ok.json()["personer"]) == 1000
    too_many = await client.post("/udb/v1/personer/soeg", json={"cprListe": [*cprs, UNKNOWN]})
    assert (too_many.status_code, too_many.json()["fejlkode"]) == (400, 1014)


async def test_sections_select_parts_of_the_document(register_client) -> None:
    client, _ = register_client("udb")
    headers = {CPR_HEADER: JONAS}
    everything = (await client.get("/udb/v1/person", headers=headers)).json()
    assert set(everything) == {
        "cpr", "bopaelskommunekode", "uddannelser", "stoettebehov", "frafald", "kontakt",
    }  # fmt: skip
    some = await client.get("/udb/v1/person", headers=headers, params={"sektioner": "frafald"})
    assert set(some.json()) == {"cpr", "bopaelskommunekode", "frafald"}
    none = await client.get("/udb/v1/person", headers=headers, params={"sektioner": ""})
    assert set(none.json()) == {"cpr", "bopaelskommunekode"}
    bad = await client.get("/udb/v1/person", headers=headers, params={"sektioner": "karakterer"})
    assert (bad.status_code, bad.json()["fejlkode"]) == (400, 1014)


async def test_eindkomst_hours_without_amounts_and_amounts_without_hours(register_client):
    client, _ = register_client("eindkomst")
    headers = {CPR_HEADER: FREJA}
    both = (await client.get("/eindkomst/v1/person", headers=headers)).json()["linjer"]
    assert {line["indkomsttype"] for line in both} == {"00", "06"}
    hours = await client.get("/eindkomst/v1/person", headers=headers, params={"sektioner": "timer"})
    lines = hours.json()["linjer"]
    assert lines and all("felter" not in line and line["timer"] > 0 for line in lines)
    assert {line["indkomsttype"] for line in lines} == {"00"}  # benefits are not employment
    assert {"indberetter", "indkomsttype", "loenperiode", "timer"} <= set(lines[0])
    amounts = await client.get(
        "/eindkomst/v1/person", headers=headers, params={"sektioner": "beloeb"}
    )
    assert all("timer" not in line and line["felter"] for line in amounts.json()["linjer"])


async def test_eindkomst_window(register_client) -> None:
    client, _ = register_client("eindkomst")
    headers = {CPR_HEADER: ANNE}
    window = {"fra": "2020-01", "til": "2020-12"}
    lines = (await client.get("/eindkomst/v1/person", headers=headers, params=window)).json()
    months = {line["loenperiode"]["start"][:7] for line in lines["linjer"]}
    assert months and all("2020-01" <= m <= "2020-12" for m in months)
    batch = await client.post(
        "/eindkomst/v1/personer/soeg", json={"cprListe": [ANNE], **window, "sektioner": ["timer"]}
    )
    assert [d["linjer"] for d in batch.json()["personer"]] == [
        [{k: v for k, v in line.items() if k != "felter"} for line in lines["linjer"]]
    ]
    for bad in ({"fra": "2020-13"}, {"fra": "2021-01", "til": "2020-01"}, {"til": "2020"}):
        response = await client.get("/eindkomst/v1/person", headers=headers, params=bad)
        assert (response.status_code, response.json()["fejlkode"]) == (400, 1014)
    default = (await client.get("/eindkomst/v1/person", headers={CPR_HEADER: FREJA})).json()
    assert min(line["loenperiode"]["start"] for line in default["linjer"]) >= "2023-11-01"
    assert max(line["loenperiode"]["start"] for line in default["linjer"]) == "2026-10-01"


async def test_relationship_endpoints(register_client) -> None:
    dfdg, _ = register_client("dfdg")
    body = (await dfdg.post("/dfdg/v1/relationer/soeg", json={"cprListe": [ALI, UNKNOWN]})).json()
    assert body["ukendte"] == [UNKNOWN]
    [ali] = body["personer"]
    assert ali["kontaktpersoner"][0]["medarbejderId"] == "jette.hansen"
    assert ali["tilbud"][0]["slut"] == "2026-10-24"
    assert [s["aaben"] for s in ali["sager"]] == [True]
    assert "stamdata" not in ali
    udb, _ = register_client("udb")
    body = (await udb.post("/udb/v1/relationer/soeg", json={"cprListe": [ANNE]})).json()
    assert body["personer"][0]["optagelser"][0]["startDato"] == "2027-01-02"
    questionnaire, _ = register_client("questionnaire")
    body = (
        await questionnaire.post(
            "/spoergeskema/v1/relationer/soeg", json={"cprListe": [ANNE, ALI, FREJA]}
        )
    ).json()
    shared = {d["cpr"]: d["helbredDelesMedKontaktperson"] for d in body["personer"]}
    assert shared == {ANNE: True, ALI: False}
    assert body["ukendte"] == [FREJA]
    grades, _ = register_client("grades")
    assert (await grades.post("/karakterer/v1/relationer/soeg", json={})).status_code in (404, 405)


async def test_reverse_lookups(register_client) -> None:
    udb, _ = register_client("udb")
    pupils = await udb.get("/udb/v1/institutioner/851234/elever")
    assert pupils.json() == {"cprListe": [ANNE, JONAS, EMIL]}
    assert (await udb.get("/udb/v1/institutioner/999999/elever")).json() == {"cprListe": []}
    assert (await udb.get("/udb/v1/institutioner/85123/elever")).status_code == 400
    dfdg, _ = register_client("dfdg")
    mentor = await dfdg.get("/dfdg/v1/medarbejdere/mikkel.holm/borgere")
    assert mentor.json() == {"cprListe": [ANNE, ALI]}
    aarhus = (await dfdg.get("/dfdg/v1/kommuner/751/sager")).json()["cprListe"]
    assert SOFIE in aarhus and ANNE not in aarhus
    copenhagen = (await dfdg.get("/dfdg/v1/kommuner/0101/sager")).json()["cprListe"]
    assert {ANNE, ALI, FREJA, JONAS} <= set(copenhagen) and MADS not in copenhagen


async def test_fail_answers_500_and_healthz_503(register_client) -> None:
    client, faults = register_client("udb")
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    faults.fail = True
    response = await client.get("/udb/v1/person", headers={CPR_HEADER: ANNE})
    assert response.status_code == 500
    assert response.json() == {"fejlkode": 9999, "fejltekst": "Internal error"}
    assert (await client.post("/udb/v1/relationer/soeg", json={"cprListe": []})).status_code == 500
    assert (await client.get("/udb/v1/institutioner/851234/elever")).status_code == 500
    assert (await client.get("/healthz")).status_code == 503


async def test_garbage_is_a_200_of_the_wrong_shape(register_client) -> None:
    client, faults = register_client("dfdg")
    faults.garbage = True
    single = await client.get("/dfdg/v1/person", headers={CPR_HEADER: ANNE})
    assert single.status_code == 200 and single.json()["cpr"] != ANNE
    batch = await client.post("/dfdg/v1/personer/soeg", json={"cprListe": [ANNE]})
    assert batch.status_code == 200 and isinstance(batch.json(), list)
    lookup = await client.get("/dfdg/v1/medarbejdere/jette.hansen/borgere")
    assert isinstance(lookup.json(), list)


async def test_latency_delays_data_but_not_healthz(register_client) -> None:
    client, faults = register_client("grades")
    faults.latency_ms = 150
    started = time.perf_counter()
    await client.get("/karakterer/v1/person", headers={CPR_HEADER: ANNE})
    assert time.perf_counter() - started >= 0.15
    started = time.perf_counter()
    await client.get("/healthz")
    assert time.perf_counter() - started < 0.15


async def test_admin_switches_faults_from_loopback_only(register_client) -> None:
    client, faults = register_client("social")
    response = await client.post("/_admin/faults", json={"fail": True, "latency_ms": 5})
    assert response.json() == {"latency_ms": 5, "fail": True, "hang": False, "garbage": False}
    assert faults.fail and faults.latency_ms == 5
    assert (await client.post("/_admin/faults", json={"fail": "yes"})).status_code == 400
    assert (await client.post("/_admin/faults", json={"explode": True})).status_code == 400
    assert (await client.post("/_admin/faults", json={"latency_ms": -1})).status_code == 400
    assert (await client.post("/_admin/reset")).json()["fail"] is False
    assert not faults.fail and faults.latency_ms == 0
    remote, remote_faults = register_client("social", client_host="10.1.2.3")
    assert (await remote.post("/_admin/faults", json={"fail": True})).status_code == 403
    assert not remote_faults.fail


async def test_metrics_count_route_templates_never_cprs(register_client) -> None:
    client, _ = register_client("dfdg")
    await client.get("/dfdg/v1/person", headers={CPR_HEADER: ANNE})
    await client.get("/dfdg/v1/person", headers={CPR_HEADER: UNKNOWN})
    await client.get("/dfdg/v1/medarbejdere/jette.hansen/borgere")
    text = (await client.get("/metrics")).text
    assert 'mock_requests_total{path="/dfdg/v1/person"} 2.0' in text
    assert 'mock_requests_total{path="/dfdg/v1/medarbejdere/{medarbejderId}/borgere"} 1.0' in text
    assert ANNE not in text and UNKNOWN not in text and "jette.hansen" not in text


def test_reference_date_is_today_by_default() -> None:
    from mocks.population import build_population

    assert build_population(0).reference_date == date.today()
