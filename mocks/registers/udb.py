"""Ungedatabasen (STIL): schooling, support needs, dropout risk, contacts; relationships."""

from __future__ import annotations

from datetime import date

from mocks.codes import add_months
from mocks.model import Course, Person
from mocks.population import Population
from mocks.registers import Document, Lookup, Query, Register
from mocks.wire import email, ident, noise, phone

SU_CLIP_FRAME = 70


def render(person: Person, population: Population, query: Query) -> Document:
    doc: Document = {"cpr": person.cpr, "bopaelskommunekode": person.municipality}
    if "uddannelser" in query.sections:
        doc["uddannelser"] = _schooling(person, population.reference_date)
    if "stoettebehov" in query.sections:
        doc["stoettebehov"] = _support(person)
    if "frafald" in query.sections:
        doc["frafald"] = {
            "notifikationer": [
                {
                    "haendelseId": ident(person, "frafald", i, n.notice_id),
                    "dato": n.day,
                    "institutionsnummer": n.institution.number,
                    "institutionsnavn": n.institution.name,
                    "aarsag": n.reason,
                    # A dropout-risk note expires after three months (REGISTERS.md 1.1).
                    "udloeber": add_months(n.day, 3),
                    "reageretDato": n.reacted,
                }
                for i, n in enumerate(person.dropout_notices)
            ]
        }
    if "kontakt" in query.sections:
        doc["kontakt"] = _contacts(person)
    return doc


def _schooling(person: Person, today: date) -> Document:
    return {
        "forloeb": [
            {
                "forloebId": ident(person, "forloeb", i),
                "type": c.kind,
                "udd": c.udd,
                "udel": c.udel,
                "navn": c.name,
                "institutionsnummer": c.institution.number,
                "institutionsnavn": c.institution.name,
                "start": c.start,
                "slut": c.end,
                "status": c.status,
                "afbrudsaarsagskode": c.dropout_reason,
                "fguSpor": c.fgu_track,
            }
            for i, c in enumerate(person.courses)
        ],
        "eudForloeb": _eud_progress(person),
        "suKlipBrugt": 0,
        "suKlipRamme": SU_CLIP_FRAME,
        "upv": _readiness_assessments(person, today),
    }


def _eud_progress(person: Person) -> Document | None:
    """GF1, GF2 and main course of the latest EUD course (or admission); an interrupted part
    counts as not completed."""
    eud = [c for c in person.courses if c.kind == "EUD"]
    if not eud:
        return (
            {"grundforloeb1": "IKKE_PAABEGYNDT", "grundforloeb2": "IKKE_PAABEGYNDT",
             "hovedforloeb": "IKKE_PAABEGYNDT"}
            if any(a.kind == "EUD" for a in person.admissions)
            else None
        )  # fmt: skip
    latest: Course = eud[-1]
    parts = {"grundforloeb1": "IKKE_PAABEGYNDT", "grundforloeb2": "IKKE_PAABEGYNDT"}
    part = "grundforloeb1" if latest.udel == "53" else "grundforloeb2"
    if latest.status == "GENNEMFOERT":
        return {"grundforloeb1": "GENNEMFOERT", "grundforloeb2": "GENNEMFOERT",
                "hovedforloeb": "GENNEMFOERT"}  # fmt: skip
    if latest.status == "IGANG":
        parts[part] = "IGANG"
    return {**parts, "hovedforloeb": "IKKE_PAABEGYNDT"}


def _readiness_assessments(person: Person, today: date) -> list[Document]:
    # The education-readiness assessment (UPV) is made in 8th grade, by 1 December.
    assessed = date(person.birth.year + 14, 12, 1)
    if assessed > today:
        return []
    ready = noise(person.seed, "upv") < 0.75
    return [
        {
            "vurderingsdato": assessed,
            "kategori": "EUD" if noise(person.seed, "upv-kat") < 0.5 else "GYMNASIAL",
            "resultat": "UDDANNELSESPARAT" if ready else "IKKE_UDDANNELSESPARAT",
        }
    ]


def _order_summary(person: Person, with_institution: bool) -> Document | None:
    if person.order is None:
        return None
    summary: Document = {"aktiv": person.order.active, "trin": person.order.current_step}
    if with_institution:
        summary["institutionsnummer"] = person.order.steps[-1].institution
    return summary


def _support(person: Person) -> Document:
    need = person.support
    return {
        "uddannelsespaalaeg": _order_summary(person, with_institution=True),
        "behov": None
        if need is None
        else {
            "fagligt": need.academic,
            "socialt": need.social,
            "personligt": need.personal,
            "helbredsmaessigt": need.health,
        },
        "oenskerKontakt": None if need is None else need.wants_contact,
        "registreret": None if need is None else need.registered,
        "underrettetInstitution": None if need is None else need.institution_notified,
    }


def _contacts(person: Person) -> Document:
    kui = person.kui_contact
    return {
        "institutionskontakter": [
            {
                "navn": c.name,
                "institutionsnummer": c.institution.number,
                "institutionsnavn": c.institution.name,
                "rolle": c.role,
                "telefon": phone(c.name),
                "email": email(c.name, c.institution.name),
                "kvitteretDato": c.acknowledged,
            }
            for c in person.institution_contacts
        ],
        "kuiKontakt": None
        if kui is None
        else {
            "navn": kui.name,
            "telefon": phone(kui.name),
            "email": email(kui.name, kui.organisation),
        },
    }


def relate(person: Person, population: Population) -> Document:
    enrolments = [
        {
            "institutionsnummer": c.institution.number,
            "status": c.status,
            "optagetDato": c.admitted,
            "startDato": c.start,
            "slutDato": c.end,
        }
        for c in person.courses
        if c.kind != "GRUNDSKOLE"
    ]
    enrolments += [
        {
            "institutionsnummer": a.institution.number,
            "status": "OPTAGET",
            "optagetDato": a.admitted,
            "startDato": a.start,
            "slutDato": None,
        }
        for a in person.admissions
    ]
    return {
        "cpr": person.cpr,
        "bopaelskommunekode": person.municipality,
        "uddannelsespaalaeg": _order_summary(person, with_institution=False),
        "optagelser": enrolments,
        "abonnementer": [
            {
                "abonnementId": ident(person, "abonnement", i, s.subscription_id),
                "kommunekode": s.municipality,
                "start": s.start,
                "slut": s.end,
            }
            for i, s in enumerate(person.subscriptions)
        ],
    }


REGISTER = Register(
    label="udb",
    prefix="/udb/v1",
    sections=("uddannelser", "stoettebehov", "frafald", "kontakt"),
    render=render,
    relate=relate,
    lookups=(
        Lookup(
            "/institutioner/{institutionsnummer}/elever",
            lambda population, key: population.institution_index.get(key, []),
        ),
    ),
)
