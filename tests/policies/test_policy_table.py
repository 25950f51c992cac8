"""The table of POLICY.md over the personas: every caller × young person × purpose, each
checked on all 16 categories, on the runtime engine (rego-cpp): 14 callers × 11 young people
(PERSONAS.md's 7, and 4 on the edges of the windows: a young person who moved, an enrolment
that ended yesterday, a wage subsidy starting in 3 months and one in 3 months and a day) × 10
purposes = 1,540 decisions, 24,640 category verdicts."""

from __future__ import annotations

import pytest

from gateway.policies.engine import EmbeddedEngine
from tests.policies.expected import ALL, PURPOSES, expected
from tests.policies.personas import TABLE_PEOPLE, callers, decision_input

CALLERS = callers()
TABLE = [
    (caller, person, purpose)
    for caller in CALLERS
    for person in TABLE_PEOPLE
    for purpose in sorted(PURPOSES)
]


def test_table_size() -> None:
    assert len(TABLE) == 1540
    assert len(TABLE) * len(ALL) == 24640
    assert {"casework", "deadlines"} <= ALL


@pytest.mark.parametrize(("caller", "person", "purpose"), TABLE)
async def test_decision_matches_policy_md(
    regopy_engine: EmbeddedEngine, caller: str, person: str, purpose: str
) -> None:
    subject = CALLERS[caller]
    decision = await regopy_engine.decide(decision_input(subject, person, purpose))
    assert set(decision.categories) == ALL
    wrong = {}
    for category in sorted(ALL):
        allow, reason = expected(caller, subject["role"], person, purpose, category)
        verdict = decision.category(category)
        if verdict.allow != allow or (not allow and verdict.reason != reason):
            wrong[category] = (verdict.allow, verdict.reason, "expected", allow, reason)
        if verdict.allow:
            assert verdict.legal_bases, f"{category} allowed without a legal basis"
    assert not wrong
