"""Generated young people whom UDB refuses a subscription, for tests and demos.

Found in a population by the same rules the endpoint applies (`mocks.state.rules`), so no test
hard-codes a generated CPR and each one is refused for exactly one reason. Both look among the
generated people living in `municipality` (default København, the personas' job centre), as
the facts stand (before any write); a small population may hold none (LookupError).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from mocks.codes import age_on
from mocks.model import Person
from mocks.population import Population
from mocks.state.rules import (
    AGE_LIMIT_YEARS,
    NO_EDUCATION_PLAN,
    age_refusal,
    case_refusal,
)


def aged_30_with_education_order(population: Population, municipality: str = "0101") -> str:
    """Someone aged 30 or more on T with an active education order, an open case and Min Plan
    in `municipality`: opening a subscription answers `409 8067` (AGE_LIMIT), and only for age."""
    return _first(
        population,
        municipality,
        lambda p: (
            age_on(p.birth, population.reference_date) >= AGE_LIMIT_YEARS
            and case_refusal(p, municipality) is None
        ),
        "a generated young person aged 30+ with an education order",
        unsubscribed=False,  # the age limit is checked before "already open"
    )


def without_education_order(population: Population, municipality: str = "0101") -> str:
    """Someone under 30 with an open case and Min Plan in `municipality` but no education
    order: opening a subscription answers `409 8066` (NO_EDUCATION_PLAN)."""
    return _first(
        population,
        municipality,
        lambda p: (
            age_refusal(p, population.reference_date) is None
            and case_refusal(p, municipality) == NO_EDUCATION_PLAN
        ),
        "a generated young person without an education order",
        unsubscribed=True,  # else opening is a no-op answer, not a refusal
    )


def _first(
    population: Population,
    municipality: str,
    wanted: Callable[[Person], bool],
    what: str,
    unsubscribed: bool,
) -> str:
    for person in _candidates(population, municipality, unsubscribed):
        if wanted(person):
            return person.cpr
    raise LookupError(f"the population holds no {what} in {municipality}; try a larger one")


def _candidates(population: Population, municipality: str, unsubscribed: bool) -> Iterator[Person]:
    for person in population.people.values():
        subscribed = any(
            s.end is None and s.municipality == municipality for s in person.subscriptions
        )
        if person.is_persona or person.municipality != municipality:
            continue
        if not (unsubscribed and subscribed):
            yield person
