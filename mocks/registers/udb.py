"""Ungedatabasen (STIL): schooling, support needs, dropout risk, contacts; relationships.

The exchange parts (support needs, contacts, dropout risk, subscriptions) render from an
exchange record (`mocks.state`): in a running app the live state's, which writes change; read
on their own (tests, tools) a record built from the facts, which is where the state starts.
"""

from __future__ import annotations

from datetime import date

from mocks.faults import Faults
from mocks.model import Course, Person
from mocks.population import Population
from mocks.registers import Document, LiveRoute, Lookup, Query, Register
from mocks.state import exchange_routes
from mocks.state.exchange import ExchangeState
from mocks.state.records import (
    ExchangeRecord,
    contact_section,
    dropout_section,
    order_wire,
    support_section,
)
from mocks.state.seeding import record_from_facts
from mocks.wire import email, ident, noise, phone

SU_CLIP_FRAME = 70


def render(person: Person, population: Population, query: Query) -> Document:
    return _render(person, population, query, record_from_facts(person))


def _render(
    person: Person, population: Population, query: Query, record: ExchangeRecord
) -> Document:
    doc: Document = {"cpr": person.cpr, "bopaelskommunekode": person.municipality}
    if "uddannelser" in query.sections:
        doc["uddannelser"] = _schooling(person, population.reference_date)
    if "stoettebehov" in query.sections:
        doc["stoettebehov"] = support_section(record, order_wire(person, with_institution=True))
    if "frafald" in query.sections:
        doc["frafald"] = dropout_section(record)
    if "kontakt" in query.sections:
        doc["kontakt"] = contact_section(record, _kui_contact(person))
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
        "ungdomsuddannelseGennemfoert": _youth_education_completed(person),
        "suKlipBrugt": 0,
        "suKlipRamme": SU_CLIP_FRAME,
        "upv": _readiness_assessments(person, today),
    }


def _youth_education_completed(person: Person) -> date | None:
    """The day the first youth education (a gymnasial one, or a whole EUD) was completed; a
    completed EUD course in the mock is the whole programme, never a part."""
    done = [
        c.end
        for c in person.courses
        if c.kind in ("GYMNASIAL", "EUD") and c.status == "GENNEMFOERT" and c.end is not None
    ]
    return min(done, default=None)


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


def _kui_contact(person: Person) -> Document | None:
    kui = person.kui_contact
    if kui is None:
        return None
    return {
        "navn": kui.name,
        "telefon": phone(kui.name),
        "email": email(kui.name, kui.organisation),
    }


def relate(person: Person, population: Population) -> Document:
    return _relate(person, record_from_facts(person))


def _relate(person: Person, record: ExchangeRecord) -> Document:
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
        "uddannelsespaalaeg": order_wire(person, with_institution=False),
        "optagelser": enrolments,
        "abonnementer": [s.wire() for s in record.subscriptions],
    }


class LiveUdb:
    """UDB in a running app: reads render from the exchange state the writes change."""

    def __init__(self, population: Population) -> None:
        self.state = ExchangeState(population)

    def render(self, person: Person, population: Population, query: Query) -> Document:
        return _render(person, population, query, self.state.view(person))

    def relate(self, person: Person, population: Population) -> Document:
        return _relate(person, self.state.view(person))

    def routes(self, faults: Faults) -> list[LiveRoute]:
        return exchange_routes.routes(self.state, faults)


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
    live=LiveUdb,
)
