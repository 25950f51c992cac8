"""Generated decision inputs for the differential test of the engines (test_differential.py).

Deterministic for a seed. Each group is one request (caller, purpose, date, action) with up to
25 young people, each with facts drawn around the decision date: relationships that hold,
have just ended, start tomorrow or in 3 months and a day, windows of 6 calendar months give or
take a day, dates at the far ends of the calendar (0001-01-01, 9999-12-31, the edges of the Go
engine's nanosecond range), strings that are no date, fields of the wrong type and missing
fields. Catalogues with bases moved in and out of force on those dates come from
`catalogue_variants`.
"""

from __future__ import annotations

import calendar
import copy
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from gateway.policies.sources import load_catalogue

ROLES = (
    "youth",
    "contact_person",
    "mentor",
    "business_consultant",
    "institution_contact",
    "case_system",
    "privacy_officer",
    "manager",
)
PURPOSES = {
    "youth": ("SELF",),
    "contact_person": ("VISITATION", "PLANNING", "EDUCATION_START", "RETENTION"),
    "mentor": ("MENTORING",),
    "business_consultant": ("JOB_PLACEMENT",),
    "institution_contact": ("EDUCATION_START", "RETENTION"),
    "case_system": ("CASE_RECORD",),
    "privacy_officer": ("SUPERVISION",),
    "manager": ("MANAGEMENT_SUPERVISION",),
}
ALL_PURPOSES = sorted({p for ps in PURPOSES.values() for p in ps}) + ["UNKNOWN"]

#: Decision dates: near the personas' T, ends of months and years, leap days, before the bases
#: began, and the far ends of the calendar.
DAYS = (
    "2026-11-23",
    "2026-11-30",
    "2026-12-31",
    "2027-01-01",
    "2027-02-28",
    "2028-02-29",
    "2026-08-31",
    "2024-02-29",
    "2019-06-01",
    "2017-01-01",
    "1970-01-01",
    "0001-01-01",
    "9999-12-31",
)
#: Decision dates that are no date: the request decides nothing.
BAD_DAYS: tuple[Any, ...] = ("2026-02-29", "2026-11-31", "2026-13-01", "", None, 20261123)
#: Dates at the ends of the calendar and of the Go engine's time range (1677-09-21 .. 2262-04-11).
EXTREME_DAYS = (
    "0001-01-01",
    "9999-12-31",
    "1677-09-20",
    "1677-09-21",
    "2262-04-11",
    "2262-04-12",
    "1970-01-01",
)
#: What registers may send where a date belongs and that is no date.
NOT_DATES: tuple[Any, ...] = (
    "2026-02-30",
    "2025-02-29",
    "0000-01-01",
    "2026-13-01",
    "2026-00-10",
    "9999-99-99",
    "2026-1-1",
    "2026-11-23T00:00:00",
    "",
    None,
    20261123,
    True,
)
MISSING = object()

SUBS = ("jette.hansen", "mikkel.holm", "sara.nielsen")
YOUTH_CPRS = ("1503044112", "0211014127")
MUNICIPALITIES: tuple[Any, ...] = ("0101", "0751", "101", "", None)
ORGS = ("851234", "101535")
OFFER_TYPES = ("MENTOR", "VIRKSOMHEDSPRAKTIK", "LOENTILSKUD", "VEJLEDNING_OPKVALIFICERING")
STATUSES = ("ADMITTED", "ENROLLED", "ADMITTED", "ENROLLED", "INTERRUPTED", "COMPLETED", "admitted")
ACTIONS: tuple[Any, ...] = (
    "READ_LOG",
    "READ_POLICY",
    "WRITE",
    "AGGREGATE",
    "AGGREGATE",
    "READ",
    "NO_SUCH_ACTION",
)


