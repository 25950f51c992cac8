"""Deadlines as use cases, each a thin layer over the session's guard (DEADLINES.md):

- a young person's deadlines: category `deadlines`, a READ decided like every category (the
  youth view asks the guard, then `judged` here computes the signals from the facts the
  registers gave);
- the rules catalogue, as the privacy officer's `policy` view lists it (`rule_catalogue`);
- a team leader's report (`DeadlineReports`, implements schema.compliance.Compliance): the
  action AGGREGATE on `deadlines_aggregate`, decided in Rego for the asked municipality and
  journalled once, with no CPR, before any register is read; then the municipality's young
  people are read in batches (never a request per person) and counted from the same signals.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import Sequence

from gateway.audit.records import AGGREGATE as AGGREGATE_KIND
from gateway.core.session import Session
from gateway.deadlines.calendar import months_between
from gateway.deadlines.compliance import Cell, compliance
from gateway.deadlines.facts import YouthFacts
from gateway.deadlines.rulebook import Reference, Rulebook
from gateway.deadlines.rules import evaluate
from gateway.deadlines.signals import Signal
from gateway.resolvers import RegisterUnavailable
from schema.categories.deadlines import (
    Deadline,
    DeadlineEvidence,
    DeadlineReason,
    DeadlineRule,
    DeadlineState,
    LegalReference,
    ReferenceMark,
)
from schema.compliance import (
    DeadlineComplianceCell,
    DeadlineComplianceReport,
    DeadlineRuleCatalogue,
    DeadlineRuleEntry,
    RuleParameter,
    RuleSuspension,
)
from schema.enums import Category, Purpose
from schema.errors import BadUserInput, RegisterDown
from schema.scalars import YearMonth

AGGREGATE = "AGGREGATE"
RESOURCE = "deadlines_aggregate"

#: The most months one report spans (three years).
MAX_MONTHS = 36

#: Young people judged between two yields to the event loop.
YIELD_EVERY = 500

_MARKS = {"V": ReferenceMark.VERIFIED, "U": ReferenceMark.UNVERIFIED, "A": ReferenceMark.OUR_DESIGN}
_EXEMPTION_REASONS = {"OTHER": DeadlineReason.OTHER_EXEMPTION}
_MUNICIPALITY = re.compile(r"\d{3,4}")


# --- a young person's deadlines --------------------------------------------------------------


def judged(facts: YouthFacts | None, rulebook: Rulebook, as_of: dt.date) -> list[Deadline]:
    """The young person's deadlines on `as_of`, as the schema shows them (none without a case,
    or when no register knows them)."""
    if facts is None:
        return []
    return [_deadline(signal, rulebook) for signal in evaluate(facts, rulebook, as_of)]


def _deadline(signal: Signal, rulebook: Rulebook) -> Deadline:
    reason = None
    if signal.reason is not None:
        reason = _EXEMPTION_REASONS.get(signal.reason) or DeadlineReason(signal.reason)
    return Deadline(
        rule=DeadlineRule(signal.rule),
        title=rulebook[signal.rule].title,
        state=DeadlineState(signal.state),
        reason=reason,
        municipality=signal.municipality,
        starts_on=signal.starts_on,
        due_on=signal.due_on,
        fulfilled_on=signal.fulfilled_on,
        days_overdue=signal.days_overdue,
        legal_reference=None if signal.reference is None else legal_reference(signal.reference),
        evidence=[
            DeadlineEvidence(register=e.register, event=e.event, date=e.day)
            for e in signal.evidence
        ],
    )


def legal_reference(reference: Reference) -> LegalReference:
    return LegalReference(
        reference=reference.reference,
        mark=_MARKS[reference.mark],
        effective_from=reference.start,
        effective_to=reference.end,
        review_by=reference.review_by,
        note=reference.note,
    )


# --- a team leader's report -----------------------------------------------------------------


class DeadlineReports:
    def __init__(self, session: Session, rulebook: Rulebook) -> None:
        self._session = session
        self._guard = session.guard
        self._rulebook = rulebook

    async def deadline_compliance(
        self,
        municipality: str,
        first: YearMonth,
        last: YearMonth,
        rules: list[DeadlineRule] | None,
    ) -> DeadlineComplianceReport:
        code = _municipality_code(municipality)
        months = _months(first, last)
        wanted = list(self._rulebook.rules) if rules is None else [r.name for r in rules]
        # Decided for the municipality asked for; the policy compares it with the caller's own.
        await self._guard.authorise(
            AGGREGATE,
            RESOURCE,
            Purpose.MANAGEMENT_SUPERVISION,
            kind=AGGREGATE_KIND,
            target={"municipality": code},
        )
        as_of = self._session.today
        signals = await self._signals(code, as_of, wanted)
        cells = compliance(signals, code, [r for r in self._rulebook.rules if r in wanted], months)
        return DeadlineComplianceReport(
            municipality=code,
            first_month=first,
            last_month=last,
            as_of=as_of,
            rules_version=self._rulebook.version,
            cells=[_cell(cell) for cell in cells],
        )

    async def _signals(self, code: str, as_of: dt.date, rules: Sequence[str]) -> list[Signal]:
        """Every deadline of everyone who had a case in the municipality: one lookup, then the
        registers' batch reads (the loaders group everyone into calls of up to 1,000)."""
        registers = self._session.registers
        try:
            cprs = await registers.case_history(code)
            everyone = await registers.category_of_many(cprs, Category.DEADLINES)
        except RegisterUnavailable as exc:
            raise RegisterDown(exc.register) from None
        signals: list[Signal] = []
        for index, facts in enumerate(everyone):
            if index and index % YIELD_EVERY == 0:
                await asyncio.sleep(0)  # a large report must not hold the worker's other requests
            if isinstance(facts, YouthFacts):
                signals += evaluate(facts, self._rulebook, as_of, rules, municipality=code)
        return signals


