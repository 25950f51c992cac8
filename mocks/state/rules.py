"""UDB's rules for the exchange: where a young person is admitted or enrolled, and STAR's
reasons to refuse a subscription. Pure functions of the population's facts, so tests can find
people the rules refuse (`mocks.state.finders`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mocks.codes import add_months, age_on
from mocks.model import Institution, Person

ADMISSION_NOT_FOUND = (404, 2001, "No admission or enrolment at the institution")
NOT_ENROLLED = (409, 2002, "Not enrolled at the institution")
NO_ACTIVE_ORDER = (409, 2003, "No active education order")
CONTRADICTORY_ASSESSMENT = (400, 2004, "Contradictory assessment")
NO_SUBSCRIPTION = (404, 2005, "No subscription for the municipality")
UNKNOWN_CLIENT_DESTINATION = (400, 4013, "Unknown client destination")
NO_ACTIVE_PLAN = (409, 8002, "No active plan")
NO_CONTACT_GROUP = (409, 8060, "No active contact group")
NO_EDUCATION_PLAN = (409, 8066, "No education plan")
AGE_LIMIT = (409, 8067, "Citizen must be under 30")
NO_CONTACT_GROUP_HERE = (409, 8068, "No active contact group in the municipality")

AGE_LIMIT_YEARS = 30
REPORTING_WINDOW_MONTHS = 6  # the municipality reacts within 6 months after the start (R5)


@dataclass(frozen=True, slots=True)
class Place:
    """A young person's current place at a school: admitted (not started) or enrolled."""

    institution: Institution
    status: str  # OPTAGET | IGANG
    start: date


def place_at(person: Person, institution: str) -> Place | None:
    """The current admission or enrolment at `institution` (the latest, if several)."""
    places = [
        Place(c.institution, "IGANG", c.start)
        for c in person.courses[1:]
        if c.status == "IGANG" and c.institution.number == institution
    ]
    places += [
        Place(a.institution, "OPTAGET", a.start)
        for a in person.admissions
        if a.institution.number == institution
    ]
    return max(places, key=lambda p: p.start, default=None)


def institution_of(person: Person, number: str) -> Institution:
    """The institution behind a number the person's record names (its name, when known)."""
    known = [c.institution for c in person.courses] + [a.institution for a in person.admissions]
    return next((i for i in known if i.number == number), Institution(number, ""))


def within_reporting_window(start: date, day: date) -> bool:
    return start <= day <= add_months(start, REPORTING_WINDOW_MONTHS)


def subscription_refusal(
    person: Person, municipality: str, day: date
) -> tuple[int, int, str] | None:
    """STAR's reason to refuse opening a subscription for `municipality` on `day`, or None.
    Age is checked first, so a 30-year-old is refused for age whatever else holds."""
    return age_refusal(person, day) or case_refusal(person, municipality)


def age_refusal(person: Person, day: date) -> tuple[int, int, str] | None:
    return AGE_LIMIT if age_on(person.birth, day) >= AGE_LIMIT_YEARS else None


def case_refusal(person: Person, municipality: str) -> tuple[int, int, str] | None:
    """The contact group (an open case in the municipality), Min Plan, the education order."""
    if not person.cases:
        return NO_CONTACT_GROUP
    if not any(c.is_open and c.municipality == municipality for c in person.cases):
        return NO_CONTACT_GROUP_HERE
    if person.plan is None:
        return NO_ACTIVE_PLAN
    if person.order is None or not person.order.active:
        return NO_EDUCATION_PLAN
    return None
