"""`policy { closingSoon }`: the (role, category) pairs whose last legal basis in force ends or
is due for review soon. Asked on 2026-12-03, it lists the bases the 2027 employment reform may
change (due for review on 2027-01-01) and the pairs that rest on them alone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gateway.audit.memory import MemoryAuditStore
from gateway.audit.records import AuditFilter
from tests.e2e.conftest import Client

ASKED_ON = dt.date(2026, 12, 3)

CLOSING = """query($days: Int!) { policy { closingSoon(days: $days) {
  role category date legalBases { id reference date kind note } } } }"""

REVIEWED = {
    "LOU-DFDG",
    "LAB-30-7",
    "DFDG-BEK-44-2",
    "INDKOMSTREG-7",
    "OWN-ANSWERS",
    "MUNICIPAL-DUTIES",
}


async def test_asked_on_2026_12_03_it_lists_the_bases_due_for_review_on_2027_01_01(
    make_client: Any,
) -> None:
    store = MemoryAuditStore()
    client: Client = await make_client(audit=store, today=ASKED_ON)
    body = await client.query("henrik", "{ policy { closingSoon { role category date } } }")
    assert "errors" not in body, body
    default = body["data"]["policy"]["closingSoon"]  # days: 90
    body = await client.query("henrik", CLOSING, {"days": 90})
    pairs = body["data"]["policy"]["closingSoon"]
    assert [{k: p[k] for k in ("role", "category", "date")} for p in pairs] == default
    assert {(p["role"], p["category"].lower()) for p in pairs} == {
        ("contact_person", "employment"),
        ("contact_person", "income"),
        ("contact_person", "benefits"),
        ("contact_person", "plan"),
        ("contact_person", "casework"),
        ("contact_person", "questionnaire"),
        ("mentor", "plan"),
        ("business_consultant", "plan"),
        ("business_consultant", "employment"),
        ("institution_contact", "identity"),
        ("institution_contact", "support_needs"),
        ("institution_contact", "contacts"),
        ("case_system", "employment"),
        ("case_system", "income"),
        ("case_system", "benefits"),
        ("case_system", "plan"),
        ("case_system", "casework"),
        ("case_system", "questionnaire"),
        # The deadlines rest on LAB, which the reform is expected to replace (DEADLINES.md).
        ("contact_person", "deadlines"),
        ("case_system", "deadlines"),
    }
    bases = {b["id"] for p in pairs for b in p["legalBases"]}
    assert bases == REVIEWED
    for pair in pairs:
        assert pair["date"] == "2027-01-01"
        for basis in pair["legalBases"]:
            assert (basis["date"], basis["kind"]) == ("2027-01-01", "REVIEW")
            assert "could not be confirmed" in basis["note"]
    institution = {p["category"]: p for p in pairs if p["role"] == "institution_contact"}
    assert [b["id"] for b in institution["SUPPORT_NEEDS"]["legalBases"]] == ["LAB-30-7"]
    # A pair that also rests on a basis that is not under review is not closing: the contact
    # person's identity rests on KUI § 15 d too; the young person's on GDPR art. 15.
    assert ("contact_person", "IDENTITY") not in {(p["role"], p["category"]) for p in pairs}
    assert not [p for p in pairs if p["role"] == "youth"]
    # Reading it is a review of the policy, decided and audited like the others.
    page = await store.query(AuditFilter(), 100)
    assert {(r.kind, r.category, r.decision) for r in page.records} == {
        ("policy_read", "policy", "allow")
    }


async def test_the_window_counts_both_ends(make_client: Any) -> None:
    client: Client = await make_client(today=ASKED_ON)
    for days, listed in ((28, False), (29, True), (0, False)):
        body = await client.query("henrik", CLOSING, {"days": days})
        assert bool(body["data"]["policy"]["closingSoon"]) is listed, days
    body = await client.query("henrik", CLOSING, {"days": -1})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_the_legal_bases_show_their_review(make_client: Any) -> None:
    client: Client = await make_client(today=ASKED_ON)
    body = await client.query(
        "henrik", "{ policy { legalBases { id inForce reviewBy reviewNote } } }"
    )
    bases = {b["id"]: b for b in body["data"]["policy"]["legalBases"]}
    for basis_id in REVIEWED:
        assert bases[basis_id]["reviewBy"] == "2027-01-01" and bases[basis_id]["inForce"]
        assert bases[basis_id]["reviewNote"]
    assert bases["KUI-15D-2-1"]["reviewBy"] is None


async def test_only_the_privacy_officer_asks(make_client: Any) -> None:
    store = MemoryAuditStore()
    client: Client = await make_client(audit=store, today=ASKED_ON)
    for who in ("jette", "fagsystem"):
        body = await client.query(who, CLOSING, {"days": 90})
        assert body["data"] is None, who
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", who
    page = await store.query(AuditFilter(), 100)
    assert {(r.kind, r.decision) for r in page.records} == {("policy_read", "deny")}


async def test_a_young_person_may_read_the_policy_about_themself(make_client: Any) -> None:
    # READ_POLICY for role youth, purpose SELF (GDPR art. 13/14: who may see their data and
    # on which basis, Jobnet's "Oplysninger om dig"): the policy is no personal data.
    store = MemoryAuditStore()
    client: Client = await make_client(audit=store, today=ASKED_ON)
    body = await client.query("anne", CLOSING, {"days": 90})
    assert body["data"]["policy"]["closingSoon"], body
    page = await store.query(AuditFilter(), 100)
    assert {(r.kind, r.purpose, r.decision) for r in page.records} == {
        ("policy_read", "SELF", "allow")
    }
