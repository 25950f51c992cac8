"""Category `grades`: primary-school leaving grades (folkeskolens afgangsprøve)."""

from enum import Enum

import strawberry

from schema.categories.common import Institution

_GRADE = (
    "Grade on the Danish 7-point scale as a string, leading zero kept: '12', '10', '7', '4', "
    "'02', '00' or '-3' (02 is the lowest pass)."
)


@strawberry.enum(description="How an exam was taken (prøveform).")
class ExamForm(Enum):
    WRITTEN = strawberry.enum_value("WRITTEN", description="Written exam (skriftlig).")
    ORAL = strawberry.enum_value("ORAL", description="Oral exam (mundtlig).")


@strawberry.enum(description="The block a drawn exam (udtræksprøve) came from.")
class ExamDrawBlock(Enum):
    HUMANITIES = strawberry.enum_value("HUMANITIES", description="Humanistic block (humanistisk).")
    SCIENCE = strawberry.enum_value("SCIENCE", description="Natural-science block (naturfaglig).")


@strawberry.type(description="One exam grade on the leaving certificate (prøvekarakter).")
class ExamGrade:
    subject: str = strawberry.field(
        description="Subject code as the grades register names it (fag), e.g. DANSK, MATEMATIK."
    )
    part: str | None = strawberry.field(
        description="Sub-exam (delprøve) code, e.g. LAESNING, RETSKRIVNING; null for a "
        "whole-subject exam."
    )
    form: ExamForm = strawberry.field(description="Written or oral.")
    grade: str = strawberry.field(description=_GRADE)
    bound: bool = strawberry.field(description="A compulsory exam (bunden prøve).")
    drawn_block: ExamDrawBlock | None = strawberry.field(
        description="For a drawn exam (udtræksprøve): the block it was drawn from."
    )


@strawberry.type(description="A year grade given by the teacher (standpunktskarakter).")
class SubjectGrade:
    subject: str = strawberry.field(description="Subject code (fag), e.g. DANSK.")
    grade: str = strawberry.field(description=_GRADE)


@strawberry.type(
    description="Leaving grades from primary school (folkeskolens afgangsprøve) in "
    "Karakterdatabasen (STIL). No legal basis lets professionals see them today; the young "
    "person always can."
)
class Grades:
    school: Institution = strawberry.field(description="The school that issued the certificate.")
    year: int = strawberry.field(description="Year of leaving (afgangsår).")
    grade_level: int | None = strawberry.field(
        description="Form level of the exam (klassetrin), 9 or 10."
    )
    certificate_type: str | None = strawberry.field(
        description="Certificate type (bevistype), e.g. FP9 (9th-grade leaving exam) or FP10."
    )
    exams: list[ExamGrade] = strawberry.field(description="Exam grades (prøvekarakterer).")
    year_grades: list[SubjectGrade] = strawberry.field(
        description="Year grades (standpunktskarakterer), which UPV uses."
    )
