"""Every category mapped from hand-written wire documents onto its schema type."""

from __future__ import annotations

import datetime as dt

from schema.categories import (
    Admissions,
    Benefits,
    Casework,
    Contacts,
    Employment,
    Grades,
    Health,
    Identity,
    Income,
    Plan,
    Questionnaire,
    Schooling,
    SupportNeeds,
)
from schema.categories.benefits import BenefitRate, BenefitType
from schema.categories.casework import (
    ConversationForm,
    ConversationType,
    EducationOrderMeaning,
    VisitationCategory,
)
from schema.categories.contacts import ContactRole
from schema.categories.dropout_risk import DropoutRiskReason
from schema.categories.grades import ExamDrawBlock, ExamForm
from schema.categories.income import IncomeType
from schema.categories.plan import OfferType
from schema.categories.questionnaire import Barrier, GoalType, NetworkStrength
from schema.categories.schooling import CourseStatus, CourseType, EudPartStatus, UpvResult
from schema.categories.social_plans import SocialPlanLaw, SocialPlanStatus
from schema.enums import Category
from tests.resolvers.conftest import World
from tests.resolvers.wire_documents import ALI, ANNE, FREJA, MADS, UNKNOWN

D = dt.date


async def test_identity(world: World) -> None:
    identity = await world.registers.session().category(ANNE, Category.IDENTITY)
    assert isinstance(identity, Identity)
    assert (identity.first_name, identity.last_name) == ("Anne", "Jensen")
    assert identity.birth_date == D(2004, 3, 15)
    assert identity.age == 22
    assert (identity.municipality.code, identity.municipality.name) == ("0101", "København")
    assert identity.name_protected is False


async def test_schooling(world: World) -> None:
    schooling = await world.registers.session().category(ANNE, Category.SCHOOLING)
    assert isinstance(schooling, Schooling)
    assert [c.id for c in schooling.courses] == ["c-gf2", "c-gf1", "c-fgu", "c-school"]
    assert [c.id for c in schooling.interrupted] == ["c-gf2"]
    interrupted = schooling.interrupted[0]
    assert interrupted.status is CourseStatus.INTERRUPTED
    assert interrupted.interruption_reason_code == "12"
    assert interrupted.period.start == D(2025, 2, 1) and interrupted.period.end == D(2025, 3, 1)
    assert (interrupted.institution.number, interrupted.institution.name) == (
        "851234",
        "Grøn Erhvervsskole",
    )
    assert {c.id for c in schooling.completed} == {"c-gf1", "c-fgu", "c-school"}
    assert [c.id for c in schooling.preparatory_basic_education] == ["c-fgu"]
    assert schooling.preparatory_basic_education[0].type is CourseType.PREPARATORY_BASIC
    assert schooling.special_youth_education == []
    # A completed GF1 is progress, not a qualification: the highest completed is the FGU.
    assert schooling.highest_completed is not None
    assert schooling.highest_completed.id == "c-fgu"
    assert schooling.eud_progress is not None
    assert schooling.eud_progress.basic_course_1 is EudPartStatus.COMPLETED
    assert schooling.eud_progress.main_course is EudPartStatus.NOT_STARTED
    assert schooling.su_months is not None
    assert (schooling.su_months.used, schooling.su_months.frame, schooling.su_months.left) == (
        12,
        70,
        58,
    )
    assert [u.result for u in schooling.upv_assessments] == [UpvResult.READY, UpvResult.NOT_READY]


async def test_schooling_without_history(world: World) -> None:
    schooling = await world.registers.session().category(ALI, Category.SCHOOLING)
    assert isinstance(schooling, Schooling)
    assert schooling.courses == [] and schooling.highest_completed is None
    assert schooling.eud_progress is None and schooling.su_months is None


