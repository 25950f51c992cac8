"""The rules of DEADLINES.md, one function each: when its clock starts, when it falls due and
what fulfils it, read from a young person's facts (signals.py judges the state).

Pure: values in, values out, no I/O, no clock of its own — the day asked about is an argument,
and nothing dated after it is known. Every case of the young person is judged on its own (a
move starts a new case; old deadlines stay with the old municipality); only events within a
case's period count for its deadlines. The two rules about an education (the school told at
its start, a reaction to a dropout notice) belong to the case that gave the education order
and outlive it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from gateway.deadlines.calendar import ONE_DAY, Pause
from gateway.deadlines.facts import DFDG, UDB, Case, Offer, OrderStep, YouthFacts
from gateway.deadlines.rulebook import Rule, Rulebook
from gateway.deadlines.signals import (
    IN_OFFER,
    NOT_IN_REGISTERS,
    Clock,
    Evidence,
    Setting,
    Signal,
    judge,
)

# The rules' own reasons not to apply.
JOB_DIRECTED = "JOB_DIRECTED"
HAS_YOUTH_EDUCATION = "HAS_YOUTH_EDUCATION"
RECENT_TEST = "RECENT_TEST"
NOT_ACTIVITY_READY = "NOT_ACTIVITY_READY"
NOT_OBVIOUSLY_EDUCATION_READY = "NOT_OBVIOUSLY_EDUCATION_READY"
NO_OFFER_YET = "NO_OFFER_YET"
NO_ORDER_STEP_3 = "NO_ORDER_STEP_3"
NO_NOTICE = "NO_NOTICE"
NO_EDUCATION_ORDER = "NO_EDUCATION_ORDER"
OUTSIDE_FIRST_MONTHS = "OUTSIDE_FIRST_MONTHS"

#: The youth effort ends at 30: a case closes on the 30th birthday.
AGE_LIMIT = 30


@dataclass(frozen=True)
class Scope:
    """One case of one young person, seen on the day asked about."""

    facts: YouthFacts
    case: Case
    closed_on: dt.date | None  # the first day the case is no longer open
    as_of: dt.date

    def known(self, day: dt.date | None) -> bool:
        return day is not None and day <= self.as_of

    def in_case(self, day: dt.date | None) -> bool:
        return (
            self.known(day)
            and day is not None
            and self.case.first_contact <= day
            and (self.closed_on is None or day < self.closed_on)
        )

    @property
    def first_contact(self) -> Evidence:
        return Evidence(DFDG, "first contact", self.case.first_contact)


def _first(days: Iterable[dt.date | None]) -> dt.date | None:
    return min((d for d in days if d is not None), default=None)


# --- the case-bound rules ---------------------------------------------------------------


def first_conversation(rule: Rule, s: Scope) -> list[Clock]:
    start = s.case.first_contact
    talk = _first(c.day for c in s.facts.conversations if s.in_case(c.day))
    evidence = (s.first_contact,) + ((Evidence(DFDG, "conversation", talk),) if talk else ())
    return [Clock(start, rule.duration("within").after(start), talk, evidence)]


def final_visitation(rule: Rule, s: Scope) -> list[Clock]:
    start = s.case.first_contact
    final = _first(v.day for v in s.facts.visitations if v.final and s.in_case(v.day))
    evidence = (s.first_contact,) + ((Evidence(DFDG, "final visitation", final),) if final else ())
    return [Clock(start, rule.duration("within").after(start), final, evidence)]


def education_order(rule: Rule, s: Scope) -> list[Clock]:
    """Step 1 of the education order is due at the first conversation: on its day once held,
    else on the day the first conversation is due."""
    start = s.case.first_contact
    talk = _first(c.day for c in s.facts.conversations if s.in_case(c.day))
    due = talk or rule.duration("fallback").after(start)
    step1 = _first(o.issued for o in s.facts.order_steps if o.step == 1 and s.in_case(o.issued))
    evidence = [s.first_contact]
    if talk:
        evidence.append(Evidence(DFDG, "first conversation", talk))
    if step1:
        evidence.append(Evidence(DFDG, "education order, step 1", step1))
    na = JOB_DIRECTED if s.case.job_directed else None
    return [Clock(start, due, step1, tuple(evidence), not_applicable=na)]


def literacy_test(rule: Rule, s: Scope) -> list[Clock]:
    start = s.case.first_contact
    facts = s.facts
    evidence = [s.first_contact]
    na = None
    completed = facts.youth_education_completed
    test = facts.literacy_test if s.known(facts.literacy_test) else None
    if completed is not None and completed <= start:
        na = HAS_YOUTH_EDUCATION
        evidence.append(Evidence(UDB, "youth education completed", completed))
    elif test is not None and rule.duration("recent_test").before(start) <= test < start:
        na = RECENT_TEST
        evidence.append(Evidence(DFDG, "reading, writing and maths test", test))
    taken = test if s.in_case(test) else None
    if taken and na is None:
        evidence.append(Evidence(DFDG, "reading, writing and maths test", taken))
    return [Clock(start, rule.duration("within").after(start), taken, tuple(evidence), na)]


def guidance_225(rule: Rule, s: Scope) -> list[Clock]:
    return [
        Clock(s.case.first_contact, None, evidence=(s.first_contact,), unknown=NOT_IN_REGISTERS)
    ]


def coordinating_caseworker(rule: Rule, s: Scope) -> list[Clock]:
    ready = _first(
        v.day for v in s.facts.visitations if v.category == "ACTIVITY_READY" and s.in_case(v.day)
    )
    if ready is None:
        return [Clock(None, None, not_applicable=NOT_ACTIVITY_READY)]
    offered = s.facts.coordinating_caseworker_offered
    offered = offered if s.in_case(offered) else None
    evidence = [Evidence(DFDG, "visited activity-ready", ready)]
    if offered:
        evidence.append(Evidence(DFDG, "coordinating case worker offered", offered))
    return [Clock(ready, rule.duration("within").after(ready), offered, tuple(evidence))]


def _right_and_duty(s: Scope) -> list[Offer]:
    """The case's "ret og pligt" offers known on the day asked (a mentor never is one)."""
    return sorted(
        (o for o in s.facts.offers if o.right_and_duty and not o.is_mentor and s.in_case(o.start)),
        key=lambda o: o.start,
    )


