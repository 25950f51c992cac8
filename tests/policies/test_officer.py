"""Privacy officers' matrix and explain, on the same engine as live requests."""

from __future__ import annotations

from datetime import date

import pytest

from gateway.policies.engine import EmbeddedEngine
from gateway.policies.officer import (
    closing_soon,
    explain,
    load_situations,
    matrix,
    situation_input,
)
from gateway.policies.sources import load_catalogue
from tests.policies.expected import ALL, PURPOSES, ROLE_CATEGORIES, ROLE_PURPOSES

T = date(2026, 11, 23)


async def test_matrix_covers_every_role_purpose_category(regopy_engine: EmbeddedEngine) -> None:
    rows = await matrix(regopy_engine, day=T)
    assert len(rows) == 8 * len(PURPOSES) * len(ALL)
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
        ("contact_person", "PLANNING", "casework", "moved_away", False, "no_relationship"),
        (
            "contact_person",
            "PLANNING",
            "casework",
            "assigned_contact_person",
            True,
            "allow.assigned_contact_person",
        ),
        ("mentor", "MENTORING", "casework", "active_mentor", False, "category_not_of_role"),
        (
            "business_consultant",
            "JOB_PLACEMENT",
            "plan",
            "internship_too_far_ahead",
            False,
            "no_relationship",
        ),
        (
            "institution_contact",
            "RETENTION",
            "support_needs",
            "enrolment_ended",
            False,
            "no_relationship",
        ),
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


def catalogue_with(**bases: dict[str, object]) -> dict[str, object]:
    """A catalogue of one role seeing two categories, with the given bases."""
    return {
        "roles": {"mentor": {"categories": ["plan", "identity"]}},
        "legal_bases": {
            name: {"reference": name, "roles": ["mentor"], **basis} for name, basis in bases.items()
        },
    }


def test_closing_soon_needs_every_basis_in_force_to_close() -> None:
    catalogue = catalogue_with(
        ENDING={"categories": ["plan", "identity"], "from": "2020-01-01", "to": "2027-01-10"},
        REVIEWED={
            "categories": ["plan"],
            "from": "2020-01-01",
            "review_by": "2027-02-01",
            "review_note": "expected change",
        },
        STAYING={"categories": ["identity"], "from": "2020-01-01"},
        LAPSED={"categories": ["identity"], "from": "2020-01-01", "to": "2026-01-01"},
        PROPOSED={"categories": ["plan"], "from": None},
    )
    [pair] = closing_soon(catalogue, date(2026, 12, 3), 90)
    assert (pair.role, pair.category, pair.day) == ("mentor", "plan", date(2027, 2, 1))
    assert [(b.id, b.day, b.kind, b.note) for b in pair.bases] == [
        ("ENDING", date(2027, 1, 10), "ends", None),
        ("REVIEWED", date(2027, 2, 1), "review", "expected change"),
    ]
    assert closing_soon(catalogue, date(2026, 12, 3), 59) == []  # 2027-02-01 is day 60
    assert closing_soon(catalogue, date(2026, 12, 3), 60) != []


def test_closing_soon_counts_an_overdue_review_and_the_earlier_of_end_and_review() -> None:
    catalogue = catalogue_with(
        OVERDUE={"categories": ["plan"], "from": "2020-01-01", "review_by": "2026-06-01"},
        BOTH={
            "categories": ["identity"],
            "from": "2020-01-01",
            "to": "2027-01-31",
            "review_by": "2027-01-01",
        },
    )
    pairs = {p.category: p for p in closing_soon(catalogue, date(2026, 12, 3), 0)}
    assert set(pairs) == {"plan"}
    assert pairs["plan"].bases[0].day == date(2026, 6, 1)
    pairs = {p.category: p for p in closing_soon(catalogue, date(2026, 12, 3), 90)}
    assert [(b.day, b.kind) for b in pairs["identity"].bases] == [(date(2027, 1, 1), "review")]


def test_closing_soon_on_the_shipped_catalogue() -> None:
    pairs = closing_soon(load_catalogue(), date(2026, 12, 3), 90)
    assert {b.id for p in pairs for b in p.bases} == {
        "LOU-DFDG",
        "LAB-30-7",
        "DFDG-BEK-44-2",
        "INDKOMSTREG-7",
        "OWN-ANSWERS",
        "MUNICIPAL-DUTIES",
    }
    assert {p.day for p in pairs} == {date(2027, 1, 1)}
    assert ("mentor", "plan") in {(p.role, p.category) for p in pairs}
    assert closing_soon(load_catalogue(), date(2026, 12, 3), 28) == []
    # After the review date nothing is in the window's future, but the overdue review shows.
    assert closing_soon(load_catalogue(), date(2027, 1, 2), 0)