def add_months(day: date, months: int) -> date:
    """`months` calendar months after (or before) `day`, on the month's last day if shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if not 1 <= year <= 9999:
        raise OverflowError
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Group:
    request: dict[str, Any]
    people: list[dict[str, Any]]

    def inputs(self) -> list[dict[str, Any]]:
        return [{**self.request, **person} for person in self.people]


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, items: Any) -> Any:
        return items[self.rng.randrange(len(items))]

    # --- dates ---------------------------------------------------------------------------------

    def near(self, today: Any, kind: str = "any") -> Any:
        """A date near the decision date (the boundaries the rules draw), at the far ends of
        the calendar, or no date at all; a start mostly on or before the day, an end mostly on
        or after it, so that many relationships hold."""
        roll = self.rng.random()
        if roll < 0.08:
            return self.pick(EXTREME_DAYS)
        if roll < 0.14:
            return self.pick(NOT_DATES)
        if not isinstance(today, str):
            return self.pick(DAYS)
        try:
            day = date.fromisoformat(today)
        except ValueError:
            return self.pick(DAYS)
        shifts = (
            lambda d: d,
            lambda d: d + timedelta(days=1),
            lambda d: d - timedelta(days=1),
            lambda d: d + timedelta(days=2),
            lambda d: d - timedelta(days=30),
            lambda d: d + timedelta(days=40),
            lambda d: d - timedelta(days=240),
            lambda d: add_months(d, 3),
            lambda d: add_months(d, 3) + timedelta(days=1),
            lambda d: add_months(d, -6),
            lambda d: add_months(d, -6) - timedelta(days=1),
            lambda d: add_months(d, -6) + timedelta(days=1),
            lambda d: add_months(d, 12),
            lambda d: add_months(d, -120),
        )
        if kind == "start" and self.chance(0.6):
            shifts = shifts[:1] + shifts[2:3] + shifts[4:5] + shifts[6:7] + shifts[9:12]
        elif kind == "end" and self.chance(0.6):
            shifts = shifts[:2] + shifts[3:4] + shifts[5:6] + shifts[7:9] + shifts[12:13]
        try:
            return self.pick(shifts)(day).isoformat()
        except (OverflowError, ValueError):
            return self.pick(EXTREME_DAYS)

    def period(
        self, today: Any, into: dict[str, Any], start: str, end: str, kind: str = "start"
    ) -> dict[str, Any]:
        if not self.chance(0.03):
            into[start] = self.near(today, kind)
        if self.chance(0.45):
            into[end] = None
        elif not self.chance(0.05):
            into[end] = self.near(today, "end")
        return into

    # --- who asks ------------------------------------------------------------------------------

    def subject(self) -> dict[str, Any]:
        roll = self.rng.random()
        if roll < 0.03:
            return {"sub": "x", "role": self.pick(("janitor", None, 7, ""))}
        role = self.pick(ROLES)
        subject: dict[str, Any] = {"role": role}
        subject["sub"] = self.pick(YOUTH_CPRS) if role == "youth" else self.pick(SUBS)
        if role == "institution_contact":
            subject["org"] = self.pick(ORGS)
        else:
            subject["org"] = "Jobcenter København"
        if not self.chance(0.05):
            subject["municipality"] = (
                self.pick(MUNICIPALITIES[:3]) if self.chance(0.9) else (self.pick(MUNICIPALITIES))
            )
        return subject

    def request(self) -> dict[str, Any]:
        subject = self.subject()
        role = subject.get("role")
        request: dict[str, Any] = {"subject": subject}
        if self.chance(0.8) and role in PURPOSES:
            request["purpose"] = self.pick(PURPOSES[role])
        elif not self.chance(0.03):
            request["purpose"] = self.pick(ALL_PURPOSES)
        if self.chance(0.95):
            request["date"] = self.pick(DAYS) if self.chance(0.93) else self.pick(BAD_DAYS)
        if self.chance(0.08 if role != "manager" else 0.6):
            request["action"] = self.pick(ACTIONS)
        if self.chance(0.1 if role != "manager" else 0.8):
            # What a report asks about: the caller's own municipality, another, or no code.
            request["target"] = {"municipality": self.pick(MUNICIPALITIES)}
        return request

    # --- the young person ----------------------------------------------------------------------

    def facts(self, subject: dict[str, Any], today: Any) -> Any:
        if self.chance(0.02):
            return self.pick(("not an object", [], None, 7))
        sub = subject.get("sub")
        municipality = subject.get("municipality", "0101")
        facts: dict[str, Any] = {"exists": self.chance(0.9)}
        if not self.chance(0.05):
            facts["municipality"] = municipality if self.chance(0.85) else self.pick(MUNICIPALITIES)

        def own(value: Any, others: tuple[Any, ...]) -> Any:
            return value if self.chance(0.85) else self.pick(others)

        if not self.chance(0.05):
            facts["assignments"] = [
                self.period(
                    today,
                    {
                        "subject": own(sub, SUBS),
                        "municipality": own(municipality, MUNICIPALITIES),
                    },
                    "from",
                    "to",
                )
                for _ in range(self.rng.randrange(0, 4))
            ]
        if not self.chance(0.05):
            facts["offers"] = [
                self.period(
                    today,
                    {
                        "id": f"offer-{n}",
                        "type": self.pick(OFFER_TYPES),
                        "subject": own(sub, SUBS),
                        "municipality": own(municipality, MUNICIPALITIES),
                    },
                    "from",
                    "to",
                    self.pick(("start", "any")),
                )
                for n in range(self.rng.randrange(0, 4))
            ]
        if not self.chance(0.05):
            facts["open_cases"] = [
                self.period(
                    today, {"municipality": own(municipality, MUNICIPALITIES)}, "from", "to"
                )
                for _ in range(self.rng.randrange(0, 3))
            ]
        if not self.chance(0.05):
            facts["education_order"] = {
                "active": self.pick((True, True, True, True, False, "true", None)),
                "step": self.pick((1, 2, 3, None)),
            }
        if not self.chance(0.05):
            enrolments = []
            for _ in range(self.rng.randrange(0, 3)):
                enrolment: dict[str, Any] = {
                    "institution": own(subject.get("org", "851234"), ORGS),
                    "status": self.pick(STATUSES),
                }
                if not self.chance(0.03):
                    enrolment["admitted_on"] = self.near(today, "start")
                self.period(today, enrolment, "starts_on", "ends_on", "any")
                enrolments.append(enrolment)
            facts["enrolments"] = enrolments
        if not self.chance(0.1):
            facts["health_consent"] = self.pick((True, True, False, "true", None))
        return facts

    def person(self, request: dict[str, Any]) -> dict[str, Any]:
        subject = request["subject"]
        person: dict[str, Any] = {}
        roll = self.rng.random()
        if roll < 0.3 and subject.get("role") == "youth":
            person["cpr"] = subject["sub"]
        elif roll < 0.97:
            person["cpr"] = self.pick(YOUTH_CPRS + ("3012024163", "0101010101"))
        elif roll < 0.99:
            person["cpr"] = self.pick(("", None, 1503044112))
        if not self.chance(0.01):
            person["facts"] = self.facts(subject, request.get("date"))
        return person

    def groups(self, inputs: int, *, largest: int = 25) -> Iterator[Group]:
        made = 0
        while made < inputs:
            request = self.request()
            size = min(inputs - made, self.rng.randrange(1, largest + 1))
            made += size
            yield Group(request, [self.person(request) for _ in range(size)])


def catalogue_variants() -> dict[str, dict[str, Any]]:
    """The shipped catalogue, and one whose bases start, end and lapse on the generated dates
    (a basis ends the day before the reform, a proposed one comes into force, one has an end
    that is no date, one starts in 9999 and one ended in 0001)."""
    shipped = load_catalogue()
    moved = copy.deepcopy(shipped)
    bases = moved["legal_bases"]
    bases["LOU-DFDG"]["to"] = "2026-12-31"
    bases["GRADES-PROPOSED"]["from"] = "2027-01-01"
    bases["LAB-30-7"]["to"] = "2026-02-30"
    bases["KUI-15D-2-2"]["from"] = "9999-12-31"
    bases["GDPR-39"]["to"] = "0001-01-01"
    bases["GDPR-15"]["to"] = "2026-11-30"
    moved["policy_version"] = "differential.1"
    return {"shipped": shipped, "moved": moved}