def first_offer(rule: Rule, s: Scope) -> list[Clock]:
    start = s.case.first_contact
    offers = _right_and_duty(s)
    first = offers[0].start if offers else None
    evidence = (s.first_contact,) + (
        (Evidence(DFDG, f"offer {offers[0].kind} started", first),) if first else ()
    )
    return [Clock(start, rule.duration("within").after(start), first, evidence)]


def next_offer(rule: Rule, s: Scope) -> list[Clock]:
    """One deadline for each end of a stretch of "ret og pligt" offers (offers that overlap or
    follow on the next day are one stretch): the next must start within 4 weeks. While an offer
    runs, the next deadline is PENDING (IN_OFFER), due 4 weeks after it ends."""
    stretches: list[tuple[dt.date, dt.date | None, Offer]] = []
    for offer in _right_and_duty(s):
        if stretches:
            first, end, last = stretches[-1]
            if end is None or offer.start <= end + ONE_DAY:
                longer = None if end is None or offer.end is None else max(end, offer.end)
                stretches[-1] = (first, longer, offer if longer == offer.end else last)
                continue
        stretches.append((offer.start, offer.end, offer))
    if not stretches:
        return [Clock(None, None, not_applicable=NO_OFFER_YET)]
    within = rule.duration("within")
    clocks: list[Clock] = []
    evidence: tuple[Evidence, ...]
    for index, (_, end, last) in enumerate(stretches):
        if end is None or end >= s.as_of:
            due = None if end is None else within.after(end)
            evidence = (Evidence(DFDG, f"offer {last.kind} running", last.start),)
            clocks.append(Clock(end, due, None, evidence, note=IN_OFFER))
            continue
        following = stretches[index + 1][0] if index + 1 < len(stretches) else None
        evidence = (Evidence(DFDG, f"offer {last.kind} ended", end),) + (
            (Evidence(DFDG, "next offer started", following),) if following else ()
        )
        clocks.append(Clock(end, within.after(end), following, evidence))
    return clocks


