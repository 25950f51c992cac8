"""UDB's exchange on the wire: the write endpoints, the school's view, subscriptions and the
event feed (mocks/README.md, "UDB exchange"). Parsing and validation live here; the rules
and the state live in `mocks.state.exchange`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request

from mocks.faults import Faults, disconnected
from mocks.model import Person
from mocks.state.bodies import (
    INSTITUTION_NUMBER,
    ORGANISATION,
    PERSON_NAME,
    STAFF_ID,
    boolean,
    code,
    codes,
    day,
    email_address,
    municipality_code,
    nullable,
    obj,
    parse,
    phone_number,
)
from mocks.state.exchange import ExchangeState
from mocks.state.people import person_of
from mocks.state.records import AREAS, CONTACT_KINDS, NEED, NO_NEED, RISK_REASONS, SCHOOL_ROLES
from mocks.wire import VALIDATION_FAILED, StarError

FEED_DEFAULT, FEED_MAX = 100, 1000
WAIT_MAX_SECONDS = 60

Document = dict[str, Any]
Handler = Callable[[Request], Awaitable[Document]]

_SENDER = obj(
    {"organisation": ORGANISATION, "kommunekode": municipality_code},
    {"id": nullable(STAFF_ID)},
)
SUPPORT_NEED = obj(
    {
        "institutionsnummer": INSTITUTION_NUMBER,
        "vurdering": code(NEED, NO_NEED),
        "omraader": codes(*AREAS),
        "dokumenteret": boolean,
        "andreStoettepersoner": boolean,
        "oenskerKontakt": boolean,
        "kommunalKontakt": obj(
            {"type": code(*CONTACT_KINDS), "id": STAFF_ID, "navn": ORGANISATION},
            {"telefon": nullable(phone_number), "email": nullable(email_address)},
        ),
        "afsender": _SENDER,
    }
)
SCHOOL_CONTACT = obj(
    {
        "institutionsnummer": INSTITUTION_NUMBER,
        "navn": PERSON_NAME,
        "rolle": code(*SCHOOL_ROLES),
        "telefon": phone_number,
        "email": email_address,
    }
)
DROPOUT_RISK = obj(
    {
        "type": code("RISIKO_FOR_FRAFALD"),
        "institutionsnummer": INSTITUTION_NUMBER,
        "aarsager": codes(*RISK_REASONS, at_least=1),
        "foersteFravaersbrevSendt": boolean,
    }
)
SUBSCRIPTION_OPEN = obj({"afsender": _SENDER}, {"start": nullable(day)})
SUBSCRIPTION_CLOSE = obj({"afsender": _SENDER})


def routes(state: ExchangeState, faults: Faults) -> list[tuple[str, str, Handler]]:
    """(method, path template, handler) for the app to mount behind its fault knobs."""
    population, ledger = state.population, state.requests

    def write(spec: Callable[[Any], Any], apply: Callable[[Person, Document], Document]) -> Handler:
        def run(request: Request, raw: bytes) -> Document:
            person = person_of(request, population)
            return apply(person, parse(raw, spec))

        return ledger.endpoint(run)

    async def school_view(request: Request) -> Document:
        number = request.query_params.get("institutionsnummer", "")
        if len(number) != 6 or not number.isdigit():
            raise StarError(VALIDATION_FAILED)
        return state.school_view(person_of(request, population), number)

    async def subscriptions(request: Request) -> Document:
        return state.subscriptions(person_of(request, population))

    async def feed(request: Request) -> Document:
        query = request.query_params
        oldest = state.log.oldest
        cursor = _number(query.get("efter"), 0, None, default=oldest - 1)
        limit = _number(query.get("antal"), 1, FEED_MAX, default=FEED_DEFAULT)
        wait = _number(query.get("ventSekunder"), 0, WAIT_MAX_SECONDS, default=0)
        events = await state.log.wait_after(
            cursor, limit, wait, (faults.released, lambda: disconnected(request))
        )
        return {
            "haendelser": [e.wire() for e in events],
            "aeldsteSekvens": state.log.oldest,
            "senesteSekvens": state.log.latest,
        }

    return [
        ("POST", "/udb/v1/stoettebehov", write(SUPPORT_NEED, state.register_support)),
        ("GET", "/udb/v1/datatilinstitution", school_view),
        ("POST", "/udb/v1/institutionkontakt", write(SCHOOL_CONTACT, state.report_contact)),
        ("POST", "/udb/v1/haendelser", write(DROPOUT_RISK, state.report_risk)),
        ("GET", "/udb/v1/haendelser", feed),
        ("POST", "/v1/UDBabonnement", write(SUBSCRIPTION_OPEN, state.open_subscription)),
        ("DELETE", "/v1/UDBabonnement", write(SUBSCRIPTION_CLOSE, state.close_subscription)),
        ("GET", "/v1/UDBabonnement", subscriptions),
    ]


def _number(raw: str | None, low: int, high: int | None, default: int) -> int:
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < low or (high is not None and int(raw) > high):
        raise StarError(VALIDATION_FAILED)
    return int(raw)
