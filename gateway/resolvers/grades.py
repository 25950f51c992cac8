"""Karakterdatabasen (STIL): primary-school leaving grades. No sections."""

from __future__ import annotations

from gateway.resolvers import wire
from gateway.resolvers.base import MapContext, Payload, RegisterSpec, whole_document
from gateway.resolvers.common import institution
from schema.categories.grades import ExamDrawBlock, ExamForm, ExamGrade, Grades, SubjectGrade

SPEC = RegisterSpec(label="grades", prefix="/karakterer/v1", sections=(), project=whole_document)

_FORMS = {"SKRIFTLIG": ExamForm.WRITTEN, "MUNDTLIG": ExamForm.ORAL}
_DRAW_BLOCKS = {"HUMANISTISK": ExamDrawBlock.HUMANITIES, "NATURFAGLIG": ExamDrawBlock.SCIENCE}


def grades(payload: Payload, ctx: MapContext) -> Grades:
    return Grades(
        school=institution(payload.get("institutionsnummer"), payload.get("institutionsnavn")),
        year=wire.integer(payload.get("afgangsaar")),
        grade_level=wire.opt_integer(payload.get("klassetrin")),
        certificate_type=wire.opt_text(payload.get("bevistype")),
        exams=[
            ExamGrade(
                subject=wire.text(exam.get("fag")),
                part=wire.opt_text(exam.get("delproeve")),
                form=wire.code(_FORMS, exam.get("form")),
                # A string, never a number: "02" and "-3" must keep their exact spelling.
                grade=wire.text(exam.get("karakter")),
                bound=wire.flag(exam.get("bunden")),
                drawn_block=None
                if exam.get("udtraek") is None
                else wire.code(_DRAW_BLOCKS, exam.get("udtraek")),
            )
            for exam in wire.items(payload.get("proever"))
        ],
        year_grades=[
            SubjectGrade(subject=wire.text(g.get("fag")), grade=wire.text(g.get("karakter")))
            for g in wire.items(payload.get("standpunkt"))
        ],
    )
