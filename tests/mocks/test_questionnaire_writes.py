"""The young person's own writes to the Jobnet questionnaire mock: answers and consent."""

from __future__ import annotations

from tests.mocks.conftest import ALI, ANNE, FREJA, T

ANSWERS = {
    "maal": {"type": "JOB", "tekst": "Lager"},
    "troPaaSigSelv": 3,
    "netvaerk": "SVAGT",
    "barrierer": ["TRANSPORT", "OEKONOMI"],
    "boernIHjemmet": 1,
    "andet": "Svært at komme op om morgenen.\nOg bussen er dyr.",
    "helbred": {"mentaltHelbred": 2, "fysiskHelbred": 5, "kontaktPsykiatri": None},
}
PREFIX = "/spoergeskema/v1"
CONSENT = f"{PREFIX}/samtykke"


def consent(share: object) -> dict[str, object]:
    return {"helbredDelesMedKontaktperson": share}


async def test_answers_are_a_new_version_read_at_once(writable) -> None:
    jobnet = writable("questionnaire")
    response = await jobnet.write("POST", f"{PREFIX}/svar", ANNE, ANSWERS)
    assert response.status_code == 200
    answer = response.json()
    assert (answer["aendret"], answer["version"], answer["besvaret"]) == (True, 2, T.isoformat())
    assert ANNE not in response.text
    doc = await jobnet.person(ANNE)
    assert (doc["version"], doc["besvaret"]) == (2, T.isoformat())
    assert doc["svar"] == {k: v for k, v in ANSWERS.items() if k != "helbred"}
    assert doc["helbred"] == {**ANSWERS["helbred"], "delesMedKontaktperson": True}
    assert answer["svar"] == doc["svar"] and answer["helbred"] == doc["helbred"]
    assert (await jobnet.write("POST", f"{PREFIX}/svar", ANNE, ANSWERS)).json()["version"] == 3


async def test_a_first_answer_makes_the_questionnaire_exist(writable) -> None:
    jobnet = writable("questionnaire")
    assert (await jobnet.read(f"{PREFIX}/person", FREJA)).status_code == 404
    refused = await jobnet.write(
        "PUT", f"{PREFIX}/samtykke", FREJA, {"helbredDelesMedKontaktperson": True}
    )
    assert (refused.status_code, refused.json()["fejlkode"]) == (409, 2006)
    body = {k: v for k, v in ANSWERS.items() if k != "andet"}  # `andet` may be left out
    assert (await jobnet.write("POST", f"{PREFIX}/svar", FREJA, body)).status_code == 200
    doc = await jobnet.person(FREJA)
    assert doc["version"] == 1 and doc["svar"]["andet"] is None
    assert doc["helbred"]["delesMedKontaktperson"] is False  # nobody consents by answering
    relations = await jobnet.client.post(f"{PREFIX}/relationer/soeg", json={"cprListe": [FREJA]})
    assert relations.json()["personer"] == [{"cpr": FREJA, "helbredDelesMedKontaktperson": False}]


async def test_consent_is_given_and_withdrawn_at_once(writable) -> None:
    jobnet = writable("questionnaire")

    async def shared(cpr: str) -> tuple[bool, bool]:
        doc = await jobnet.person(cpr, "helbred")
        relations = await jobnet.client.post(f"{PREFIX}/relationer/soeg", json={"cprListe": [cpr]})
        facts = relations.json()["personer"][0]["helbredDelesMedKontaktperson"]
        return doc["helbred"]["delesMedKontaktperson"], facts

    assert await shared(ALI) == (False, False)
    given = await jobnet.write(
        "PUT", f"{PREFIX}/samtykke", ALI, {"helbredDelesMedKontaktperson": True}
    )
    assert given.status_code == 200
    assert given.json() == {"aendret": True, "helbredDelesMedKontaktperson": True}
    assert await shared(ALI) == (True, True)
    again = await jobnet.write(
        "PUT", f"{PREFIX}/samtykke", ALI, {"helbredDelesMedKontaktperson": True}
    )
    assert again.json()["aendret"] is False
    withdrawn = await jobnet.write(
        "PUT", f"{PREFIX}/samtykke", ANNE, {"helbredDelesMedKontaktperson": False}
    )
    assert withdrawn.json() == {"aendret": True, "helbredDelesMedKontaktperson": False}
    assert await shared(ANNE) == (False, False)


async def test_bad_answers_are_refused(writable) -> None:
    jobnet = writable("questionnaire")
    health = ANSWERS["helbred"]
    for body in [
        {**ANSWERS, "troPaaSigSelv": 6},
        {**ANSWERS, "troPaaSigSelv": True},
        {**ANSWERS, "netvaerk": "MASSER"},
        {**ANSWERS, "barrierer": ["ANDET", "ANDET"]},
        {**ANSWERS, "andet": "x" * 501},
        {**ANSWERS, "andet": ""},
        {**ANSWERS, "diagnose": "…"},
        {**ANSWERS, "maal": {"type": "JOB", "tekst": "x", "noter": "y"}},
        {**ANSWERS, "helbred": {**health, "mentaltHelbred": 0}},
        {**ANSWERS, "helbred": {"mentaltHelbred": 2, "fysiskHelbred": 5}},
        {k: v for k, v in ANSWERS.items() if k != "helbred"},
    ]:
        response = await jobnet.write("POST", f"{PREFIX}/svar", ANNE, body)
        assert (response.status_code, response.json()["fejlkode"]) == (400, 1014), body
    consent = await jobnet.write(
        "PUT", f"{PREFIX}/samtykke", ANNE, {"helbredDelesMedKontaktperson": "ja"}
    )
    assert (consent.status_code, consent.json()["fejlkode"]) == (400, 1014)
    assert (await jobnet.person(ANNE))["version"] == 1


async def test_questionnaire_writes_have_request_ids_and_faults(writable) -> None:
    jobnet = writable("questionnaire")
    first = await jobnet.write("POST", f"{PREFIX}/svar", ANNE, ANSWERS, "q-1")
    repeat = await jobnet.write("POST", f"{PREFIX}/svar", ANNE, ANSWERS, "q-1")
    assert repeat.status_code == 412 and repeat.json()["oprindeligtSvar"] == first.json()
    missing = await jobnet.write("PUT", f"{PREFIX}/samtykke", ANNE, {}, None)
    assert (missing.status_code, missing.json()["fejlkode"]) == (400, 1015)
    jobnet.faults.fail = True
    failed = await jobnet.write("POST", f"{PREFIX}/svar", ANNE, ANSWERS)
    assert failed.status_code == 500
    jobnet.faults.fail = False
    assert (await jobnet.person(ANNE))["version"] == 2
