"""Category `deadlines`: each legal deadline the municipality owes the young person, and its
state on a day (DEADLINES.md). Derived from DFDG and UDB; allowed only to callers who may see
the plan, the casework, the benefits and the dropout-risk notices it is derived from, so it
shows nothing they could not see already.
"""

import datetime as dt
from enum import Enum

import strawberry


@strawberry.enum(description="A deadline rule of the catalogue (DEADLINES.md).")
class DeadlineRule(Enum):
    FIRST_CONVERSATION = strawberry.enum_value(
        "FIRST_CONVERSATION", description="The first conversation within a week of first contact."
    )
    FINAL_VISITATION = strawberry.enum_value(
        "FINAL_VISITATION", description="The final visitation within 3 months of first contact."
    )
    EDUCATION_ORDER = strawberry.enum_value(
        "EDUCATION_ORDER", description="The education order (step 1) at the first conversation."
    )
    LITERACY_TEST = strawberry.enum_value(
        "LITERACY_TEST",
        description="The reading, writing and maths test within a month, unless the young "
        "person has a youth education or a test at most 2 years old.",
    )
    GUIDANCE_225 = strawberry.enum_value(
        "GUIDANCE_225", description="Guidance on the 225-hour rule (ended 2025-06-30)."
    )
    COORDINATING_CASEWORKER = strawberry.enum_value(
        "COORDINATING_CASEWORKER",
        description="A coordinating case worker offered to the activity-ready, at once.",
    )
    FIRST_OFFER = strawberry.enum_value(
        "FIRST_OFFER", description='The first "ret og pligt" offer within a month.'
    )
    NEXT_OFFER = strawberry.enum_value(
        "NEXT_OFFER",
        description='At most 4 weeks between "ret og pligt" offers (a mentor never counts).',
    )
    CV_SEARCHABLE = strawberry.enum_value(
        "CV_SEARCHABLE",
        description="The CV searchable within 3 weeks, for the obviously education-ready.",
    )
    INSTITUTION_NOTIFIED = strawberry.enum_value(
        "INSTITUTION_NOTIFIED",
        description="The school told of the education order at education start (LAB § 30 stk. 7).",
    )
    DROPOUT_REACTION = strawberry.enum_value(
        "DROPOUT_REACTION",
        description="A reaction to a dropout-risk notice in the first 6 months after start "
        "(the reaction time is local practice).",
    )


@strawberry.enum(description="A deadline's state on the day asked about.")
class DeadlineState(Enum):
    PENDING = strawberry.enum_value("PENDING", description="Open, not due within dueSoonDays.")
    DUE_SOON = strawberry.enum_value(
        "DUE_SOON", description="Open and due within 7 days (dueSoonDays), today included."
    )
    OVERDUE = strawberry.enum_value("OVERDUE", description="Open past its due date.")
    MET = strawberry.enum_value("MET", description="Fulfilled on or before the due date.")
    MET_LATE = strawberry.enum_value(
        "MET_LATE", description="Fulfilled after the due date (counts as not met)."
    )
    EXEMPT = strawberry.enum_value(
        "EXEMPT",
        description="An exemption or suspension is under way and covers the due date; the "
        "clock stands still and the due date moves.",
    )
    NOT_APPLICABLE = strawberry.enum_value(
        "NOT_APPLICABLE", description="The rule does not apply; `reason` says why."
    )
    UNKNOWN = strawberry.enum_value(
        "UNKNOWN", description="The registers do not hold what would tell."
    )


