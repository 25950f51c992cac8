"""Lists: `youths` and `caseload` cost one batch call per register, never one per person."""

from __future__ import annotations

import time
from typing import Any

import httpx

from tests.e2e.conftest import ALI, ANNE, EMIL, FREJA, JONAS, MADS, NOBODY, SOFIE, Client

YOUTHS = """query($cprs: [CPR!]!, $purpose: Purpose!) {
  youths(cprs: $cprs, purpose: $purpose) {
    cpr identity { firstName } schooling { courses { status } } plan { jobGoals }
    employment { hoursRule { met } } admissions { admitted }
  }
}"""


async def open_cases_in(mocks: Any, municipality: str) -> list[str]:
    async with httpx.AsyncClient() as http:
        response = await http.get(f"{mocks.urls['dfdg']}/dfdg/v1/kommuner/{municipality}/sager")
        cprs: list[str] = response.json()["cprListe"]
        return cprs


async def test_youths_with_200_cprs_makes_one_call_per_register(client: Client, mocks: Any) -> None:
    cprs = (await open_cases_in(mocks, "0101"))[:200]
    assert len(cprs) >= 50, "the generated population should give the case system a real caseload"
    started = time.perf_counter()
    body = await client.query("fagsystem", YOUTHS, {"cprs": cprs, "purpose": "CASE_RECORD"})
    elapsed = time.perf_counter() - started
    assert "errors" not in body, body.get("errors")
    assert len(body["data"]["youths"]) == len(cprs)
    assert all(y is not None for y in body["data"]["youths"])
    for register in ("dfdg", "udb", "questionnaire"):
        assert client.register_calls(register, "facts") == 1, register
    for register in ("dfdg", "udb", "eindkomst", "admissions"):
        assert client.register_calls(register, "data") == 1, register
    assert client.register_calls("grades") == 0
    print(f"\nyouths x{len(cprs)}: {elapsed * 1000:.0f} ms")


async def test_each_batch_entry_is_decided_on_its_own(client: Client) -> None:
    cprs = [ANNE, SOFIE, NOBODY, ALI]
    body = await client.query("jette", YOUTHS, {"cprs": cprs, "purpose": "PLANNING"})
    youths = body["data"]["youths"]
    assert [y and y["cpr"] for y in youths] == [ANNE, None, None, ALI]
    denied = {tuple(e["path"]) for e in body["errors"]}
    assert denied == {("youths", 1), ("youths", 2)}
    assert all(e["extensions"]["code"] == "FORBIDDEN" for e in body["errors"])


async def test_a_malformed_cpr_anywhere_refuses_the_whole_batch(client: Client) -> None:
    body = await client.query(
        "fagsystem", YOUTHS, {"cprs": [ANNE, "123", ALI], "purpose": "CASE_RECORD"}
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert body.get("data") is None
    assert sum(client.register_calls(r) for r in ("udb", "dfdg", "questionnaire")) == 0


async def test_more_than_500_cprs_is_bad_input(client: Client) -> None:
    body = await client.query("fagsystem", YOUTHS, {"cprs": [ANNE] * 501, "purpose": "CASE_RECORD"})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert client.register_calls("dfdg") == 0


CASELOAD = """query($purpose: Purpose!, $first: Int, $after: String) {
  caseload(purpose: $purpose, first: $first, after: $after) {
    edges { cursor node { cpr identity { firstName } } }
    pageInfo { hasNextPage endCursor }
  }
}"""


async def test_jettes_caseload_is_her_five_young_people(client: Client) -> None:
    body = await client.query("jette", CASELOAD, {"purpose": "PLANNING", "first": 100})
    cprs = {e["node"]["cpr"] for e in body["data"]["caseload"]["edges"]}
    assert cprs == {ANNE, ALI, FREJA, JONAS, EMIL}
    assert MADS not in cprs


async def test_caseload_pages_with_cursors(client: Client) -> None:
    seen: list[str] = []
    after = None
    for _ in range(5):
        body = await client.query(
            "jette", CASELOAD, {"purpose": "PLANNING", "first": 1, "after": after}
        )
        page = body["data"]["caseload"]
        seen += [e["node"]["cpr"] for e in page["edges"]]
        after = page["pageInfo"]["endCursor"]
    assert sorted(seen) == sorted({ANNE, ALI, FREJA, JONAS, EMIL})


async def test_mentor_caseload_excludes_the_ended_mentorship(client: Client) -> None:
    body = await client.query("mikkel", CASELOAD, {"purpose": "MENTORING"})
    cprs = {e["node"]["cpr"] for e in body["data"]["caseload"]["edges"]}
    assert ANNE in cprs and ALI not in cprs
