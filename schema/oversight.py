"""Who saw what: the young person's access log, the privacy officer's audit log and policy view."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Protocol

import strawberry
from strawberry.types import Info

from schema.compliance import DeadlineRuleCatalogue
from schema.enums import Category, Purpose
from schema.scalars import CPR


class HasOversight(Protocol):
    """The request context, as the resolvers here see it (defined first: strawberry reads the
    `info` annotations while the classes below are being built)."""

    oversight: Oversight


@strawberry.enum(description="The outcome of a policy decision.")
class DecisionOutcome(Enum):
    ALLOWED = "allow"
    DENIED = "deny"


@strawberry.enum(description="What kind of decision an audit record holds.")
class AuditKind(Enum):
    CATEGORY_READ = "category_read"
    RELATIONSHIP_CONFIRMED = "relationship_confirmed"
    LOG_READ = "log_read"
    POLICY_READ = "policy_read"
    REQUEST_REFUSED = "request_refused"
    WRITE_INTENT = "write_intent"
    WRITE_OUTCOME = "write_outcome"
    AGGREGATE = "aggregate"


@strawberry.enum(description="What one access to the young person's data was.")
class AccessKind(Enum):
    READ = "read"
    RELATIONSHIP_CONFIRMED = "relationship_confirmed"
    LOG_READ = "log_read"
    REFUSED = "refused"
    WRITE = "write"


@strawberry.type(description="A message written about the young person, and what came of it.")
class WrittenMessage:
    resource: str = strawberry.field(
        description="What was written: support_need, institution_contact, dropout_risk, "
        "udb_subscription, questionnaire, health_consent (the policy's WRITE resources)."
    )
    outcome: str = strawberry.field(
        description="What came of it: applied, no change, replayed, not applied (with codes)."
    )


@strawberry.type(description="A category that was asked for and refused, with the policy's reason.")
class DeniedCategory:
    category: Category = strawberry.field(description="The refused category.")
    reason: str = strawberry.field(description="Why the policy refused it.")


@strawberry.type(
    description=(
        "One look at the young person's data: who, from which organisation, when, for which "
        "purpose, what they saw and on which legal basis, and what they were refused."
    )
)
class AccessLogEntry:
    time: dt.datetime = strawberry.field(description="When the access happened (UTC).")
    kind: AccessKind = strawberry.field(
        description=(
            "READ: categories were decided; RELATIONSHIP_CONFIRMED: the answer showed only that "
            "they have a relationship to you; LOG_READ: a privacy officer read your access "
            "records; REFUSED: a request naming you was refused as a whole; WRITE: data about "
            "you was sent."
        )
    )
    accessed_by: str = strawberry.field(description="The person or system, by name.")
    organisation: str | None = strawberry.field(
        description="Their organisation, e.g. Jobcenter København."
    )
    role: str = strawberry.field(description="Their role, e.g. contact_person.")
    purpose: Purpose = strawberry.field(description="The purpose they declared.")
    categories_seen: list[Category] = strawberry.field(description="Categories released to them.")
    denied: list[DeniedCategory] = strawberry.field(description="Categories they were refused.")
    legal_bases: list[str] = strawberry.field(description="Legal-basis ids the release rested on.")
    written: list[WrittenMessage] = strawberry.field(
        default_factory=list,
        description="For a WRITE: what was sent about the young person (to the school, to UDB) "
        "and its outcome.",
    )


@strawberry.type(description="An access-log entry in a connection.")
class AccessLogEdge:
    cursor: str = strawberry.field(description="Opaque position of this entry.")
    node: AccessLogEntry = strawberry.field(description="The entry.")


@strawberry.type(description="The young person's access log, newest first.")
class AccessLogConnection:
    edges: list[AccessLogEdge] = strawberry.field(description="Entries on this page.")
    has_next_page: bool = strawberry.field(description="More entries follow.")
    end_cursor: str | None = strawberry.field(description="Pass as `after` for the next page.")


@strawberry.type(description="One audited decision on one category of one young person.")
class AuditEntry:
    seq: int = strawberry.field(description="Position in the tamper-evident chain.")
    kind: AuditKind = strawberry.field(description="What kind of decision this is.")
    time: dt.datetime = strawberry.field(description="When the decision was made (UTC).")
    request_id: str = strawberry.field(description="The request the decision belongs to.")
    subject: str = strawberry.field(description="The caller's user id.")
    subject_name: str = strawberry.field(description="The caller's name.")
    role: str = strawberry.field(description="The caller's role.")
    organisation: str | None = strawberry.field(description="The caller's organisation.")
    municipality: str | None = strawberry.field(description="The caller's municipality code.")
    youth_municipality: str | None = strawberry.field(
        description="The young person's municipality code, when known."
    )
    purpose: str = strawberry.field(description="The declared purpose.")
    cpr: str = strawberry.field(
        description="The young person's CPR number (empty when the decision named nobody)."
    )
    category: str = strawberry.field(
        description=(
            "The data category decided on (kind CATEGORY_READ), the resource of another action "
            "(access_log, audit_log, policy), or empty."
        )
    )
    decision: DecisionOutcome = strawberry.field(description="Allowed or denied.")
    reason: str = strawberry.field(description="The policy's reason.")
    legal_bases: list[str] = strawberry.field(description="Legal-basis ids the decision rests on.")
    policy_version: str = strawberry.field(description="The policy version that decided.")
    hash: str = strawberry.field(description="This record's hash in the chain.")


@strawberry.type(description="An audit entry in a connection.")
class AuditEntryEdge:
    cursor: str = strawberry.field(description="Opaque position of this entry.")
    node: AuditEntry = strawberry.field(description="The entry.")


@strawberry.type(description="Audit entries, newest first.")
class AuditEntryConnection:
    edges: list[AuditEntryEdge] = strawberry.field(description="Entries on this page.")
    has_next_page: bool = strawberry.field(description="More entries follow.")
    end_cursor: str | None = strawberry.field(description="Pass as `after` for the next page.")


@strawberry.input(description="Narrows the audit log; every field is optional.")
class AuditFilter:
    cpr: CPR | None = strawberry.field(default=None, description="One young person.")
    subject: str | None = strawberry.field(default=None, description="One caller, by user id.")
    role: str | None = strawberry.field(default=None, description="One role.")
    kind: AuditKind | None = strawberry.field(default=None, description="One kind of decision.")
    purpose: Purpose | None = strawberry.field(default=None, description="One purpose.")
    category: Category | None = strawberry.field(default=None, description="One category.")
    decision: DecisionOutcome | None = strawberry.field(
        default=None, description="Allowed or denied."
    )
    since: dt.datetime | None = strawberry.field(default=None, description="From (inclusive).")
    until: dt.datetime | None = strawberry.field(default=None, description="Until (exclusive).")


@strawberry.type(description="A legal basis (hjemmel) as policy data, with its effective period.")
class LegalBasis:
    id: str = strawberry.field(
        description="The basis's id, as decisions and audit records name it."
    )
    reference: str = strawberry.field(description="The law's reference, e.g. LAB § 30, stk. 7.")
    categories: list[Category] = strawberry.field(description="Categories it covers.")
    roles: list[str] = strawberry.field(description="Roles it covers.")
    effective_from: dt.date | None = strawberry.field(
        description="In force from (inclusive); null for a proposed basis not yet in force."
    )
    effective_to: dt.date | None = strawberry.field(description="In force until (inclusive).")
    in_force: bool = strawberry.field(description="In force today.")
    review_by: dt.date | None = strawberry.field(
        default=None,
        description=(
            "The basis must be confirmed by this date (an expected change in the law, not yet "
            "certain); it stays in force meanwhile. Null when no review is due."
        ),
    )
    review_note: str | None = strawberry.field(
        default=None, description="What is expected, and what to do when it is known."
    )


@strawberry.enum(description="How a legal basis leaves the window `closingSoon` looks at.")
class ClosingKind(Enum):
    ENDS = "ends"
    REVIEW = "review"


@strawberry.type(description="A legal basis in force today that ends or is due for review soon.")
class ClosingBasis:
    id: str = strawberry.field(description="The basis's id.")
    reference: str = strawberry.field(description="The law's reference.")
    date: dt.date = strawberry.field(
        description="Its last day in force (ENDS) or the date it must be confirmed by (REVIEW)."
    )
    kind: ClosingKind = strawberry.field(description="It ends, or it is due for review.")
    note: str | None = strawberry.field(description="The review's note: what is expected.")


@strawberry.type(
    description=(
        "A role and category whose every legal basis in force ends or is due for review within "
        "the window: unless the law is confirmed, the role stops seeing the category."
    )
)
class ClosingCategory:
    role: str = strawberry.field(description="The role.")
    category: Category = strawberry.field(description="The data category.")
    date: dt.date = strawberry.field(
        description="The last of its bases' dates: from then on no confirmed basis is left."
    )
    legal_bases: list[ClosingBasis] = strawberry.field(
        description="Every basis in force the pair rests on, each with its date."
    )


@strawberry.type(description="One cell of the policy matrix: role x purpose x category.")
class PolicyRule:
    role: str = strawberry.field(description="The role.")
    purpose: Purpose = strawberry.field(description="The declared purpose.")
    category: Category = strawberry.field(description="The data category.")
    allowed: bool = strawberry.field(
        description="Allowed when the role's relationship holds (health: with consent)."
    )
    reason: str = strawberry.field(description="The policy's reason.")
    rule: str | None = strawberry.field(description="The Rego rule that decided.")
    legal_bases: list[str] = strawberry.field(description="Legal-basis ids the decision rests on.")


@strawberry.type(
    description="One cell of the matrix of actions other than reading: action x resource x role "
    "x purpose (WRITE of an exchange message, READ_LOG, READ_POLICY, AGGREGATE)."
)
class ActionRule:
    action: str = strawberry.field(description="WRITE, READ_LOG, READ_POLICY, AGGREGATE.")
    resource: str = strawberry.field(description="What the action is on, e.g. support_need.")
    role: str = strawberry.field(description="The role.")
    purpose: Purpose = strawberry.field(description="The declared purpose.")
    allowed: bool = strawberry.field(
        description="Allowed when every requirement of the grant holds (its relationship, the "
        "young person's education order and admission, the caller's municipality)."
    )
    reason: str = strawberry.field(description="The policy's reason.")
    rule: str | None = strawberry.field(description="The Rego rule that decided.")
    legal_bases: list[str] = strawberry.field(description="Legal-basis ids it rests on.")


@strawberry.type(description="A named situation a decision can be explained in.")
class PolicySituation:
    name: str = strawberry.field(description="Its name, to pass to `explain`.")
    description: str = strawberry.field(description="What holds in it.")


@strawberry.type(
    description="Why a decision came out as it did, from the engine live requests use."
)
class Explanation:
    allowed: bool = strawberry.field(description="Would the category be released?")
    reason: str = strawberry.field(description="The policy's reason.")
    rule: str | None = strawberry.field(description="The Rego rule that decided.")
    legal_bases: list[str] = strawberry.field(description="Legal-basis ids it rests on.")
    policy_version: str = strawberry.field(description="The policy version that decided.")


@strawberry.type(
    description=(
        "The policy as a privacy officer reviews it: its version, the legal bases with their "
        "effective periods and reviews, the full matrix, explanations of single decisions, and "
        "the role and category pairs whose legal basis ends or is due for review soon."
    )
)
class PolicyCatalogue:
    version: str = strawberry.field(description="The policy version every decision records.")
    legal_bases: list[LegalBasis] = strawberry.field(description="The legal bases, as data.")
    situations: list[PolicySituation] = strawberry.field(
        description="The named situations `explain` accepts."
    )
    deadline_rules: DeadlineRuleCatalogue | None = strawberry.field(
        default=None,
        description="The deadline rules (DEADLINES.md) as dated data: parameters, applicability, "
        "legal references with their periods, suspensions.",
    )

    @strawberry.field(description="Every role x purpose x category, optionally narrowed.")
    async def matrix(
        self,
        info: Info[HasOversight, None],
        role: str | None = None,
        purpose: Purpose | None = None,
        category: Category | None = None,
    ) -> list[PolicyRule]:
        rows = await info.context.oversight.policy_matrix()
        return [
            r
            for r in rows
            if (role is None or r.role == role)
            and (purpose is None or r.purpose == purpose)
            and (category is None or r.category == category)
        ]

    @strawberry.field(
        description=(
            "Every (role, category) whose last legal basis in force ends, or is due for review, "
            "within `days` days from today (both ends included), with the bases and their "
            "dates; soonest first."
        )
    )
    async def closing_soon(
        self, info: Info[HasOversight, None], days: int = 90
    ) -> list[ClosingCategory]:
        return await info.context.oversight.closing_soon(days)

    @strawberry.field(
        description=(
            "Would `role` with `purpose` see `category` of a young person in `situation` on "
            "`date` (default today), and which rule and legal basis decided?"
        )
    )
    async def explain(
        self,
        info: Info[HasOversight, None],
        role: str,
        purpose: Purpose,
        category: Category,
        situation: str,
        date: dt.date | None = None,
    ) -> Explanation:
        return await info.context.oversight.explain(role, purpose, category, situation, date)

    @strawberry.field(
        description="Every action other than reading categories (writes of the exchange and "
        "the young person's own answers, log reads, policy reads, reports) × resource × role × "
        "purpose, optionally narrowed."
    )
    async def action_matrix(
        self,
        info: Info[HasOversight, None],
        action: str | None = None,
        role: str | None = None,
    ) -> list[ActionRule]:
        rows = await info.context.oversight.action_matrix()
        return [
            r
            for r in rows
            if (action is None or r.action == action) and (role is None or r.role == role)
        ]

    @strawberry.field(
        description="Would `role` with `purpose` be allowed `action` on `resource` (e.g. WRITE "
        "support_need) for a young person in `situation` on `date`, and why?"
    )
    async def explain_action(
        self,
        info: Info[HasOversight, None],
        action: str,
        resource: str,
        role: str,
        purpose: Purpose,
        situation: str,
        date: dt.date | None = None,
    ) -> Explanation:
        return await info.context.oversight.explain_action(
            action, resource, role, purpose, situation, date
        )


class Oversight(Protocol):
    async def policy(self) -> PolicyCatalogue: ...

    async def policy_matrix(self) -> list[PolicyRule]: ...

    async def action_matrix(self) -> list[ActionRule]: ...

    async def explain_action(
        self,
        action: str,
        resource: str,
        role: str,
        purpose: Purpose,
        situation: str,
        day: dt.date | None,
    ) -> Explanation: ...

    async def closing_soon(self, days: int) -> list[ClosingCategory]: ...

    async def explain(
        self, role: str, purpose: Purpose, category: Category, situation: str, day: dt.date | None
    ) -> Explanation: ...

    async def my_access_log(self, first: int, after: str | None) -> AccessLogConnection: ...

    async def audit_log(
        self, filter: AuditFilter, first: int, after: str | None
    ) -> AuditEntryConnection: ...


MAX_LOG_PAGE = 100


def _page(first: int | None) -> int:
    from schema.errors import BadUserInput

    size = 20 if first is None else first
    if not 0 <= size <= MAX_LOG_PAGE:
        raise BadUserInput(f"`first` must be between 0 and {MAX_LOG_PAGE}")
    return size


@strawberry.type
class OversightQuery:
    @strawberry.field(
        description=(
            "Who accessed my data (role youth): when, which categories, for which purpose, on "
            "which legal basis, and what was denied — newest first."
        )
    )
    async def my_access_log(
        self, info: Info[HasOversight, None], first: int | None = None, after: str | None = None
    ) -> AccessLogConnection:
        return await info.context.oversight.my_access_log(_page(first), after)

    @strawberry.field(
        description=(
            "The policy catalogue (role privacy_officer): matrix, legal bases, explain, "
            "closingSoon."
        )
    )
    async def policy(self, info: Info[HasOversight, None]) -> PolicyCatalogue:
        return await info.context.oversight.policy()

    @strawberry.field(
        description=(
            "The audit log of the privacy officer's own municipality (role privacy_officer). "
            "Reading it is itself audited."
        )
    )
    async def audit_log(
        self,
        info: Info[HasOversight, None],
        filter: AuditFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> AuditEntryConnection:
        return await info.context.oversight.audit_log(filter or AuditFilter(), _page(first), after)
