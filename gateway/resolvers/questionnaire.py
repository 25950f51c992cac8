"""The Jobnet questionnaire (STAR): the young person's answers (`svar`), health (`helbred`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gateway.resolvers import wire
from gateway.resolvers.base import MapContext, Payload, RegisterSpec, section_projection
from schema.categories.health import Health
from schema.categories.questionnaire import (
    Barrier,
    Goal,
    GoalType,
    NetworkStrength,
    Questionnaire,
)

# The answered date (`besvaret`) is top-level and belongs to both sections.
SPEC = RegisterSpec(
    label="questionnaire",
    prefix="/spoergeskema/v1",
    sections=("svar", "helbred"),
    project=section_projection("besvaret"),
)

_GOALS = {"UDDANNELSE": GoalType.EDUCATION, "JOB": GoalType.JOB, "VED_IKKE": GoalType.DONT_KNOW}
_NETWORK = {
    "STAERKT": NetworkStrength.STRONG,
    "NOGET": NetworkStrength.SOME,
    "SVAGT": NetworkStrength.WEAK,
    "INTET": NetworkStrength.NONE,
}
_BARRIERS = {
    "OEKONOMI": Barrier.FINANCES,
    "BOLIG": Barrier.HOUSING,
    "TRANSPORT": Barrier.TRANSPORT,
    "MISBRUG": Barrier.SUBSTANCE_ABUSE,
    "SPROG": Barrier.LANGUAGE,
    "FAMILIE": Barrier.FAMILY,
    "ANDET": Barrier.OTHER,
}


def questionnaire(payload: Payload, ctx: MapContext) -> Questionnaire:
    data = wire.obj(payload["svar"])
    goal = wire.opt_obj(data.get("maal"))
    network = data.get("netvaerk")
    return Questionnaire(
        answered=wire.day(payload.get("besvaret")),
        goal=None
        if goal is None
        else Goal(type=wire.code(_GOALS, goal.get("type")), text=wire.opt_text(goal.get("tekst"))),
        self_belief=wire.opt_integer(data.get("troPaaSigSelv")),
        network=None if network is None else wire.code(_NETWORK, network),
        barriers=[
            wire.open_code(_BARRIERS, b, Barrier.OTHER) for b in wire.texts(data.get("barrierer"))
        ],
        children_at_home=wire.opt_integer(data.get("boernIHjemmet")),
    )


def health(payload: Payload, ctx: MapContext) -> Health:
    data = wire.obj(payload["helbred"])
    psychiatry = data.get("kontaktPsykiatri")
    return Health(
        answered=wire.day(payload.get("besvaret")),
        mental_health=wire.integer(data.get("mentaltHelbred")),
        physical_health=wire.integer(data.get("fysiskHelbred")),
        contact_with_psychiatry=None if psychiatry is None else wire.flag(psychiatry),
        shared_with_contact_person=wire.flag(data.get("delesMedKontaktperson")),
    )


def facts(document: Payload, today: dt.date) -> dict[str, Any]:
    """The questionnaire part of the facts: consent to share health answers."""
    return {"health_consent": wire.flag(document.get("helbredDelesMedKontaktperson"))}
