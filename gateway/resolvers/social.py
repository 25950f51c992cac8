"""The municipal social system: action plans on the social area (handleplaner). No sections."""

from __future__ import annotations

from gateway.resolvers import wire
from gateway.resolvers.base import MapContext, Payload, RegisterSpec, whole_document
from schema.categories.social_plans import SocialPlan, SocialPlanLaw, SocialPlanStatus

SPEC = RegisterSpec(label="social", prefix="/social/v1", sections=(), project=whole_document)

_LAWS = {
    "SERVICELOVEN_68A": SocialPlanLaw.SERVICE_ACT_68A,
    "BARNETS_LOV": SocialPlanLaw.CHILDRENS_ACT,
}
_STATUS = {"AKTIV": SocialPlanStatus.ACTIVE, "AFSLUTTET": SocialPlanStatus.CLOSED}


def social_plans(payload: Payload, ctx: MapContext) -> list[SocialPlan]:
    plans = [
        SocialPlan(
            id=wire.text(p.get("planId")),
            law=wire.code(_LAWS, p.get("lov")),
            created=wire.day(p.get("oprettet")),
            status=wire.code(_STATUS, p.get("status")),
            administration=wire.opt_text(p.get("forvaltning")),
        )
        for p in wire.items(payload.get("handleplaner"))
    ]
    plans.sort(key=lambda p: p.created, reverse=True)
    return plans
