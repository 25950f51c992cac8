"""Optagelse.dk (youth education) and KOT (higher education): applications. No sections."""

from __future__ import annotations

from mocks.codes import school_year
from mocks.model import Person
from mocks.population import Population
from mocks.registers import Document, Query, Register
from mocks.wire import ident, noise


def render(person: Person, population: Population, query: Query) -> Document | None:
    if not person.applications and not person.higher_applications:
        return None
    return {
        "cpr": person.cpr,
        "ftu": [
            {
                "ansoegningId": ident(person, "ftu", i, a.application_id),
                "skoleaar": school_year(a.start),
                "prioritet": a.priority,
                "status": a.status,
                "statusDato": a.status_date,
                "udbud": {
                    "institutionsnummer": a.institution.number,
                    "institutionsnavn": a.institution.name,
                    "uddannelsestype": a.programme_type,
                    "udd": a.udd,
                    "navn": a.name,
                },
                "studiestart": a.start,
            }
            for i, a in enumerate(person.applications)
        ],
        "kot": [
            {
                "ansoegningId": ident(person, "kot", i, a.application_id),
                "aar": a.year,
                "prioritet": a.priority,
                "kvote": 1,
                # The 5-digit admission-area number is an assumption [A] (REGISTERS.md 1.5).
                "optagelsesomraadenummer": f"{10000 + int(noise(a.programme) * 89999):05d}",
                "institution": a.institution,
                "uddannelse": a.programme,
                "status": a.status,
                "studiestart": a.start,
                "gradePointAverage7scale": a.grade_average,
            }
            for i, a in enumerate(person.higher_applications)
        ],
    }


REGISTER = Register(label="admissions", prefix="/optagelse/v1", sections=(), render=render)
