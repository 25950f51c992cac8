"""What the deadline rules read about one young person: dated facts from DFDG and UDB.

Plain values, built by the register clients (gateway/resolvers/deadline_facts.py) from the two
registers' answers; the rules never see a register's wire format. Every date is a Danish
calendar day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

DFDG = "DFDG"
UDB = "UDB"


@dataclass(frozen=True)
class Case:
    """One benefit case (DFDG): the clock of its deadlines starts at its first contact, in the
    municipality that owns it. A move starts a new case. `last_day` is the case's last day
    (inclusive), None while it is open; `close_reason` why it closed (education, job, age 30,
    benefit ended, moved)."""

    case_id: str
    municipality: str
    first_contact: dt.date
    last_day: dt.date | None = None
    close_reason: str | None = None
    job_directed: bool = False


@dataclass(frozen=True)
class Conversation:
    day: dt.date
    kind: str


@dataclass(frozen=True)
class Visitation:
    day: dt.date
    category: str  # ACTIVITY_READY | EDUCATION_READY | OBVIOUSLY_EDUCATION_READY | JOB_READY | …
    final: bool


@dataclass(frozen=True)
class OrderStep:
    step: int
    issued: dt.date | None
    deadline: dt.date | None
    institution: str | None = None


@dataclass(frozen=True)
class Offer:
    kind: str  # DFDG's activationType: VIRKSOMHEDSPRAKTIK, LOENTILSKUD, MENTOR, …
    start: dt.date
    end: dt.date | None
    right_and_duty: bool  # a "ret og pligt" offer (a mentor never is)

    @property
    def is_mentor(self) -> bool:
        return self.kind == "MENTOR"


@dataclass(frozen=True)
class Exemption:
    """A period the young person is exempt from the effort: the clocks stop (DFDG)."""

    reason: str  # ILLNESS | LEAVE | STU | TREATMENT | OTHER
    start: dt.date
    end: dt.date | None


@dataclass(frozen=True)
class Course:
    """An education in UDB: where and when it started."""

    institution: str
    start: dt.date


@dataclass(frozen=True)
class DropoutNotice:
    notice_id: str
    day: dt.date
    institution: str


@dataclass(frozen=True)
class YouthFacts:
    """Everything the deadline rules read about one young person."""

    birth_date: dt.date
    cases: tuple[Case, ...] = ()
    conversations: tuple[Conversation, ...] = ()
    visitations: tuple[Visitation, ...] = ()
    order_steps: tuple[OrderStep, ...] = ()
    offers: tuple[Offer, ...] = ()
    exemptions: tuple[Exemption, ...] = ()
    coordinating_caseworker_offered: dt.date | None = None
    literacy_test: dt.date | None = None  # the latest test registered in DFDG
    # UDB
    youth_education_completed: dt.date | None = None
    courses: tuple[Course, ...] = ()
    dropout_notices: tuple[DropoutNotice, ...] = ()
    school_notified: dt.date | None = None
    school_receipt: dt.date | None = None
