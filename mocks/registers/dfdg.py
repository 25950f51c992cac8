"""Det Fælles Datagrundlag (STAR): identity, benefits, plan, casework, contacts; relationships.

`plan` is Min Plan (goals, when updated and agreed with whom, offers, each marked "ret og
pligt" or not); `sagsforloeb` is the municipality's casework (first contact, the benefit cases
with their own first contact and owning municipality, visitation and whether it was final, the
education order, conversations, agreements, exemptions, a coordinating case worker offered, the
reading/writing/maths test): two sections, so a caller asks for one without getting the other.
The dated parts are what the deadline rules read (DEADLINES.md)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from mocks.codes import municipality_names
from mocks.model import Person, Staff
from mocks.population import Population
from mocks.registers import Document, Lookup, Query, Register
from mocks.wire import email, ident, phone

AGREEMENTS = (
    "Søg tre praktikpladser",
    "Deltag i informationsmøde på erhvervsskolen",
    "Opdater CV på Jobnet",
    "Mød op til samtale med mentor",
)


def render(person: Person, population: Population, query: Query) -> Document:
    doc: Document = {"cpr": person.cpr}
    if "stamdata" in query.sections:
        doc["stamdata"] = {
            "fornavn": person.first_name,
            "efternavn": person.last_name,
            "foedselsdato": person.birth,
            "kommunekode": person.municipality,
            "kommunenavn": municipality_names()[person.municipality],
            "navnebeskyttet": person.name_protected,
        }
    if "forsoergelse" in query.sections:
        group = person.target_group
        doc["forsoergelse"] = {
            "perioder": [
                {
                    "ydelse": b.benefit,
                    "sats": b.rate,
                    "fra": b.start,
                    "til": b.end,
                    "beloebPrMaaned": b.monthly_amount,
                }
                for b in person.benefits
            ],
            "maalgruppe": None
            if group is None
            else {"lab6Nr": group.lab6, "betegnelse": group.label, "fra": group.start},
        }
    if "plan" in query.sections:
        doc["plan"] = _plan(person)
    if "sagsforloeb" in query.sections:
        doc["sagsforloeb"] = _casework(person, population.reference_date)
    if "kontakt" in query.sections:
        doc["kontakt"] = {
            "kontaktpersoner": [
                {
                    "medarbejderId": a.staff.staff_id,
                    "navn": a.staff.name,
                    "rolle": a.role,
                    "organisation": a.staff.organisation,
                    "kommunekode": a.staff.municipality,
                    "telefon": phone(a.staff.name),
                    "email": email(a.staff.name, a.staff.organisation),
                    "fra": a.start,
                    "til": a.end,
                }
                for a in person.assignments
            ]
        }
    return doc


def _plan(person: Person) -> Document:
    plan = person.plan
    agreed_with = _goals_agreed_with(person)
    return {
        "minPlan": None
        if plan is None
        else {
            "senestOpdateret": plan.updated,
            "uddannelsesmaal": plan.education_goal,
            "jobmaal": plan.job_goals,
            "aftaltMed": None
            if agreed_with is None
            else {"medarbejderId": agreed_with.staff_id, "navn": agreed_with.name},
        },
        "tilbud": [
            {
                "activityIdentifier": ident(person, "tilbud", i, o.offer_id),
                "activationType": o.activation_type,
                "start": o.start,
                "slut": o.end,
                "hoursPerWeek": o.hours_per_week,
                "minutesPerWeek": 0,
                "cvr": o.cvr,
                "virksomhed": o.company,
                "ansvarlig": {"medarbejderId": o.holder.staff_id, "navn": o.holder.name},
                "retOgPligt": o.is_right_and_duty,
            }
            for i, o in enumerate(person.offers)
        ],
    }


def _goals_agreed_with(person: Person) -> Staff | None:
    """Min Plan's goals are agreed with the contact person ("Aftalt med Jette Hansen"): the
    one assigned when the plan was last updated, else the latest one."""
    if person.plan is None:
        return None
    contacts = [a for a in person.assignments if a.role == "KONTAKTPERSON"]
    updated = person.plan.updated
    for a in contacts:
        if a.start <= updated and (a.end is None or updated <= a.end):
            return a.staff
    return max(contacts, key=lambda a: a.start).staff if contacts else None


def _casework(person: Person, today: date) -> Document:
    plan = person.plan
    rng = random.Random(person.seed * 7 + 1)
    agreements = plan.agreements if plan else None
    talks = plan.talks if plan else None
    if plan is not None and agreements is None:
        agreements = [
            {
                "dato": plan.updated,
                "tekst": rng.choice(AGREEMENTS),
                "frist": plan.updated + timedelta(rng.randrange(14, 60)),
            }
            for _ in range(rng.randrange(0, 3))
        ]
    if plan is not None and talks is None and plan.first_contact is not None:
        talks = _talks(rng, plan.first_contact, today)
    if person.conversations is not None:
        talks = person.conversations
    return {
        "foersteKontakt": plan.first_contact if plan else None,
        "sager": [
            {
                "sagId": ident(person, "sag", i),
                "kommunekode": c.municipality,
                "foersteKontakt": c.first_contact or c.start,
                "fra": c.start,
                "til": c.end,
                "afslutningsaarsag": c.close_reason,
                "jobrettet": c.job_directed,
            }
            for i, c in enumerate(person.cases)
        ],
        "visitation": [
            {"kategori": v.category, "dato": v.day, "endelig": v.final} for v in person.visitations
        ],
        "uddannelsespaalaeg": [
            {
                "id": ident(person, "paalaeg", s.step),
                "trin": s.step,
                "afgivet": s.issued,
                "frist": s.deadline,
                "opfyldt": s.fulfilled,
                "udd": s.udd,
                "institutionsnummer": s.institution,
            }
            for s in (person.order.steps if person.order else [])
        ],
        "samtaler": talks or [],
        "aftaler": agreements or [],
        "laeseSkriveRegnetest": person.literacy_test,
        "fritagelser": [
            {"aarsag": e.reason, "fra": e.start, "til": e.end} for e in person.exemptions
        ],
        "koordinerendeSagsbehandlerTilbudt": person.coordinator_offered,
    }


def _talks(rng: random.Random, first_contact: date, today: date) -> list[Document]:
    talks: list[Document] = []
    day = first_contact + timedelta(rng.randrange(1, 7))
    kind = "FOERSTE_SAMTALE"
    while day <= today and len(talks) < 8:
        form = rng.choices(("FREMMOEDE", "TELEFON", "VIDEO"), (6, 3, 1))[0]
        talks.append({"type": kind, "dato": day, "form": form})
        kind = rng.choice(("JOBSAMTALE", "JOBSAMTALE", "RAADIGHEDSSAMTALE", "CV_SAMTALE"))
        day += timedelta(rng.randrange(25, 90))
    return talks


def relate(person: Person, population: Population) -> Document:
    return {
        "cpr": person.cpr,
        "kommunekode": person.municipality,
        "sager": [
            {"kommunekode": c.municipality, "aaben": c.is_open, "fra": c.start, "til": c.end}
            for c in person.cases
        ],
        "kontaktpersoner": [
            {
                "medarbejderId": a.staff.staff_id,
                "kommunekode": a.staff.municipality,
                "fra": a.start,
                "til": a.end,
            }
            for a in person.assignments
        ],
        "tilbud": [
            {
                "activityIdentifier": ident(person, "tilbud", i, o.offer_id),
                "activationType": o.activation_type,
                "medarbejderId": o.holder.staff_id,
                "kommunekode": o.holder.municipality,
                "start": o.start,
                "slut": o.end,
            }
            for i, o in enumerate(person.offers)
        ],
    }


REGISTER = Register(
    label="dfdg",
    prefix="/dfdg/v1",
    sections=("stamdata", "forsoergelse", "plan", "sagsforloeb", "kontakt"),
    render=render,
    relate=relate,
    lookups=(
        Lookup(
            "/medarbejdere/{medarbejderId}/borgere",
            lambda population, key: population.staff_index.get(key, []),
        ),
        Lookup(
            "/kommuner/{kommunekode}/sager",
            lambda population, key: population.municipality_index.get(key, []),
        ),
        Lookup(
            "/kommuner/{kommunekode}/sagshistorik",
            lambda population, key: population.case_history_index.get(key, []),
        ),
    ),
)
