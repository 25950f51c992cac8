"""Optagelse.dk and KOT (STIL/UFM): applications for youth and higher education. No sections."""

from __future__ import annotations

import datetime as dt

from gateway.resolvers import wire
from gateway.resolvers.base import MapContext, Payload, RegisterSpec, whole_document
from gateway.resolvers.common import institution
from schema.categories.admissions import (
    Admissions,
    HigherApplication,
    HigherApplicationStatus,
    YouthApplication,
    YouthApplicationStatus,
    YouthProgrammeType,
)

SPEC = RegisterSpec(label="admissions", prefix="/optagelse/v1", sections=(), project=whole_document)

_YOUTH_TYPES = {
    "EUD_GF1": YouthProgrammeType.EUD_BASIC_COURSE_1,
    "EUD_GF2": YouthProgrammeType.EUD_BASIC_COURSE_2,
    "STX": YouthProgrammeType.STX,
    "HHX": YouthProgrammeType.HHX,
    "HTX": YouthProgrammeType.HTX,
    "HF": YouthProgrammeType.HF,
    "FGU": YouthProgrammeType.FGU,
    "TIENDE_KLASSE": YouthProgrammeType.TENTH_GRADE,
}
_YOUTH_STATUS = {
    "AFVENTER_FORDELING": YouthApplicationStatus.AWAITING_ALLOCATION,
    "TILDELT": YouthApplicationStatus.ALLOCATED,
    "TIL_BEHANDLING": YouthApplicationStatus.IN_PROCESS,
    "IKKE_AKTUEL": YouthApplicationStatus.NOT_CURRENT,
    "OPTAGET": YouthApplicationStatus.ADMITTED,
    "AFVIST": YouthApplicationStatus.REJECTED,
}
_HIGHER_STATUS = {
    "OPTAGET": HigherApplicationStatus.ADMITTED,
    "IKKE_OPTAGET": HigherApplicationStatus.NOT_ADMITTED,
    "VENTELISTE": HigherApplicationStatus.WAITING_LIST,
    "ANSOEGT": HigherApplicationStatus.APPLIED,
}
# An allocated place (tildelt) in youth education is a place: it counts as an admission.
_YOUTH_ADMITTED = {YouthApplicationStatus.ADMITTED, YouthApplicationStatus.ALLOCATED}


def admissions(payload: Payload, ctx: MapContext) -> Admissions:
    youth = sorted(
        (_youth(a) for a in wire.items(payload.get("ftu"))),
        key=lambda a: (a.school_year, a.priority),
    )
    higher = sorted(
        (_higher(a) for a in wire.items(payload.get("kot"))),
        key=lambda a: (-a.year, a.priority),
    )
    starts: list[dt.date | None] = [a.start_date for a in youth if a.status in _YOUTH_ADMITTED] + [
        a.start_date for a in higher if a.status is HigherApplicationStatus.ADMITTED
    ]
    coming = [start for start in starts if start is not None and start > ctx.today]
    return Admissions(
        youth_education=youth,
        higher_education=higher,
        admitted=bool(starts),
        next_start=min(coming, default=None),
    )


def _youth(application: Payload) -> YouthApplication:
    offer = wire.obj(application.get("udbud"))
    return YouthApplication(
        id=wire.text(application.get("ansoegningId")),
        school_year=wire.text(application.get("skoleaar")),
        priority=wire.integer(application.get("prioritet")),
        status=wire.open_code(
            _YOUTH_STATUS, application.get("status"), YouthApplicationStatus.OTHER
        ),
        status_date=wire.opt_day(application.get("statusDato")),
        institution=institution(offer.get("institutionsnummer"), offer.get("institutionsnavn")),
        programme_type=wire.open_code(
            _YOUTH_TYPES, offer.get("uddannelsestype"), YouthProgrammeType.OTHER
        ),
        programme_code=wire.opt_text(offer.get("udd")),
        programme=wire.opt_text(offer.get("navn")),
        start_date=wire.opt_day(application.get("studiestart")),
    )


def _higher(application: Payload) -> HigherApplication:
    return HigherApplication(
        id=wire.text(application.get("ansoegningId")),
        year=wire.integer(application.get("aar")),
        priority=wire.integer(application.get("prioritet")),
        quota=wire.opt_integer(application.get("kvote")),
        admission_area=wire.opt_text(application.get("optagelsesomraadenummer")),
        institution=wire.text(application.get("institution")),
        programme=wire.text(application.get("uddannelse")),
        status=wire.open_code(
            _HIGHER_STATUS, application.get("status"), HigherApplicationStatus.OTHER
        ),
        start_date=wire.opt_day(application.get("studiestart")),
        grade_point_average=wire.opt_number(application.get("gradePointAverage7scale")),
    )
