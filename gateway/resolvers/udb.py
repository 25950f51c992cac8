"""Ungedatabasen (UDB, STIL): schooling, support needs, dropout risk, school contacts, facts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gateway.resolvers import wire
from gateway.resolvers.base import MapContext, Payload, RegisterSpec, section_projection
from gateway.resolvers.common import institution, iso_day, opt_institution, period
from schema.categories.common import ExchangeContact
from schema.categories.contacts import ContactPerson, ContactRole
from schema.categories.dropout_risk import DropoutRiskNotice, DropoutRiskReason
from schema.categories.schooling import (
    Course,
    CourseStatus,
    CourseType,
    EudPartStatus,
    EudProgress,
    Schooling,
    SuMonths,
    UpvAssessment,
    UpvResult,
)
from schema.categories.support_needs import SupportEducationOrder, SupportNeedFlags, SupportNeeds

SPEC = RegisterSpec(
    label="udb",
    prefix="/udb/v1",
    sections=("uddannelser", "stoettebehov", "frafald", "kontakt"),
    project=section_projection(),
)

# --- schooling ---------------------------------------------------------------------------

_COURSE_TYPES = {
    "GRUNDSKOLE": CourseType.PRIMARY_SCHOOL,
    "TIENDE_KLASSE": CourseType.TENTH_GRADE,
    "EUD": CourseType.VOCATIONAL,
    "GYMNASIAL": CourseType.UPPER_SECONDARY,
    "FGU": CourseType.PREPARATORY_BASIC,
    "STU": CourseType.SPECIAL_YOUTH,
    "VIDEREGAAENDE": CourseType.HIGHER,
}
_COURSE_STATUS = {
    "IGANG": CourseStatus.IN_PROGRESS,
    "GENNEMFOERT": CourseStatus.COMPLETED,
    "AFBRUDT": CourseStatus.INTERRUPTED,
}
_EUD_PART = {
    "IKKE_PAABEGYNDT": EudPartStatus.NOT_STARTED,
    "IGANG": EudPartStatus.IN_PROGRESS,
    "GENNEMFOERT": EudPartStatus.COMPLETED,
}
_UPV = {"UDDANNELSESPARAT": UpvResult.READY, "IKKE_UDDANNELSESPARAT": UpvResult.NOT_READY}

# Rank of a completed education for "highest completed": a youth education above FGU/STU
# above 10th grade above primary school; higher education on top.
_LEVEL = {
    CourseType.PRIMARY_SCHOOL: 0,
    CourseType.TENTH_GRADE: 1,
    CourseType.PREPARATORY_BASIC: 2,
    CourseType.SPECIAL_YOUTH: 2,
    CourseType.VOCATIONAL: 3,
    CourseType.UPPER_SECONDARY: 3,
    CourseType.HIGHER: 4,
}
# UDEL codes of EUD *parts* (indgangsforløb, GF1, GF2): completing one is progress, not a
# qualification, so it never counts as the highest completed education.
_EUD_PART_UDEL = {"51", "53", "54"}

SU_FRAME_DEFAULT = 70


def schooling(payload: Payload, ctx: MapContext) -> Schooling:
    data = wire.obj(payload["uddannelser"])
    courses = sorted(
        (_course(c) for c in wire.items(data.get("forloeb"))),
        key=lambda c: c.period.start,
        reverse=True,
    )
    completed = [c for c in courses if c.status is CourseStatus.COMPLETED]
    qualifying = [
        c
        for c in completed
        if not (c.type is CourseType.VOCATIONAL and c.programme_part in _EUD_PART_UDEL)
    ]
    highest = max(
        qualifying,
        key=lambda c: (_LEVEL[c.type], c.period.end or c.period.start),
        default=None,
    )
    return Schooling(
        courses=courses,
        completed=completed,
        interrupted=[c for c in courses if c.status is CourseStatus.INTERRUPTED],
        in_progress=[c for c in courses if c.status is CourseStatus.IN_PROGRESS],
        special_youth_education=[c for c in courses if c.type is CourseType.SPECIAL_YOUTH],
        preparatory_basic_education=[c for c in courses if c.type is CourseType.PREPARATORY_BASIC],
        highest_completed=highest,
        eud_progress=_eud_progress(wire.opt_obj(data.get("eudForloeb"))),
        su_months=_su_months(data),
        upv_assessments=sorted(
            (
                UpvAssessment(
                    assessed=wire.day(u.get("vurderingsdato")),
                    education=wire.text(u.get("kategori")),
                    result=wire.code(_UPV, u.get("resultat")),
                )
                for u in wire.items(data.get("upv"))
            ),
            key=lambda u: u.assessed,
            reverse=True,
        ),
    )


def _course(course: Payload) -> Course:
    return Course(
        id=wire.text(course.get("forloebId")),
        type=wire.code(_COURSE_TYPES, course.get("type")),
        programme=wire.text(course.get("navn")),
        programme_code=wire.opt_text(course.get("udd")),
        programme_part=wire.opt_text(course.get("udel")),
        institution=institution(course.get("institutionsnummer"), course.get("institutionsnavn")),
        period=period(course.get("start"), course.get("slut")),
        status=wire.code(_COURSE_STATUS, course.get("status")),
        interruption_reason_code=wire.opt_text(course.get("afbrudsaarsagskode")),
        fgu_track=wire.opt_text(course.get("fguSpor")),
    )


def _eud_progress(data: Payload | None) -> EudProgress | None:
    if data is None:
        return None
    progress = EudProgress(
        basic_course_1=wire.code(_EUD_PART, data.get("grundforloeb1", "IKKE_PAABEGYNDT")),
        basic_course_2=wire.code(_EUD_PART, data.get("grundforloeb2", "IKKE_PAABEGYNDT")),
        main_course=wire.code(_EUD_PART, data.get("hovedforloeb", "IKKE_PAABEGYNDT")),
    )
    parts = (progress.basic_course_1, progress.basic_course_2, progress.main_course)
    return None if all(p is EudPartStatus.NOT_STARTED for p in parts) else progress


def _su_months(data: Payload) -> SuMonths | None:
    used = wire.opt_integer(data.get("suKlipBrugt"))
    frame = wire.opt_integer(data.get("suKlipRamme"))
    if used is None and frame is None:
        return None
    used = used or 0
    frame = SU_FRAME_DEFAULT if frame is None else frame
    return SuMonths(used=used, frame=frame, left=max(0, frame - used))


# --- support needs -----------------------------------------------------------------------


def support_needs(payload: Payload, ctx: MapContext) -> SupportNeeds:
    data = wire.obj(payload["stoettebehov"])
    order = wire.opt_obj(data.get("uddannelsespaalaeg"))
    needs = wire.opt_obj(data.get("behov")) or {}
    return SupportNeeds(
        education_order=None
        if order is None
        else SupportEducationOrder(
            active=wire.flag(order.get("aktiv")),
            step=wire.opt_integer(order.get("trin")),
            institution=opt_institution(order.get("institutionsnummer")),
        ),
        needs=SupportNeedFlags(
            academic=wire.flag(needs.get("fagligt")),
            social=wire.flag(needs.get("socialt")),
            personal=wire.flag(needs.get("personligt")),
            health=wire.flag(needs.get("helbredsmaessigt")),
        ),
        wants_contact=wire.flag(data.get("oenskerKontakt")),
        registered=wire.opt_day(data.get("registreret")),
        institution_notified=wire.opt_day(data.get("underrettetInstitution")),
        version=wire.opt_integer(data.get("version")),
        acknowledged_version=wire.opt_integer(data.get("kvitteretVersion")),
        municipal_contact=_municipal_contact(data),
    )


def _municipal_contact(data: Payload) -> ExchangeContact | None:
    """The job centre's contact of the latest version (the exchange's versions, newest last)."""
    versions = data.get("versioner")
    if not isinstance(versions, list) or not versions:
        return None
    contact = wire.opt_obj(wire.obj(versions[-1]).get("kommunalKontakt"))
    return None if contact is None else exchange_contact(contact)


def exchange_contact(contact: Payload) -> ExchangeContact:
    """A contact as UDB's exchange carries it: the job centre's (its `type`: SELV, PERSON,
    TEAM) or the school's receipt (its `rolle`)."""
    return ExchangeContact(
        name=wire.opt_text(contact.get("navn")),
        role=wire.opt_text(contact.get("rolle") or contact.get("type")),
        phone=wire.opt_text(contact.get("telefon")),
        email=wire.opt_text(contact.get("email")),
    )


