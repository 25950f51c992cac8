"""Category `schooling`: education history from Ungedatabasen (UDB)."""

from datetime import date
from enum import Enum

import strawberry

from schema.categories.common import Institution, Period


@strawberry.enum(description="Kind of education a course belongs to.")
class CourseType(Enum):
    PRIMARY_SCHOOL = strawberry.enum_value(
        "PRIMARY_SCHOOL", description="Primary school (grundskole)."
    )
    TENTH_GRADE = strawberry.enum_value("TENTH_GRADE", description="10th grade (10. klasse).")
    VOCATIONAL = strawberry.enum_value(
        "VOCATIONAL", description="Vocational education and training (erhvervsuddannelse, EUD)."
    )
    UPPER_SECONDARY = strawberry.enum_value(
        "UPPER_SECONDARY",
        description="General upper secondary (gymnasial uddannelse: stx, hhx, htx, hf).",
    )
    PREPARATORY_BASIC = strawberry.enum_value(
        "PREPARATORY_BASIC",
        description="Preparatory basic education (forberedende grunduddannelse, FGU: AGU, PGU, "
        "EGU).",
    )
    SPECIAL_YOUTH = strawberry.enum_value(
        "SPECIAL_YOUTH",
        description="Special youth education (særligt tilrettelagt ungdomsuddannelse, STU).",
    )
    HIGHER = strawberry.enum_value(
        "HIGHER", description="Higher education (videregående uddannelse)."
    )


@strawberry.enum(description="Where a course stands (status).")
class CourseStatus(Enum):
    IN_PROGRESS = strawberry.enum_value("IN_PROGRESS", description="In progress (igang).")
    COMPLETED = strawberry.enum_value("COMPLETED", description="Completed (gennemført).")
    INTERRUPTED = strawberry.enum_value("INTERRUPTED", description="Interrupted (afbrudt).")


@strawberry.enum(description="Progress through one part of a vocational education (EUD).")
class EudPartStatus(Enum):
    NOT_STARTED = strawberry.enum_value("NOT_STARTED", description="Not started (ikke påbegyndt).")
    IN_PROGRESS = strawberry.enum_value("IN_PROGRESS", description="In progress (igang).")
    COMPLETED = strawberry.enum_value("COMPLETED", description="Completed (gennemført).")


@strawberry.enum(
    description="Result of the education-readiness assessment (uddannelsesparathedsvurdering, UPV)."
)
class UpvResult(Enum):
    READY = strawberry.enum_value("READY", description="Education-ready (uddannelsesparat).")
    NOT_READY = strawberry.enum_value(
        "NOT_READY",
        description="Not education-ready (ikke-uddannelsesparat; since 1 October 2022 'parat til "
        "andre uddannelsesaktiviteter').",
    )


@strawberry.type(description="One course (forløb) in the education history.")
class Course:
    id: str = strawberry.field(description="UDB's id of the course (forløbId, GUID).")
    type: CourseType = strawberry.field(description="Kind of education.")
    programme: str = strawberry.field(
        description="Name of the programme, e.g. 'Gartner, grundforløb 1'."
    )
    programme_code: str | None = strawberry.field(
        description="Statistics Denmark's education code (UDD), four digits."
    )
    programme_part: str | None = strawberry.field(
        description="Part of the programme (UDEL), e.g. 53 EUD basic course 1 (GF1), 54 GF2, "
        "52 main course."
    )
    institution: Institution = strawberry.field(description="Where the course runs.")
    period: Period = strawberry.field(description="Start and (planned or actual) end.")
    status: CourseStatus = strawberry.field(description="In progress, completed or interrupted.")
    interruption_reason_code: str | None = strawberry.field(
        description="STIL's interruption reason code (afbrudsårsagskode) for an interrupted course."
    )
    fgu_track: str | None = strawberry.field(
        description="FGU track or special (spor), e.g. BA basic course, US education track."
    )


@strawberry.type(
    description="Progress through a vocational education (EUD): basic course 1 and 2 "
    "(grundforløb 1/2, GF1/GF2) and the main course (hovedforløb). Shown instead of 'EUD entries', "
    "which is not a known concept."
)
class EudProgress:
    basic_course_1: EudPartStatus = strawberry.field(
        description="Basic course 1 (grundforløb 1, GF1)."
    )
    basic_course_2: EudPartStatus = strawberry.field(
        description="Basic course 2 (grundforløb 2, GF2)."
    )
    main_course: EudPartStatus = strawberry.field(description="Main course (hovedforløb).")


@strawberry.type(
    description="SU months (SU-klip) for higher education: used and left of the frame."
)
class SuMonths:
    used: int = strawberry.field(description="SU months used (brugte klip).")
    frame: int = strawberry.field(
        description="Total frame (ramme): 70, or 58 for higher education started from 1 July 2025."
    )
    left: int = strawberry.field(description="SU months left (klip tilbage), never below 0.")


@strawberry.type(description="One education-readiness assessment (UPV).")
class UpvAssessment:
    assessed: date = strawberry.field(description="Date of the assessment (vurderingsdato).")
    education: str = strawberry.field(
        description="The education the assessment concerns (kategori), e.g. EUD or GYMNASIAL."
    )
    result: UpvResult = strawberry.field(description="Ready or not ready.")


@strawberry.type(
    description="The young person's education history from Ungedatabasen (UDB): completed and "
    "interrupted courses after primary school incl. upper secondary, STU and FGU, EUD progress, "
    "SU months left and readiness assessments."
)
class Schooling:
    courses: list[Course] = strawberry.field(description="Every course on record, newest first.")
    completed: list[Course] = strawberry.field(
        description="Completed courses (gennemførte forløb)."
    )
    interrupted: list[Course] = strawberry.field(
        description="Interrupted courses (afbrudte forløb)."
    )
    in_progress: list[Course] = strawberry.field(description="Courses in progress now.")
    special_youth_education: list[Course] = strawberry.field(
        description="Enrolled in or completed special youth education (STU)."
    )
    preparatory_basic_education: list[Course] = strawberry.field(
        description="Enrolled in or completed preparatory basic education (FGU)."
    )
    highest_completed: Course | None = strawberry.field(
        description="The highest completed education (højest fuldførte uddannelse); null when none."
    )
    eud_progress: EudProgress | None = strawberry.field(
        description="Progress through vocational education (EUD); null when never started one."
    )
    su_months: SuMonths | None = strawberry.field(
        description="SU months (SU-klip) used and left; null when unknown."
    )
    upv_assessments: list[UpvAssessment] = strawberry.field(
        description="Education-readiness assessments (uddannelsesparathedsvurderinger, UPV), "
        "newest first."
    )
