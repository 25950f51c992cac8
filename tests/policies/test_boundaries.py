"""Boundary dates, consent, legal bases coming into force, and no enumeration."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

import pytest

from gateway.policies.engine import EmbeddedEngine, embedded_engine
from gateway.policies.sources import load_catalogue
from tests.policies.expected import ALL, NO_RELATIONSHIP
from tests.policies.personas import PROFESSIONALS, T, day, decision_input, no_facts

JETTE = PROFESSIONALS["jette.hansen"]
MIKKEL = PROFESSIONALS["mikkel.holm"]
SARA = PROFESSIONALS["sara.nielsen"]
MARIA = PROFESSIONALS["maria.kristensen"]
LARS = PROFESSIONALS["lars.pedersen"]
CASE_SYSTEM = PROFESSIONALS["fagsystem-101"]


def with_facts(subject: dict[str, str], purpose: str, **facts: Any) -> dict[str, Any]:
    request = decision_input(subject, "mads", purpose)
    request["facts"] = {**no_facts(), **facts}
    return request


def mentor_offer(start: str, end: str | None) -> dict[str, Any]:
    return {
        "type": "MENTOR",
        "subject": "mikkel.holm",
        "municipality": "0101",
        "from": start,
        "to": end,
    }


async def test_offer_starting_today_is_current(regopy_engine: EmbeddedEngine) -> None:
    request = with_facts(MIKKEL, "MENTORING", offers=[mentor_offer(day(0), day(60))])
    decision = await regopy_engine.decide(request)
    assert decision.relationship == "active_mentor"
    assert decision.category("plan").allow


async def test_offer_ended_yesterday_is_not(regopy_engine: EmbeddedEngine) -> None:
    request = with_facts(MIKKEL, "MENTORING", offers=[mentor_offer(day(-60), day(-1))])
    decision = await regopy_engine.decide(request)
    assert decision.relationship is None
    assert decision.category("plan").reason == NO_RELATIONSHIP


async def test_planned_internship_lets_the_business_consultant_see(
    regopy_engine: EmbeddedEngine,
) -> None:
    offer = {
        "type": "LOENTILSKUD",
        "subject": "sara.nielsen",
        "municipality": "0101",
        "from": day(14),
        "to": day(100),
    }
    decision = await regopy_engine.decide(with_facts(SARA, "JOB_PLACEMENT", offers=[offer]))
    assert decision.relationship == "planned_internship"
    assert decision.allowed_categories == {
        "identity",
        "plan",
        "schooling",
        "employment",
        "contacts",
    }


def admission(admitted_on: str, starts_on: str) -> dict[str, Any]:
    return {
        "institution": "851234",
        "status": "ADMITTED",
        "admitted_on": admitted_on,
        "starts_on": starts_on,
        "ends_on": None,
    }


@pytest.mark.parametrize(
    ("admitted_on", "starts_on", "allowed"),
    [
        (day(0), day(40), True),  # admission day
        (day(-1), day(40), True),
        (day(1), day(40), False),  # not admitted yet
        ((T - timedelta(days=400)).isoformat(), "2026-05-23", True),  # 6 months after start
        ((T - timedelta(days=400)).isoformat(), "2026-05-22", False),  # 6 months + 1 day
    ],
)
async def test_institution_contact_window(
    regopy_engine: EmbeddedEngine, admitted_on: str, starts_on: str, allowed: bool
) -> None:
    request = with_facts(
        MARIA,
        "RETENTION",
        education_order={"active": True, "step": 3},
        enrolments=[admission(admitted_on, starts_on)],
    )
    decision = await regopy_engine.decide(request)
    assert decision.category("support_needs").allow is allowed
    assert decision.category("grades").allow is False


async def test_institution_contact_needs_an_education_order(regopy_engine: EmbeddedEngine) -> None:
    request = with_facts(MARIA, "RETENTION", enrolments=[admission(day(-10), day(40))])
    assert not (await regopy_engine.decide(request)).any_allowed


def grades_basis(start: str | None) -> dict[str, Any]:
    catalogue = load_catalogue()
    catalogue["legal_bases"]["GRADES-PROPOSED"]["from"] = start
    return catalogue


@pytest.mark.parametrize(("start", "visible"), [(day(0), True), (day(1), False), (None, False)])
async def test_grades_basis_in_force_from_its_date(start: str | None, visible: bool) -> None:
    engine = embedded_engine(grades_basis(start), cache_size=0)
    decision = await engine.decide(decision_input(JETTE, "anne", "PLANNING"))
    grades = decision.category("grades")
    assert grades.allow is visible
    if visible:
        assert grades.legal_bases == ("GRADES-PROPOSED",)
    else:
        assert grades.reason == "no legal basis in force for grades"


@pytest.mark.parametrize(("consent", "allowed"), [(True, True), (False, False), (None, False)])
async def test_health_needs_consent(
    regopy_engine: EmbeddedEngine, consent: bool | None, allowed: bool
) -> None:
    request = decision_input(JETTE, "anne", "PLANNING")
    if consent is None:
        del request["facts"]["health_consent"]
    else:
        request["facts"]["health_consent"] = consent
    health = (await regopy_engine.decide(request)).category("health")
    assert health.allow is allowed
    if not allowed:
        assert "not consented" in health.reason


async def test_case_system_never_sees_health(regopy_engine: EmbeddedEngine) -> None:
    request = decision_input(CASE_SYSTEM, "anne", "CASE_RECORD")
    request["facts"]["health_consent"] = True
    decision = await regopy_engine.decide(request)
    assert decision.category("identity").allow
    assert not decision.category("health").allow


async def test_other_municipality_looks_like_an_unknown_cpr(regopy_engine: EmbeddedEngine) -> None:
    known = await regopy_engine.decide(decision_input(LARS, "anne", "PLANNING"))
    unknown = await regopy_engine.decide(decision_input(LARS, "unknown", "PLANNING"))
    assert known == unknown
    assert {v.reason for v in known.categories.values()} == {NO_RELATIONSHIP}


async def test_exists_flag_changes_nothing(regopy_engine: EmbeddedEngine) -> None:
    request = decision_input(JETTE, "mads", "PLANNING")
    flipped = copy.deepcopy(request)
    flipped["facts"]["exists"] = False
    assert await regopy_engine.decide(request) == await regopy_engine.decide(flipped)


@pytest.mark.parametrize(
    ("role", "purpose"),
    [
        ("janitor", "PLANNING"),
        ("contact_person", "GOSSIP"),
        ("contact_person", None),
        (None, "PLANNING"),
    ],
)
async def test_unknown_role_or_purpose_denies_all(
    regopy_engine: EmbeddedEngine, role: str | None, purpose: str | None
) -> None:
    request = decision_input({**JETTE, "role": role}, "anne", purpose)  # type: ignore[dict-item]
    decision = await regopy_engine.decide(request)
    assert set(decision.categories) == ALL
    assert not decision.any_allowed
    assert decision.purpose_allowed is False


async def test_missing_date_or_facts_denies(regopy_engine: EmbeddedEngine) -> None:
    request = decision_input(JETTE, "anne", "PLANNING")
    del request["date"]
    assert not (await regopy_engine.decide(request)).any_allowed
    request = decision_input(JETTE, "anne", "PLANNING")
    del request["facts"]
    assert not (await regopy_engine.decide(request)).any_allowed
    assert not (await regopy_engine.decide({})).any_allowed
