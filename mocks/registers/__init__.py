"""The seven registers: what each one serves, from the same population.

A `Register` names its wire prefix and sections and knows how to render a person's document
(and, for some, the relationship facts and reverse lookups). `mocks.app` turns one into a
Starlette app; nothing here knows about HTTP.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from mocks.model import Person
from mocks.population import Population

if TYPE_CHECKING:
    from mocks.faults import Faults

Document = dict[str, Any]
LiveRoute = tuple[str, str, Callable[[Any], Awaitable[Any]]]
"""(method, path template, handler): a route a writable register adds to its app."""


@dataclass(frozen=True, slots=True)
class Query:
    """What the caller asked for: the sections, and for eIndkomst a window of months."""

    sections: frozenset[str]
    first_month: date | None = None
    last_month: date | None = None


@dataclass(frozen=True, slots=True)
class Lookup:
    """A reverse lookup `GET {prefix}{path}` → `{"cprListe": [...]}`; path has one `{key}`."""

    path: str
    index: Callable[[Population, str], list[str]]


class Live(Protocol):
    """A writable register's state in one mock process (`mocks.state`): its reads render from
    it, so they reflect every write at once."""

    def render(self, person: Person, population: Population, query: Query) -> Document | None: ...

    def relate(self, person: Person, population: Population) -> Document | None: ...

    def routes(self, faults: Faults) -> list[LiveRoute]: ...


@dataclass(frozen=True, slots=True)
class Register:
    label: str
    prefix: str
    sections: tuple[str, ...]
    render: Callable[[Person, Population, Query], Document | None]
    """None when the register holds nothing on the person (404 / `ukendte`)."""
    relate: Callable[[Person, Population], Document | None] | None = None
    lookups: tuple[Lookup, ...] = ()
    month_window: bool = False
    live: Callable[[Population], Live] | None = None
    """Writable registers: a fresh state per app (per mock process); `render`/`relate` above
    are then what the state starts from."""


def _all() -> dict[str, Register]:
    from mocks.registers import admissions, dfdg, eindkomst, grades, questionnaire, social, udb

    modules = (udb, dfdg, grades, eindkomst, admissions, questionnaire, social)
    return {module.REGISTER.label: module.REGISTER for module in modules}


REGISTERS: dict[str, Register] = _all()
"""In the order of mocks/README.md (which also gives the default ports 8101…8107)."""
