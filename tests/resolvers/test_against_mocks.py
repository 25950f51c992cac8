"""The register clients against the real mock registers (mocks/), for the personas' facts.

The MockTransport tests pin the mapping to hand-written documents; this one checks that the
clients and the mocks read the wire contract the same way. Skips while the mocks package
cannot be started.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiocache import SimpleMemoryCache

from gateway.metrics import Metrics
from gateway.resolvers import Registers
from gateway.transport import AiohttpRegisterTransport
from schema.categories import Admissions, Benefits, Casework, Contacts, Employment, Grades, Plan
from schema.categories.benefits import BenefitType
from schema.categories.dropout_risk import DropoutRiskReason
from schema.enums import Category

runner = pytest.importorskip("mocks.runner")

T = dt.date(2026, 11, 23)
ANNE, ALI, FREJA, JONAS, MADS = (
    "1503044112",
    "0211014127",
    "2706064136",
    "0909034145",
    "3012024163",
)
EMIL = "1403064171"


@pytest.fixture(scope="module")
async def registers() -> AsyncIterator[Registers]:
    config = runner.MockConfig(base_port=None, population=20, reference_date=T)
    transport = AiohttpRegisterTransport()  # the gateway's own, over real loopback connections
    async with runner.running_mocks(config) as mocks:
        yield Registers(
            mocks.urls, transport, SimpleMemoryCache(), Metrics(), reference_date=lambda: T
        )
        await transport.aclose()


async def test_every_category_of_every_persona_maps(registers: Registers) -> None:
    session = registers.session()
    for cpr in (ANNE, ALI, FREJA, JONAS, MADS):
        for category in Category:
            await session.category(cpr, category)  # raises RegisterUnavailable on a mismatch


async def test_anne(registers: Registers) -> None:
    session = registers.session()
    plan = await session.category(ANNE, Category.PLAN)
    assert isinstance(plan, Plan)
    assert plan.education_goal == "Uddannelse inden for det grønne område"
    assert plan.job_goals == ["Servicemedarbejder", "Viceværtsmedhjælper"]
    assert plan.goals_agreed_with is not None and plan.goals_agreed_with.name == "Jette Hansen"
    assert plan.current_education_order_step is None  # deprecated: casework is its own
    casework = await session.category(ANNE, Category.CASEWORK)
    assert isinstance(casework, Casework)
    assert casework.current_education_order_step is not None
    assert casework.current_education_order_step.step == 3
    assert casework.agreements and casework.conversations
    assert casework.first_contact is not None
    grades = await session.category(ANNE, Category.GRADES)
    assert isinstance(grades, Grades)
    year_grades = {g.subject: g.grade for g in grades.year_grades}
    assert year_grades.get("DANSK") == "7" and year_grades.get("MATEMATIK") == "4"
    employment = await session.category(ANNE, Category.EMPLOYMENT)
    assert isinstance(employment, Employment) and employment.spare_time_jobs
    admissions = await session.category(ANNE, Category.ADMISSIONS)
    assert isinstance(admissions, Admissions) and admissions.next_start == T + dt.timedelta(40)
    contacts = await session.category(ANNE, Category.CONTACTS)
    assert isinstance(contacts, Contacts)
    assert [c.name for c in contacts.municipal] == ["Jette Hansen"]
    facts: dict[str, Any] = await session.facts(ANNE)
    assert facts["education_order"] == {"active": True, "step": 3}
    assert facts["health_consent"] is True
    assert {o["subject"] for o in facts["offers"]} == {"sara.nielsen", "mikkel.holm"}


async def test_others(registers: Registers) -> None:
    session = registers.session()
    benefits = await session.category(ALI, Category.BENEFITS)
    assert isinstance(benefits, Benefits) and benefits.on_support_at_18_or_19 is True
    assert {p.type for p in benefits.periods} >= {
        BenefitType.EDUCATION_ASSISTANCE,
        BenefitType.CASH_BENEFIT,
    }
    assert (await session.facts(ALI))["health_consent"] is False
    notices = await session.category(JONAS, Category.DROPOUT_RISK)
    assert isinstance(notices, list) and notices[0].reason is DropoutRiskReason.ABSENCE
    mads = await session.facts(MADS)
    assert mads["exists"] is True and mads["assignments"] == [] and mads["offers"] == []


async def test_reverse_lookups(registers: Registers) -> None:
    session = registers.session()
    caseload = await session.related_cprs("contact_person", "jette.hansen", None, "0101")
    assert set(caseload) == {ANNE, ALI, FREJA, JONAS, EMIL}
    school = await session.related_cprs("institution_contact", "maria.kristensen", "851234", None)
    # The school's lookup lists who is admitted or enrolled there now; the policy then limits
    # reading to the six months after start (Emil is past them).
    assert set(school) == {ANNE, JONAS, EMIL}
    assert ANNE in await session.related_cprs("case_system", "fagsystem-101", None, "0101")
