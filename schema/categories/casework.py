"""Category `casework`: the municipality's casework on the young person, from DFDG: first
contact, visitation and its history, the education order and its steps, conversations,
agreements and the reading/writing/maths test. Its own category (POLICY.md), apart from `plan`
(Min Plan's goals and offers): a mentor or a business consultant sees the plan, never this.
"""

import datetime as dt
from enum import Enum

import strawberry

from schema.categories.common import Institution


@strawberry.enum(
    description="Visitation category (visitationskategori) for under-30s without education."
)
class VisitationCategory(Enum):
    OBVIOUSLY_EDUCATION_READY = strawberry.enum_value(
        "OBVIOUSLY_EDUCATION_READY",
        description="Obviously education-ready (åbenlyst uddannelsesparat).",
    )
    EDUCATION_READY = strawberry.enum_value(
        "EDUCATION_READY", description="Education-ready (uddannelsesparat)."
    )
    ACTIVITY_READY = strawberry.enum_value(
        "ACTIVITY_READY", description="Activity-ready (aktivitetsparat)."
    )
    JOB_READY = strawberry.enum_value("JOB_READY", description="Job-ready (jobparat).")
    NOT_VISITED = strawberry.enum_value(
        "NOT_VISITED", description="Not yet visited (ikke visiteret)."
    )


@strawberry.enum(
    description="What a step of the education order (uddannelsespålæg) orders, by LAB § 30."
)
class EducationOrderMeaning(Enum):
    PROPOSE_PROGRAMMES = strawberry.enum_value(
        "PROPOSE_PROGRAMMES", description="Step 1: propose relevant programmes (LAB § 30 stk. 2-3)."
    )
    APPLY_FOR_ADMISSION = strawberry.enum_value(
        "APPLY_FOR_ADMISSION", description="Step 2: apply for admission (LAB § 30 stk. 4)."
    )
    START_AND_COMPLETE = strawberry.enum_value(
        "START_AND_COMPLETE",
        description="Step 3: start and complete the programme (LAB § 30 stk. 5); the municipality "
        "must notify the school (stk. 7).",
    )


@strawberry.enum(description="Type of conversation (samtale) with the municipality.")
class ConversationType(Enum):
    FIRST_CONVERSATION = strawberry.enum_value(
        "FIRST_CONVERSATION",
        description="First conversation (første samtale), due within 1 week of first contact.",
    )
    JOB_CONVERSATION = strawberry.enum_value(
        "JOB_CONVERSATION", description="Job conversation (jobsamtale)."
    )
    AVAILABILITY_CONVERSATION = strawberry.enum_value(
        "AVAILABILITY_CONVERSATION", description="Availability conversation (rådighedssamtale)."
    )
    CV_CONVERSATION = strawberry.enum_value(
        "CV_CONVERSATION", description="CV conversation (cv-samtale)."
    )
    OTHER = strawberry.enum_value("OTHER", description="Any other conversation type.")


@strawberry.enum(description="How a conversation was held (form).")
class ConversationForm(Enum):
    IN_PERSON = strawberry.enum_value("IN_PERSON", description="In person (fremmøde).")
    PHONE = strawberry.enum_value("PHONE", description="By phone (telefon).")
    VIDEO = strawberry.enum_value("VIDEO", description="By video (video).")


@strawberry.type(description="A visitation decision (visitation) with its date.")
class Visitation:
    category: VisitationCategory = strawberry.field(description="The visitation category.")
    date: dt.date = strawberry.field(
        description="Date of the decision; final visitation is due within 3 months."
    )


@strawberry.type(description="One step of the education order (uddannelsespålæg, LAB § 30).")
class EducationOrderStep:
    id: str = strawberry.field(description="DFDG's id of the step (GUID).")
    step: int = strawberry.field(description="Step number 1, 2 or 3 (trin).")
    meaning: EducationOrderMeaning | None = strawberry.field(
        description="What the step orders under LAB § 30; null for an unknown step number."
    )
    issued: dt.date | None = strawberry.field(description="Date the order was given (afgivet).")
    deadline: dt.date | None = strawberry.field(description="Deadline (frist).")
    fulfilled: dt.date | None = strawberry.field(
        description="Date it was fulfilled (opfyldt); null while open."
    )
    programme_code: str | None = strawberry.field(
        description="Programme (UDD code) the step names, if any."
    )
    institution: Institution | None = strawberry.field(
        description="Institution the step names, if any."
    )


@strawberry.type(
    description="An agreement (aftale) made with the young person at a conversation, as the "
    "municipality registered it in DFDG."
)
class Agreement:
    date: dt.date = strawberry.field(description="Date of the agreement.")
    text: str = strawberry.field(description="The agreement as written.")
    deadline: dt.date | None = strawberry.field(description="Deadline (frist), if any.")


@strawberry.type(
    description="A conversation (samtale) the municipality held with the young person."
)
class Conversation:
    type: ConversationType = strawberry.field(description="Type of conversation.")
    date: dt.date = strawberry.field(description="Date held.")
    form: ConversationForm | None = strawberry.field(description="How it was held.")


@strawberry.type(
    description="Reading, writing and maths test (læse-, skrive- og regnetest) registered in DFDG; "
    "due within 1 month unless a valid test (max 2 years old) exists. FVU/OBU results themselves "
    "are not in any central register."
)
class ReadingWritingMathsTest:
    date: dt.date = strawberry.field(description="Date of the test.")
    needs_danish: bool = strawberry.field(description="Needs reading/writing teaching (FVU-dansk).")
    needs_maths: bool = strawberry.field(description="Needs maths teaching (FVU-matematik).")


@strawberry.type(
    description="The municipality's casework on the young person (DFDG, STAR): first contact, "
    "visitation and its history, the education order (uddannelsespålæg) and its steps, "
    "conversations, agreements and the reading/writing/maths test. Category casework."
)
class Casework:
    first_contact: dt.date | None = strawberry.field(
        description="Date of first contact with the municipality (første kontakt), from which "
        "the deadlines run."
    )
    visitation: Visitation | None = strawberry.field(description="The latest visitation decision.")
    visitation_history: list[Visitation] = strawberry.field(
        description="All visitation decisions, newest first."
    )
    education_order: list[EducationOrderStep] = strawberry.field(
        description="Steps of the education order (uddannelsespålæg, LAB § 30), oldest first."
    )
    current_education_order_step: EducationOrderStep | None = strawberry.field(
        description="The highest step given so far; null when no education order was given."
    )
    conversations: list[Conversation] = strawberry.field(
        description="Conversations held, newest first."
    )
    agreements: list[Agreement] = strawberry.field(
        description="Agreements made with the young person, newest first."
    )
    reading_writing_maths_test: ReadingWritingMathsTest | None = strawberry.field(
        description="The latest reading/writing/maths test; null when none is registered."
    )
