"""Ungeprofil as a federation subgraph: `_entities` is one more door through the guard — the
same decisions, the same audit records and the same refusals as `youths`, purpose from the
X-Purpose header, trusting no router (FEDERATION.md)."""

from __future__ import annotations

from typing import Any

from gateway.audit.memory import MemoryAuditStore
from gateway.audit.records import AuditFilter
from tests.e2e.conftest import ALI, ANNE, NOBODY, Client

FIELDS = "cpr identity { firstName } plan { educationGoal } grades { year } health { mentalHealth }"
ENTITIES = (
    "query($r: [_Any!]!) { _entities(representations: $r) { ... on Youth { " + FIELDS + " } } }"
)
YOUTHS = "query($cprs: [CPR!]!) { youths(cprs: $cprs, purpose: PLANNING) { " + FIELDS + " } }"


def representations(*cprs: str) -> list[dict[str, str]]:
    return [{"__typename": "Youth", "cpr": cpr} for cpr in cprs]


async def post(
    client: Client,
    who: str | None,
    query: str,
    variables: dict[str, Any],
    purpose: str | None = "PLANNING",
) -> dict[str, Any]:
    headers = {}
    if who is not None:
        headers["Authorization"] = f"Bearer {client.tokens[who]}"
    if purpose is not None:
        headers["X-Purpose"] = purpose
    response = await client.http.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    body: dict[str, Any] = response.json()
    body["_status"] = response.status_code
    return body


def codes_by_index(body: dict[str, Any], root: str) -> dict[tuple[Any, ...], str]:
    return {
        tuple(e["path"][1:]): e["extensions"]["code"]
        for e in body.get("errors", [])
        if e.get("path", [None])[0] == root
    }


async def audit_rows(store: MemoryAuditStore) -> list[tuple[Any, ...]]:
    page = await store.query(AuditFilter(), 1000)
    return sorted(
        (r.cpr, r.purpose, r.category, r.decision, r.kind, r.reason, r.legal_bases)
        for r in page.records
    )


async def test_service_sdl_has_the_key_and_the_cpr_scalar(client: Client) -> None:
    body = await post(client, "jette", "{ _service { sdl } }", {})
    sdl = body["data"]["_service"]["sdl"]
    assert 'type Youth @key(fields: "cpr")' in sdl
    assert "scalar CPR" in sdl
    assert "federation/v2.9" in sdl


async def test_entities_answer_as_youths_does_with_the_same_audit(make_client: Any) -> None:
    via_entities, via_youths = MemoryAuditStore(), MemoryAuditStore()
    routed: Client = await make_client(audit=via_entities)
    direct: Client = await make_client(audit=via_youths)
    cprs = (ANNE, ALI, NOBODY)

    body = await post(routed, "jette", ENTITIES, {"r": representations(*cprs)})
    expected = await post(direct, "jette", YOUTHS, {"cprs": list(cprs)})

    assert body["data"]["_entities"] == expected["data"]["youths"]
    anne, ali, nobody = body["data"]["_entities"]
    assert anne["identity"]["firstName"] == "Anne" and ali["identity"]["firstName"] == "Ali"
    assert anne["grades"] is None and nobody is None
    assert codes_by_index(body, "_entities") == {
        (0, "grades"): "FORBIDDEN",
        (1, "grades"): "FORBIDDEN",
        (1, "health"): "FORBIDDEN",  # Ali has not shared his health answers
        (2,): "FORBIDDEN",
    }
    assert codes_by_index(body, "_entities") == codes_by_index(expected, "youths")
    assert await audit_rows(via_entities) == await audit_rows(via_youths)
    # One call per register for the whole batch, as for youths: facts, then the data.
    calls = [("dfdg", "facts"), ("udb", "facts"), ("dfdg", "data"), ("questionnaire", "data")]
    for register, kind in calls:
        assert routed.register_calls(register, kind) == 1, (register, kind)
        assert direct.register_calls(register, kind) == 1, (register, kind)


