"""Every door passes the guard: it decides, journals before release, and withholds everything
when the journal cannot be written — tried as an attacker would."""

from __future__ import annotations

import re
from typing import Any

import pytest

from gateway.audit.memory import FailingAuditStore, MemoryAuditStore
from gateway.audit.records import AuditFilter, AuditRecord
from tests.e2e.conftest import ALI, ANNE, JONAS, NOBODY, SOFIE, Client

CASELOAD = """query($purpose: Purpose!, $first: Int, $after: String) {
  caseload(purpose: $purpose, first: $first, after: $after) {
    edges { cursor node { cpr } } pageInfo { hasNextPage endCursor }
  }
}"""

MY_LOG = """{ myAccessLog(first: 20) { edges { node {
  kind accessedBy role purpose categoriesSeen denied { category } } } } }"""

AUDIT_LOG = """query($filter: AuditFilter) { auditLog(filter: $filter, first: 100) {
  edges { node { kind subject cpr category decision youthMunicipality } } } }"""

EXPLAIN = """{ policy { explain(role: "mentor", purpose: MENTORING, category: IDENTITY,
  situation: "active_mentor") { allowed } } }"""

#: (who, query, variables) for every door that can tell something about a young person.
DOORS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "youth": (
        "jette",
        "query($cpr: CPR!) { youth(cpr: $cpr, purpose: PLANNING) { cpr } }",
        {"cpr": ANNE},
    ),
    "youth_typename": (
        "jette",
        "query($cpr: CPR!) { youth(cpr: $cpr, purpose: PLANNING) { __typename } }",
        {"cpr": ANNE},
    ),
    "youths": (
        "fagsystem",
        "query($cprs: [CPR!]!) { youths(cprs: $cprs, purpose: CASE_RECORD) { cpr } }",
        {"cprs": [ANNE, JONAS]},
    ),
    "caseload": ("jette", CASELOAD, {"purpose": "PLANNING", "first": 10}),
    "me": ("anne", "{ me { cpr identity { firstName } } }", {}),
    "myAccessLog": ("anne", MY_LOG, {}),
    "auditLog": ("henrik", AUDIT_LOG, {"filter": {}}),
    "policy_explain": ("henrik", EXPLAIN, {}),
    "policy_closing_soon": ("henrik", "{ policy { closingSoon(days: 400) { role } } }", {}),
    # A category read like any other (READ), derived from DFDG and UDB (DEADLINES.md).
    "deadlines": (
        "jette",
        "query($cpr: CPR!) { youth(cpr: $cpr, purpose: PLANNING) { deadlines { rule state } } }",
        {"cpr": ANNE},
    ),
    # A team leader's report: an AGGREGATE, one record without a CPR.
    "deadlineCompliance": (
        "birgitte",
        'query($m: String!) { deadlineCompliance(municipality: $m, from: "2026-01", '
        'to: "2026-12") { cells { rule month shareMet suppressed } } }',
        {"m": "101"},
    ),
    # Writes chosen to change nothing in the suite's shared mock registers (a no-op answer).
    "udbSubscriptionOpen": (
        "jette",
        "mutation($i: UdbSubscriptionOpenInput!) { udbSubscriptionOpen(input: $i) {"
        " changed subscription { id } userErrors { code } } }",
        {
            "i": {
                "cpr": ALI,
                "purpose": "PLANNING",
                "idempotencyKey": "6f1d3b8e-0000-4000-8000-000000000001",
            }
        },
    ),  # fmt: skip
    "healthConsentSet": (
        "anne",
        "mutation { healthConsentSet(share: true) { shared changed } }",
        {},
    ),
    "exchangeEvents": (
        "fagsystem",
        "{ exchangeEvents(purpose: CASE_RECORD, first: 500) { edges { node { id cpr } } } }",
        {},
    ),
}


async def _records(store: MemoryAuditStore, **filter: Any) -> list[AuditRecord]:
    page = await store.query(AuditFilter(**filter), 1000)
    return list(page.records)