def cv_searchable(rule: Rule, s: Scope) -> list[Clock]:
    ready = _first(
        v.day
        for v in s.facts.visitations
        if v.category == "OBVIOUSLY_EDUCATION_READY" and s.in_case(v.day)
    )
    if ready is None:
        return [Clock(None, None, not_applicable=NOT_OBVIOUSLY_EDUCATION_READY)]
    start = s.case.first_contact
    evidence = (s.first_contact, Evidence(DFDG, "visited obviously education-ready", ready))
    return [
        Clock(start, rule.duration("within").after(start), None, evidence, unknown=NOT_IN_REGISTERS)
    ]


CASE_RULES: dict[str, Callable[[Rule, Scope], list[Clock]]] = {
    "FIRST_CONVERSATION": first_conversation,
    "FINAL_VISITATION": final_visitation,
    "EDUCATION_ORDER": education_order,
    "LITERACY_TEST": literacy_test,
    "GUIDANCE_225": guidance_225,
    "COORDINATING_CASEWORKER": coordinating_caseworker,
    "FIRST_OFFER": first_offer,
    "NEXT_OFFER": next_offer,
    "CV_SEARCHABLE": cv_searchable,
}

# --- the rules about an education ---------------------------------------------------------


def _started(facts: YouthFacts, institution: str | None, before: dt.date) -> dt.date | None:
    """The latest start of a course at the institution on or before `before`."""
    starts = [c.start for c in facts.courses if c.institution == institution and c.start <= before]
    return max(starts, default=None)


def institution_notified(rule: Rule, s: Scope, step3: OrderStep | None) -> list[Clock]:
    """The school is told of the order (LAB § 30 stk. 7) by the education's start: the actual
    start in UDB once the young person started, else the start step 3 names."""
    if step3 is None or step3.issued is None:
        return [Clock(None, None, not_applicable=NO_ORDER_STEP_3)]
    facts = s.facts
    started = _started(facts, step3.institution, s.as_of)
    starts_on = started if started is not None and started >= step3.issued else step3.deadline
    evidence = [Evidence(DFDG, "education order, step 3", step3.issued)]
    if starts_on is not None:
        register = UDB if starts_on == started else DFDG
        evidence.append(Evidence(register, "education start", starts_on))
    notified = facts.school_notified
    if notified is None or not s.known(notified) or notified < step3.issued:
        notified = None  # not yet, or a notice that came before this order
    if notified is not None:
        evidence.append(Evidence(UDB, "school notified", notified))
        receipt = facts.school_receipt
        if receipt is not None and s.known(receipt) and receipt >= notified:
            evidence.append(Evidence(UDB, "school's receipt", receipt))
    return [Clock(step3.issued, starts_on, notified, tuple(evidence))]


def dropout_reaction(rule: Rule, s: Scope, step3: OrderStep | None) -> list[Clock]:
    """A reaction (a conversation or a mentor offer, in DFDG) to each dropout-risk notice
    reported within the first months after the start of an education the young person has an
    order for; the reaction time is local practice (a parameter)."""
    facts = s.facts
    notices = sorted((n for n in facts.dropout_notices if s.known(n.day)), key=lambda n: n.day)
    if not notices:
        return [Clock(None, None, not_applicable=NO_NOTICE)]
    within, window = rule.duration("within"), rule.duration("window")
    clocks: list[Clock] = []
    for notice in notices:
        due = within.after(notice.day)
        evidence = [Evidence(UDB, "dropout-risk notice", notice.day)]
        started = _started(facts, notice.institution, notice.day)
        ordered = any(o.issued is not None and o.issued <= notice.day for o in facts.order_steps)
        if started is None or not ordered:
            clocks.append(Clock(notice.day, due, None, tuple(evidence), NO_EDUCATION_ORDER))
            continue
        evidence.append(Evidence(UDB, "education start", started))
        if notice.day > window.after(started):
            clocks.append(Clock(notice.day, due, None, tuple(evidence), OUTSIDE_FIRST_MONTHS))
            continue
        talk = _first(c.day for c in facts.conversations if notice.day <= c.day and s.known(c.day))
        mentor = _first(
            o.start
            for o in facts.offers
            if o.is_mentor and notice.day <= o.start and s.known(o.start)
        )
        reaction = _first((talk, mentor))
        if reaction is not None:
            event = "conversation" if reaction == talk else "mentor offer started"
            evidence.append(Evidence(DFDG, event, reaction))
        clocks.append(Clock(notice.day, due, reaction, tuple(evidence)))
    return clocks


