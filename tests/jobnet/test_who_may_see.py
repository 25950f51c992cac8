"""A young person reads who may see their data (GDPR art. 13/14) through the same door as a
privacy officer: `policy { matrix }` is READ_POLICY, which the policy grants role youth for
purpose SELF (catalogue `actions`), journalled like every other read of the policy."""

from __future__ import annotations

from typing import Any

from gateway.audit.memory import MemoryAuditStore
from gateway.audit.records import AuditFilter
from tests.e2e.conftest import Client

MATRIX = "{ policy { matrix(category: HEALTH) { role purpose allowed legalBases } } }"


async def test_a_young_person_reads_the_matrix_for_self(make_client: Any) -> None:
    store = MemoryAuditStore()
    client: Client = await make_client(audit=store)
    body = await client.query("anne", MATRIX)
    assert "errors" not in body, body
    allowed = {(r["role"], r["purpose"]) for r in body["data"]["policy"]["matrix"] if r["allowed"]}
    assert ("youth", "SELF") in allowed
    assert ("contact_person", "PLANNING") in allowed  # with consent: the matrix's situation
    [record] = (await store.query(AuditFilter(kind="policy_read"), 10)).records
    assert (record.role, record.purpose, record.decision) == ("youth", "SELF", "allow")
    assert record.legal_bases == ("GDPR-13-14",)
    assert record.cpr == ""  # about the policy, not about a young person


async def test_no_one_else_but_the_privacy_officer_reads_it(make_client: Any) -> None:
    client: Client = await make_client()
    for who in ("jette", "mikkel", "fagsystem"):
        body = await client.query(who, MATRIX)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", who
    officer = await client.query("henrik", MATRIX)
    assert "errors" not in officer
