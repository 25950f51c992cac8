"""Karakterdatabasen (STIL): primary-school leaving grades. No sections."""

from __future__ import annotations

import random
from typing import Any

from mocks.model import Person
from mocks.population import Population
from mocks.registers import Document, Query, Register

SCALE = ("-3", "00", "02", "4", "7", "10", "12")
STANDPUNKT_SUBJECTS = (
    "DANSK", "MATEMATIK", "ENGELSK", "FYSIK_KEMI", "BIOLOGI", "GEOGRAFI", "HISTORIE",
    "SAMFUNDSFAG", "KRISTENDOMSKUNDSKAB", "TYSK",
)  # fmt: skip
# The five bound exams give eight grades (REGISTERS.md 1.3); two more are drawn.
BOUND_EXAMS = (
    ("DANSK", "LAESNING", "SKRIFTLIG"),
    ("DANSK", "RETSKRIVNING", "SKRIFTLIG"),
    ("DANSK", "SKRIFTLIG_FREMSTILLING", "SKRIFTLIG"),
    ("DANSK", None, "MUNDTLIG"),
    ("MATEMATIK", "UDEN_HJAELPEMIDLER", "SKRIFTLIG"),
    ("MATEMATIK", "MED_HJAELPEMIDLER", "SKRIFTLIG"),
    ("ENGELSK", None, "MUNDTLIG"),
    ("NATURFAG_FAELLESPROEVE", None, "MUNDTLIG"),
)
HUMANISTIC_DRAW = (("HISTORIE", "MUNDTLIG"), ("SAMFUNDSFAG", "MUNDTLIG"), ("TYSK", "SKRIFTLIG"))
SCIENCE_DRAW = (("BIOLOGI", "SKRIFTLIG"), ("FYSIK_KEMI", "SKRIFTLIG"), ("MATEMATIK", "MUNDTLIG"))


def _grade(rng: random.Random, ability: float) -> str:
    """A grade around the pupil's ability (an index into the scale), as a string."""
    return SCALE[max(0, min(6, round(rng.gauss(ability, 1.0))))]


def _drawn(person: Person) -> tuple[dict[str, str], list[dict[str, Any]]]:
    rng = random.Random(person.seed * 7 + 2)
    ability = rng.uniform(1.5, 5.5)
    standpunkt = {subject: _grade(rng, ability) for subject in STANDPUNKT_SUBJECTS}
    exams: list[dict[str, Any]] = [
        {"fag": f, "delproeve": part, "form": form, "karakter": _grade(rng, ability),
         "bunden": True, "udtraek": None}
        for f, part, form in BOUND_EXAMS
    ]  # fmt: skip
    for block, choices in (("HUMANISTISK", HUMANISTIC_DRAW), ("NATURFAGLIG", SCIENCE_DRAW)):
        subject, form = rng.choice(choices)
        exams.append(
            {"fag": subject, "delproeve": None, "form": form, "karakter": _grade(rng, ability),
             "bunden": False, "udtraek": block}
        )  # fmt: skip
    return standpunkt, exams


def render(person: Person, population: Population, query: Query) -> Document | None:
    sheet = person.grades
    if sheet is None:
        return None
    if sheet.standpunkt is not None and sheet.exams is not None:
        standpunkt, exams = sheet.standpunkt, sheet.exams
    else:
        standpunkt, exams = _drawn(person)
    return {
        "cpr": person.cpr,
        "institutionsnummer": sheet.institution.number,
        "institutionsnavn": sheet.institution.name,
        "afgangsaar": sheet.year,
        "klassetrin": 9,
        "bevistype": "FP9",
        "proever": [dict(line) for line in exams],
        "standpunkt": [{"fag": f, "karakter": g} for f, g in standpunkt.items()],
    }


REGISTER = Register(label="grades", prefix="/karakterer/v1", sections=(), render=render)
