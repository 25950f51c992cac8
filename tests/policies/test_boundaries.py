"""Boundary dates, consent, legal bases coming into force, and no enumeration.

The windows POLICY.md draws are checked on both engines (`engine`: rego-cpp and the real OPA
Go engine): 6 calendar months after the start of an education, an enrolment that has ended,
a planned internship at most 3 months ahead, a contact person of a young person who moved."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

import pytest

from gateway.policies.engine import EmbeddedEngine, embedded_engine
from gateway.policies.sources import load_catalogue
from tests.policies.expected import ALL, NO_RELATIONSHIP
from tests.policies.personas import PROFESSIONALS, T, day, decision_input, no_facts


@pytest.fixture(params=["rego-cpp", "go-opa"])
def engine(request: pytest.FixtureRequest, regopy_engine: EmbeddedEngine) -> EmbeddedEngine:
    if request.param == "rego-cpp":
        return regopy_engine
    go: EmbeddedEngine = request.getfixturevalue("go_engine")
    return go


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


def enrolment(starts_on: str, ends_on: str | None = None, status: str = "ENROLLED") -> Any:
    return {
        "institution": "851234",
        "status": status,
        "admitted_on": "2026-06-15",
        "starts_on": starts_on,
        "ends_on": ends_on,
    }


@pytest.mark.parametrize(
    ("today", "allowed"),
    [
        ("2027-02-27", True),
        ("2027-02-28", True),  # 31 August + 6 calendar months: the last day of February
        ("2027-03-01", False),
        ("2027-03-03", False),  # what "six months" counted as days past February would give
    ],
)
async def test_institution_window_is_six_calendar_months(
    engine: EmbeddedEngine, today: str, allowed: bool
) -> None:
    request = with_facts(
        MARIA,
        "RETENTION",
        education_order={"active": True, "step": 3},
        enrolments=[enrolment("2026-08-31")],
    )
    request["date"] = today
    decision = await engine.decide(request)
    assert decision.category("support_needs").allow is allowed
    assert (decision.relationship == "enrolled_at_institution") is allowed


async def test_institution_window_in_a_leap_year(engine: EmbeddedEngine) -> None:
    request = with_facts(
        MARIA,
        "RETENTION",
        education_order={"active": True, "step": 3},
        enrolments=[enrolment("2027-08-31")],
    )
    for today, allowed in (("2028-02-29", True), ("2028-03-01", False)):
        request["date"] = today
        assert (await engine.decide(request)).category("contacts").allow is allowed


@pytest.mark.parametrize(
    ("ends_on", "allowed"),
    [(None, True), (day(0), True), (day(-1), False), ("not a date", False)],
)
async def test_an_enrolment_that_has_ended_no_longer_counts(
    engine: EmbeddedEngine, ends_on: str | None, allowed: bool
) -> None:
    request = with_facts(
        MARIA,
        "RETENTION",
        education_order={"active": True, "step": 3},
        enrolments=[enrolment(day(-90), ends_on)],
    )
    decision = await engine.decide(request)
    assert decision.category("dropout_risk").allow is allowed
    if not allowed:
        assert decision.category("dropout_risk").reason == NO_RELATIONSHIP


def internship(start: str, end: str | None) -> dict[str, Any]:
    return {
        "type": "VIRKSOMHEDSPRAKTIK",
        "subject": "sara.nielsen",
        "municipality": "0101",
        "from": start,
        "to": end,
    }


@pytest.mark.parametrize(
    ("start", "end", "relationship"),
    [
        ("2027-02-23", "2027-05-01", "planned_internship"),  # T + 3 calendar months
        ("2027-02-24", "2027-05-01", None),  # T + 3 months + 1 day: too early to look
        (day(1), None, "planned_internship"),
        (day(0), None, "active_internship"),
        (day(10), day(5), None),  # ends before it starts: no offer
        (day(10), day(1), None),
        ("9999-12-31", None, None),  # a register's "no date" start has not begun
    ],
)
async def test_planned_internship_opens_at_most_three_months_ahead(
    engine: EmbeddedEngine, start: str, end: str | None, relationship: str | None
) -> None:
    decision = await engine.decide(
        with_facts(SARA, "JOB_PLACEMENT", offers=[internship(start, end)])
    )
    assert decision.relationship == relationship
    assert decision.category("plan").allow is (relationship is not None)
    assert decision.category("casework").allow is False


async def test_a_young_person_who_moved_is_not_the_old_municipalitys(
    engine: EmbeddedEngine,
) -> None:
    """Jette's assignment was left open after Anne moved to Aarhus (0751): it grants Jette
    nothing in Copenhagen, and Anne looks like anyone Jette has no relationship to."""
    request = decision_input(JETTE, "anne", "PLANNING")
    assert (await engine.decide(request)).relationship == "assigned_contact_person"
    request["facts"]["municipality"] = "0751"
    moved = await engine.decide(request)
    assert moved.relationship is None
    assert {v.reason for v in moved.categories.values()} == {NO_RELATIONSHIP}
    assert moved == await engine.decide(decision_input(JETTE, "unknown", "PLANNING"))
    # Nor does it give Lars in Aarhus anything without an assignment of his own.
    assert not (await engine.decide({**request, "subject": LARS})).any_allowed


async def test_mentor_and_business_consultant_see_the_plan_never_the_casework(
    engine: EmbeddedEngine,
) -> None:
    for subject, purpose in ((MIKKEL, "MENTORING"), (SARA, "JOB_PLACEMENT")):
        decision = await engine.decide(decision_input(subject, "anne", purpose))
        assert decision.category("plan").allow
        casework = decision.category("casework")
        assert not casework.allow
        assert casework.rule == "category_not_of_role"
        assert casework.reason == f"role {subject['role']} may not see casework"
    jette = await engine.decide(decision_input(JETTE, "anne", "PLANNING"))
    assert jette.category("casework").allow
    assert jette.category("casework").legal_bases == ("LOU-DFDG",)


@pytest.mark.parametrize(
    "start", ["9999-12-31", "0001-01-01", "1677-09-20", "2262-04-12", "2026-02-30", "0000-01-01"]
)
async def test_far_and_false_dates_decide_alike_on_both_engines(
    regopy_engine: EmbeddedEngine, go_engine: EmbeddedEngine, start: str
) -> None:
    """A register's far date (a "no date" 9999-12-31 start) made the Go engine, and so the
    OPA-server path, fail the whole batch, while rego-cpp ignored the enrolment."""
    requests = []
    for field in ("starts_on", "admitted_on", "ends_on"):
        facts_enrolment = {**enrolment(day(-30), None, "ADMITTED"), field: start}
        requests.append(
            with_facts(
                MARIA,
                "EDUCATION_START",
                education_order={"active": True, "step": 3},
                enrolments=[facts_enrolment, enrolment(day(-30), None, "ADMITTED")],
            )
        )
    ours = await regopy_engine.decide_many(requests)
    oracle = await go_engine.decide_many(requests)
    assert ours == oracle
    assert all(d.relationship == "admitted_at_institution" for d in ours)


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
