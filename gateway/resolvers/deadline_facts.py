"""The facts the deadline rules read (gateway/deadlines), from DFDG and UDB.

The category `deadlines` is derived: the one category built from sections of two registers'
loaders and no section of its own — DFDG's casework (`sagsforloeb`: cases, conversations,
visitations, the education order, exemptions, the test, a coordinating case worker offered) and
Min Plan's offers (`plan`), and UDB's education history (`uddannelser`: courses and a completed
youth education), support needs (`stoettebehov`: when the school was notified and answered)
and dropout-risk notices (`frafald`). The registers' answers become plain dated facts here; the
rules never see a wire format.
"""

from __future__ import annotations

from typing import Any

from gateway.deadlines.facts import (
    Case,
    Conversation,
    Course,
    DropoutNotice,
    Exemption,
    Offer,
    OrderStep,
    Visitation,
    YouthFacts,
)
from gateway.resolvers import wire
from gateway.resolvers.base import MapContext, Payload
from schema.cpr import birth_date

#: (register, section) pairs the category reads, in the order `deadline_facts` takes them.
READS: tuple[tuple[str, str], ...] = (
    ("dfdg", "sagsforloeb"),
    ("dfdg", "plan"),
    ("udb", "uddannelser"),
    ("udb", "stoettebehov"),
    ("udb", "frafald"),
)

_VISITATIONS = {
    "AABENLYST_UDDANNELSESPARAT": "OBVIOUSLY_EDUCATION_READY",
    "UDDANNELSESPARAT": "EDUCATION_READY",
    "AKTIVITETSPARAT": "ACTIVITY_READY",
    "JOBPARAT": "JOB_READY",
    "IKKE_VISITERET": "NOT_VISITED",
}
_EXEMPTIONS = {"SYGDOM": "ILLNESS", "ORLOV": "LEAVE", "STU": "STU", "BEHANDLING": "TREATMENT"}
_CLOSE_REASONS = {
    "UDDANNELSE": "EDUCATION",
    "JOB": "JOB",
    "ALDER_30": "AGE_30",
    "YDELSE_OPHOERT": "BENEFIT_ENDED",
    "FRAFLYTNING": "MOVED",
}


def employment_side(casework: Payload | None, plan: Payload | None) -> dict[str, Any]:
    """DFDG's part of the facts."""
    facts: dict[str, Any] = {}
    if casework is not None:
        facts |= _casework(wire.obj(casework["sagsforloeb"]))
    if plan is not None:
        facts["offers"] = _offers(wire.obj(plan["plan"]))
    return facts


def education_side(
    schooling: Payload | None, support: Payload | None, dropout: Payload | None
) -> dict[str, Any]:
    """UDB's part of the facts."""
    facts: dict[str, Any] = {}
    if schooling is not None:
        facts |= _schooling(wire.obj(schooling["uddannelser"]))
    if support is not None:
        facts |= _support(wire.obj(support["stoettebehov"]))
    if dropout is not None:
        facts["dropout_notices"] = _notices(wire.obj(dropout["frafald"]))
    return facts


def youth_facts(ctx: MapContext, *parts: dict[str, Any]) -> YouthFacts:
    # The CPR gives the birth date (the cases close at 30) without the identity category.
    merged: dict[str, Any] = {}
    for part in parts:
        merged |= part
    return YouthFacts(birth_date=birth_date(ctx.cpr), **merged)


def _casework(data: Payload) -> dict[str, Any]:
    test = wire.opt_obj(data.get("laeseSkriveRegnetest"))
    return {
        "cases": tuple(_case(c) for c in wire.items(data.get("sager"))),
        "conversations": tuple(
            Conversation(wire.day(c.get("dato")), wire.text(c.get("type")))
            for c in wire.items(data.get("samtaler"))
        ),
        "visitations": tuple(
            Visitation(
                wire.day(v.get("dato")),
                _VISITATIONS.get(wire.text(v.get("kategori")), "OTHER"),
                # A register that does not say is taken at its word that it was final.
                final=v.get("endelig") is None or wire.flag(v.get("endelig")),
            )
            for v in wire.items(data.get("visitation"))
        ),
        "order_steps": tuple(
            OrderStep(
                wire.integer(s.get("trin")),
                wire.opt_day(s.get("afgivet")),
                wire.opt_day(s.get("frist")),
                wire.opt_text(s.get("institutionsnummer")),
            )
            for s in wire.items(data.get("uddannelsespaalaeg"))
        ),
        "exemptions": tuple(
            Exemption(
                _EXEMPTIONS.get(wire.text(e.get("aarsag")), "OTHER"),
                wire.day(e.get("fra")),
                wire.opt_day(e.get("til")),
            )
            for e in wire.items(data.get("fritagelser"))
        ),
        "coordinating_caseworker_offered": wire.opt_day(
            data.get("koordinerendeSagsbehandlerTilbudt")
        ),
        "literacy_test": None if test is None else wire.day(test.get("dato")),
    }


def _case(case: Payload) -> Case:
    reason = wire.opt_text(case.get("afslutningsaarsag"))
    return Case(
        case_id=wire.text(case.get("sagId")),
        municipality=wire.text(case.get("kommunekode")).zfill(4),
        first_contact=wire.day(case.get("foersteKontakt")),
        last_day=wire.opt_day(case.get("til")),
        close_reason=None if reason is None else _CLOSE_REASONS.get(reason, "OTHER"),
        job_directed=wire.flag(case.get("jobrettet")),
    )


def _offers(data: Payload) -> tuple[Offer, ...]:
    offers = []
    for o in wire.items(data.get("tilbud")):
        kind = wire.text(o.get("activationType"))
        flagged = o.get("retOgPligt")
        offers.append(
            Offer(
                kind=kind,
                start=wire.day(o.get("start")),
                end=wire.opt_day(o.get("slut")),
                # A register that does not say: every kind but a mentor (L1098).
                right_and_duty=kind != "MENTOR" if flagged is None else wire.flag(flagged),
            )
        )
    return tuple(offers)


def _schooling(data: Payload) -> dict[str, Any]:
    return {
        "youth_education_completed": wire.opt_day(data.get("ungdomsuddannelseGennemfoert")),
        "courses": tuple(
            Course(wire.text(c.get("institutionsnummer")), wire.day(c.get("start")))
            for c in wire.items(data.get("forloeb"))
            if c.get("type") != "GRUNDSKOLE"
        ),
    }


def _support(data: Payload) -> dict[str, Any]:
    """The school was told when the first support-need version reached it; its receipt is the
    first acknowledgement (the older flat fields when a register keeps no versions)."""
    versions = wire.items(data.get("versioner"))
    notified = [wire.opt_day(v.get("underrettetInstitution")) for v in versions]
    receipts = [wire.opt_day(v.get("kvitteretDato")) for v in versions]
    if not versions:
        notified = [wire.opt_day(data.get("underrettetInstitution"))]
    return {
        "school_notified": min((d for d in notified if d is not None), default=None),
        "school_receipt": min((d for d in receipts if d is not None), default=None),
    }


def _notices(data: Payload) -> tuple[DropoutNotice, ...]:
    return tuple(
        DropoutNotice(
            wire.text(n.get("haendelseId")),
            wire.day(n.get("dato")),
            wire.text(n.get("institutionsnummer")),
        )
        for n in wire.items(data.get("notifikationer"))
    )
