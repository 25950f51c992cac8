"""The youth view end to end: GraphQL over the ASGI app, registers over loopback HTTP."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import ANNE, NOBODY, Client, errors_by_path
from tests.e2e.queries import FULL_PROFILE, YOUTH


async def test_jette_sees_annes_profile_as_the_personas_describe(client: Client) -> None:
    body = await client.query("jette", FULL_PROFILE, {"cpr": ANNE, "purpose": "PLANNING"})
    anne: dict[str, Any] = body["data"]["youth"]
    assert anne["cpr"] == ANNE
    assert anne["identity"]["firstName"] == "Anne"
    assert anne["identity"]["lastName"] == "Jensen"
    assert anne["identity"]["municipality"]["code"] == "0101"
    plan = anne["plan"]
    assert plan["educationGoal"] == "Uddannelse inden for det grønne område"
    assert set(plan["jobGoals"]) == {"Servicemedarbejder", "Viceværtsmedhjælper"}
    assert plan["goalsAgreedWith"]["name"] == "Jette Hansen"
    casework = anne["casework"]
    assert casework["currentEducationOrderStep"]["step"] == 3
    assert casework["visitation"]["category"] == "EDUCATION_READY"
    assert casework["conversations"][-1]["type"] == "FIRST_CONVERSATION"
    assert casework["agreements"] and casework["firstContact"]
    holders = {o["responsible"]["id"] for o in plan["offers"] if o["responsible"]}
    assert {"sara.nielsen", "mikkel.holm"} <= holders
    admission = anne["admissions"]["youthEducation"][0]
    assert admission["institution"]["number"] == "851234"
    assert anne["supportNeeds"]["needs"] == {
        "academic": True,
        "social": False,
        "personal": False,
        "health": False,
    }
    assert anne["supportNeeds"]["wantsContact"] is True
    assert any(c["name"] == "Jette Hansen" for c in anne["contacts"]["municipal"])
    assert anne["benefits"]["periods"], "on education assistance since T-8 months"
    assert any(job["spareTimeJob"] for job in anne["employment"]["jobs"])
    assert anne["health"]["sharedWithContactPerson"] is True  # consented: Jette may see it

    errors = errors_by_path(body)
    assert set(errors) == {"youth.grades", "youth.socialPlans"}
    assert anne["grades"] is None and anne["socialPlans"] is None
    grades = errors["youth.grades"]["extensions"]
    assert grades["code"] == "FORBIDDEN"
    assert grades["category"] == "grades"
    assert "legal basis" in grades["reason"]


async def test_a_malformed_cpr_is_refused_before_any_register_is_called(client: Client) -> None:
    for bad in ("150304411", "3202044112", "abcdefghij", "1503-044112"):
        body = await client.query("jette", YOUTH % "cpr", {"cpr": bad, "purpose": "PLANNING"})
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", bad
        assert bad not in body["errors"][0]["message"]
        assert body.get("data") is None
    assert sum(client.register_calls(r) for r in ("udb", "dfdg", "questionnaire")) == 0


async def test_a_hyphenated_cpr_is_accepted(client: Client) -> None:
    body = await client.query("jette", YOUTH % "cpr", {"cpr": "150304-4112", "purpose": "PLANNING"})
    assert body["data"]["youth"]["cpr"] == ANNE


async def test_schooling_alone_calls_only_the_registers_it_needs(client: Client) -> None:
    body = await client.query(
        "jette", YOUTH % "schooling { courses { status } }", {"cpr": ANNE, "purpose": "PLANNING"}
    )
    assert body["data"]["youth"]["schooling"] is not None
    assert client.register_calls("udb", "data") == 1
    for untouched in ("eindkomst", "grades", "admissions", "social"):
        assert client.register_calls(untouched) == 0, untouched
    assert client.register_calls("dfdg", "data") == 0  # DFDG is asked for facts only


async def test_a_denied_category_never_reaches_its_register(client: Client) -> None:
    body = await client.query(
        "jette",
        YOUTH % "grades { year } socialPlans { status }",
        {"cpr": ANNE, "purpose": "PLANNING"},
    )
    assert {e["extensions"]["category"] for e in body["errors"]} == {"grades", "social_plans"}
    assert client.register_calls("grades") == 0
    assert client.register_calls("social") == 0


async def test_no_relationship_looks_the_same_whether_or_not_the_cpr_exists(client: Client) -> None:
    query = YOUTH % "cpr identity { firstName }"
    known = await client.query("lars", query, {"cpr": ANNE, "purpose": "PLANNING"})
    unknown = await client.query("lars", query, {"cpr": NOBODY, "purpose": "PLANNING"})
    assert known == unknown
    assert known["data"] == {"youth": None}
    assert known["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert client.register_calls("dfdg", "data") == 0


async def test_a_missing_token_is_401(client: Client) -> None:
    response = await client.http.post("/graphql", json={"query": "{ me { cpr } }"})
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_aliases_of_one_category_make_one_register_call(client: Client) -> None:
    query = YOUTH % "a: identity { firstName } b: identity { lastName } c: plan { jobGoals }"
    body = await client.query("jette", query, {"cpr": ANNE, "purpose": "PLANNING"})
    assert body["data"]["youth"]["a"]["firstName"] == "Anne"
    assert client.register_calls("dfdg", "data") == 1


async def test_categories_selected_through_fragments_are_decided_and_audited(
    make_client: Any,
) -> None:
    from gateway.audit.memory import MemoryAuditStore

    store = MemoryAuditStore()
    client: Client = await make_client(audit=store)
    query = """query($cpr: CPR!) { youth(cpr: $cpr, purpose: PLANNING) {
        ...Who  ... on Youth { grades { year } } } }
      fragment Who on Youth { identity { firstName } }"""
    body = await client.query("jette", query, {"cpr": ANNE})
    assert body["data"]["youth"]["identity"]["firstName"] == "Anne"
    assert body["errors"][0]["extensions"]["category"] == "grades"
    assert {(r.category, r.decision) for r in store.records} == {
        ("identity", "allow"),
        ("grades", "deny"),
    }
    # Refused as a whole, the categories asked for through fragments are what gets audited.
    await client.query("lars", query, {"cpr": ANNE})
    lars = {(r.category, r.decision) for r in store.records if r.subject == "lars.pedersen"}
    assert lars == {("identity", "deny"), ("grades", "deny")}


async def test_register_urls_may_carry_their_path_prefix(make_client: Any, mocks: Any) -> None:
    from gateway.resolvers.registers import SPECS

    prefixed = {label: url + SPECS[label].prefix for label, url in mocks.urls.items()}
    client: Client = await make_client(register_urls=prefixed)
    ready = await client.http.get("/readyz")
    assert ready.status_code == 200, ready.json()
    body = await client.query(
        "jette", YOUTH % "identity { firstName }", {"cpr": ANNE, "purpose": "PLANNING"}
    )
    assert body["data"]["youth"]["identity"]["firstName"] == "Anne"
