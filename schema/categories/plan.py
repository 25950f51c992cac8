"""Category `plan`: Min Plan from DFDG: the education and job goals, when the plan was updated
and with whom the goals were agreed, and the offers on the way to them. The municipality's
casework (visitation, the education order, conversations, agreements, the reading/writing/maths
test, first contact) is the category `casework` (schema/categories/casework.py).
"""

import datetime as dt
from enum import Enum

import strawberry

from schema.categories.casework import (
    Agreement,
    Conversation,
    EducationOrderStep,
    ReadingWritingMathsTest,
    Visitation,
)
from schema.categories.common import Employer, Period


@strawberry.enum(description="Type of offer (tilbud, activationType).")
class OfferType(Enum):
    INTERNSHIP = strawberry.enum_value(
        "INTERNSHIP", description="Company internship (virksomhedspraktik)."
    )
    WAGE_SUBSIDY = strawberry.enum_value(
        "WAGE_SUBSIDY", description="Job with wage subsidy (løntilskud)."
    )
    MENTOR = strawberry.enum_value("MENTOR", description="Mentor support (mentorstøtte).")
    GUIDANCE_AND_UPSKILLING = strawberry.enum_value(
        "GUIDANCE_AND_UPSKILLING",
        description="Guidance and upskilling (vejledning og opkvalificering).",
    )
    OTHER = strawberry.enum_value("OTHER", description="Any other offer type.")


@strawberry.type(
    description="A professional in the municipality: responsible for an offer (ansvarlig), or "
    "the one Min Plan's goals were agreed with (aftalt med)."
)
class ResponsibleProfessional:
    id: str = strawberry.field(description="The professional's user id (medarbejderId).")
    name: str | None = strawberry.field(description="Full name.")


@strawberry.type(
    description="An offer (tilbud) on the way to the goal, e.g. an internship or a mentor."
)
class Offer:
    id: str = strawberry.field(description="DFDG's activity id (activityIdentifier, GUID).")
    type: OfferType = strawberry.field(description="Type of offer (activationType).")
    type_code: str = strawberry.field(description="The activationType code as DFDG reports it.")
    period: Period = strawberry.field(description="From and to, inclusive.")
    hours_per_week: float | None = strawberry.field(
        description="Hours per week, with minutes as a fraction (HoursPerWeek + MinutesPerWeek)."
    )
    employer: Employer | None = strawberry.field(
        description="The company hosting the offer, if any."
    )
    responsible: ResponsibleProfessional | None = strawberry.field(
        description="The professional responsible for the offer, e.g. the mentor or the "
        "business consultant."
    )


#: Why the fields that moved to `casework` stay on Plan (CONTRACT.md: nothing is renamed
#: without a deprecation) and why they are null: one category, one field, one decision.
def _moved_to_casework(field: str) -> str:
    return (
        f"Casework, not plan: ask `casework {{ {field} }}` (category casework, decided on its "
        "own). "
        "Always null here, so casework is never released under the plan decision."
    )


@strawberry.type(
    description="Min Plan from DFDG (STAR): the education and job goals, when the plan was last "
    "updated and with whom the goals were agreed, and the offers (tilbud) on the way. Category "
    "plan. The municipality's casework (first contact, visitation, the education order and its "
    "steps, conversations, agreements, the reading/writing/maths test) moved to `Youth.casework`, "
    "its own category: the fields here that named it are deprecated and always null."
)
class Plan:
    education_goal: str | None = strawberry.field(
        description="Education goal in Min Plan (uddannelsesmål); may be broad, e.g. "
        "'Uddannelse inden for det grønne område'."
    )
    job_goals: list[str] = strawberry.field(
        description="Job goals (jobmål) as stepping stones to education."
    )
    plan_updated: dt.date | None = strawberry.field(description="Date Min Plan was last updated.")
    goals_agreed_with: ResponsibleProfessional | None = strawberry.field(
        description="The professional the goals were agreed with (aftalt med), e.g. the "
        "contact person; null when Min Plan does not say."
    )
    offers: list[Offer] = strawberry.field(description="Offers (tilbud), newest first.")
    visitation: Visitation | None = strawberry.field(
        default=None,
        description="Moved to casework.",
        deprecation_reason=_moved_to_casework("visitation"),
    )
    visitation_history: list[Visitation] | None = strawberry.field(
        default=None,
        description="Moved to casework.",
        deprecation_reason=_moved_to_casework("visitationHistory"),
    )
    education_order: list[EducationOrderStep] | None = strawberry.field(
        default=None,
        description="Moved to casework.",
        deprecation_reason=_moved_to_casework("educationOrder"),
    )
    current_education_order_step: EducationOrderStep | None = strawberry.field(
        default=None,
        description="Moved to casework.",
        deprecation_reason=_moved_to_casework("currentEducationOrderStep"),
    )
    agreements: list[Agreement] | None = strawberry.field(
        default=None,
        description="Moved to casework.",
        deprecation_reason=_moved_to_casework("agreements"),
    )
    conversations: list[Conversation] | None = strawberry.field(
        default=None,
        description="Moved to casework.",
        deprecation_reason=_moved_to_casework("conversations"),
    )
    reading_writing_maths_test: ReadingWritingMathsTest | None = strawberry.field(
        default=None,
        description="Moved to casework.",
        deprecation_reason=_moved_to_casework("readingWritingMathsTest"),
    )
    first_contact: dt.date | None = strawberry.field(
        default=None,
        description="Moved to casework.",
        deprecation_reason=_moved_to_casework("firstContact"),
    )
