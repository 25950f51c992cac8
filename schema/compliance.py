"""A team leader's deadline report (DEADLINES.md) and the rules catalogue it counts by.

`deadlineCompliance` is an AGGREGATE the policy decides (role manager, purpose
MANAGEMENT_SUPERVISION, their own municipality only) and the log records once, without a CPR.
It shows counts, never a young person: a cell with fewer than 5 due is suppressed.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Protocol

import strawberry
from strawberry.types import Info

from schema.categories.deadlines import DeadlineRule, LegalReference, ReferenceMark
from schema.scalars import YearMonth


class HasCompliance(Protocol):
    """The request context, as the resolvers here see it."""

    compliance: Compliance


@strawberry.type(description="One rule in one month of a municipality's report.")
class DeadlineComplianceCell:
    rule: DeadlineRule = strawberry.field(description="The rule.")
    month: YearMonth = strawberry.field(description="The month the deadlines fell due in.")
    suppressed: bool = strawberry.field(
        description="Fewer than 5 fell due (or fewer than 5 count in the share): every count "
        "and the share are null, so no young person can be singled out."
    )
    due: int | None = strawberry.field(
        description="Deadlines of the rule that fell due in the month (moved by exemptions), "
        "in any state."
    )
    met: int | None = strawberry.field(description="Met on time.")
    met_late: int | None = strawberry.field(description="Met after the due date: not met.")
    overdue: int | None = strawberry.field(description="Not met, past the due date.")
    exempt: int | None = strawberry.field(description="Exempt on the day of the report.")
    unknown: int | None = strawberry.field(description="Not knowable from the registers.")
    not_applicable: int | None = strawberry.field(description="The rule did not apply.")
    pending: int | None = strawberry.field(
        description="Not yet due on the day of the report (this month's later deadlines)."
    )
    share_met: float | None = strawberry.field(
        description="met ÷ (due − notApplicable − exempt − unknown − pending), as in the 2022 "
        "audit; null when suppressed or nothing counts."
    )


@strawberry.type(
    description="The share of legal deadlines met per rule and month in one municipality, "
    "counted from the same per-person deadlines the youth view shows."
)
class DeadlineComplianceReport:
    municipality: str = strawberry.field(description="The municipality (4 digits).")
    first_month: YearMonth = strawberry.field(name="from", description="The first month.")
    last_month: YearMonth = strawberry.field(name="to", description="The last month.")
    as_of: dt.date = strawberry.field(description="The day the deadlines were judged on.")
    rules_version: str = strawberry.field(description="The rules catalogue's version.")
    cells: list[DeadlineComplianceCell] = strawberry.field(
        description="One per rule and month, rules in catalogue order, months in order."
    )


@strawberry.type(description="A duration parameter of a rule (months, then weeks and days).")
class RuleParameter:
    name: str = strawberry.field(description="The parameter, e.g. within.")
    months: int = strawberry.field(description="Calendar months (same day, clamped).")
    weeks: int = strawberry.field(description="Weeks of 7 days.")
    days: int = strawberry.field(description="Days.")


@strawberry.type(description="A period in which a rule is suspended: its clocks stand still.")
class RuleSuspension:
    reason: str = strawberry.field(description="What was suspended, and why.")
    mark: ReferenceMark = strawberry.field(description="Verified or not.")
    effective_from: dt.date = strawberry.field(description="From (inclusive).")
    effective_to: dt.date | None = strawberry.field(description="Until (inclusive).")


@strawberry.type(description="One rule of the deadline catalogue, as dated data.")
class DeadlineRuleEntry:
    id: DeadlineRule = strawberry.field(description="The rule.")
    title: str = strawberry.field(description="The rule in words.")
    clock: str = strawberry.field(description="When its clock starts.")
    applicability: str = strawberry.field(description="Whom it applies to.")
    data: str = strawberry.field(description="The register data it reads.")
    closed_by_case: bool = strawberry.field(
        description="A closed case makes its open deadlines NOT_APPLICABLE (CASE_CLOSED)."
    )
    parameters: list[RuleParameter] = strawberry.field(description="Its durations.")
    references: list[LegalReference] = strawberry.field(
        description="Its legal references, each with its period."
    )
    suspensions: list[RuleSuspension] = strawberry.field(description="Its suspensions.")
    in_force: bool = strawberry.field(description="A reference of it is in force today.")
    audited_share_2022: float | None = strawberry.field(
        description="The share met in the 2022 audit (seed 002); null when not measured."
    )


@strawberry.type(description="The deadline rules catalogue (DEADLINES.md).")
class DeadlineRuleCatalogue:
    version: str = strawberry.field(description="The catalogue's version.")
    due_soon_days: int = strawberry.field(description="DUE_SOON this many days ahead.")
    rules: list[DeadlineRuleEntry] = strawberry.field(description="The rules, in order.")


class Compliance(Protocol):
    async def deadline_compliance(
        self,
        municipality: str,
        first: YearMonth,
        last: YearMonth,
        rules: list[DeadlineRule] | None,
    ) -> DeadlineComplianceReport: ...


@strawberry.type
class ComplianceQuery:
    @strawberry.field(
        description=(
            "The share of legal deadlines met per rule and month in a municipality (role "
            "manager, their own municipality): counts only, cells under 5 suppressed. Another "
            "municipality is FORBIDDEN."
        )
    )
    async def deadline_compliance(
        self,
        info: Info[HasCompliance, None],
        municipality: str,
        first: Annotated[YearMonth, strawberry.argument(name="from")],
        last: Annotated[YearMonth, strawberry.argument(name="to")],
        rules: list[DeadlineRule] | None = None,
    ) -> DeadlineComplianceReport | None:
        return await info.context.compliance.deadline_compliance(municipality, first, last, rules)
