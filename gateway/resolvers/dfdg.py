"""DFDG (STAR's Det Fælles Datagrundlag): identity, benefits, plan, casework, municipal contacts,
facts. Plan (Min Plan's goals and offers) and casework (visitation, the education order,
conversations, agreements, the test, first contact) are two sections of the register, so a
caller allowed the plan only never makes the register send the casework."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gateway.resolvers import wire
from gateway.resolvers.base import MapContext, Payload, RegisterSpec, section_projection
from gateway.resolvers.common import (
    age_at,
    birthday,
    employer,
    iso_day,
    opt_institution,
    overlaps,
    period,
)
from schema.categories.benefits import (
    BenefitPeriod,
    BenefitRate,
    Benefits,
    BenefitType,
    TargetGroup,
)
from schema.categories.casework import (
    Agreement,
    Casework,
    Conversation,
    ConversationForm,
    ConversationType,
    EducationOrderMeaning,
    EducationOrderStep,
    ReadingWritingMathsTest,
    Visitation,
    VisitationCategory,
)
from schema.categories.contacts import ContactPerson, ContactRole
from schema.categories.identity import Identity, Municipality
from schema.categories.plan import Offer, OfferType, Plan, ResponsibleProfessional
from schema.cpr import birth_date

SPEC = RegisterSpec(
    label="dfdg",
    prefix="/dfdg/v1",
    sections=("stamdata", "forsoergelse", "plan", "sagsforloeb", "kontakt"),
    project=section_projection(),
)

# --- identity ----------------------------------------------------------------------------


def identity(payload: Payload, ctx: MapContext) -> Identity:
    data = wire.obj(payload["stamdata"])
    born = wire.day(data.get("foedselsdato"))
    return Identity(
        first_name=wire.text(data.get("fornavn")),
        last_name=wire.text(data.get("efternavn")),
        birth_date=born,
        age=age_at(born, ctx.today),
        municipality=Municipality(
            code=wire.text(data.get("kommunekode")), name=wire.opt_text(data.get("kommunenavn"))
        ),
        name_protected=wire.flag(data.get("navnebeskyttet")),
    )


# --- benefits ----------------------------------------------------------------------------

_BENEFIT_TYPES = {
    "UDDANNELSESHJAELP": BenefitType.EDUCATION_ASSISTANCE,
    "KONTANTHJAELP": BenefitType.CASH_BENEFIT,
    "OVERGANGSYDELSE": BenefitType.TRANSITION_BENEFIT,
    "SYGEDAGPENGE": BenefitType.SICKNESS_BENEFIT,
    "DAGPENGE": BenefitType.UNEMPLOYMENT_BENEFIT,
    "REVALIDERING": BenefitType.REHABILITATION,
    "RESSOURCEFORLOEB": BenefitType.REHABILITATION,
}
_BENEFIT_RATES = {
    "UNDER_25_UDEBOENDE": BenefitRate.UNDER_25_LIVING_AWAY,
    "HJEMMEBOENDE": BenefitRate.LIVING_WITH_PARENTS,
    "GRUNDSATS": BenefitRate.BASIC,
    "MINDSTESATS": BenefitRate.MINIMUM,
    "FORHOEJET_SATS": BenefitRate.RAISED,
    "FORHOEJET": BenefitRate.RAISED,
    "ENLIG_FORSOERGER": BenefitRate.SINGLE_PROVIDER,
    "GRAVID": BenefitRate.PREGNANT,
}


def benefits(payload: Payload, ctx: MapContext) -> Benefits:
    data = wire.obj(payload["forsoergelse"])
    periods = sorted(
        (
            BenefitPeriod(
                type=wire.open_code(_BENEFIT_TYPES, line.get("ydelse"), BenefitType.OTHER),
                rate=None
                if line.get("sats") is None
                else wire.open_code(_BENEFIT_RATES, line.get("sats"), BenefitRate.OTHER),
                period=period(line.get("fra"), line.get("til")),
                monthly_amount=wire.opt_number(line.get("beloebPrMaaned")),
            )
            for line in wire.items(data.get("perioder"))
        ),
        key=lambda p: p.period.start,
        reverse=True,
    )
    today = ctx.today
    current = next(
        (p for p in periods if overlaps(p.period.start, p.period.end, today, today)), None
    )
    # The CPR gives the birth date even when the identity category is not released.
    born = birth_date(ctx.cpr)
    at_18_or_19 = any(
        overlaps(
            p.period.start,
            p.period.end,
            birthday(born, 18),
            birthday(born, 20) - dt.timedelta(days=1),
        )
        for p in periods
    )
    group = wire.opt_obj(data.get("maalgruppe"))
    return Benefits(
        periods=periods,
        current=current,
        target_group=None
        if group is None
        else TargetGroup(
            number=wire.integer(group.get("lab6Nr")),
            description=wire.opt_text(group.get("betegnelse")),
            since=wire.opt_day(group.get("fra")),
        ),
        on_support_at_18_or_19=at_18_or_19,
        months_on_support_last_3_years=_months_on_support(periods, today),
    )


def _months_on_support(periods: list[BenefitPeriod], today: dt.date) -> int:
    """Calendar months, of the 36 ending with the reference month, with a day of support."""
    last = today.year * 12 + today.month - 1  # month index of the reference month
    first = last - 35
    months: set[int] = set()
    for p in periods:
        if p.period.start > today:
            continue
        end = p.period.end or today
        from_index = max(first, p.period.start.year * 12 + p.period.start.month - 1)
        to_index = min(last, end.year * 12 + end.month - 1)
        months.update(range(from_index, to_index + 1))
    return len(months)


# --- plan --------------------------------------------------------------------------------

_VISITATION = {
    "AABENLYST_UDDANNELSESPARAT": VisitationCategory.OBVIOUSLY_EDUCATION_READY,
    "UDDANNELSESPARAT": VisitationCategory.EDUCATION_READY,
    "AKTIVITETSPARAT": VisitationCategory.ACTIVITY_READY,
    "JOBPARAT": VisitationCategory.JOB_READY,
    "IKKE_VISITERET": VisitationCategory.NOT_VISITED,
}
_ORDER_STEPS = {
    1: EducationOrderMeaning.PROPOSE_PROGRAMMES,
    2: EducationOrderMeaning.APPLY_FOR_ADMISSION,
    3: EducationOrderMeaning.START_AND_COMPLETE,
}
_OFFER_TYPES = {
    "VIRKSOMHEDSPRAKTIK": OfferType.INTERNSHIP,
    "LOENTILSKUD": OfferType.WAGE_SUBSIDY,
    "MENTOR": OfferType.MENTOR,
    "VEJLEDNING_OPKVALIFICERING": OfferType.GUIDANCE_AND_UPSKILLING,
}
_CONVERSATION_TYPES = {
    "FOERSTE_SAMTALE": ConversationType.FIRST_CONVERSATION,
    "JOBSAMTALE": ConversationType.JOB_CONVERSATION,
    "RAADIGHEDSSAMTALE": ConversationType.AVAILABILITY_CONVERSATION,
    "CV_SAMTALE": ConversationType.CV_CONVERSATION,
}
_CONVERSATION_FORMS = {
    "FREMMOEDE": ConversationForm.IN_PERSON,
    "TELEFON": ConversationForm.PHONE,
    "VIDEO": ConversationForm.VIDEO,
}


def plan(payload: Payload, ctx: MapContext) -> Plan:
    """Min Plan: goals, when updated and agreed with whom, and the offers."""
    data = wire.obj(payload["plan"])
    min_plan = wire.opt_obj(data.get("minPlan")) or {}
    agreed_with = wire.opt_obj(min_plan.get("aftaltMed"))
    return Plan(
        education_goal=wire.opt_text(min_plan.get("uddannelsesmaal")),
        job_goals=wire.texts(min_plan.get("jobmaal")),
        plan_updated=wire.opt_day(min_plan.get("senestOpdateret")),
        goals_agreed_with=None if agreed_with is None else _professional(agreed_with),
        offers=sorted(
            (_offer(o) for o in wire.items(data.get("tilbud"))),
            key=lambda o: o.period.start,
            reverse=True,
        ),
    )


# --- casework ----------------------------------------------------------------------------


def casework(payload: Payload, ctx: MapContext) -> Casework:
    """The municipality's casework: first contact, visitation, the education order and its
    steps, conversations, agreements and the reading/writing/maths test."""
    data = wire.obj(payload["sagsforloeb"])
    visitations = sorted(
        (
            Visitation(
                category=wire.code(_VISITATION, v.get("kategori")), date=wire.day(v.get("dato"))
            )
            for v in wire.items(data.get("visitation"))
        ),
        key=lambda v: v.date,
        reverse=True,
    )
    steps = sorted(
        (_order_step(step) for step in wire.items(data.get("uddannelsespaalaeg"))),
        key=lambda s: (s.step, s.issued or dt.date.min),
    )
    test = wire.opt_obj(data.get("laeseSkriveRegnetest"))
    return Casework(
        first_contact=wire.opt_day(data.get("foersteKontakt")),
        visitation=visitations[0] if visitations else None,
        visitation_history=visitations,
        education_order=steps,
        current_education_order_step=steps[-1] if steps else None,
        conversations=sorted(
            (
                Conversation(
                    type=wire.open_code(_CONVERSATION_TYPES, c.get("type"), ConversationType.OTHER),
                    date=wire.day(c.get("dato")),
                    form=None
                    if c.get("form") is None
                    else wire.code(_CONVERSATION_FORMS, c.get("form")),
                )
                for c in wire.items(data.get("samtaler"))
            ),
            key=lambda c: c.date,
            reverse=True,
        ),
        agreements=sorted(
            (
                Agreement(
                    date=wire.day(a.get("dato")),
                    text=wire.text(a.get("tekst")),
                    deadline=wire.opt_day(a.get("frist")),
                )
                for a in wire.items(data.get("aftaler"))
            ),
            key=lambda a: a.date,
            reverse=True,
        ),
        reading_writing_maths_test=None
        if test is None
        else ReadingWritingMathsTest(
            date=wire.day(test.get("dato")),
            needs_danish=wire.flag(test.get("behovDansk")),
            needs_maths=wire.flag(test.get("behovMatematik")),
        ),
    )


def _professional(person: Payload) -> ResponsibleProfessional:
    return ResponsibleProfessional(
        id=wire.text(person.get("medarbejderId")), name=wire.opt_text(person.get("navn"))
    )


def _order_step(step: Payload) -> EducationOrderStep:
    number = wire.integer(step.get("trin"))
    return EducationOrderStep(
        id=wire.text(step.get("id")),
        step=number,
        meaning=_ORDER_STEPS.get(number),
        issued=wire.opt_day(step.get("afgivet")),
        deadline=wire.opt_day(step.get("frist")),
        fulfilled=wire.opt_day(step.get("opfyldt")),
        programme_code=wire.opt_text(step.get("udd")),
        institution=opt_institution(step.get("institutionsnummer")),
    )


def _offer(offer: Payload) -> Offer:
    type_code = wire.text(offer.get("activationType"))
    hours = wire.opt_number(offer.get("hoursPerWeek"))
    minutes = wire.opt_number(offer.get("minutesPerWeek")) or 0.0
    host = None
    if offer.get("cvr") is not None or offer.get("virksomhed") is not None:
        host = employer({"cvr": offer.get("cvr"), "navn": offer.get("virksomhed")})
    responsible = wire.opt_obj(offer.get("ansvarlig"))
    return Offer(
        id=wire.text(offer.get("activityIdentifier")),
        type=_OFFER_TYPES.get(type_code, OfferType.OTHER),
        type_code=type_code,
        period=period(offer.get("start"), offer.get("slut")),
        hours_per_week=None if hours is None else round(hours + minutes / 60, 2),
        employer=host,
        responsible=None if responsible is None else _professional(responsible),
    )


# --- contacts (the municipal half; UDB gives the institution half) ----------------------

_CONTACT_ROLES = {
    "KONTAKTPERSON": ContactRole.CONTACT_PERSON,
    "KOORDINERENDE_SAGSBEHANDLER": ContactRole.COORDINATING_CASE_WORKER,
    "MENTOR": ContactRole.MENTOR,
    "VIRKSOMHEDSKONSULENT": ContactRole.BUSINESS_CONSULTANT,
}


def municipal_contacts(payload: Payload | None) -> list[ContactPerson]:
    if payload is None:
        return []
    data = wire.obj(payload["kontakt"])
    people = [
        ContactPerson(
            name=wire.text(p.get("navn")),
            role=wire.code(_CONTACT_ROLES, p.get("rolle")),
            organisation=wire.opt_text(p.get("organisation")),
            phone=wire.opt_text(p.get("telefon")),
            email=wire.opt_text(p.get("email")),
            since=wire.opt_day(p.get("fra")),
            until=wire.opt_day(p.get("til")),
        )
        for p in wire.items(data.get("kontaktpersoner"))
    ]
    # Current assignments first (open-ended, then latest end), each group newest first.
    people.sort(key=lambda p: (p.until is None, p.until or dt.date.min, p.since or dt.date.min))
    people.reverse()
    return people


# --- relationship facts (POLICY input, gateway/policies/README.md) ----------------------


def facts(document: Payload, today: dt.date) -> dict[str, Any]:
    """The DFDG part of the facts: municipality, open cases, assignments and offers."""
    return {
        "municipality": wire.opt_text(document.get("kommunekode")),
        "open_cases": [
            {
                "municipality": wire.text(case.get("kommunekode")),
                "from": iso_day(case.get("fra")),
                "to": iso_day(case.get("til")),
            }
            for case in wire.items(document.get("sager"))
            if wire.flag(case.get("aaben"))
        ],
        "assignments": [
            {
                "subject": wire.text(a.get("medarbejderId")),
                "municipality": wire.text(a.get("kommunekode")),
                "from": iso_day(a.get("fra")),
                "to": iso_day(a.get("til")),
            }
            for a in wire.items(document.get("kontaktpersoner"))
        ],
        "offers": [
            {
                "id": wire.text(o.get("activityIdentifier")),
                "type": wire.text(o.get("activationType")),
                "subject": wire.opt_text(o.get("medarbejderId")),
                "municipality": wire.opt_text(o.get("kommunekode")),
                "from": iso_day(o.get("start")),
                "to": iso_day(o.get("slut")),
            }
            for o in wire.items(document.get("tilbud"))
        ],
    }