async def test_grades_are_strings_of_the_seven_point_scale(world: World) -> None:
    grades = await world.registers.session().category(ANNE, Category.GRADES)
    assert isinstance(grades, Grades)
    assert (grades.school.number, grades.year, grades.certificate_type) == ("101012", 2020, "FP9")
    assert [e.grade for e in grades.exams] == ["7", "4", "02", "-3"]
    assert all(isinstance(e.grade, str) for e in grades.exams)
    assert grades.exams[0].part == "LAESNING" and grades.exams[0].form is ExamForm.WRITTEN
    assert grades.exams[1].drawn_block is ExamDrawBlock.SCIENCE
    assert grades.exams[3].drawn_block is ExamDrawBlock.HUMANITIES
    assert [(g.subject, g.grade) for g in grades.year_grades] == [
        ("DANSK", "7"),
        ("FYSIK_KEMI", "02"),
    ]


async def test_employment_and_the_225_hour_view(world: World) -> None:
    employment = await world.registers.session().category(ANNE, Category.EMPLOYMENT)
    assert isinstance(employment, Employment)
    # Municipal benefit lines (indkomsttype 06) are not jobs.
    assert all(job.employer.name != "Københavns Kommune" for job in employment.jobs)
    assert [(j.employer.cvr, j.period.start) for j in employment.jobs] == [
        ("24256790", D(2026, 6, 1)),
        ("11111111", D(2025, 10, 1)),
        ("11111111", D(2020, 6, 1)),
    ]
    cafe = employment.jobs[0]
    assert cafe.period.end == D(2026, 10, 31)
    assert cafe.total_hours == 5 * 40.5 and len(cafe.months) == 5
    assert [j.period.start for j in employment.spare_time_jobs] == [D(2020, 6, 1)]
    rule = employment.hours_rule
    assert rule.window.start == D(2025, 11, 24) and rule.window.end == D(2026, 11, 23)
    # 5 x 40.5 at the café + 10 in Nov 2025; Oct 2025 ends before the window.
    assert rule.ordinary_hours == 212.5
    assert rule.required_hours == 225 and rule.met is False


async def test_the_225_hours_met(world: World) -> None:
    employment = await world.registers.session().category(FREJA, Category.EMPLOYMENT)
    assert isinstance(employment, Employment)
    assert employment.hours_rule.ordinary_hours == 240.0 and employment.hours_rule.met is True
    # Born 2006-06-27: 18 since June 2024, so a job from May 2026 is no spare-time job.
    assert len(employment.jobs) == 1 and employment.spare_time_jobs == []
    assert employment.jobs[0].employer.name == "Café Nørrebro ApS"


async def test_income(world: World) -> None:
    income = await world.registers.session().category(ANNE, Category.INCOME)
    assert isinstance(income, Income)
    # Three years: the 2020 lines are employment history, not income.
    assert min(line.period.start for line in income.lines) == D(2025, 10, 1)
    benefit = next(line for line in income.lines if line.id == "k10")
    assert benefit.income_type is IncomeType.MUNICIPAL_BENEFIT and benefit.a_income == 6810.0
    october = next(m for m in income.monthly_totals if m.month == D(2026, 10, 1))
    assert october.a_income == 5200.0 + 6810.0
    assert october.a_tax == 820.0 + 1200.0
    assert october.payers == 2
    assert [m.month for m in income.monthly_totals][:2] == [D(2026, 10, 1), D(2026, 9, 1)]


async def test_benefits_change_type_on_1_july_2025(world: World) -> None:
    benefits = await world.registers.session().category(ANNE, Category.BENEFITS)
    assert isinstance(benefits, Benefits)
    newest, older = benefits.periods
    assert older.type is BenefitType.EDUCATION_ASSISTANCE and older.period.end == D(2025, 6, 30)
    assert older.rate is BenefitRate.UNDER_25_LIVING_AWAY
    assert newest.type is BenefitType.CASH_BENEFIT and newest.period.start == D(2025, 7, 1)
    assert newest.rate is BenefitRate.BASIC and newest.period.end is None
    assert benefits.current is newest
    assert benefits.target_group is not None and benefits.target_group.number == 4
    # 2025-03..2025-06 and 2025-07..2026-11, all within the 36 months up to November 2026.
    assert benefits.months_on_support_last_3_years == 4 + 17
    assert benefits.on_support_at_18_or_19 is False