async def test_an_unknown_cpr_and_no_relationship_look_the_same(client: Client) -> None:
    unknown = await post(client, "lars", ENTITIES, {"r": representations(NOBODY)})
    anne = await post(client, "lars", ENTITIES, {"r": representations(ANNE)})
    assert unknown["data"] == anne["data"] == {"_entities": [None]}
    assert [e["extensions"] for e in unknown["errors"]] == [e["extensions"] for e in anne["errors"]]


async def test_a_mentor_gets_only_the_mentors_categories(client: Client) -> None:
    body = await post(client, "mikkel", ENTITIES, {"r": representations(ANNE)}, "MENTORING")
    [anne] = body["data"]["_entities"]
    assert anne["identity"]["firstName"] == "Anne" and anne["plan"] is not None
    assert codes_by_index(body, "_entities") == {
        (0, "grades"): "FORBIDDEN",
        (0, "health"): "FORBIDDEN",
    }


async def test_no_token_is_401(client: Client) -> None:
    for query, variables in (
        (ENTITIES, {"r": representations(ANNE)}),
        ("{ _service { sdl } }", {}),
    ):
        body = await post(client, None, query, variables)
        assert body["_status"] == 401
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_the_purpose_must_be_declared_and_be_the_callers(make_client: Any) -> None:
    store = MemoryAuditStore()
    client: Client = await make_client(audit=store)
    for purpose in (None, "", "GOSSIP"):
        body = await post(client, "jette", ENTITIES, {"r": representations(ANNE)}, purpose)
        assert body["data"] == {"_entities": [None]}
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await audit_rows(store) == [], "refused before anyone was looked up"
    body = await post(client, "jette", ENTITIES, {"r": representations(ANNE)}, "MENTORING")
    assert body["data"] == {"_entities": [None]}
    assert "MENTORING" in body["errors"][0]["extensions"]["reason"]


async def test_a_representation_is_checked_like_a_cpr_argument(client: Client) -> None:
    for bad in ("15030", "1503044112x", "3213044112"):
        body = await post(client, "jette", ENTITIES, {"r": representations(bad)})
        assert body["data"] == {"_entities": [None]}
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert client.register_calls("dfdg") == 0


async def test_a_young_person_is_refused_others_through_a_router_too(make_client: Any) -> None:
    store = MemoryAuditStore()
    client: Client = await make_client(audit=store)
    body = await post(client, "anne", ENTITIES, {"r": representations(ANNE, ALI)}, "SELF")
    anne, ali = body["data"]["_entities"]
    assert anne["identity"]["firstName"] == "Anne" and ali is None
    page = await store.query(AuditFilter(cpr=ALI), 100)
    assert [(r.kind, r.decision) for r in page.records] == [("request_refused", "deny")]


async def test_more_representations_than_a_batch_are_refused(client: Client) -> None:
    body = await post(client, "jette", ENTITIES, {"r": representations(*([ANNE] * 501))})
    assert body["data"] is None or body["data"]["_entities"] is None
    codes = {e["extensions"]["code"] for e in body["errors"]}
    assert codes <= {"BAD_USER_INPUT", "QUERY_TOO_COMPLEX"} and codes


async def test_representations_cost_like_youths_entries(client: Client) -> None:
    """Two aliased batches of 400 references with every category: 2 x 400 x 16 = 12,800,
    over the cost limit like the same two `youths` batches (each alone, 6,400, would run)."""
    from tests.e2e.queries import PROFILE_FIELDS

    one = "_entities(representations: $r) { ... on Youth { " + PROFILE_FIELDS + " } }"
    query = "query($r: [_Any!]!) { a: " + one + " b: " + one + " }"
    body = await post(client, "jette", query, {"r": representations(*([ANNE] * 400))})
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert client.register_calls("dfdg") == 0