# --- dropout risk ------------------------------------------------------------------------

#: UDB's reason codes of a dropout-risk notice, as reads, writes and the feed name them.
DROPOUT_REASONS = {
    "FRAVAER": DropoutRiskReason.ABSENCE,
    "FAGLIGT": DropoutRiskReason.ACADEMIC_PROGRESS,
    "ADFAERD": DropoutRiskReason.CONDUCT,
    "TRIVSEL": DropoutRiskReason.WELLBEING,
    "OEKONOMI": DropoutRiskReason.FINANCES,
    "ANDET": DropoutRiskReason.OTHER,
}
#: What a school's report sends for each reason (ACADEMIC, the older name, as FAGLIGT too).
DROPOUT_REASON_CODES = {
    **{reason: code for code, reason in DROPOUT_REASONS.items()},
    DropoutRiskReason.ACADEMIC: "FAGLIGT",
}


def dropout_reasons(codes: Any) -> list[DropoutRiskReason]:
    """The known reasons of a list of UDB's codes, in order (an unknown code is left out)."""
    return [DROPOUT_REASONS[c] for c in codes or [] if c in DROPOUT_REASONS]


def dropout_risks(payload: Payload, ctx: MapContext) -> list[DropoutRiskNotice]:
    data = wire.obj(payload["frafald"])
    notices = []
    for n in wire.items(data.get("notifikationer")):
        expires = wire.opt_day(n.get("udloeber"))
        notices.append(
            DropoutRiskNotice(
                id=wire.text(n.get("haendelseId")),
                date=wire.day(n.get("dato")),
                institution=institution(n.get("institutionsnummer"), n.get("institutionsnavn")),
                reason=wire.open_code(DROPOUT_REASONS, n.get("aarsag"), DropoutRiskReason.OTHER),
                expires=expires,
                reacted=wire.opt_day(n.get("reageretDato")),
                is_active=expires is None or expires >= ctx.today,
            )
        )
    notices.sort(key=lambda n: n.date, reverse=True)
    return notices


