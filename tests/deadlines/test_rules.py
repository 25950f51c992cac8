"""The rules of DEADLINES.md as tables over hand-written facts (no registers): the scenarios,
their variations, a move between municipalities, exemptions, closed cases and rules that
leave or enter force."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from gateway.deadlines.calendar import add_months
from gateway.deadlines.facts import (
    Case,
    Conversation,
    Course,
    DropoutNotice,
    Exemption,
    Offer,
    OrderStep,
    Visitation,
    YouthFacts,
)
from gateway.deadlines.rules import evaluate
from gateway.deadlines.signals import Signal
from gateway.deadlines.source import load_rulebook

RULES = load_rulebook()
T = date(2026, 12, 3)


def d(offset: int) -> date:
    return T + timedelta(days=offset)


def one(signals: list[Signal], rule: str) -> Signal:
    [found] = [s for s in signals if s.rule == rule]
    return found


def states(signals: list[Signal]) -> dict[str, tuple[str, str | None]]:
    return {s.rule: (s.state, s.reason) for s in signals}


# Anne: first contact T-8 months; conversation +2 days with order step 1 that day; test +20;
# final visitation +30; internship T-30..T+45; step 3, education start T+40, school notified
# T-5 with a receipt T-3; mentor T-60..T+60.
ANNE_FC = add_months(T, -8)
ANNE = YouthFacts(
    birth_date=date(2004, 3, 15),
    cases=(Case("anne-1", "0101", ANNE_FC),),
    conversations=(Conversation(ANNE_FC + timedelta(2), "FIRST_CONVERSATION"),),
    visitations=(Visitation(ANNE_FC + timedelta(30), "EDUCATION_READY", final=True),),
    order_steps=(
        OrderStep(1, ANNE_FC + timedelta(2), None),
        OrderStep(3, d(-53), d(40), "851234"),
    ),
    offers=(
        Offer("VIRKSOMHEDSPRAKTIK", d(-30), d(45), right_and_duty=True),
        Offer("MENTOR", d(-60), d(60), right_and_duty=False),
    ),
    literacy_test=ANNE_FC + timedelta(20),
    school_notified=d(-5),
    school_receipt=d(-3),
)

# Ali: last ret-og-pligt offer T-70..T-35; mentor ended T-30; nothing since.
ALI = YouthFacts(
    birth_date=date(2001, 11, 2),
    cases=(Case("ali-1", "0101", date(2022, 11, 1)),),
    offers=(
        Offer("VEJLEDNING_OPKVALIFICERING", d(-70), d(-35), right_and_duty=True),
        Offer("MENTOR", d(-210), d(-30), right_and_duty=False),
    ),
)

# Jonas: benefit case closed (benefit ended) T-90; started EUD T-90 with an order; a
# dropout-risk notice T-5; no contact since.
JONAS_FC = add_months(T, -10)
JONAS = YouthFacts(
    birth_date=date(2003, 9, 9),
    cases=(Case("jonas-1", "0101", JONAS_FC, last_day=d(-91), close_reason="BENEFIT_ENDED"),),
    order_steps=(
        OrderStep(1, JONAS_FC + timedelta(7), None),
        OrderStep(3, d(-97), d(-90), "851234"),
    ),
    courses=(Course("851234", d(-90)),),
    dropout_notices=(DropoutNotice("n1", d(-5), "851234"),),
    school_notified=d(-95),
)

# Freja: stx completed; obviously education-ready; first contact T-60.
FREJA = YouthFacts(
    birth_date=date(2006, 6, 27),
    cases=(Case("freja-1", "0101", d(-60)),),
    visitations=(Visitation(d(-50), "OBVIOUSLY_EDUCATION_READY", final=True),),
    youth_education_completed=date(2025, 6, 27),
)


def test_ali_next_offer_is_overdue_and_the_mentor_is_no_evidence() -> None:
    signal = one(evaluate(ALI, RULES, T), "NEXT_OFFER")
    assert (signal.state, signal.due_on, signal.days_overdue) == ("OVERDUE", d(-7), 7)
    assert [(e.event, e.day) for e in signal.evidence] == [
        ("offer VEJLEDNING_OPKVALIFICERING ended", d(-35))
    ]
    assert signal.municipality == "0101"


def test_anne_met_her_first_deadlines() -> None:
    found = states(evaluate(ANNE, RULES, T))
    for rule in ("FIRST_CONVERSATION", "EDUCATION_ORDER", "LITERACY_TEST", "FINAL_VISITATION"):
        assert found[rule] == ("MET", None), rule


def test_anne_next_offer_is_pending_while_in_offer() -> None:
    signal = one(evaluate(ANNE, RULES, T), "NEXT_OFFER")
    assert (signal.state, signal.reason, signal.due_on) == ("PENDING", "IN_OFFER", d(73))


def test_anne_institution_notified() -> None:
    signal = one(evaluate(ANNE, RULES, T), "INSTITUTION_NOTIFIED")
    assert (signal.state, signal.due_on, signal.fulfilled_on) == ("MET", d(40), d(-5))
    assert ("school's receipt", d(-3)) in [(e.event, e.day) for e in signal.evidence]
    unnotified = dataclasses.replace(ANNE, school_notified=None, school_receipt=None)
    for as_of, state in (
        (T, "PENDING"),
        (d(32), "PENDING"),
        (d(33), "DUE_SOON"),
        (d(40), "DUE_SOON"),
        (d(41), "OVERDUE"),
    ):
        signal = one(evaluate(unnotified, RULES, as_of), "INSTITUTION_NOTIFIED")
        assert (signal.state, signal.due_on) == (state, d(40)), as_of


def test_jonas_dropout_reaction() -> None:
    signal = one(evaluate(JONAS, RULES, T), "DROPOUT_REACTION")
    assert (signal.state, signal.due_on) == ("PENDING", d(9))
    talked = dataclasses.replace(JONAS, conversations=(Conversation(d(-2), "JOB_CONVERSATION"),))
    signal = one(evaluate(talked, RULES, T), "DROPOUT_REACTION")
    assert (signal.state, signal.fulfilled_on) == ("MET", d(-2))
    # A mentor offer after the notice is a reaction too; one before it is not.
    mentored = dataclasses.replace(JONAS, offers=(Offer("MENTOR", d(-1), d(60), False),))
    assert one(evaluate(mentored, RULES, T), "DROPOUT_REACTION").state == "MET"
    before = dataclasses.replace(JONAS, offers=(Offer("MENTOR", d(-20), d(60), False),))
    assert one(evaluate(before, RULES, T), "DROPOUT_REACTION").state == "PENDING"
    # Later than 14 days: met late; no reaction by then: overdue.
    late = dataclasses.replace(JONAS, conversations=(Conversation(d(12), "JOB_CONVERSATION"),))
    assert one(evaluate(late, RULES, d(20)), "DROPOUT_REACTION").state == "MET_LATE"
    assert one(evaluate(JONAS, RULES, d(20)), "DROPOUT_REACTION").state == "OVERDUE"


def test_a_notice_after_the_first_six_months_is_not_this_rules() -> None:
    later = dataclasses.replace(JONAS, courses=(Course("851234", d(-200)),))
    signal = one(evaluate(later, RULES, T), "DROPOUT_REACTION")
    assert (signal.state, signal.reason) == ("NOT_APPLICABLE", "OUTSIDE_FIRST_MONTHS")


def test_jonas_closed_case_closes_his_offers() -> None:
    found = states(evaluate(JONAS, RULES, T))
    assert found["FIRST_OFFER"] == ("NOT_APPLICABLE", "CASE_CLOSED")
    assert found["NEXT_OFFER"] == ("NOT_APPLICABLE", "CASE_CLOSED")
    # ...but not what is owed about his education.
    assert found["INSTITUTION_NOTIFIED"] == ("MET", None)
    assert found["DROPOUT_REACTION"][0] == "PENDING"
    # Before the case closed, the missing first offer was overdue.
    assert one(evaluate(JONAS, RULES, d(-100)), "FIRST_OFFER").state == "OVERDUE"


def test_freja() -> None:
    found = states(evaluate(FREJA, RULES, T))
    assert found["LITERACY_TEST"] == ("NOT_APPLICABLE", "HAS_YOUTH_EDUCATION")
    assert found["CV_SEARCHABLE"] == ("UNKNOWN", "NOT_IN_REGISTERS")
    assert one(evaluate(FREJA, RULES, T), "CV_SEARCHABLE").due_on == d(-39)


def test_an_illness_exempts_and_moves_the_literacy_test() -> None:
    fc = date(2026, 5, 4)
    ill = YouthFacts(
        birth_date=date(2004, 1, 1),
        cases=(Case("g-1", "0101", fc),),
        exemptions=(Exemption("ILLNESS", fc + timedelta(10), fc + timedelta(40)),),
    )
    due = add_months(fc, 1) + timedelta(31)
    for as_of, state in (
        (fc + timedelta(9), "PENDING"),  # before the illness: not yet known, due unmoved
        (fc + timedelta(10), "EXEMPT"),
        (fc + timedelta(40), "EXEMPT"),
        (fc + timedelta(41), "PENDING"),
        (due, "DUE_SOON"),
        (due + timedelta(1), "OVERDUE"),
    ):
        signal = one(evaluate(ill, RULES, as_of), "LITERACY_TEST")
        assert signal.state == state, as_of
        if as_of >= fc + timedelta(10):
            assert signal.due_on == due
    assert one(evaluate(ill, RULES, due + timedelta(1)), "LITERACY_TEST").reason is None
    assert one(evaluate(ill, RULES, fc + timedelta(20)), "LITERACY_TEST").reason == "ILLNESS"


def test_a_test_at_most_two_years_old_makes_another_unnecessary() -> None:
    fc = date(2026, 5, 4)
    base = YouthFacts(birth_date=date(2004, 1, 1), cases=(Case("g-1", "0101", fc),))
    recent = dataclasses.replace(base, literacy_test=add_months(fc, -24))
    old = dataclasses.replace(base, literacy_test=add_months(fc, -24) - timedelta(1))
    assert states(evaluate(recent, RULES, T))["LITERACY_TEST"] == ("NOT_APPLICABLE", "RECENT_TEST")
    assert states(evaluate(old, RULES, T))["LITERACY_TEST"] == ("OVERDUE", None)


def test_guidance_225_applies_until_mid_2025() -> None:
    person = YouthFacts(birth_date=date(2003, 1, 1), cases=(Case("g", "0101", date(2025, 3, 1)),))
    assert states(evaluate(person, RULES, date(2025, 6, 1)))["GUIDANCE_225"] == (
        "UNKNOWN",
        "NOT_IN_REGISTERS",
    )
    assert states(evaluate(person, RULES, T))["GUIDANCE_225"] == (
        "NOT_APPLICABLE",
        "RULE_NOT_IN_FORCE",
    )


def test_a_move_starts_a_new_case_and_old_deadlines_stay_behind() -> None:
    """First contact in Aarhus, moved to Copenhagen before the first conversation was held:
    Aarhus's open deadlines close with its case, Copenhagen's clocks start at its own first
    contact, and a conversation in Copenhagen is no evidence for Aarhus."""
    moved = YouthFacts(
        birth_date=date(2004, 1, 1),
        cases=(
            Case(
                "aarhus", "0751", date(2026, 9, 1), last_day=date(2026, 9, 4), close_reason="MOVED"
            ),
            Case("cph", "0101", date(2026, 9, 10)),
        ),
        conversations=(Conversation(date(2026, 9, 15), "FIRST_CONVERSATION"),),
    )
    signals = evaluate(moved, RULES, T)
    aarhus = {s.rule: s for s in signals if s.municipality == "0751"}
    cph = {s.rule: s for s in signals if s.municipality == "0101"}
    assert (aarhus["FIRST_CONVERSATION"].state, aarhus["FIRST_CONVERSATION"].reason) == (
        "NOT_APPLICABLE",
        "CASE_CLOSED",
    )
    assert aarhus["FIRST_CONVERSATION"].due_on == date(2026, 9, 8)
    assert cph["FIRST_CONVERSATION"].due_on == date(2026, 9, 17)
    assert cph["FIRST_CONVERSATION"].state == "MET"
    # A conversation in Aarhus before the move counts there, and only there.
    early = dataclasses.replace(
        moved, conversations=(Conversation(date(2026, 9, 3), "FIRST_CONVERSATION"),)
    )
    signals = evaluate(early, RULES, T)
    by_case = {(s.municipality, s.rule): s.state for s in signals}
    assert by_case[("0751", "FIRST_CONVERSATION")] == "MET"
    assert by_case[("0101", "FIRST_CONVERSATION")] == "OVERDUE"
    # The education rules belong to one case only.
    assert [s.municipality for s in signals if s.rule == "DROPOUT_REACTION"] == ["0101"]


def test_the_30th_birthday_closes_the_case() -> None:
    person = YouthFacts(
        birth_date=date(1996, 12, 1), cases=(Case("old", "0101", date(2026, 11, 20)),)
    )
    found = states(evaluate(person, RULES, T))
    assert found["FIRST_CONVERSATION"] == ("NOT_APPLICABLE", "CASE_CLOSED")
    assert states(evaluate(person, RULES, date(2026, 11, 29)))["FIRST_CONVERSATION"] == (
        "OVERDUE",
        None,
    )


def test_a_job_directed_effort_has_no_education_order() -> None:
    person = YouthFacts(
        birth_date=date(2004, 1, 1), cases=(Case("j", "0101", d(-30), job_directed=True),)
    )
    assert states(evaluate(person, RULES, T))["EDUCATION_ORDER"] == (
        "NOT_APPLICABLE",
        "JOB_DIRECTED",
    )


@pytest.mark.parametrize(
    ("step1", "state"),
    [(2, "MET"), (5, "MET_LATE"), (None, "OVERDUE")],
)
def test_the_education_order_is_due_at_the_first_conversation(
    step1: int | None, state: str
) -> None:
    fc = d(-60)
    person = YouthFacts(
        birth_date=date(2004, 1, 1),
        cases=(Case("e", "0101", fc),),
        conversations=(Conversation(fc + timedelta(2), "FIRST_CONVERSATION"),),
        order_steps=() if step1 is None else (OrderStep(1, fc + timedelta(step1), None),),
    )
    signal = one(evaluate(person, RULES, T), "EDUCATION_ORDER")
    assert (signal.state, signal.due_on) == (state, fc + timedelta(2))


def test_a_coordinating_case_worker_at_once_for_the_activity_ready() -> None:
    fc = d(-60)
    ready = Visitation(fc + timedelta(10), "ACTIVITY_READY", final=True)
    base = YouthFacts(
        birth_date=date(2004, 1, 1), cases=(Case("c", "0101", fc),), visitations=(ready,)
    )
    assert one(evaluate(base, RULES, T), "COORDINATING_CASEWORKER").state == "OVERDUE"
    at_once = dataclasses.replace(base, coordinating_caseworker_offered=fc + timedelta(10))
    assert one(evaluate(at_once, RULES, T), "COORDINATING_CASEWORKER").state == "MET"
    later = dataclasses.replace(base, coordinating_caseworker_offered=fc + timedelta(11))
    assert one(evaluate(later, RULES, T), "COORDINATING_CASEWORKER").state == "MET_LATE"
    assert states(evaluate(FREJA, RULES, T))["COORDINATING_CASEWORKER"] == (
        "NOT_APPLICABLE",
        "NOT_ACTIVITY_READY",
    )


def test_next_offer_gaps_each_have_a_deadline() -> None:
    fc = date(2026, 1, 5)
    person = YouthFacts(
        birth_date=date(2004, 1, 1),
        cases=(Case("o", "0101", fc),),
        offers=(
            Offer("VIRKSOMHEDSPRAKTIK", date(2026, 1, 20), date(2026, 2, 28), True),
            Offer("LOENTILSKUD", date(2026, 3, 1), date(2026, 3, 31), True),  # follows on
            Offer("MENTOR", date(2026, 4, 1), date(2026, 6, 30), False),  # never counts
            Offer("VEJLEDNING_OPKVALIFICERING", date(2026, 5, 15), date(2026, 6, 15), True),
        ),
    )
    signals = [s for s in evaluate(person, RULES, T) if s.rule == "NEXT_OFFER"]
    assert [(s.starts_on, s.due_on, s.state) for s in signals] == [
        (date(2026, 3, 31), date(2026, 4, 28), "MET_LATE"),
        (date(2026, 6, 15), date(2026, 7, 13), "OVERDUE"),
    ]
    assert one(evaluate(person, RULES, T), "FIRST_OFFER").state == "MET"


def test_a_suspension_moves_the_deadlines_it_names() -> None:
    person = YouthFacts(birth_date=date(2000, 1, 1), cases=(Case("s", "0101", date(2020, 3, 1)),))
    signal = one(evaluate(person, RULES, date(2020, 3, 20)), "FIRST_CONVERSATION")
    assert signal.due_on == date(2020, 3, 8)  # due before the suspension began: not moved
    person = YouthFacts(birth_date=date(2000, 1, 1), cases=(Case("s", "0101", date(2020, 3, 10)),))
    signal = one(evaluate(person, RULES, date(2020, 4, 1)), "FIRST_CONVERSATION")
    assert (signal.state, signal.reason) == ("EXEMPT", "SUSPENSION")
    assert signal.due_on == date(2020, 3, 17) + timedelta(
        days=(date(2020, 5, 26) - date(2020, 3, 12)).days + 1
    )


def test_nobody_without_a_case_is_owed_anything() -> None:
    assert evaluate(YouthFacts(birth_date=date(2002, 12, 30)), RULES, T) == []
    later = YouthFacts(birth_date=date(2004, 1, 1), cases=(Case("x", "0101", d(5)),))
    assert evaluate(later, RULES, T) == []


def test_nothing_dated_after_the_day_asked_is_known() -> None:
    asked = d(-40)
    signal = one(evaluate(ANNE, RULES, asked), "INSTITUTION_NOTIFIED")
    assert (signal.state, signal.fulfilled_on) == ("PENDING", None)


def test_rules_filter() -> None:
    assert {s.rule for s in evaluate(ANNE, RULES, T, rules=["NEXT_OFFER"])} == {"NEXT_OFFER"}


def test_every_rule_of_the_catalogue_is_computed() -> None:
    assert {s.rule for s in evaluate(ANNE, RULES, T)} == set(RULES.rules)