async def test_benefits_at_18_or_19(world: World) -> None:
    benefits = await world.registers.session().category(ALI, Category.BENEFITS)
    assert isinstance(benefits, Benefits)
    assert benefits.on_support_at_18_or_19 is True  # born 2001-11-02, support 2019-12..2020-05
    assert benefits.current is None and benefits.months_on_support_last_3_years == 0
    assert benefits.target_group is None


async def test_plan(world: World) -> None:
    plan = await world.registers.session().category(ANNE, Category.PLAN)
    assert isinstance(plan, Plan)
    assert plan.education_goal == "Uddannelse inden for det grønne område"
    assert plan.job_goals == ["Servicemedarbejder", "Viceværtsmedhjælper"]
    assert plan.plan_updated == D(2026, 11, 1)
    assert plan.goals_agreed_with is not None
    assert (plan.goals_agreed_with.id, plan.goals_agreed_with.name) == (
        "jette.hansen",
        "Jette Hansen",
    )
    internship, mentor, other = plan.offers
    assert internship.type is OfferType.INTERNSHIP and internship.hours_per_week == 15.5
    assert internship.employer is not None and internship.employer.cvr == "24256790"
    assert internship.responsible is not None and internship.responsible.name == "Sara Nielsen"
    assert mentor.type is OfferType.MENTOR and mentor.employer is None
    assert other.type is OfferType.OTHER and other.type_code == "NYTTEINDSATS"
    # The casework fields that left the plan are deprecated there and always null.
    for moved in (
        "visitation",
        "visitation_history",
        "education_order",
        "current_education_order_step",
        "agreements",
        "conversations",
        "reading_writing_maths_test",
        "first_contact",
    ):
        assert getattr(plan, moved) is None, moved
    # Only the plan section was asked for: the register sent no casework.
    asked = [set(body["sektioner"]) for body in world.fake.calls("dfdg")]
    assert asked == [{"plan"}]


async def test_casework(world: World) -> None:
    casework = await world.registers.session().category(ANNE, Category.CASEWORK)
    assert isinstance(casework, Casework)
    assert casework.first_contact == D(2026, 3, 23)
    assert casework.visitation is not None
    assert casework.visitation.category is VisitationCategory.EDUCATION_READY
    assert len(casework.visitation_history) == 2
    assert [s.step for s in casework.education_order] == [1, 2, 3]
    step3 = casework.current_education_order_step
    assert step3 is not None and step3.meaning is EducationOrderMeaning.START_AND_COMPLETE
    assert step3.institution is not None and step3.institution.number == "851234"
    assert step3.fulfilled is None
    assert [a.date for a in casework.agreements] == [D(2026, 11, 1), D(2026, 10, 1)]
    assert casework.conversations[0].type is ConversationType.JOB_CONVERSATION
    assert casework.conversations[1].form is ConversationForm.IN_PERSON
    assert casework.reading_writing_maths_test is not None
    assert casework.reading_writing_maths_test.needs_maths is True
    asked = [set(body["sektioner"]) for body in world.fake.calls("dfdg")]
    assert asked == [{"sagsforloeb"}]


async def test_contacts_join_dfdg_and_udb(world: World) -> None:
    contacts = await world.registers.session().category(ANNE, Category.CONTACTS)
    assert isinstance(contacts, Contacts)
    assert [(c.name, c.until) for c in contacts.municipal] == [
        ("Jette Hansen", None),
        ("Ole Olsen", D(2026, 3, 22)),
    ]
    assert contacts.municipal[0].role is ContactRole.CONTACT_PERSON
    assert contacts.municipal[0].phone == "33 66 33 66"
    teacher = contacts.institution[0]
    assert (teacher.name, teacher.role, teacher.organisation) == (
        "Maria Kristensen",
        ContactRole.CONTACT_TEACHER,
        "Grøn Erhvervsskole",
    )
    assert contacts.institution_receipt_date == D(2026, 11, 5)
    assert contacts.kui_contact is not None and contacts.kui_contact.role is ContactRole.KUI_CONTACT
    asked = [set(body["sektioner"]) for body in world.fake.calls("udb")]
    assert asked == [{"kontakt"}]


