"""The population every mock register serves: the personas plus a seeded, generated crowd.

`build_population` is deterministic for a (size, seed, reference date): the same call gives the
same people, CPR numbers, staff and relationships. Registers render their documents from these
facts on demand (see `mocks/registers/`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from mocks.generate import PopulationGenerator
from mocks.model import Person
from mocks.personas import PERSONA_CPRS, build_personas

MAX_SIZE = 100_000


@dataclass(slots=True)
class Population:
    reference_date: date
    seed: int
    people: dict[str, Person]
    # Reverse indexes, CPRs in a stable order:
    staff_index: dict[str, list[str]] = field(default_factory=dict)
    """staff id -> young people they are (or were) assigned to, or hold (or held) an offer for."""
    municipality_index: dict[str, list[str]] = field(default_factory=dict)
    """municipality code -> young people with an open case there (DFDG case or UDB subscription)."""
    institution_index: dict[str, list[str]] = field(default_factory=dict)
    """institution number -> young people admitted (not yet started) or enrolled there now."""
    case_history_index: dict[str, list[str]] = field(default_factory=dict)
    """municipality code -> young people with a DFDG case there, open or closed (a team
    leader's deadline report counts the closed ones too)."""

    def __len__(self) -> int:
        return len(self.people)

    def get(self, cpr: str) -> Person | None:
        return self.people.get(cpr)

    @property
    def personas(self) -> list[Person]:
        return [p for p in self.people.values() if p.is_persona]


def build_population(
    size: int = 2000, seed: int = 42, reference_date: date | None = None
) -> Population:
    """The personas of PERSONAS.md plus `size` generated young people, as of `reference_date`
    (default: today)."""
    if not 0 <= size <= MAX_SIZE:
        raise ValueError(f"population size must be between 0 and {MAX_SIZE}")
    today = reference_date or date.today()
    personas = build_personas(today)
    generated = PopulationGenerator(seed, today, set(PERSONA_CPRS)).generate(size)
    people = {person.cpr: person for person in [*personas, *generated]}
    population = Population(today, seed, people)
    _index(population)
    return population


def _index(population: Population) -> None:
    staff: dict[str, list[str]] = defaultdict(list)
    municipalities: dict[str, list[str]] = defaultdict(list)
    institutions: dict[str, list[str]] = defaultdict(list)
    histories: dict[str, list[str]] = defaultdict(list)
    for cpr, person in population.people.items():
        for code in sorted({c.municipality for c in person.cases}):
            histories[code].append(cpr)
        related = {a.staff.staff_id for a in person.assignments}
        related.update(o.holder.staff_id for o in person.offers)
        for staff_id in sorted(related):
            staff[staff_id].append(cpr)
        open_in = {c.municipality for c in person.cases if c.is_open}
        open_in.update(s.municipality for s in person.subscriptions if s.end is None)
        for code in sorted(open_in):
            municipalities[code].append(cpr)
        schools = {c.institution.number for c in person.courses[1:] if c.status == "IGANG"}
        schools.update(a.institution.number for a in person.admissions)
        for number in sorted(schools):
            institutions[number].append(cpr)
    population.staff_index = dict(staff)
    population.municipality_index = dict(municipalities)
    population.institution_index = dict(institutions)
    population.case_history_index = dict(histories)
