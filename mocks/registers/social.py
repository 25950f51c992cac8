"""The municipal social system: action plans (handleplaner) on the social area. No sections."""

from __future__ import annotations

from mocks.model import Person
from mocks.population import Population
from mocks.registers import Document, Query, Register
from mocks.wire import ident


def render(person: Person, population: Population, query: Query) -> Document | None:
    if not person.social_plans:
        return None
    return {
        "cpr": person.cpr,
        "handleplaner": [
            {
                "planId": ident(person, "handleplan", i, p.plan_id),
                "lov": p.law,
                "oprettet": p.created,
                "status": p.status,
                "forvaltning": p.department,
            }
            for i, p in enumerate(person.social_plans)
        ],
    }


REGISTER = Register(label="social", prefix="/social/v1", sections=(), render=render)
