"""Decision.from_document trusts nothing: anything missing or malformed denies."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.policies.decision import NO_DECISION_REASON, CategoryDecision, Decision

GOOD: dict[str, Any] = {
    "policy_version": "v1",
    "purpose_allowed": True,
    "relationship": "assigned_contact_person",
    "categories": {
        "identity": {"allow": True, "reason": "assigned", "legal_bases": ["LOU-DFDG"], "rule": "r"},
        "grades": {
            "allow": False,
            "reason": "no legal basis in force for grades",
            "legal_bases": [],
        },
    },
}


def test_well_formed_document() -> None:
    decision = Decision.from_document(GOOD)
    assert decision.policy_version == "v1"
    assert decision.purpose_allowed is True
    assert decision.category("identity") == CategoryDecision(True, "assigned", ("LOU-DFDG",), "r")
    assert decision.category("grades").reason == "no legal basis in force for grades"
    assert decision.allowed_categories == {"identity"}


@pytest.mark.parametrize("document", [None, [], "allow", {}, {"categories": None}])
def test_undefined_or_garbage_denies_everything(document: object) -> None:
    decision = Decision.from_document(document)
    assert not decision.any_allowed
    assert decision.purpose_allowed is False
    assert decision.category("identity").allow is False
    assert decision.category("identity").reason == NO_DECISION_REASON


@pytest.mark.parametrize(
    "verdict",
    [
        {"allow": "true", "reason": "x", "legal_bases": []},
        {"allow": 1, "reason": "x", "legal_bases": []},
        {"allow": True, "reason": "x"},
        {"allow": True, "reason": "x", "legal_bases": [1]},
        None,
    ],
)
def test_anything_but_a_literal_allow_with_bases_denies(verdict: object) -> None:
    decision = Decision.from_document({**GOOD, "categories": {"identity": verdict}})
    assert decision.category("identity").allow is False


def test_unanswered_category_denies() -> None:
    assert Decision.from_document(GOOD).category("health").allow is False


def test_decision_is_frozen() -> None:
    decision = Decision.from_document(GOOD)
    with pytest.raises(TypeError):
        decision.categories["x"] = CategoryDecision(True, "x")  # type: ignore[index]
