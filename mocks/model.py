"""The facts the population holds about one young person.

These are the *cross-register* facts (a course at a school is both a UDB course and an
admission; a benefit period is both a DFDG period and eIndkomst lines). Each register renders
its own wire document from them on demand (`mocks/registers/`), so a population of 100,000
stays small and quick to build. Parts no other register needs (exam lines, questionnaire
answers, Min Plan texts) are drawn at render time from the person's own seed unless a persona
fixes them here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True, slots=True)
class Institution:
    number: str
    name: str


@dataclass(frozen=True, slots=True)
class Staff:
    """A professional in a municipality: case worker, mentor or business consultant."""

    staff_id: str
    name: str
    organisation: str
    municipality: str


@dataclass(slots=True)
class Course:
    """One course of schooling in UDB (`forloeb`) and, after primary school, an admission."""

    kind: str  # GRUNDSKOLE | TIENDE_KLASSE | EUD | GYMNASIAL | FGU | STU
    udd: str
    udel: str
    name: str
    institution: Institution
    start: date
    end: date | None
    status: str  # IGANG | GENNEMFOERT | AFBRUDT
    admitted: date | None = None
    dropout_reason: str | None = None
    fgu_track: str | None = None


@dataclass(slots=True)
class Admission:
    """An admission to a course that has not started yet (UDB `optagelser`, status OPTAGET)."""

    kind: str
    udd: str
    name: str
    institution: Institution
    admitted: date
    start: date
    programme_type: str  # Optagelse.dk `uddannelsestype`


@dataclass(slots=True)
class BenefitPeriod:
    benefit: str  # UDDANNELSESHJAELP | KONTANTHJAELP
    rate: str
    start: date
    end: date | None
    monthly_amount: float


@dataclass(slots=True)
class Job:
    cvr: str
    employer: str
    start: date  # first day of the first month
    end: date | None  # last day of the last month; None = still employed
    hours_per_month: float
    hourly_wage: float


@dataclass(slots=True)
class Case:
    """A benefit case in DFDG. The deadlines (DEADLINES.md) run from its first contact, in the
    municipality that owns it; it closes (`end`, inclusive) on education, job, age 30, benefit
    ended or a move, which `close_reason` names."""

    municipality: str
    start: date
    end: date | None
    first_contact: date | None = None  # None: the day the case started
    close_reason: str | None = None  # UDDANNELSE | JOB | ALDER_30 | YDELSE_OPHOERT | FRAFLYTNING
    job_directed: bool = False  # a job-directed effort (LAB § 30 a): no education order

    @property
    def is_open(self) -> bool:
        return self.end is None


@dataclass(slots=True)
class Assignment:
    staff: Staff
    role: str  # KONTAKTPERSON | KOORDINERENDE_SAGSBEHANDLER
    start: date
    end: date | None


@dataclass(slots=True)
class Offer:
    offer_id: str
    activation_type: str
    start: date
    end: date
    hours_per_week: int
    holder: Staff
    cvr: str | None = None
    company: str | None = None
    right_and_duty: bool | None = None  # a "ret og pligt" offer; None: every kind but a mentor

    @property
    def is_right_and_duty(self) -> bool:
        if self.right_and_duty is not None:
            return self.right_and_duty
        return self.activation_type != "MENTOR"


@dataclass(slots=True)
class OrderStep:
    step: int
    issued: date
    deadline: date
    fulfilled: date | None
    udd: str | None = None
    institution: str | None = None


@dataclass(slots=True)
class EducationOrder:
    active: bool
    steps: list[OrderStep]

    @property
    def current_step(self) -> int:
        return self.steps[-1].step


@dataclass(slots=True)
class SupportNeeds:
    institution: str
    academic: bool
    social: bool
    personal: bool
    health: bool
    wants_contact: bool
    registered: date
    institution_notified: date | None


@dataclass(slots=True)
class DropoutNotice:
    notice_id: str
    day: date
    institution: Institution
    reason: str  # FRAVAER | FAGLIGT | TRIVSEL | OEKONOMI | ANDET
    reacted: date | None
    first_absence_letter_sent: bool | None = None  # None: not known (generated notices)


@dataclass(slots=True)
class InstitutionContact:
    name: str
    institution: Institution
    role: str  # KONTAKTLAERER | STUDIEVEJLEDER
    acknowledged: date | None


@dataclass(slots=True)
class Subscription:
    subscription_id: str
    municipality: str
    start: date
    end: date | None


@dataclass(slots=True)
class Visitation:
    category: str
    day: date
    final: bool = True  # the final visitation (endelig), not a preliminary one


@dataclass(slots=True)
class Exemption:
    """A period the young person is exempt from the effort (fritagelse): the clocks stop."""

    reason: str  # SYGDOM | ORLOV | STU | BEHANDLING
    start: date
    end: date | None


@dataclass(slots=True)
class TargetGroup:
    lab6: int
    label: str
    start: date


@dataclass(slots=True)
class Application:
    """An Optagelse.dk application for youth education (`ftu`)."""

    application_id: str
    start: date
    priority: int
    status: str
    status_date: date
    institution: Institution
    programme_type: str
    udd: str
    name: str


@dataclass(slots=True)
class HigherApplication:
    """A KOT application for higher education."""

    application_id: str
    year: int
    priority: int
    institution: str
    programme: str
    status: str
    start: date
    grade_average: float


@dataclass(slots=True)
class Questionnaire:
    answered: date
    health_shared: bool
    answers: dict[str, Any] | None = None  # persona answers; None = drawn at render time


@dataclass(slots=True)
class GradeSheet:
    institution: Institution
    year: int
    standpunkt: dict[str, str] | None = None  # subject -> grade; None = drawn at render time
    exams: list[dict[str, Any]] | None = None


@dataclass(slots=True)
class SocialPlan:
    plan_id: str
    law: str
    created: date
    status: str
    department: str


@dataclass(slots=True)
class Plan:
    """Min Plan goals; other plan parts (talks, agreements) are drawn at render time."""

    education_goal: str | None
    job_goals: list[str]
    updated: date
    agreements: list[dict[str, Any]] | None = None
    talks: list[dict[str, Any]] | None = None
    first_contact: date | None = None


@dataclass(slots=True)
class Person:
    cpr: str
    seed: int  # this person's own seed for parts drawn at render time
    first_name: str
    last_name: str
    birth: date
    municipality: str
    name_protected: bool = False
    courses: list[Course] = field(default_factory=list)
    admissions: list[Admission] = field(default_factory=list)
    benefits: list[BenefitPeriod] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    offers: list[Offer] = field(default_factory=list)
    visitations: list[Visitation] = field(default_factory=list)
    target_group: TargetGroup | None = None
    order: EducationOrder | None = None
    support: SupportNeeds | None = None
    dropout_notices: list[DropoutNotice] = field(default_factory=list)
    institution_contacts: list[InstitutionContact] = field(default_factory=list)
    kui_contact: Staff | None = None
    subscriptions: list[Subscription] = field(default_factory=list)
    applications: list[Application] = field(default_factory=list)
    higher_applications: list[HigherApplication] = field(default_factory=list)
    grades: GradeSheet | None = None
    questionnaire: Questionnaire | None = None
    social_plans: list[SocialPlan] = field(default_factory=list)
    plan: Plan | None = None
    literacy_test: dict[str, Any] | None = None
    exemptions: list[Exemption] = field(default_factory=list)
    conversations: list[dict[str, Any]] | None = None  # every case's; None: drawn at render
    coordinator_offered: date | None = None  # a coordinating case worker offered (DFDG)
    income_window_start: date | None = None  # eIndkomst default window start, if earlier
    is_persona: bool = False