# --- contacts (the school half; DFDG gives the municipal half) --------------------------

_INSTITUTION_ROLES = {
    "KONTAKTLAERER": ContactRole.CONTACT_TEACHER,
    "STUDIEVEJLEDER": ContactRole.STUDY_COUNSELLOR,
}


def institution_contacts(
    payload: Payload | None,
) -> tuple[list[ContactPerson], ContactPerson | None]:
    """The institutions' contact persons (newest receipt first) and the KUI contact."""
    if payload is None:
        return [], None
    data = wire.obj(payload["kontakt"])
    people = [
        ContactPerson(
            name=wire.text(p.get("navn")),
            role=wire.code(_INSTITUTION_ROLES, p.get("rolle")),
            organisation=wire.opt_text(p.get("institutionsnavn"))
            or wire.opt_text(p.get("institutionsnummer")),
            phone=wire.opt_text(p.get("telefon")),
            email=wire.opt_text(p.get("email")),
            since=wire.opt_day(p.get("kvitteretDato")),
            until=None,
        )
        for p in wire.items(data.get("institutionskontakter"))
    ]
    people.sort(key=lambda p: p.since or dt.date.min, reverse=True)
    kui = wire.opt_obj(data.get("kuiKontakt"))
    kui_contact = (
        None
        if kui is None
        else ContactPerson(
            name=wire.text(kui.get("navn")),
            role=ContactRole.KUI_CONTACT,
            organisation=wire.opt_text(kui.get("organisation")),
            phone=wire.opt_text(kui.get("telefon")),
            email=wire.opt_text(kui.get("email")),
            since=None,
            until=None,
        )
    )
    return people, kui_contact


# --- relationship facts ------------------------------------------------------------------

_ENROLMENT_STATUS = {
    "OPTAGET": "ADMITTED",
    "IGANG": "ENROLLED",
    "AFBRUDT": "INTERRUPTED",
    "GENNEMFOERT": "COMPLETED",
}


def facts(document: Payload, today: dt.date) -> dict[str, Any]:
    """The UDB part of the facts: municipality, open subscriptions, education order, enrolments."""
    order = wire.opt_obj(document.get("uddannelsespaalaeg"))
    return {
        "municipality": wire.opt_text(document.get("bopaelskommunekode")),
        # A subscription is open until someone closes it (slut set and passed).
        "open_cases": [
            {
                "municipality": wire.text(s.get("kommunekode")),
                "from": iso_day(s.get("start")),
                "to": iso_day(s.get("slut")),
            }
            for s in wire.items(document.get("abonnementer"))
            if s.get("slut") is None or wire.day(s.get("slut")) >= today
        ],
        "education_order": {
            "active": False if order is None else wire.flag(order.get("aktiv")),
            "step": None if order is None else wire.opt_integer(order.get("trin")),
        },
        "enrolments": [
            {
                "institution": wire.text(e.get("institutionsnummer")),
                "status": wire.code(_ENROLMENT_STATUS, e.get("status")),
                "admitted_on": iso_day(e.get("optagetDato")),
                "starts_on": iso_day(e.get("startDato")),
                "ends_on": iso_day(e.get("slutDato")),
            }
            for e in wire.items(document.get("optagelser"))
        ],
    }
