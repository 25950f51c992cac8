"""The personas of PERSONAS.md as decision inputs, written out by hand for T = 2026-11-23.

Facts are what the gateway would assemble from the registers for each young person (README.md
of gateway/policies); dates are T ± the offsets PERSONAS.md gives. Nothing here is read from
the policy's catalogue, so a wrong catalogue makes the table tests fail.
"""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

T = date(2026, 11, 23)


def day(offset: int) -> str:
    return (T + timedelta(days=offset)).isoformat()


def no_facts(exists: bool = True, municipality: str | None = "0101") -> dict[str, Any]:
    return {
        "exists": exists,
        "municipality": municipality,
        "open_cases": [],
        "assignments": [],
        "offers": [],
        "education_order": {"active": False, "step": None},
        "enrolments": [],
        "health_consent": False,
    }


def case_in(municipality: str) -> dict[str, Any]:
    return {"municipality": municipality, "from": day(-240), "to": None}


def assignment(subject: str, municipality: str = "0101") -> dict[str, Any]:
    return {"subject": subject, "municipality": municipality, "from": day(-240), "to": None}


def offer(kind: str, subject: str, start: int, end: int | None) -> dict[str, Any]:
    return {
        "id": f"{kind.lower()}-{subject}",
        "type": kind,
        "subject": subject,
        "municipality": "0101",
        "from": day(start),
        "to": None if end is None else day(end),
    }


# Anne: contact person Jette, internship with Sara (T-30..T+45), mentor Mikkel (T-60..T+60),
# admitted at Grøn Erhvervsskole (851234) starting T+40 with an education order (step 3),
# health answers shared.
ANNE = {
    **no_facts(),
    "open_cases": [case_in("0101")],
    "assignments": [assignment("jette.hansen")],
    "offers": [
        offer("VIRKSOMHEDSPRAKTIK", "sara.nielsen", -30, 45),
        offer("MENTOR", "mikkel.holm", -60, 60),
    ],
    "education_order": {"active": True, "step": 3},
    "enrolments": [
        {
            "institution": "851234",
            "status": "ADMITTED",
            "admitted_on": day(-53),
            "starts_on": day(40),
            "ends_on": None,
        }
    ],
    "health_consent": True,
}

# Ali: contact person Jette; mentor offer with Mikkel ended T-30; health answers not shared.
ALI = {
    **no_facts(),
    "open_cases": [case_in("0101")],
    "assignments": [assignment("jette.hansen")],
    "offers": [offer("MENTOR", "mikkel.holm", -150, -30)],
    "health_consent": False,
}

# Freja: contact person Jette; admitted through KOT to a bachelor programme (not Grøn
# Erhvervsskole), no education order.
FREJA = {
    **no_facts(),
    "open_cases": [case_in("0101")],
    "assignments": [assignment("jette.hansen")],
    "enrolments": [
        {
            "institution": "101535",
            "status": "ADMITTED",
            "admitted_on": day(-120),
            "starts_on": day(270),
            "ends_on": None,
        }
    ],
}

# Jonas: contact person Jette; started EUD at Grøn Erhvervsskole T-90 with an education order;
# the municipality's subscription in UDB is open.
JONAS = {
    **no_facts(),
    "open_cases": [case_in("0101")],
    "assignments": [assignment("jette.hansen")],
    "education_order": {"active": True, "step": 3},
    "enrolments": [
        {
            "institution": "851234",
            "status": "ENROLLED",
            "admitted_on": day(-160),
            "starts_on": day(-90),
            "ends_on": None,
        }
    ],
}

# Sofie: Aarhus (0751), case worker Lars Pedersen.
SOFIE = {
    **no_facts(municipality="0751"),
    "open_cases": [case_in("0751")],
    "assignments": [assignment("lars.pedersen", "0751")],
}

# Mads: known to the registers, no relationship with anyone.
MADS = no_facts()

# A CPR no register knows.
UNKNOWN = no_facts(exists=False, municipality=None)

YOUNG_PEOPLE: dict[str, tuple[str, dict[str, Any]]] = {
    "anne": ("1503044112", ANNE),
    "ali": ("0211014127", ALI),
    "freja": ("2706064136", FREJA),
    "jonas": ("0909034145", JONAS),
    "sofie": ("2101054154", SOFIE),
    "mads": ("3012024163", MADS),
    "unknown": ("0101010101", UNKNOWN),
}

