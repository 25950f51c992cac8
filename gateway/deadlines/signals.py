"""One deadline's state on a day: the conventions of DEADLINES.md, shared by every rule.

A rule (rules.py) says when its clock started, when it falls due, what fulfilled it and on
which evidence — or why it does not apply. `judge` turns that into a state, in this order:

1. the rule is not in force on the due date (on the day asked, when there is none):
   NOT_APPLICABLE, RULE_NOT_IN_FORCE;
2. fulfilled: MET on or before the due date, MET_LATE after it;
3. the case closed (education, job, age 30, benefit ended, moved) with the deadline open:
   NOT_APPLICABLE, CASE_CLOSED — a rule about the education (the school told, a reaction to a
   dropout notice) outlives the benefit case;
4. the rule's own reason not to apply (a youth education, a job-directed effort, …);
5. the data is not in our registers: UNKNOWN;
6. an exemption or suspension is under way and covers the due date: EXEMPT (it also moved the
   due date by every day it held);
7. past the due date: OVERDUE; due within `due_soon_days`: DUE_SOON; else PENDING.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from gateway.deadlines.calendar import Pause, postpone
from gateway.deadlines.rulebook import Reference, Rule

PENDING = "PENDING"
DUE_SOON = "DUE_SOON"
OVERDUE = "OVERDUE"
MET = "MET"
MET_LATE = "MET_LATE"
EXEMPT = "EXEMPT"
NOT_APPLICABLE = "NOT_APPLICABLE"
UNKNOWN = "UNKNOWN"

STATES = (PENDING, DUE_SOON, OVERDUE, MET, MET_LATE, EXEMPT, NOT_APPLICABLE, UNKNOWN)

# Why a deadline is NOT_APPLICABLE, UNKNOWN, EXEMPT or PENDING in a particular way.
RULE_NOT_IN_FORCE = "RULE_NOT_IN_FORCE"
CASE_CLOSED = "CASE_CLOSED"
NOT_IN_REGISTERS = "NOT_IN_REGISTERS"
IN_OFFER = "IN_OFFER"


@dataclass(frozen=True)
class Evidence:
    """A dated event the state rests on, and the register it comes from."""

    register: str
    event: str
    day: dt.date


@dataclass(frozen=True)
class Clock:
    """What a rule found for one deadline, before the conventions judge it."""

    starts_on: dt.date | None
    due_on: dt.date | None  # before exemptions and suspensions move it
    fulfilled_on: dt.date | None = None
    evidence: tuple[Evidence, ...] = ()
    not_applicable: str | None = None  # the rule's own reason not to apply
    unknown: str | None = None  # why the state cannot be known from our registers
    note: str | None = None  # a reason to show with an open deadline (IN_OFFER)


@dataclass(frozen=True)
class Signal:
    rule: str
    state: str
    reason: str | None
    case_id: str
    municipality: str  # the case's owning municipality (4 digits): its report counts it
    starts_on: dt.date | None
    due_on: dt.date | None  # moved by exemptions; None while an open-ended one covers it
    fulfilled_on: dt.date | None
    days_overdue: int | None
    reference: Reference | None
    evidence: tuple[Evidence, ...]
    unmoved_due_on: dt.date | None = None

    @property
    def due_month(self) -> tuple[int, int] | None:
        """The month the deadline falls due in (a report's cell), if it has a due date."""
        day = self.due_on or self.unmoved_due_on
        return None if day is None else (day.year, day.month)


@dataclass(frozen=True)
class Setting:
    """What a deadline is judged in: the case it belongs to and the day asked about."""

    case_id: str
    municipality: str
    case_closed_on: dt.date | None  # the first day the case is no longer open
    as_of: dt.date
    due_soon_days: int


def judge(rule: Rule, clock: Clock, pauses: Sequence[Pause], setting: Setting) -> Signal:
    as_of = setting.as_of
    due = clock.due_on
    postponed = None
    if clock.starts_on is not None and clock.due_on is not None:
        postponed = postpone(clock.starts_on, clock.due_on, pauses)
        due = postponed.due
    judged_on = due or clock.due_on or as_of
    reference = rule.reference_on(judged_on)

    def signal(state: str, reason: str | None, days_overdue: int | None = None) -> Signal:
        return Signal(
            rule=rule.rule_id,
            state=state,
            reason=reason,
            case_id=setting.case_id,
            municipality=setting.municipality,
            starts_on=clock.starts_on,
            due_on=due,
            fulfilled_on=clock.fulfilled_on,
            days_overdue=days_overdue,
            reference=reference,
            evidence=clock.evidence,
            unmoved_due_on=clock.due_on,
        )

    if reference is None:
        return signal(NOT_APPLICABLE, RULE_NOT_IN_FORCE)
    if clock.fulfilled_on is not None and clock.not_applicable is None:
        late = due is not None and clock.fulfilled_on > due
        return signal(MET_LATE if late else MET, None)
    closed = setting.case_closed_on
    if rule.closed_by_case and closed is not None and closed <= as_of:
        return signal(NOT_APPLICABLE, CASE_CLOSED)
    if clock.not_applicable is not None:
        return signal(NOT_APPLICABLE, clock.not_applicable)
    if clock.unknown is not None:
        return signal(UNKNOWN, clock.unknown)
    exempt = postponed.exempt_on(as_of) if postponed is not None else None
    if exempt is not None:
        return signal(EXEMPT, exempt.pause.reason)
    if due is None:
        return signal(PENDING, clock.note)
    if as_of > due:
        return signal(OVERDUE, None, (as_of - due).days)
    if (due - as_of).days <= setting.due_soon_days:
        return signal(DUE_SOON, clock.note)
    return signal(PENDING, clock.note)
