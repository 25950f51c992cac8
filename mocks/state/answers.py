"""The Jobnet questionnaire's state in one mock process: versions of a young person's own
answers, and the consent to share the health answers with the contact person.

A withdrawal of consent takes effect at once (GDPR art. 7(3)): the next read of the document
or of the relationship facts says `false`, on any connection, with nothing cached in between.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from mocks.model import Person
from mocks.population import Population
from mocks.state.requests import RequestLedger
from mocks.wire import StarError

NOT_ANSWERED = (409, 2006, "Questionnaire not answered")

Document = dict[str, Any]


@dataclass(slots=True)
class AnswerVersion:
    version: int
    answered: date
    answers: Document  # the `svar` section
    health: Document  # the `helbred` section without the consent flag


@dataclass(slots=True)
class AnswerRecord:
    versions: list[AnswerVersion] = field(default_factory=list)
    health_shared: bool = False  # nobody has consented before they answer

    @property
    def latest(self) -> AnswerVersion:
        return self.versions[-1]


FromFacts = Callable[[Person], AnswerRecord | None]


class QuestionnaireState:
    def __init__(self, population: Population, from_facts: FromFacts) -> None:
        self.population = population
        self.today = population.reference_date
        self.requests = RequestLedger()
        self._from_facts = from_facts
        self._records: dict[str, AnswerRecord] = {}

    def view(self, person: Person) -> AnswerRecord | None:
        """What was written, else the facts (built, not stored); None when never answered."""
        return self._records.get(person.cpr) or self._from_facts(person)

    def submit(self, person: Person, body: Document) -> Document:
        """A new version each time (the young person's history of answers is kept)."""
        record = self._records.get(person.cpr) or self._from_facts(person) or AnswerRecord()
        self._records[person.cpr] = record
        health = body.pop("helbred")
        answers = {**body, "maal": dict(body["maal"]), "barrierer": list(body["barrierer"])}
        record.versions.append(AnswerVersion(len(record.versions) + 1, self.today, answers, health))
        return {"aendret": True, **document(record)}

    def set_consent(self, person: Person, body: Document) -> Document:
        record = self.view(person)
        if record is None:
            raise StarError(NOT_ANSWERED)
        self._records[person.cpr] = record
        share = body["helbredDelesMedKontaktperson"]
        changed = record.health_shared != share
        record.health_shared = share
        return {"aendret": changed, "helbredDelesMedKontaktperson": share}


def document(record: AnswerRecord) -> Document:
    """The questionnaire's parts of a read (and of a write's answer), without the CPR."""
    latest = record.latest
    return {
        "besvaret": latest.answered,
        "version": latest.version,
        "svar": {
            **latest.answers,
            "maal": dict(latest.answers["maal"]),
            "barrierer": list(latest.answers["barrierer"]),
        },
        "helbred": {**latest.health, "delesMedKontaktperson": record.health_shared},
    }
