"""Category `admissions`: applications from Optagelse.dk (youth education) and KOT (higher)."""

from datetime import date
from enum import Enum

import strawberry

from schema.categories.common import Institution


@strawberry.enum(
    description="Kind of youth education applied for on Optagelse.dk (uddannelsestype)."
)
class YouthProgrammeType(Enum):
    EUD_BASIC_COURSE_1 = strawberry.enum_value(
        "EUD_BASIC_COURSE_1",
        description="Vocational education, basic course 1 (EUD grundforløb 1, GF1).",
    )
    EUD_BASIC_COURSE_2 = strawberry.enum_value(
        "EUD_BASIC_COURSE_2",
        description="Vocational education, basic course 2 (EUD grundforløb 2, GF2).",
    )
    STX = strawberry.enum_value("STX", description="Upper secondary school leaving exam (stx).")
    HHX = strawberry.enum_value("HHX", description="Higher commercial exam (hhx).")
    HTX = strawberry.enum_value("HTX", description="Higher technical exam (htx).")
    HF = strawberry.enum_value("HF", description="Higher preparatory exam (hf).")
    FGU = strawberry.enum_value("FGU", description="Preparatory basic education (FGU).")
    TENTH_GRADE = strawberry.enum_value("TENTH_GRADE", description="10th grade (10. klasse).")
    OTHER = strawberry.enum_value("OTHER", description="Any other programme type.")


@strawberry.enum(description="Status of an application on Optagelse.dk (ansøgningsstatus).")
class YouthApplicationStatus(Enum):
    AWAITING_ALLOCATION = strawberry.enum_value(
        "AWAITING_ALLOCATION", description="Awaiting allocation (afventer fordeling)."
    )
    ALLOCATED = strawberry.enum_value("ALLOCATED", description="Allocated a place (tildelt).")
    IN_PROCESS = strawberry.enum_value(
        "IN_PROCESS", description="Being processed (til behandling)."
    )
    NOT_CURRENT = strawberry.enum_value(
        "NOT_CURRENT", description="No longer current (ikke aktuel)."
    )
    ADMITTED = strawberry.enum_value("ADMITTED", description="Admitted (optaget).")
    REJECTED = strawberry.enum_value("REJECTED", description="Rejected (afvist).")
    OTHER = strawberry.enum_value("OTHER", description="Any other status.")


@strawberry.enum(description="Status of an application to higher education through KOT.")
class HigherApplicationStatus(Enum):
    ADMITTED = strawberry.enum_value("ADMITTED", description="Admitted (optaget).")
    NOT_ADMITTED = strawberry.enum_value("NOT_ADMITTED", description="Not admitted (ikke optaget).")
    WAITING_LIST = strawberry.enum_value(
        "WAITING_LIST", description="On the waiting list (venteliste)."
    )
    APPLIED = strawberry.enum_value("APPLIED", description="Applied, no answer yet (ansøgt).")
    OTHER = strawberry.enum_value("OTHER", description="Any other status.")


@strawberry.type(
    description="An application for a youth education on Optagelse.dk (FTU-ansøgning)."
)
class YouthApplication:
    id: str = strawberry.field(description="Optagelse.dk's application id (ansøgningId).")
    school_year: str = strawberry.field(
        description="School year applied for (skoleår), e.g. 2026/2027."
    )
    priority: int = strawberry.field(description="The applicant's priority (prioritet), 1 highest.")
    status: YouthApplicationStatus = strawberry.field(description="Status of the application.")
    status_date: date | None = strawberry.field(description="Date of the latest status change.")
    institution: Institution = strawberry.field(description="The institution applied to.")
    programme_type: YouthProgrammeType = strawberry.field(description="Kind of programme.")
    programme_code: str | None = strawberry.field(
        description="Statistics Denmark's education code (UDD)."
    )
    programme: str | None = strawberry.field(description="Name of the programme, e.g. Gartner.")
    start_date: date | None = strawberry.field(description="Start of studies (studiestart).")


@strawberry.type(
    description="An application for higher education through KOT (Den Koordinerede Tilmelding)."
)
class HigherApplication:
    id: str = strawberry.field(description="KOT's application id.")
    year: int = strawberry.field(description="Year of application.")
    priority: int = strawberry.field(description="Priority (1-8).")
    quota: int | None = strawberry.field(description="Quota (kvote) 1 or 2.")
    admission_area: str | None = strawberry.field(
        description="Admission area number (optagelsesområdenummer)."
    )
    institution: str = strawberry.field(description="The institution applied to.")
    programme: str = strawberry.field(description="The programme applied for.")
    status: HigherApplicationStatus = strawberry.field(description="Status of the application.")
    start_date: date | None = strawberry.field(description="Start of studies (studiestart).")
    grade_point_average: float | None = strawberry.field(
        description="Grade point average on the 7-point scale used for admission."
    )


@strawberry.type(
    description="Applications and admissions: youth education through Optagelse.dk and higher "
    "education through KOT (Den Koordinerede Tilmelding)."
)
class Admissions:
    youth_education: list[YouthApplication] = strawberry.field(
        description="Applications for youth education, by priority."
    )
    higher_education: list[HigherApplication] = strawberry.field(
        description="Applications for higher education, newest year first, then by priority."
    )
    admitted: bool = strawberry.field(
        description="Whether any application has led to an admission."
    )
    next_start: date | None = strawberry.field(
        description="Earliest start date of an admission that has not started yet on the "
        "reference date."
    )
