"""Every kind the audit log can hold has a name in the schema, so no reader of the log can
meet a record it cannot show (a privacy officer's auditLog, a young person's myAccessLog)."""

from __future__ import annotations

from gateway.audit.records import KINDS
from schema.oversight import AuditKind


def test_every_audit_kind_has_a_schema_name() -> None:
    assert {kind.value for kind in AuditKind} == set(KINDS)
