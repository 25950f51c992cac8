"""Who a request is about: the CPR from its header (never from the URL), and the person."""

from __future__ import annotations

from starlette.requests import Request

from mocks.model import Person
from mocks.population import Population
from mocks.wire import INVALID_CPR, UNKNOWN_CPR, StarError, is_star_cpr

CPR_HEADER = "x-civilregistrationIdentifier"


def person_of(request: Request, population: Population) -> Person:
    """`400 1001` for a missing or malformed CPR, `404 1010` for someone unknown."""
    cpr = request.headers.get(CPR_HEADER)
    if not is_star_cpr(cpr):
        raise StarError(INVALID_CPR)
    person = population.get(str(cpr))
    if person is None:
        raise StarError(UNKNOWN_CPR)
    return person