@pytest.mark.parametrize("door", sorted(DOORS))
async def test_every_door_journals_before_it_answers(make_client: Any, door: str) -> None:
    store = MemoryAuditStore()
    client: Client = await make_client(audit=store)
    who, query, variables = DOORS[door]
    body = await client.query(who, query, variables)
    assert "errors" not in body, body
    records = await _records(store)
    assert records, f"{door} answered without an audit record"
    assert all(r.decision == "allow" for r in records)


@pytest.mark.parametrize("door", sorted(DOORS))
async def test_every_door_withholds_when_the_journal_is_down(make_client: Any, door: str) -> None:
    client: Client = await make_client(audit=FailingAuditStore())
    who, query, variables = DOORS[door]
    body = await client.query(who, query, variables)
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["AUDIT_UNAVAILABLE"]
    assert not re.search(r"\d{10}", str(body)), "no personal data while the journal is down"


async def test_a_bare_cpr_confirms_the_relationship_in_the_log(make_client: Any) -> None:
    store = MemoryAuditStore()
    client: Client = await make_client(audit=store)
    await client.query("jette", DOORS["youth"][1], {"cpr": ANNE})
    [record] = await _records(store, cpr=ANNE)
    assert record.kind == "relationship_confirmed"
    assert record.category == ""
    assert record.youth_municipality == "0101"
    assert record.legal_bases


async def test_a_caseload_entry_with_categories_needs_no_second_record(make_client: Any) -> None:
    store = MemoryAuditStore()
    client: Client = await make_client(audit=store)
    query = "{ caseload(purpose: MENTORING) { edges { node { cpr identity { firstName } } } } }"
    body = await client.query("mikkel", query)
    assert [e["node"]["cpr"] for e in body["data"]["caseload"]["edges"]] == [ANNE]
    records = await _records(store)
    assert [(r.cpr, r.kind, r.category) for r in records] == [(ANNE, "category_read", "identity")]


# --- caseload reveals only people the caller may see ----------------------------------------------


async def test_first_zero_decides_nothing_and_reveals_nothing(make_client: Any) -> None:
    store = MemoryAuditStore()
    client: Client = await make_client(audit=store)
    answers = []
    for after in (None, "0" * 32, "f" * 32, "7" * 32):
        body = await client.query(
            "lars", CASELOAD, {"purpose": "PLANNING", "first": 0, "after": after}
        )
        answers.append(body["data"]["caseload"])
    assert answers == [{"edges": [], "pageInfo": {"hasNextPage": False, "endCursor": None}}] * 4
    assert await _records(store) == []
    assert client.register_calls("dfdg") == 0


async def test_a_cpr_is_no_cursor(client: Client) -> None:
    body = await client.query("lars", CASELOAD, {"purpose": "PLANNING", "first": 1, "after": ANNE})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_cursors_never_carry_a_cpr_and_page_through_allowed_people(client: Client) -> None:
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        body = await client.query(
            "jette", CASELOAD, {"purpose": "PLANNING", "first": 2, "after": after}
        )
        page = body["data"]["caseload"]
        pages += 1
        for edge in page["edges"]:
            assert re.fullmatch(r"[0-9a-f]{32}", edge["cursor"])
            assert edge["node"]["cpr"] not in edge["cursor"]
            seen.append(edge["node"]["cpr"])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen))
    assert {ANNE, ALI, JONAS} <= set(seen)
    assert pages == (len(seen) + 1) // 2


async def test_an_ended_mentorship_does_not_make_a_next_page(client: Client) -> None:
    # Mikkel's candidates are Anne (active) and Ali (ended T-30d): one page, and no more.
    body = await client.query("mikkel", CASELOAD, {"purpose": "MENTORING", "first": 1})
    page = body["data"]["caseload"]
    assert [e["node"]["cpr"] for e in page["edges"]] == [ANNE]
    assert page["pageInfo"]["hasNextPage"] is False


async def test_the_caseload_bisection_learns_nothing(client: Client) -> None:
    """A contact person of another municipality walks every cursor position: the answers are
    the same whatever the position, except where their own young person (Sofie) lies."""
    answers = set()
    for digit in "0123456789abcdef":
        body = await client.query(
            "lars", CASELOAD, {"purpose": "PLANNING", "first": 1, "after": digit * 32}
        )
        page = body["data"]["caseload"]
        cprs = tuple(e["node"]["cpr"] for e in page["edges"])
        assert set(cprs) <= {SOFIE}
        assert page["pageInfo"]["hasNextPage"] is False
        answers.add(cprs)
    assert answers <= {(SOFIE,), ()}


