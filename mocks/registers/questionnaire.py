"""Jobnet's questionnaire (STAR): the young person's own answers and health; consent flag.

Reads render from an answer record: in a running app the live state's (`mocks.state.answers`),
which the young person's writes change; read on their own, one built from the facts.
"""

from __future__ import annotations

import random
from typing import Any

from mocks.faults import Faults
from mocks.model import Person
from mocks.population import Population
from mocks.registers import Document, LiveRoute, Query, Register
from mocks.state import answers_routes
from mocks.state.answers import AnswerRecord, AnswerVersion, QuestionnaireState, document

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
            "barrierer": sorted(rng.sample(answers_routes.BARRIERS, rng.randrange(0, 3))),
            "boernIHjemmet": rng.choices((0, 1, 2), (85, 10, 5))[0],
        },
        "helbred": {
            "mentaltHelbred": rng.randint(1, 5),
            "fysiskHelbred": rng.randint(1, 5),
            "kontaktPsykiatri": rng.random() < 0.15,
        },
    }


def answers_from_facts(person: Person) -> AnswerRecord | None:
    """Where the questionnaire state starts: the persona's answers or answers drawn from the
    person's seed, as version 1; None for someone who never answered."""
    answered = person.questionnaire
    if answered is None:
        return None
    answers = answered.answers or _drawn_answers(person)
    first = AnswerVersion(
        1, answered.answered, {**answers["svar"], "andet": None}, dict(answers["helbred"])
    )
    return AnswerRecord([first], answered.health_shared)


def render(person: Person, population: Population, query: Query) -> Document | None:
    return _render(person, query, answers_from_facts(person))


def _render(person: Person, query: Query, record: AnswerRecord | None) -> Document | None:
    if record is None:
        return None
    parts = document(record)
    doc: Document = {"cpr": person.cpr, "besvaret": parts["besvaret"], "version": parts["version"]}
    for section in ("svar", "helbred"):
        if section in query.sections:
            doc[section] = parts[section]
    return doc


def relate(person: Person, population: Population) -> Document | None:
    return _relate(person, answers_from_facts(person))


def _relate(person: Person, record: AnswerRecord | None) -> Document | None:
    if record is None:
        return None
    return {"cpr": person.cpr, "helbredDelesMedKontaktperson": record.health_shared}


class LiveQuestionnaire:
    """The questionnaire in a running app: reads render from the answers the writes change."""

    def __init__(self, population: Population) -> None:
        self.state = QuestionnaireState(population, answers_from_facts)

    def render(self, person: Person, population: Population, query: Query) -> Document | None:
        return _render(person, query, self.state.view(person))

    def relate(self, person: Person, population: Population) -> Document | None:
        return _relate(person, self.state.view(person))

    def routes(self, faults: Faults) -> list[LiveRoute]:
        return answers_routes.routes(self.state)


REGISTER = Register(
    label="questionnaire",
    prefix="/spoergeskema/v1",
    sections=("svar", "helbred"),
    render=render,
    relate=relate,
    live=LiveQuestionnaire,
)