async def test_support_needs(world: World) -> None:
    needs = await world.registers.session().category(ANNE, Category.SUPPORT_NEEDS)
    assert isinstance(needs, SupportNeeds)
    assert needs.education_order is not None
    assert (needs.education_order.active, needs.education_order.step) == (True, 3)
    assert (needs.needs.academic, needs.needs.social, needs.needs.health) == (True, False, False)
    assert needs.wants_contact is True
    assert needs.registered == D(2026, 10, 30) and needs.institution_notified == D(2026, 11, 2)


async def test_dropout_risks(world: World) -> None:
    notices = await world.registers.session().category(ANNE, Category.DROPOUT_RISK)
    assert isinstance(notices, list)
    assert [(n.id, n.reason, n.is_active) for n in notices] == [
        ("f-new", DropoutRiskReason.ABSENCE, True),
        ("f-old", DropoutRiskReason.WELLBEING, False),
    ]
    assert notices[0].reacted is None and notices[1].reacted == D(2025, 2, 25)
    assert await world.registers.session().category(ALI, Category.DROPOUT_RISK) == []


async def test_questionnaire_and_health(world: World) -> None:
    session = world.registers.session()
    answers = await session.category(ANNE, Category.QUESTIONNAIRE)
    health = await session.category(ANNE, Category.HEALTH)
    assert isinstance(answers, Questionnaire) and isinstance(health, Health)
    assert answers.answered == D(2026, 4, 1)
    assert answers.goal is not None and answers.goal.type is GoalType.EDUCATION
    assert answers.self_belief == 4 and answers.network is NetworkStrength.SOME
    assert answers.barriers == [Barrier.FINANCES, Barrier.TRANSPORT]
    assert (health.mental_health, health.physical_health) == (3, 4)
    assert health.contact_with_psychiatry is False and health.shared_with_contact_person is True


async def test_social_plans(world: World) -> None:
    plans = await world.registers.session().category(ALI, Category.SOCIAL_PLANS)
    assert isinstance(plans, list)
    assert [(p.law, p.status) for p in plans] == [
        (SocialPlanLaw.SERVICE_ACT_68A, SocialPlanStatus.ACTIVE),
        (SocialPlanLaw.CHILDRENS_ACT, SocialPlanStatus.CLOSED),
    ]


async def test_admissions(world: World) -> None:
    session = world.registers.session()
    anne = await session.category(ANNE, Category.ADMISSIONS)
    freja = await session.category(FREJA, Category.ADMISSIONS)
    assert isinstance(anne, Admissions) and isinstance(freja, Admissions)
    assert [a.priority for a in anne.youth_education] == [1, 2]
    assert anne.admitted is True and anne.next_start == D(2027, 1, 2)
    assert freja.higher_education[0].grade_point_average == 7.4
    assert freja.next_start == D(2027, 8, 20)


async def test_unknown_or_empty_is_none(world: World) -> None:
    session = world.registers.session()
    lists = {Category.DROPOUT_RISK, Category.SOCIAL_PLANS}  # nothing registered: an empty list
    for category in Category:
        expected = [] if category in lists else None
        assert await session.category(UNKNOWN, category) == expected, category
    # Known to DFDG, but without a plan or casework section: none.
    assert await session.category(MADS, Category.PLAN) is None
    assert await session.category(MADS, Category.CASEWORK) is None
    assert await session.category(ALI, Category.SUPPORT_NEEDS) is None
