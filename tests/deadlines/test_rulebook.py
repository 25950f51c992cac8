"""The rules catalogue (gateway/deadlines/data/rules.json) read as a reviewer would: every rule
dated, computed and named alike in the schema; the law's known moves as data."""

from __future__ import annotations

from datetime import date

from gateway.deadlines import rules as rule_functions
from gateway.deadlines import signals
from gateway.deadlines.source import load_rulebook
from schema.categories.deadlines import DeadlineReason, DeadlineRule, DeadlineState

RULEBOOK = load_rulebook()


def test_every_rule_is_computed_and_in_the_schema() -> None:
    computed = set(rule_functions.CASE_RULES) | set(rule_functions.EDUCATION_RULES)
    assert computed == set(RULEBOOK.rules)
    assert {rule.name for rule in DeadlineRule} == set(RULEBOOK.rules)
    assert {state.name for state in DeadlineState} == set(signals.STATES)


def test_every_reason_a_deadline_can_give_is_in_the_schema() -> None:
    reasons = {
        value
        for module in (signals, rule_functions)
        for name, value in vars(module).items()
        if name.isupper() and isinstance(value, str) and name not in signals.STATES
    }
    reasons -= {"DFDG", "UDB"}
    exemptions = {"ILLNESS", "LEAVE", "STU", "TREATMENT", "SUSPENSION"}
    assert reasons | exemptions <= {reason.name for reason in DeadlineReason}


def test_every_rule_is_dated_and_marked() -> None:
    for rule in RULEBOOK.rules.values():
        assert rule.references, rule.rule_id
        for reference in rule.references:
            assert reference.mark in {"V", "U", "A"}, rule.rule_id
            assert reference.start is not None, rule.rule_id
            assert reference.end is None or reference.start <= reference.end, rule.rule_id
        starts = [r.start for r in rule.references]
        assert starts == sorted(starts), rule.rule_id  # oldest first
        for suspension in rule.suspensions:
            assert suspension.end is None or suspension.start <= suspension.end


def test_the_laws_known_moves_are_data() -> None:
    # The 225-hour rule ended with the 2025-07-01 reform.
    assert RULEBOOK["GUIDANCE_225"].references[-1].end == date(2025, 6, 30)
    assert RULEBOOK["GUIDANCE_225"].reference_on(date(2025, 7, 1)) is None
    # Lov 1750 of 2025 changes contact flows and offers from 2026-07-01: the current references
    # end the day before, and a successor entry (unverified) carries the rule on.
    for rule_id in ("FIRST_CONVERSATION", "FIRST_OFFER", "NEXT_OFFER"):
        old, new = RULEBOOK[rule_id].references[-2:]
        assert old.end == date(2026, 6, 30), rule_id
        assert (new.start, new.mark) == (date(2026, 7, 1), "U"), rule_id
    # The education order is expected to go with a new LAB on 2027-01-01: a review, no end.
    for rule_id in ("EDUCATION_ORDER", "INSTITUTION_NOTIFIED"):
        reference = RULEBOOK[rule_id].references[-1]
        assert (reference.end, reference.review_by) == (None, date(2027, 1, 1)), rule_id
    # The reaction time to a dropout notice is local practice, a parameter.
    assert RULEBOOK["DROPOUT_REACTION"].duration("within").days == 14
    assert RULEBOOK.due_soon_days == 7