# --- cheap refusals ----------------------------------------------------------------------------


async def test_a_young_person_asking_for_others_gets_one_refusal_and_one_record(
    make_client: Any,
) -> None:
    store = MemoryAuditStore()
    client: Client = await make_client(audit=store)
    others = [f"{day:02d}0101{n:04d}" for day in range(1, 29) for n in range(4000, 4010)][:250]
    query = (
        "query($cprs: [CPR!]!) { youths(cprs: $cprs, purpose: SELF) { identity { firstName } } }"
    )
    body = await client.query("anne", query, {"cprs": [ANNE, *others]})
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    records = await _records(store)
    assert [(r.kind, r.decision) for r in records] == [("request_refused", "deny")]
    assert client.register_calls("dfdg") == 0, "no register is asked about the others"


async def test_a_young_person_asking_for_someone_else_by_youth_gets_one_record(
    make_client: Any,
) -> None:
    store = MemoryAuditStore()
    client: Client = await make_client(audit=store)
    query = (
        "query($cpr: CPR!) { youth(cpr: $cpr, purpose: SELF) "
        "{ identity { firstName } grades { year } } }"
    )
    body = await client.query("anne", query, {"cpr": NOBODY})
    assert body["data"] == {"youth": None}
    assert len(await _records(store)) == 1


async def test_me_for_a_professional_is_refused_by_the_policy(make_client: Any) -> None:
    store = MemoryAuditStore()
    client: Client = await make_client(audit=store)
    body = await client.query("jette", "{ me { cpr } }")
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert "SELF" in body["errors"][0]["extensions"]["reason"]
    [record] = await _records(store)
    assert (record.kind, record.cpr) == ("request_refused", "")


# --- oversight -----------------------------------------------------------------------------------


async def test_annes_log_works_after_the_officer_reads_her_records(make_client: Any) -> None:
    store = MemoryAuditStore()
    client: Client = await make_client(audit=store)
    await client.query("jette", DOORS["youth"][1], {"cpr": ANNE})
    officer = await client.query("henrik", AUDIT_LOG, {"filter": {"cpr": ANNE}})
    assert officer["data"]["auditLog"]["edges"]
    body = await client.query("anne", MY_LOG)
    assert "errors" not in body, body
    kinds = [e["node"]["kind"] for e in body["data"]["myAccessLog"]["edges"]]
    assert kinds == ["LOG_READ", "RELATIONSHIP_CONFIRMED"]
    officer_entry = body["data"]["myAccessLog"]["edges"][0]["node"]
    assert officer_entry["role"] == "privacy_officer"


async def test_marias_reads_are_supervised_by_the_koebenhavn_privacy_officer(
    make_client: Any,
) -> None:
    store = MemoryAuditStore()
    client: Client = await make_client(audit=store)
    query = (
        "query($cpr: CPR!) { youth(cpr: $cpr, purpose: EDUCATION_START) "
        "{ identity { firstName } } }"
    )
    body = await client.query("maria", query, {"cpr": ANNE})
    assert body["data"]["youth"]["identity"]["firstName"] == "Anne"
    officer = await client.query("henrik", AUDIT_LOG, {"filter": {"subject": "maria.kristensen"}})
    records = [e["node"] for e in officer["data"]["auditLog"]["edges"]]
    assert [(r["cpr"], r["category"], r["youthMunicipality"]) for r in records] == [
        (ANNE, "identity", "0101")
    ]


async def test_only_privacy_officers_read_the_policy_and_the_log(make_client: Any) -> None:
    store = MemoryAuditStore()
    client: Client = await make_client(audit=store)
    for query in (EXPLAIN, AUDIT_LOG, DOORS["policy_closing_soon"][1]):
        body = await client.query("jette", query, {"filter": {}})
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = await client.query("henrik", MY_LOG)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    records = await _records(store)
    assert {(r.kind, r.decision) for r in records} == {
        ("policy_read", "deny"),
        ("log_read", "deny"),
    }


