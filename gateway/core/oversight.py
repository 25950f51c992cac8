"""Reading the audit log: the young person's own access log, and the privacy officer's view.

The audit store is the only source; nobody reads another municipality's log, and a privacy
officer's reading is itself recorded in the log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Mapping
from itertools import groupby
from typing import Any

from gateway.access import AuditBuffer
from gateway.audit.records import AuditFilter as StoreFilter
from gateway.audit.records import AuditRecord, InvalidCursor, encode_cursor
from gateway.audit.store import AuditStore, AuditUnavailable
from gateway.auth import Subject
from gateway.policies.engine import PolicyEngine
from gateway.policies.officer import explain, load_situations, matrix
from schema.enums import Category, Purpose, Role
from schema.errors import AuditDown, BadUserInput, Forbidden
from schema.oversight import (
    AccessLogConnection,
    AccessLogEdge,
    AccessLogEntry,
    AuditEntry,
    AuditEntryConnection,
    AuditEntryEdge,
    AuditFilter,
    DecisionOutcome,
    DeniedCategory,
    Explanation,
    LegalBasis,
    PolicyCatalogue,
    PolicyRule,
    PolicySituation,
)

#: The most records one request can write about one young person: one per category.
_RECORDS_PER_ACCESS = len(Category)

#: The category under which a read of the audit log itself is recorded.
AUDIT_LOG_READ = "audit_log"


class GatewayOversight:
    def __init__(
        self,
        *,
        subject: Subject,
        request_id: str,
        store: Callable[[], Awaitable[AuditStore | None]],
        audit: AuditBuffer,
        engine: PolicyEngine,
        catalogue: Mapping[str, Any],
        today: dt.date,
    ) -> None:
        self._subject = subject
        self._request_id = request_id
        self._store = store
        self._audit = audit
        self._engine = engine
        self._catalogue = catalogue
        self._today = today
        self._policy_version = engine.policy_version

    # --- the policy, for privacy officers ------------------------------------------------------

    def _officer_only(self) -> None:
        if self._subject.role != Role.PRIVACY_OFFICER.value:
            raise Forbidden("only a privacy officer reviews the policy")

    async def policy(self) -> PolicyCatalogue:
        self._officer_only()
        return PolicyCatalogue(
            version=self._policy_version,
            legal_bases=[
                _legal_basis(basis_id, basis, self._today)
                for basis_id, basis in self._catalogue["legal_bases"].items()
            ],
            situations=[
                PolicySituation(name=s.name, description=s.description)
                for s in load_situations().values()
            ],
        )

    async def policy_matrix(self) -> list[PolicyRule]:
        self._officer_only()
        rows = await matrix(self._engine, self._catalogue, self._today)
        known = {p.value for p in Purpose}
        return [
            PolicyRule(
                role=r.role,
                purpose=Purpose(r.purpose),
                category=Category(r.category),
                allowed=r.allow,
                reason=r.reason,
                rule=r.rule,
                legal_bases=list(r.legal_bases),
            )
            for r in rows
            if r.purpose in known
        ]

    async def explain(
        self, role: str, purpose: Purpose, category: Category, situation: str, day: dt.date | None
    ) -> Explanation:
        self._officer_only()
        if situation not in load_situations():
            raise BadUserInput("unknown situation: see `policy { situations { name } }`")
        verdict = await explain(
            self._engine, role, purpose.value, category.value, situation, day or self._today
        )
        return Explanation(
            allowed=verdict.allow,
            reason=verdict.reason,
            rule=verdict.rule,
            legal_bases=list(verdict.legal_bases),
            policy_version=self._policy_version,
        )

    # --- the audit log ---------------------------------------------------------------------------

    async def _open(self) -> AuditStore:
        store = await self._store()
        if store is None:
            raise AuditDown()
        return store

    async def my_access_log(self, first: int, after: str | None) -> AccessLogConnection:
        if self._subject.role != Role.YOUTH.value:
            raise Forbidden("only the young person reads their own access log")
        store = await self._open()
        # One access writes at most one record per category, consecutively; over-fetch so the
        # page holds `first` whole accesses, then cut at an access boundary.
        try:
            page = await store.query(
                StoreFilter(cpr=self._subject.sub), (first + 1) * _RECORDS_PER_ACCESS, after
            )
        except InvalidCursor:
            raise BadUserInput("unknown cursor") from None
        except AuditUnavailable:
            raise AuditDown() from None
        accesses = [list(group) for _, group in groupby(page.records, key=lambda r: r.request_id)]
        more = len(accesses) > first or page.next_cursor is not None
        accesses = accesses[:first]
        edges = [
            AccessLogEdge(cursor=encode_cursor(records[-1].seq), node=_entry(records))
            for records in accesses
        ]
        return AccessLogConnection(
            edges=edges,
            has_next_page=more and bool(edges),
            end_cursor=edges[-1].cursor if edges else None,
        )

    async def audit_log(
        self, filter: AuditFilter, first: int, after: str | None
    ) -> AuditEntryConnection:
        s = self._subject
        if s.role != Role.PRIVACY_OFFICER.value or s.municipality is None:
            raise Forbidden("only a municipality's privacy officer reads its audit log")
        store = await self._open()
        query = StoreFilter(
            cpr=filter.cpr,
            subject=filter.subject,
            role=filter.role,
            purpose=filter.purpose.value if filter.purpose else None,
            category=filter.category.value if filter.category else None,
            decision=filter.decision.value if filter.decision else None,
            municipality=s.municipality,  # their own municipality, whatever they ask
            since=_aware(filter.since),
            until=_aware(filter.until),
        )
        try:
            page = await store.query(query, first, after)
        except InvalidCursor:
            raise BadUserInput("unknown cursor") from None
        except AuditUnavailable:
            raise AuditDown() from None
        self._record_read(filter)
        edges = [
            AuditEntryEdge(cursor=encode_cursor(r.seq), node=_audit_entry(r)) for r in page.records
        ]
        return AuditEntryConnection(
            edges=edges,
            has_next_page=page.next_cursor is not None,
            end_cursor=page.next_cursor,
        )

    def _record_read(self, filter: AuditFilter) -> None:
        self._audit.add(
            self._audit.record(
                self._subject,
                self._request_id,
                purpose=Purpose.SUPERVISION.value,
                cpr=filter.cpr or "",
                category=AUDIT_LOG_READ,
                allow=True,
                reason="privacy officer reads the audit log of their own municipality",
                legal_bases=(),
                policy_version=self._policy_version,
            )
        )


def _legal_basis(basis_id: str, basis: Mapping[str, Any], today: dt.date) -> LegalBasis:
    start = dt.date.fromisoformat(basis["from"]) if basis.get("from") else None
    end = dt.date.fromisoformat(basis["to"]) if basis.get("to") else None
    return LegalBasis(
        id=basis_id,
        reference=basis["reference"],
        categories=[Category(c) for c in basis.get("categories", [])],
        roles=list(basis.get("roles", [])),
        effective_from=start,
        effective_to=end,
        in_force=start is not None and start <= today and (end is None or today <= end),
    )


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=dt.UTC)


def _entry(records: list[AuditRecord]) -> AccessLogEntry:
    first = records[0]
    seen = [Category(r.category) for r in records if r.decision == "allow"]
    bases = sorted({b for r in records if r.decision == "allow" for b in r.legal_bases})
    return AccessLogEntry(
        time=first.time,
        accessed_by=first.subject_name,
        organisation=first.organisation,
        role=first.role,
        purpose=Purpose(first.purpose),
        categories_seen=seen,
        denied=[
            DeniedCategory(category=Category(r.category), reason=r.reason)
            for r in records
            if r.decision == "deny"
        ],
        legal_bases=bases,
    )


def _audit_entry(r: AuditRecord) -> AuditEntry:
    return AuditEntry(
        seq=r.seq,
        time=r.time,
        request_id=r.request_id,
        subject=r.subject,
        subject_name=r.subject_name,
        role=r.role,
        organisation=r.organisation,
        municipality=r.municipality,
        purpose=r.purpose,
        cpr=r.cpr,
        category=r.category,
        decision=DecisionOutcome(r.decision),
        reason=r.reason,
        legal_bases=list(r.legal_bases),
        policy_version=r.policy_version,
        hash=r.hash,
    )