# The windows POLICY.md draws, as four more young people on T (not PERSONAS.md's: they sign in
# as nobody). Each has a relationship that has just lapsed or just holds.

# Moved to Aarhus: Jette's assignment in Copenhagen was left open, and the case moved with her.
MOVED = {
    **no_facts(municipality="0751"),
    "open_cases": [case_in("0751")],
    "assignments": [assignment("jette.hansen")],
}

# Enrolled at Grøn Erhvervsskole with an education order, until yesterday.
ENROLMENT_ENDED = {
    **no_facts(),
    "education_order": {"active": True, "step": 3},
    "enrolments": [
        {
            "institution": "851234",
            "status": "ENROLLED",
            "admitted_on": day(-160),
            "starts_on": day(-90),
            "ends_on": day(-1),
        }
    ],
}


def wage_subsidy(start: str) -> dict[str, Any]:
    return {
        "id": f"loentilskud-{start}",
        "type": "LOENTILSKUD",
        "subject": "sara.nielsen",
        "municipality": "0101",
        "from": start,
        "to": None,
    }


# A wage subsidy with Sara from T + 3 calendar months (2027-02-23): she may look now...
INTERNSHIP_IN_3_MONTHS = {**no_facts(), "offers": [wage_subsidy("2027-02-23")]}
# ...and one a day later: not yet.
INTERNSHIP_IN_3_MONTHS_AND_A_DAY = {**no_facts(), "offers": [wage_subsidy("2027-02-24")]}

BOUNDARY_PEOPLE: dict[str, tuple[str, dict[str, Any]]] = {
    "moved": ("0105054008", MOVED),
    "enrolment_ended": ("1107064019", ENROLMENT_ENDED),
    "internship_in_3_months": ("2309024027", INTERNSHIP_IN_3_MONTHS),
    "internship_in_3_months_and_a_day": ("0412034035", INTERNSHIP_IN_3_MONTHS_AND_A_DAY),
}

#: Everyone the policy table decides about.
TABLE_PEOPLE = {**YOUNG_PEOPLE, **BOUNDARY_PEOPLE}

PROFESSIONALS: dict[str, dict[str, str]] = {
    "jette.hansen": {
        "sub": "jette.hansen",
        "role": "contact_person",
        "org": "Jobcenter København",
        "municipality": "0101",
    },
    "mikkel.holm": {
        "sub": "mikkel.holm",
        "role": "mentor",
        "org": "Københavns Kommune",
        "municipality": "0101",
    },
    "sara.nielsen": {
        "sub": "sara.nielsen",
        "role": "business_consultant",
        "org": "Jobcenter København",
        "municipality": "0101",
    },
    "lars.pedersen": {
        "sub": "lars.pedersen",
        "role": "contact_person",
        "org": "Jobcenter Aarhus",
        "municipality": "0751",
    },
    "maria.kristensen": {
        "sub": "maria.kristensen",
        "role": "institution_contact",
        "org": "851234",
        "municipality": "0101",
    },
    "henrik.soerensen": {
        "sub": "henrik.soerensen",
        "role": "privacy_officer",
        "org": "Københavns Kommune",
        "municipality": "0101",
    },
    "fagsystem-101": {
        "sub": "fagsystem-101",
        "role": "case_system",
        "org": "Københavns Kommune",
        "municipality": "0101",
    },
    "birgitte.lund": {
        "sub": "birgitte.lund",
        "role": "manager",
        "org": "Jobcenter København",
        "municipality": "0101",
    },
}


def youth_subject(person: str) -> dict[str, str]:
    cpr, facts = YOUNG_PEOPLE[person]
    return {"sub": cpr, "role": "youth", "org": "", "municipality": facts["municipality"] or ""}


def callers() -> dict[str, dict[str, str]]:
    """Everyone who asks: the professionals, and each known young person as themself."""
    who = dict(PROFESSIONALS)
    for person in YOUNG_PEOPLE:
        if person != "unknown":
            who[person] = youth_subject(person)
    return who


def decision_input(
    caller: dict[str, str], person: str, purpose: str, on: date = T
) -> dict[str, Any]:
    cpr, facts = TABLE_PEOPLE[person]
    return {
        "subject": dict(caller),
        "purpose": purpose,
        "cpr": cpr,
        "date": on.isoformat(),
        "facts": copy.deepcopy(facts),
    }
