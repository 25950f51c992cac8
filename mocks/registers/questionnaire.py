"""Jobnet's questionnaire (STAR): the young person's own answers and health; consent flag."""

from __future__ import annotations

import random
from typing import Any

from mocks.model import Person
from mocks.population import Population
from mocks.registers import Document, Query, Register

BARRIERS = ("OEKONOMI", "BOLIG", "TRANSPORT", "MISBRUG", "SPROG", "FAMILIE", "ANDET")
GOALS = {
    "UDDANNELSE": "Jeg vil gerne i gang med en uddannelse",
    "JOB": "Jeg vil gerne have et fast job",
    "VED_IKKE": "Ved ikke endnu",
}


def _drawn_answers(person: Person) -> dict[str, Any]:
    rng = random.Random(person.seed * 7 + 3)
    goal = rng.choices(list(GOALS), (5, 3, 2))[0]
    return {
        "svar": {
            "maal": {"type": goal, "tekst": GOALS[goal]},
            "troPaaSigSelv": rng.randint(1, 5),
            "netvaerk": rng.choice(("STAERKT", "NOGET", "SVAGT", "INTET")),
            "barrierer": sorted(rng.sample(BARRIERS, rng.randrange(0, 3))),
            "boernIHjemmet": rng.choices((0, 1, 2), (85, 10, 5))[0],
        },
        "helbred": {
            "mentaltHelbred": rng.randint(1, 5),
            "fysiskHelbred": rng.randint(1, 5),
            "kontaktPsykiatri": rng.random() < 0.15,
        },
    }


def render(person: Person, population: Population, query: Query) -> Document | None:
    answered = person.questionnaire
    if answered is None:
        return None
    answers = answered.answers or _drawn_answers(person)
    doc: Document = {"cpr": person.cpr, "besvaret": answered.answered}
    if "svar" in query.sections:
        doc["svar"] = dict(answers["svar"])
    if "helbred" in query.sections:
        doc["helbred"] = {
            **answers["helbred"],
            "delesMedKontaktperson": answered.health_shared,
        }
    return doc


def relate(person: Person, population: Population) -> Document | None:
    if person.questionnaire is None:
        return None
    return {
        "cpr": person.cpr,
        "helbredDelesMedKontaktperson": person.questionnaire.health_shared,
    }


REGISTER = Register(
    label="questionnaire",
    prefix="/spoergeskema/v1",
    sections=("svar", "helbred"),
    render=render,
    relate=relate,
)
