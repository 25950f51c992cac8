"""The Jobnet questionnaire's writes on the wire (mocks/README.md, "Questionnaire writes")."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request

from mocks.state.answers import QuestionnaireState
from mocks.state.bodies import boolean, code, codes, integer, nullable, obj, parse, text
from mocks.state.people import person_of

BARRIERS = ("OEKONOMI", "BOLIG", "TRANSPORT", "MISBRUG", "SPROG", "FAMILIE", "ANDET")
GOAL_TYPES = ("UDDANNELSE", "JOB", "VED_IKKE")
NETWORK = ("STAERKT", "NOGET", "SVAGT", "INTET")
OTHER_MAX = 500  # "andet der gør det svært": the one free-text answer, bounded (JOBNET.md)

Document = dict[str, Any]
Handler = Callable[[Request], Awaitable[Document]]

ANSWERS = obj(
    {
        "maal": obj({"type": code(*GOAL_TYPES)}, {"tekst": nullable(text(200))}),
        "troPaaSigSelv": integer(1, 5),
        "netvaerk": code(*NETWORK),
        "barrierer": codes(*BARRIERS),
        "boernIHjemmet": integer(0, 20),
        "helbred": obj(
            {
                "mentaltHelbred": integer(1, 5),
                "fysiskHelbred": integer(1, 5),
                "kontaktPsykiatri": nullable(boolean),
            }
        ),
    },
    {"andet": nullable(text(OTHER_MAX, multiline=True))},
)
CONSENT = obj({"helbredDelesMedKontaktperson": boolean})


def routes(state: QuestionnaireState) -> list[tuple[str, str, Handler]]:
    def write(spec: Callable[[Any], Any], apply: Callable[[Any, Document], Document]) -> Handler:
        def run(request: Request, raw: bytes) -> Document:
            person = person_of(request, state.population)
            return apply(person, parse(raw, spec))

        return state.requests.endpoint(run)

    return [
        ("POST", "/spoergeskema/v1/svar", write(ANSWERS, state.submit)),
        ("PUT", "/spoergeskema/v1/samtykke", write(CONSENT, state.set_consent)),
    ]
