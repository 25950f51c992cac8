"""Who saw what: audit before release, the young person's access log, the privacy officer's log."""

from __future__ import annotations

import asyncio
from typing import Any

from gateway.audit.memory import FailingAuditStore, MemoryAuditStore
from tests.e2e.conftest import ANNE, Client
from tests.e2e.queries import FULL_PROFILE

MY_LOG = """{ myAccessLog(first: 10) { edges { node {
  accessedBy organisation role purpose categoriesSeen denied { category reason } legalBases
} } hasNextPage } }"""

AUDIT_LOG = """query($filter: AuditFilter) { auditLog(filter: $filter, first: 100) {
  edges { node { subject subjectName cpr category decision purpose policyVersion legalBases } }
} }"""


async def test_annes_access_log_shows_jettes_visit(make_client: Any) -> None:
    store = MemoryAuditStore()
    client: Client = await make_client(audit=store)
    await client.query("jette", FULL_PROFILE, {"cpr": ANNE, "purpose": "PLANNING"})

    body = await client.query("anne", MY_LOG)
    entries = [e["node"] for e in body["data"]["myAccessLog"]["edges"]]
    jette = next(e for e in entries if e["accessedBy"] == "Jette Hansen")
    assert jette["organisation"] == "Jobcenter København"
    assert jette["purpose"] == "PLANNING"
    assert {d["category"] for d in jette["denied"]} == {"GRADES", "SOCIAL_PLANS"}
    assert {"IDENTITY", "PLAN", "CASEWORK", "BENEFITS"} <= set(jette["categoriesSeen"])
    assert jette["legalBases"]

    officer = await client.query("henrik", AUDIT_LOG, {"filter": {"cpr": ANNE}})
    records = [e["node"] for e in officer["data"]["auditLog"]["edges"]]
    from_jette = [r for r in records if r["subject"] == "jette.hansen"]
    assert len(from_jette) == 16  # one record per category of the full profile
    assert {r["category"] for r in from_jette if r["decision"] == "DENIED"} == {
        "grades",
        "social_plans",
    }
    assert all(r["policyVersion"] for r in from_jette)


async def test_reading_the_audit_log_is_itself_audited(make_client: Any) -> None:
    store = MemoryAuditStore()
    client: Client = await make_client(audit=store)
    await client.query("henrik", AUDIT_LOG, {"filter": {}})
    body = await client.query("henrik", AUDIT_LOG, {"filter": {"category": None}})
    categories = [e["node"]["category"] for e in body["data"]["auditLog"]["edges"]]
    assert "audit_log" in categories


async def test_only_privacy_officers_read_the_audit_log(client: Client) -> None:
    for who in ("jette", "anne", "fagsystem"):
        body = await client.query(who, AUDIT_LOG, {"filter": {}})
        assert body["data"] is None, who
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", who


async def test_only_the_young_person_reads_their_access_log(client: Client) -> None:
    body = await client.query("jette", MY_LOG)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_no_personal_data_leaves_when_the_audit_store_fails(make_client: Any) -> None:
    client: Client = await make_client(audit=FailingAuditStore())
    body = await client.query("jette", FULL_PROFILE, {"cpr": ANNE, "purpose": "PLANNING"})
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["AUDIT_UNAVAILABLE"]
    assert "Anne" not in str(body)
    metrics = (await client.http.get("/metrics")).text
    assert "ungeprofil_audit_write_failures_total 1.0" in metrics
    ready = await client.http.get("/readyz")
    assert ready.status_code == 503 and ready.json()["checks"]["audit"] is False


POLICY = """{ policy {
  version
  legalBases { id reference inForce effectiveFrom }
  situations { name }
  matrix(role: "mentor", purpose: MENTORING) { category allowed reason legalBases }
  explain(role: "contact_person", purpose: PLANNING, category: GRADES,
          situation: "assigned_contact_person") { allowed reason rule policyVersion }
} }"""


async def test_the_privacy_officer_reviews_the_policy(client: Client) -> None:
    body = await client.query("henrik", POLICY)
    assert "errors" not in body, body.get("errors")
    policy = body["data"]["policy"]
    bases = {b["id"]: b for b in policy["legalBases"]}
    assert bases["GRADES-PROPOSED"]["inForce"] is False
    assert any(b["inForce"] for b in bases.values())
    mentor = {r["category"]: r["allowed"] for r in policy["matrix"]}
    assert {c for c, allowed in mentor.items() if allowed} == {
        "IDENTITY",
        "PLAN",
        "ADMISSIONS",
        "CONTACTS",
        "DROPOUT_RISK",
    }
    explained = policy["explain"]
    assert explained["allowed"] is False and "legal basis" in explained["reason"]
    assert explained["policyVersion"] == policy["version"]


async def test_only_privacy_officers_review_the_policy(client: Client) -> None:
    body = await client.query("jette", "{ policy { version } }")
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


class _GatedStore(MemoryAuditStore):
    """Notes how many register data answers had arrived when each write began, and holds the
    write until released."""

    def __init__(self, client: dict[str, Client]) -> None:
        super().__init__()
        self.client = client
        self.data_answers_at_write: list[float] = []
        self.writing = asyncio.Event()
        self.release = asyncio.Event()

    async def append(self, records: Any) -> None:
        self.data_answers_at_write.append(self.client["c"].register_calls("udb", "data"))
        self.writing.set()
        await self.release.wait()
        await super().append(records)


async def test_the_audit_write_overlaps_the_fetch_and_the_answer_waits_for_it(
    make_client: Any,
) -> None:
    holder: dict[str, Client] = {}
    store = _GatedStore(holder)
    holder["c"] = client = await make_client(audit=store)
    asked = asyncio.ensure_future(
        client.query("jette", FULL_PROFILE, {"cpr": ANNE, "purpose": "PLANNING"})
    )
    await asyncio.wait_for(store.writing.wait(), timeout=10)
    assert not asked.done()
    assert store.data_answers_at_write == [0]  # written before any data was fetched
    store.release.set()
    body = await asked
    assert body["data"]["youth"]["identity"]["firstName"] == "Anne"
    assert client.register_calls("udb", "data") == 1
    assert len(store.data_answers_at_write) == 1  # every decision in one write
    assert {r.category for r in store.records} >= {"identity", "schooling", "health"}
