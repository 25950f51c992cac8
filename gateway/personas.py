"""The people every demo contains (docs/personas.md): who signs in as whom in demo mode.

`ungeprofil token` fills in their names and organisations, and demo mode's GraphiQL offers
them as a sign-in picker (gateway/graphiql.py). The mock registers hold the same people
(mocks/personas.py); nothing here is used outside demo mode.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Persona:
    sub: str
    role: str
    name: str
    org: str | None = None
    municipality: str | None = None


PERSONAS: tuple[Persona, ...] = (
    Persona("jette.hansen", "contact_person", "Jette Hansen", "Jobcenter København", "0101"),
    Persona("mikkel.holm", "mentor", "Mikkel Holm", "Københavns Kommune", "0101"),
    Persona("sara.nielsen", "business_consultant", "Sara Nielsen", "Københavns Kommune", "0101"),
    Persona("lars.pedersen", "contact_person", "Lars Pedersen", "Jobcenter Aarhus", "0751"),
    Persona("maria.kristensen", "institution_contact", "Maria Kristensen", "851234"),
    Persona("henrik.soerensen", "privacy_officer", "Henrik Sørensen", "Københavns Kommune", "0101"),
    Persona(
        "fagsystem-101",
        "case_system",
        "Fagsystem, Københavns Kommune",
        "Københavns Kommune",
        "0101",
    ),
    # A team leader: the deadline report of her municipality, no young person's data.
    Persona("birgitte.lund", "manager", "Birgitte Lund", "Jobcenter København", "0101"),
    # Young people sign in as themselves: the subject is their CPR number (fictional).
    Persona("1503044112", "youth", "Anne Jensen"),
    Persona("0211014127", "youth", "Ali Hassan"),
    Persona("2706064136", "youth", "Freja Madsen"),
    Persona("0909034145", "youth", "Jonas Berg"),
    Persona("2101054154", "youth", "Sofie Lund"),
    Persona("3012024163", "youth", "Mads Olsen"),
    Persona("1403064171", "youth", "Emil Friis"),
)

BY_SUBJECT = {persona.sub: persona for persona in PERSONAS}