def _municipality_code(value: str) -> str:
    if not _MUNICIPALITY.fullmatch(value):
        raise BadUserInput("`municipality` is a municipality code of 3 or 4 digits")
    return value.zfill(4)


def _months(first: str, last: str) -> list[tuple[int, int]]:
    start = (int(first[:4]), int(first[5:7]))
    end = (int(last[:4]), int(last[5:7]))
    months = months_between(start, end)
    if not months:
        raise BadUserInput("`from` must not be after `to`")
    if len(months) > MAX_MONTHS:
        raise BadUserInput(f"a report spans at most {MAX_MONTHS} months")
    return months


def _cell(cell: Cell) -> DeadlineComplianceCell:
    return DeadlineComplianceCell(
        rule=DeadlineRule(cell.rule),
        month=YearMonth(f"{cell.month[0]:04d}-{cell.month[1]:02d}"),
        suppressed=cell.suppressed,
        due=cell.due,
        met=cell.met,
        met_late=cell.met_late,
        overdue=cell.overdue,
        exempt=cell.exempt,
        unknown=cell.unknown,
        not_applicable=cell.not_applicable,
        pending=cell.pending,
        share_met=cell.share_met,
    )


# --- the catalogue, for the privacy officer's policy view --------------------------------------


def rule_catalogue(rulebook: Rulebook, today: dt.date) -> DeadlineRuleCatalogue:
    return DeadlineRuleCatalogue(
        version=rulebook.version,
        due_soon_days=rulebook.due_soon_days,
        rules=[
            DeadlineRuleEntry(
                id=DeadlineRule[rule.rule_id],
                title=rule.title,
                clock=rule.clock,
                applicability=rule.applicability,
                data=rule.data,
                closed_by_case=rule.closed_by_case,
                parameters=[
                    RuleParameter(name=name, months=d.months, weeks=d.weeks, days=d.days)
                    for name, d in rule.parameters.items()
                ],
                references=[legal_reference(r) for r in rule.references],
                suspensions=[
                    RuleSuspension(
                        reason=s.reason,
                        mark=_MARKS[s.mark],
                        effective_from=s.start,
                        effective_to=s.end,
                    )
                    for s in rule.suspensions
                ],
                in_force=rule.reference_on(today) is not None,
                audited_share_2022=rule.audit_share,
            )
            for rule in rulebook.rules.values()
        ],
    )