@strawberry.enum(description="Why a deadline is in its state.")
class DeadlineReason(Enum):
    RULE_NOT_IN_FORCE = strawberry.enum_value(
        "RULE_NOT_IN_FORCE", description="No legal reference of the rule is in force then."
    )
    CASE_CLOSED = strawberry.enum_value(
        "CASE_CLOSED",
        description="The case closed (education, job, age 30, benefit ended, moved) before "
        "it was fulfilled.",
    )
    NOT_IN_REGISTERS = strawberry.enum_value(
        "NOT_IN_REGISTERS", description="What would fulfil it is not in our registers."
    )
    IN_OFFER = strawberry.enum_value(
        "IN_OFFER", description="An offer is running; the next is due 4 weeks after it ends."
    )
    JOB_DIRECTED = strawberry.enum_value(
        "JOB_DIRECTED", description="A job-directed effort has no education order (LAB § 30 a)."
    )
    HAS_YOUTH_EDUCATION = strawberry.enum_value(
        "HAS_YOUTH_EDUCATION", description="A youth education was completed before first contact."
    )
    RECENT_TEST = strawberry.enum_value(
        "RECENT_TEST", description="A test at most 2 years old exists."
    )
    NOT_ACTIVITY_READY = strawberry.enum_value(
        "NOT_ACTIVITY_READY", description="Not visited activity-ready in the case."
    )
    NOT_OBVIOUSLY_EDUCATION_READY = strawberry.enum_value(
        "NOT_OBVIOUSLY_EDUCATION_READY",
        description="Not visited obviously education-ready in the case.",
    )
    NO_OFFER_YET = strawberry.enum_value(
        "NO_OFFER_YET", description='No "ret og pligt" offer yet in the case.'
    )
    NO_ORDER_STEP_3 = strawberry.enum_value(
        "NO_ORDER_STEP_3", description="No education order at step 3."
    )
    NO_NOTICE = strawberry.enum_value("NO_NOTICE", description="No dropout-risk notice.")
    NO_EDUCATION_ORDER = strawberry.enum_value(
        "NO_EDUCATION_ORDER",
        description="The notice is about an education started without an education order.",
    )
    OUTSIDE_FIRST_MONTHS = strawberry.enum_value(
        "OUTSIDE_FIRST_MONTHS", description="The notice came after the first 6 months."
    )
    ILLNESS = strawberry.enum_value("ILLNESS", description="Exempt: illness.")
    LEAVE = strawberry.enum_value("LEAVE", description="Exempt: leave.")
    STU = strawberry.enum_value("STU", description="Exempt: special youth education (STU).")
    TREATMENT = strawberry.enum_value("TREATMENT", description="Exempt: treatment.")
    OTHER_EXEMPTION = strawberry.enum_value(
        "OTHER_EXEMPTION", description="Exempt for another reason."
    )
    SUSPENSION = strawberry.enum_value(
        "SUSPENSION", description="The rule was suspended (a suspension in the catalogue)."
    )


@strawberry.enum(description="How sure the catalogue is of a legal reference (DEADLINES.md).")
class ReferenceMark(Enum):
    VERIFIED = strawberry.enum_value("VERIFIED", description="Verified in a public source.")
    UNVERIFIED = strawberry.enum_value(
        "UNVERIFIED", description="Unverified: kept as data that can be corrected."
    )
    OUR_DESIGN = strawberry.enum_value("OUR_DESIGN", description="Our design or local practice.")


@strawberry.type(
    description="A legal reference of a deadline rule, with the period it is in force."
)
class LegalReference:
    reference: str = strawberry.field(description="The provision, e.g. LAB § 31, stk. 5.")
    mark: ReferenceMark = strawberry.field(description="Verified or not.")
    effective_from: dt.date | None = strawberry.field(description="In force from (inclusive).")
    effective_to: dt.date | None = strawberry.field(
        description="In force until (inclusive); null while open-ended."
    )
    review_by: dt.date | None = strawberry.field(
        description="An expected change in the law, not yet certain, to confirm by this date."
    )
    note: str | None = strawberry.field(description="What is known about the change.")


@strawberry.type(description="A dated event a deadline's state rests on.")
class DeadlineEvidence:
    register: str = strawberry.field(description="The register it comes from (DFDG, UDB).")
    event: str = strawberry.field(description="What happened, e.g. conversation.")
    date: dt.date = strawberry.field(description="When.")


@strawberry.type(
    description="One deadline the municipality owes the young person, in one case, on the day "
    "asked about. Category deadlines."
)
class Deadline:
    rule: DeadlineRule = strawberry.field(description="The rule.")
    title: str = strawberry.field(description="The rule in words.")
    state: DeadlineState = strawberry.field(description="Its state on the day asked about.")
    reason: DeadlineReason | None = strawberry.field(
        description="Why, for NOT_APPLICABLE, UNKNOWN and EXEMPT (and an open offer)."
    )
    municipality: str = strawberry.field(
        description="The municipality whose case it belongs to (4 digits): a move starts a new "
        "case, and the old deadlines stay with the old municipality."
    )
    starts_on: dt.date | None = strawberry.field(description="When the clock started.")
    due_on: dt.date | None = strawberry.field(
        description="When it falls due, moved by exemptions; null while an open-ended one lasts."
    )
    fulfilled_on: dt.date | None = strawberry.field(description="When it was fulfilled.")
    days_overdue: int | None = strawberry.field(description="Days past the due date (OVERDUE).")
    legal_reference: LegalReference | None = strawberry.field(
        description="The reference in force on the due date (on the day asked, without one); "
        "null when none is."
    )
    evidence: list[DeadlineEvidence] = strawberry.field(
        description="The dated events the state rests on."
    )