EDUCATION_RULES: dict[str, Callable[[Rule, Scope, OrderStep | None], list[Clock]]] = {
    "INSTITUTION_NOTIFIED": institution_notified,
    "DROPOUT_REACTION": dropout_reaction,
}

# --- every rule, every case -------------------------------------------------------------------


def closed_on(case: Case, birth_date: dt.date) -> dt.date | None:
    """The first day the case is no longer open: after its last day, or the 30th birthday."""
    after_last = None if case.last_day is None else case.last_day + ONE_DAY
    thirtieth = _birthday(birth_date, AGE_LIMIT)
    return min(d for d in (after_last, thirtieth) if d is not None)


def _birthday(born: dt.date, years: int) -> dt.date:
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # 29 February in a year without one
        return dt.date(born.year + years, 3, 1)


def _owner(cases: Sequence[Case], day: dt.date) -> Case | None:
    """The case in which `day` falls: the latest to have started on or before it."""
    started = [c for c in cases if c.first_contact <= day]
    return max(started, key=lambda c: c.first_contact) if started else None


def _pauses(rule: Rule, exemptions: list[Pause], as_of: dt.date) -> list[Pause]:
    """The rule's suspensions, and the young person's exemptions for the rules bound to the
    case (an exemption stops the effort's clocks, not what is owed about an education)."""
    pauses = [s.as_pause() for s in rule.suspensions if s.start <= as_of]
    return pauses + exemptions if rule.closed_by_case else pauses


def evaluate(
    facts: YouthFacts,
    rulebook: Rulebook,
    as_of: dt.date,
    rules: Iterable[str] | None = None,
    municipality: str | None = None,
) -> list[Signal]:
    """Every deadline of every case the young person had by `as_of`, judged on that day: per
    case, the case-bound rules in catalogue order; then the rules about the latest education
    order, owned by the case that gave it. No case, no deadlines. `municipality`: only the
    deadlines of the cases it owns (what its report counts)."""
    wanted = (
        list(rulebook.rules) if rules is None else [r for r in rulebook.rules if r in set(rules)]
    )
    cases = sorted(
        (c for c in facts.cases if c.first_contact <= as_of), key=lambda c: c.first_contact
    )
    if not cases:
        return []
    exemptions = [Pause(e.start, e.end, e.reason) for e in facts.exemptions if e.start <= as_of]
    signals: list[Signal] = []
    for case in cases:
        if municipality is not None and case.municipality != municipality:
            continue
        scope = Scope(facts, case, closed_on(case, facts.birth_date), as_of)
        for rule_id in wanted:
            build = CASE_RULES.get(rule_id)
            if build is None:
                continue
            rule = rulebook[rule_id]
            signals += _judged(rule, build(rule, scope), exemptions, scope, rulebook)
    step3 = max(
        (
            o
            for o in facts.order_steps
            if o.step == 3 and o.issued is not None and o.issued <= as_of
        ),
        key=lambda o: o.issued or dt.date.min,
        default=None,
    )
    anchor = step3.issued if step3 is not None and step3.issued is not None else as_of
    owner = _owner(cases, anchor) or cases[-1]
    if municipality is not None and owner.municipality != municipality:
        return signals
    scope = Scope(facts, owner, closed_on(owner, facts.birth_date), as_of)
    for rule_id in wanted:
        education = EDUCATION_RULES.get(rule_id)
        if education is None:
            continue
        rule = rulebook[rule_id]
        signals += _judged(rule, education(rule, scope, step3), exemptions, scope, rulebook)
    return signals


def _judged(
    rule: Rule, clocks: list[Clock], exemptions: list[Pause], scope: Scope, rulebook: Rulebook
) -> list[Signal]:
    setting = Setting(
        case_id=scope.case.case_id,
        municipality=scope.case.municipality,
        case_closed_on=scope.closed_on,
        as_of=scope.as_of,
        due_soon_days=rulebook.due_soon_days,
    )
    pauses = _pauses(rule, exemptions, scope.as_of)
    return [judge(rule, clock, pauses, setting) for clock in clocks]
