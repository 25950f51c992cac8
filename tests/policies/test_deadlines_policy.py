"""The policy of DEADLINES.md on both engines: the category `deadlines` only where plan,
casework, benefits and dropout_risk are all allowed to the same caller; the action AGGREGATE on
`deadlines_aggregate` only for a manager, for their own municipality."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from gateway.policies.engine import EmbeddedEngine
from gateway.policies.go_opa_evaluator import GoOpaEvaluator
from gateway.policies.regopy_evaluator import RegopyEvaluator
from gateway.policies.sources import load_catalogue
from tests.policies.expected import PURPOSES
from tests.policies.personas import TABLE_PEOPLE, callers, decision_input

CALLERS = callers()
SOURCES = ("plan", "casework", "benefits", "dropout_risk")
MANAGER = CALLERS["birgitte.lund"]


@pytest.mark.parametrize("caller", sorted(CALLERS))
async def test_deadlines_follow_their_sources(
    regopy_engine: EmbeddedEngine, go_engine: EmbeddedEngine, caller: str
) -> None:
    subject = CALLERS[caller]
    seen = set()
    for person in TABLE_PEOPLE:
        for purpose in sorted(PURPOSES):
            input = decision_input(subject, person, purpose)
            decision = await regopy_engine.decide(input)
            assert decision == await go_engine.decide(input)
            verdict = decision.category("deadlines")
            assert verdict.allow == all(decision.category(s).allow for s in SOURCES)
            if verdict.allow:
                seen.add(subject["role"])
    assert seen <= {"youth", "contact_person", "case_system"}


def test_the_catalogue_derives_deadlines_from_the_four_sources_without_consents() -> None:
    catalogue = load_catalogue()
    assert catalogue["categories"]["deadlines"]["derived_from"] == list(SOURCES)
    for role, spec in catalogue["roles"].items():
        # A consent on a source would make the derived verdict depend on the young person,
        # which decision.rego's `derived_denied` does not read.
        assert not set(spec["consent_required"]) & set(SOURCES), role
        if "deadlines" in spec["categories"]:
            assert set(SOURCES) <= set(spec["categories"]), role
    roles = {r for r, spec in catalogue["roles"].items() if "deadlines" in spec["categories"]}
    assert roles == {"youth", "contact_person", "case_system"}
    assert catalogue["roles"]["manager"]["categories"] == []


@pytest.fixture(scope="module")
def lapsed(require_real_opa: None) -> Iterator[tuple[RegopyEvaluator, GoOpaEvaluator]]:
    """A catalogue in which LOU-DFDG (plan, casework, benefits) ended, and deadlines' own basis
    did not: the derived category must close with its sources."""
    catalogue = copy.deepcopy(load_catalogue())
    catalogue["legal_bases"]["LOU-DFDG"]["to"] = "2026-11-22"
    catalogue["policy_version"] = "lapsed.1"
    go = GoOpaEvaluator(catalogue)
    yield RegopyEvaluator(catalogue), go
    go.close()


def test_deadlines_close_when_a_source_loses_its_basis(
    lapsed: tuple[RegopyEvaluator, GoOpaEvaluator],
) -> None:
    regopy, go = lapsed
    input = decision_input(CALLERS["jette.hansen"], "anne", "PLANNING")
    document = regopy.evaluate(input)
    assert document == go.evaluate(input)
    verdicts = document["categories"]
    assert verdicts["plan"]["rule"] == "no_legal_basis"
    assert verdicts["dropout_risk"]["allow"] is True
    assert verdicts["deadlines"]["allow"] is False
    assert verdicts["deadlines"]["rule"] == "derived_source_denied"
    assert verdicts["deadlines"]["reason"] == (
        "deadlines is derived from plan, casework, benefits, dropout_risk, and this caller may "
        "not see plan, casework, benefits"
    )
    # The young person keeps their right of access.
    own = regopy.evaluate(decision_input(CALLERS["anne"], "anne", "SELF"))
    assert own["categories"]["deadlines"]["allow"] is True


def aggregate(subject: dict[str, Any], purpose: str, target: Any, day: str = "2026-11-23") -> dict:
    input: dict[str, Any] = {
        "subject": dict(subject),
        "action": "AGGREGATE",
        "purpose": purpose,
        "cpr": "",
        "date": day,
        "facts": {},
    }
    if target is not None:
        input["target"] = target
    return input


@pytest.mark.parametrize(
    ("target", "rule"),
    [
        ({"municipality": "0101"}, "allow_action.own_municipality.asked_own_municipality"),
        ({"municipality": "0751"}, "requirement_not_met"),
        ({"municipality": "101"}, "requirement_not_met"),  # the gateway asks with 4 digits
        ({"municipality": None}, "requirement_not_met"),
        ({}, "requirement_not_met"),
        (None, "requirement_not_met"),
    ],
)
async def test_a_manager_aggregates_their_own_municipality(
    regopy_engine: EmbeddedEngine, go_engine: EmbeddedEngine, target: Any, rule: str
) -> None:
    input = aggregate(MANAGER, "MANAGEMENT_SUPERVISION", target)
    decision = await regopy_engine.decide(input)
    assert decision == await go_engine.decide(input)
    verdict = decision.category("deadlines_aggregate")
    assert verdict.rule == rule
    assert verdict.allow is rule.startswith("allow")
    if not verdict.allow:
        assert verdict.reason == "a manager sees aggregates of their own municipality only"
    else:
        assert verdict.legal_bases == ("MANAGEMENT-AGGREGATES",)


async def test_nobody_else_aggregates(
    regopy_engine: EmbeddedEngine, go_engine: EmbeddedEngine
) -> None:
    for name, caller in CALLERS.items():
        for purpose in sorted(PURPOSES):
            input = aggregate(caller, purpose, {"municipality": caller.get("municipality")})
            decision = await regopy_engine.decide(input)
            assert decision == await go_engine.decide(input), (name, purpose)
            allowed = decision.category("deadlines_aggregate").allow
            assert allowed is (name == "birgitte.lund" and purpose == "MANAGEMENT_SUPERVISION")
    # Before the basis began, not even the manager.
    early = aggregate(MANAGER, "MANAGEMENT_SUPERVISION", {"municipality": "0101"}, "2019-06-01")
    assert (await regopy_engine.decide(early)).category("deadlines_aggregate").rule == (
        "no_legal_basis"
    )


async def test_a_manager_reads_no_young_person(regopy_engine: EmbeddedEngine) -> None:
    for person in TABLE_PEOPLE:
        decision = await regopy_engine.decide(
            decision_input(MANAGER, person, "MANAGEMENT_SUPERVISION")
        )
        assert not decision.any_allowed
        assert decision.category("deadlines").reason == "role manager sees no personal data"