async def test_the_officer_learns_no_other_municipalitys_residents(make_client: Any) -> None:
    store = MemoryAuditStore()
    client: Client = await make_client(audit=store)
    await client.query("jette", DOORS["youth"][1], {"cpr": SOFIE})  # Sofie lives in Aarhus
    [record] = await _records(store)
    assert record.youth_municipality == "0751"
    officer = await client.query("henrik", AUDIT_LOG, {"filter": {"cpr": SOFIE}})
    [entry] = [e["node"] for e in officer["data"]["auditLog"]["edges"]]
    assert (entry["subject"], entry["decision"]) == ("jette.hansen", "DENIED")
    assert entry["youthMunicipality"] is None


async def test_two_aliases_reading_two_peoples_records_are_two_log_reads(
    make_client: Any,
) -> None:
    store = MemoryAuditStore()
    client: Client = await make_client(audit=store)
    query = """{ a: auditLog(filter: {cpr: "1503044112"}) { edges { cursor } }
                 b: auditLog(filter: {cpr: "0211014127"}) { edges { cursor } } }"""
    body = await client.query("henrik", query)
    assert "errors" not in body, body
    reads = await _records(store, kind="log_read")
    assert sorted(r.cpr for r in reads) == [ALI, ANNE]


# --- the Jobnet pages are doors too: data only through /graphql, so nothing while it withholds --

#: (who, path) of every Jobnet page that shows a young person's data; "{ref}": Jette's caseload
#: reference for Anne.
JOBNET_PAGES: dict[str, tuple[str, str]] = {
    "welcome": ("anne", "/jobnet"),
    "about_you": ("anne", "/jobnet/oplysninger"),
    "from_you": ("anne", "/jobnet/fra-dig"),
    "questionnaire": ("anne", "/jobnet/fra-dig/sporgsmaal"),
    "plan": ("anne", "/jobnet/plan"),
    "access_log": ("anne", "/jobnet/adgang"),
    "caseload": ("jette", "/jobnet/sager"),
    "case": ("jette", "/jobnet/sag/{ref}?formaal=PLANNING"),
}


@pytest.mark.parametrize("page", sorted(JOBNET_PAGES))
async def test_every_jobnet_page_answers_an_error_page_when_the_journal_is_down(
    make_client: Any, page: str
) -> None:
    import hashlib

    client: Client = await make_client(audit=FailingAuditStore(), demo=True)
    who, path = JOBNET_PAGES[page]
    key = client.app.state.gateway.cursor_key
    ref = hashlib.blake2b(b"jette.hansen\0" + ANNE.encode(), key=key, digest_size=16).hexdigest()
    response = await client.http.get(
        path.format(ref=ref), headers={"cookie": f"jobnet_session={client.tokens[who]}"}
    )
    assert response.status_code == 503
    assert 'data-error="audit"' in response.text
    for personal in (ANNE, "Anne", "Jensen", "31993801", "Gartner", "grønne område"):
        assert personal not in response.text, f"{page} showed {personal!r} unaudited"


async def test_a_matrix_made_once_is_still_decided_for_each_reader(make_client: Any) -> None:
    """The policy matrix is made once a day per process, but every reader is decided and
    journalled: a mentor asking after the privacy officer gets nothing of it."""
    store = MemoryAuditStore()
    client: Client = await make_client(audit=store)
    query = '{ policy { matrix(role: "mentor") { category allowed } } }'
    officer = await client.query("henrik", query)
    assert officer["data"]["policy"]["matrix"]
    mentor = await client.query("mikkel", query)
    assert mentor["data"] is None
    assert mentor["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    anne = await client.query("anne", query)
    assert anne["data"]["policy"]["matrix"] == officer["data"]["policy"]["matrix"]
    reads = [(r.subject, r.decision) for r in store.records if r.kind == "policy_read"]
    assert ("henrik.soerensen", "allow") in reads and ("mikkel.holm", "deny") in reads
    assert (ANNE, "allow") in reads
