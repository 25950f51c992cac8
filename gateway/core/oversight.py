"""Oversight as a use case: the young person's own access log, the privacy officer's audit log
and policy view — each an action the guard decides (READ_LOG, READ_POLICY) and journals
before the store is read.

The audit store is the only source; a privacy officer reads the records of callers of their
own municipality and of young people of their municipality (callers without one, such as a
school, are supervised where the young person lives), and every reading is itself audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Mapping
from itertools import groupby
from typing import Any, TypeVar

from gateway.audit.records import (
    CATEGORY_READ,
    LOG_READ,
    POLICY_READ,
    RELATIONSHIP_CONFIRMED,
    REQUEST_REFUSED,
    WRITE_INTENT,
    WRITE_OUTCOME,
    AuditRecord,
    InvalidCursor,
    encode_cursor,
)
from gateway.audit.records import AuditFilter as StoreFilter
from gateway.audit.store import AuditStore, AuditUnavailable
from gateway.core.deadlines import rule_catalogue
from gateway.core.guard import READ_LOG, READ_POLICY
from gateway.core.session import Session
from gateway.deadlines.rulebook import Rulebook
from gateway.policies.engine import PolicyEngine
from gateway.policies.officer import (
    action_matrix,
    basis_in_force,
    closing_soon,
    explain,
    load_situations,
    matrix,
)
from schema.enums import Category, Purpose, Role
from schema.errors import AuditDown, BadUserInput
from schema.oversight import (
    AccessKind,
    AccessLogConnection,
    AccessLogEdge,
    AccessLogEntry,
    ActionRule,
    AuditEntry,
    AuditEntryConnection,
    AuditEntryEdge,
    AuditFilter,
    AuditKind,
    ClosingBasis,
    ClosingCategory,
    ClosingKind,
    DecisionOutcome,
    DeniedCategory,
    Explanation,
    LegalBasis,
    PolicyCatalogue,
    PolicyRule,
    PolicySituation,
    WrittenMessage,
)

#: The most records one request can write about one young person: one per category, and one
#: for a confirmed relationship or a log read.
_RECORDS_PER_ACCESS = len(Category) + 1

#: What a young person's access log shows of each kind of record.
_ACCESS_KINDS = {
    CATEGORY_READ: AccessKind.READ,
    RELATIONSHIP_CONFIRMED: AccessKind.RELATIONSHIP_CONFIRMED,
    LOG_READ: AccessKind.LOG_READ,
    REQUEST_REFUSED: AccessKind.REFUSED,
    WRITE_INTENT: AccessKind.WRITE,
    WRITE_OUTCOME: AccessKind.WRITE,
}

_CATEGORIES = {c.value: c for c in Category}

#: The longest window `closingSoon` looks ahead (ten years).
MAX_CLOSING_DAYS = 3653


T = TypeVar("T")
#: How a review is made: the live engine, the catalogue and the day.
Review = Callable[[PolicyEngine, Mapping[str, Any], dt.date], Awaitable[T]]


class Reviews:
    """The matrices of one policy version on one day, made once: they are the policy's answers
    for made-up people, the same for every reader (the matrix alone is ~80 fresh decisions).
    Each read is still authorised and journalled by its own request."""

    def __init__(self) -> None:
        self._made: dict[tuple[str, str, dt.date], Any] = {}

    async def get(self, key: tuple[str, str, dt.date], make: Callable[[], Awaitable[T]]) -> T:
        if key not in self._made:
            made = await make()
            # Only today's are kept: yesterday's answers are not asked for again.
            self._made = {k: v for k, v in self._made.items() if k[2] == key[2]}
            self._made[key] = made
        result: T = self._made[key]
        return result


class Oversight:
    def __init__(
        self,
        session: Session,
        *,
        store: Callable[[], Awaitable[AuditStore | None]],
        catalogue: Mapping[str, Any],
        rulebook: Rulebook | None = None,
        reviews: Reviews | None = None,
    ) -> None:
        self._reviews = reviews if reviews is not None else Reviews()
        self._rulebook = rulebook  # the deadline rules, listed with the policy
        self._subject = session.subject
        self._guard = session.guard
        self._store = store
        self._catalogue = catalogue
        self._today = session.today
        self._policy_version = session.guard.policy_version
        # Who reads the policy, and why: a young person is told who may see their data (SELF),
        # anyone else reads it as supervision. Whether they may is the policy's answer.
        self._policy_purpose = (
            Purpose.SELF if session.subject.role == Role.YOUTH.value else Purpose.SUPERVISION
        )

    # --- the policy, for privacy officers ------------------------------------------------------

    async def policy(self) -> PolicyCatalogue:
        await self._guard.authorise(READ_POLICY, "policy", self._policy_purpose, kind=POLICY_READ)
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
            deadline_rules=None
            if self._rulebook is None
            else rule_catalogue(self._rulebook, self._today),
        )

    async def _made_once(self, kind: str, make: Review[T]) -> T:
        """A review of today's policy (a matrix), allowed and journalled for this reader first,
        made once per policy version and day in this process (Reviews)."""
        catalogue, today = self._catalogue, self._today
        await self._guard.authorise(READ_POLICY, "policy", self._policy_purpose, kind=POLICY_READ)
        return await self._reviews.get(
            (kind, self._policy_version, today),
            lambda: self._guard.review(
                lambda engine: make(engine, catalogue, today), self._policy_purpose
            ),
        )

    async def policy_matrix(self) -> list[PolicyRule]:
        rows = await self._made_once("matrix", matrix)
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

    async def action_matrix(self) -> list[ActionRule]:
        rows = await self._made_once("actions", action_matrix)
        known = {p.value for p in Purpose}
        return [
            ActionRule(
                action=r.action,
                resource=r.resource,
                role=r.role,
                purpose=Purpose(r.purpose),
                allowed=r.allow,
                reason=r.reason,
                rule=r.rule,
                legal_bases=list(r.legal_bases),
            )
            for r in rows
            if r.purpose in known
        ]

    async def closing_soon(self, days: int) -> list[ClosingCategory]:
        await self._guard.authorise(READ_POLICY, "policy", self._policy_purpose, kind=POLICY_READ)
        if not 0 <= days <= MAX_CLOSING_DAYS:
            raise BadUserInput(f"`days` must be between 0 and {MAX_CLOSING_DAYS}")
        known = {c.value for c in Category}
        return [
            ClosingCategory(
                role=pair.role,
                category=Category(pair.category),
                date=pair.day,
                legal_bases=[
                    ClosingBasis(
                        id=basis.id,
                        reference=basis.reference,
                        date=basis.day,
                        kind=ClosingKind(basis.kind),
                        note=basis.note,
                    )
                    for basis in pair.bases
                ],
            )
            for pair in closing_soon(self._catalogue, self._today, days)
            if pair.category in known
        ]

    async def explain(
        self, role: str, purpose: Purpose, category: Category, situation: str, day: dt.date | None
    ) -> Explanation:
        return await self.explain_action("READ", category.value, role, purpose, situation, day)

    async def explain_action(
        self,
        action: str,
        resource: str,
        role: str,
        purpose: Purpose,
        situation: str,
        day: dt.date | None,
    ) -> Explanation:
        await self._guard.authorise(READ_POLICY, "policy", self._policy_purpose, kind=POLICY_READ)
        if situation not in load_situations():
            raise BadUserInput("unknown situation: see `policy { situations { name } }`")
        on = day or self._today
        verdict = await self._guard.review(
            lambda engine: explain(
                engine, role, purpose.value, resource, situation, on, action=action
            ),
            self._policy_purpose,
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
        # The young person's own reads of their log name no one else: recorded without a CPR,
        # so they do not fill the log they read.
        await self._guard.authorise(
            READ_LOG,
            "access_log",
            Purpose.SELF,
            kind=LOG_READ,
            cpr=self._subject.sub,
            recorded_cpr="",
        )
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
        await self._guard.authorise(
            READ_LOG,
            "audit_log",
            Purpose.SUPERVISION,
            kind=LOG_READ,
            recorded_cpr=filter.cpr or "",
        )
        store = await self._open()
        query = StoreFilter(
            cpr=filter.cpr,
            subject=filter.subject,
            role=filter.role,
            kind=filter.kind.value if filter.kind else None,
            purpose=filter.purpose.value if filter.purpose else None,
            category=filter.category.value if filter.category else None,
            decision=filter.decision.value if filter.decision else None,
            # Their own municipality, whatever they ask: its callers, and its young people
            # whoever looked (a school has no municipality of its own).
            supervised_by=self._subject.municipality,
            since=_aware(filter.since),
            until=_aware(filter.until),
        )
        try:
            page = await store.query(query, first, after)
        except InvalidCursor:
            raise BadUserInput("unknown cursor") from None
        except AuditUnavailable:
            raise AuditDown() from None
        edges = [
            AuditEntryEdge(
                cursor=encode_cursor(r.seq), node=_audit_entry(r, self._subject.municipality)
            )
            for r in page.records
        ]
        return AuditEntryConnection(
            edges=edges,
            has_next_page=page.next_cursor is not None,
            end_cursor=page.next_cursor,
        )


def _legal_basis(basis_id: str, basis: Mapping[str, Any], today: dt.date) -> LegalBasis:
    start = dt.date.fromisoformat(basis["from"]) if basis.get("from") else None
    end = dt.date.fromisoformat(basis["to"]) if basis.get("to") else None
    review = dt.date.fromisoformat(basis["review_by"]) if basis.get("review_by") else None
    return LegalBasis(
        id=basis_id,
        reference=basis["reference"],
        categories=[Category(c) for c in basis.get("categories", [])],
        roles=list(basis.get("roles", [])),
        effective_from=start,
        effective_to=end,
        in_force=basis_in_force(basis, today),
        review_by=review,
        review_note=basis.get("review_note"),
    )


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=dt.UTC)


def _entry(records: list[AuditRecord]) -> AccessLogEntry:
    """One access: the records of one request. A kind this view does not know is shown as a
    read of nothing rather than failing the whole log."""
    first = records[0]
    reads = [r for r in records if r.kind == CATEGORY_READ and r.category in _CATEGORIES]
    seen = [_CATEGORIES[r.category] for r in reads if r.decision == "allow"]
    bases = sorted({b for r in records if r.decision == "allow" for b in r.legal_bases})
    kinds = [_ACCESS_KINDS.get(r.kind) for r in records]
    kind = next((k for k in kinds if k is not None), AccessKind.READ)
    if any(k is AccessKind.READ for k in kinds):
        kind = AccessKind.READ
    return AccessLogEntry(
        time=first.time,
        kind=kind,
        accessed_by=first.subject_name,
        organisation=first.organisation,
        role=first.role,
        purpose=Purpose(first.purpose),
        categories_seen=seen,
        denied=[
            DeniedCategory(category=_CATEGORIES[r.category], reason=r.reason)
            for r in reads
            if r.decision == "deny"
        ],
        legal_bases=bases,
        written=[
            WrittenMessage(resource=r.category, outcome=r.reason)
            for r in records
            if r.kind == WRITE_OUTCOME
        ],
    )


def _audit_entry(r: AuditRecord, supervisor: str | None) -> AuditEntry:
    """One record as a privacy officer sees it. The young person's municipality is shown only
    when it is the officer's own (why they see the record): for a caller of their municipality
    who was refused someone elsewhere, it would tell where that CPR lives."""
    return AuditEntry(
        seq=r.seq,
        kind=AuditKind(r.kind),
        time=r.time,
        request_id=r.request_id,
        subject=r.subject,
        subject_name=r.subject_name,
        role=r.role,
        organisation=r.organisation,
        municipality=r.municipality,
        youth_municipality=r.youth_municipality if r.youth_municipality == supervisor else None,
        purpose=r.purpose,
        cpr=r.cpr,
        category=r.category,
        decision=DecisionOutcome(r.decision),
        reason=r.reason,
        legal_bases=list(r.legal_bases),
        policy_version=r.policy_version,
        hash=r.hash,
    )
