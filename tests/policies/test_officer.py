"""Privacy officers' matrix and explain, on the same engine as live requests."""

from __future__ import annotations

from datetime import date

import pytest

from gateway.policies.engine import EmbeddedEngine
from gateway.policies.officer import explain, load_situations, matrix, situation_input
from tests.policies.expected import ALL, PURPOSES, ROLE_CATEGORIES, ROLE_PURPOSES

T = date(2026, 11, 23)


async def test_matrix_covers_every_role_purpose_category(regopy_engine: EmbeddedEngine) -> None:
    rows = await matrix(regopy_engine, day=T)
    assert len(rows) == 7 * len(PURPOSES) * len(ALL)
    allowed = {(r.role, r.purpose, r.category) for r in rows if r.allow}
    expected = {
        (role, purpose, category)
        for role, purposes in ROLE_PURPOSES.items()
        for purpose in purposes
        for category in ROLE_CATEGORIES[role]
        if role == "youth" or category not in {"grades", "social_plans"}
    }
    assert allowed == expected
    assert all(r.legal_bases for r in rows if r.allow)
    grades = next(
        r
        for r in rows
        if (r.role, r.purpose, r.category) == ("contact_person", "PLANNING", "grades")
    )
    assert grades.reason == "no legal basis in force for grades"


@pytest.mark.parametrize(
    ("role", "purpose", "category", "situation", "allow", "rule"),
    [
        (
            "institution_contact",
            "RETENTION",
            "support_needs",
            "admitted_with_order",
            True,
            "allow.admitted_at_institution",
        ),
        (
            "institution_contact",
            "RETENTION",
            "support_needs",
            "enrolled_with_order",
            True,
            "allow.enrolled_at_institution",
        ),
        ("mentor", "MENTORING", "plan", "active_mentor", True, "allow.active_mentor"),
        ("mentor", "MENTORING", "plan", "ended_mentor", False, "no_relationship"),
        (
            "business_consultant",
            "JOB_PLACEMENT",
            "employment",
            "planned_internship",
            True,
            "allow.planned_internship",
        ),
        (
            "contact_person",
            "PLANNING",
            "health",
            "assigned_contact_person_without_consent",
            False,
            "no_consent",
        ),
        ("contact_person", "PLANNING", "identity", "ended_assignment", False, "no_relationship"),
        ("case_system", "CASE_RECORD", "income", "open_case", True, "allow.open_case"),
        ("contact_person", "PLANNING", "identity", "unknown_person", False, "no_relationship"),
        ("youth", "SELF", "social_plans", "self", True, "allow.self"),
        (
            "privacy_officer",
            "SUPERVISION",
            "identity",
            "no_relationship",
            False,
            "no_personal_data",
        ),
    ],
)
async def test_explain_named_situations(
    regopy_engine: EmbeddedEngine,
    role: str,
    purpose: str,
    category: str,
    situation: str,
    allow: bool,
    rule: str,
) -> None:
    verdict = await explain(regopy_engine, role, purpose, category, situation, T)
    assert (verdict.allow, verdict.rule) == (allow, rule)
    assert verdict.reason


async def test_explain_with_own_facts(regopy_engine: EmbeddedEngine) -> None:
    facts = {
        "offers": [
            {
                "type": "MENTOR",
                "subject": "$sub",
                "municipality": "$municipality",
                "from": 0,
                "to": 0,
            }
        ]
    }
    verdict = await explain(regopy_engine, "mentor", "MENTORING", "identity", facts, T)
    assert verdict.allow and verdict.legal_bases


def test_situations_materialise_relative_dates() -> None:
    assert {"active_mentor", "ended_mentor", "planned_internship", "no_relationship"} <= set(
        load_situations()
    )
    request = situation_input("mentor", "MENTORING", "ended_mentor", T)
    offer = request["facts"]["offers"][0]
    assert (offer["from"], offer["to"], offer["subject"]) == (
        "2026-07-26",
        "2026-10-24",
        "example.mentor",
    )
