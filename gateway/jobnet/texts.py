"""The Danish words of the Jobnet pages: dates, categories, roles, purposes, registers, legal
bases and the policy's reasons, in the plain language a young person reads.

Presentation only: what is allowed, and why, is the policy's answer (it arrives in English
through GraphQL); this module only says it in Danish. An unknown code is shown as it came, so a
new role or purpose never breaks a page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from gateway.clock import DENMARK

MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)


def date_da(value: dt.date | str | None) -> str:
    """ "1. august 2026" (a date or an ISO date string); "" for None."""
    if value is None or value == "":
        return ""
    day = dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def moment_da(value: str | dt.datetime | None) -> str:
    """ "1. august 2026 kl. 14.05", in Danish time, from an ISO timestamp (UTC)."""
    if not value:
        return ""
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    local = moment.astimezone(DENMARK)
    return f"{date_da(local.date())} kl. {local.hour:02d}.{local.minute:02d}"


def join_da(items: Iterable[str]) -> str:
    """ "a, b og c"."""
    words = [item for item in items if item]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} og {words[-1]}"


#: Each category: its heading, the noun a reason names, and what it is used for.
CATEGORIES: dict[str, dict[str, str]] = {
    "identity": {
        "title": "Navn og fødselsdato",
        "noun": "navn og fødselsdato",
        "use": "så de rigtige personer kan finde dig og tale med dig",
    },
    "schooling": {
        "title": "Uddannelser",
        "noun": "skolegang",
        "use": "til at finde den uddannelse, der passer til dig, og se hvad du allerede har klaret",
    },
    "grades": {
        "title": "Karakterer fra afgangsprøven",
        "noun": "karakterer",
        "use": "til dit eget overblik",
    },
    "employment": {
        "title": "Job og fritidsjob",
        "noun": "job",
        "use": "til at vejlede dig om job og om reglen om 225 timers arbejde",
    },
    "income": {
        "title": "Indkomst",
        "noun": "indkomst",
        "use": "til at beregne din ydelse",
    },
    "benefits": {
        "title": "Offentlig forsørgelse",
        "noun": "offentlig forsørgelse",
        "use": "til at se hvilken ydelse du får, og hvor længe du har fået den",
    },
    "admissions": {
        "title": "Optagelse",
        "noun": "optagelse",
        "use": "til at forberede din start på uddannelsen",
    },
    "plan": {
        "title": "Min plan",
        "noun": "plan",
        "use": "til at planlægge vejen til dit mål sammen med dig",
    },
    "casework": {
        "title": "Aftaler og uddannelsespålæg",
        "noun": "sagsforløb",
        "use": "til at holde styr på samtaler, aftaler og uddannelsespålæg",
    },
    "contacts": {
        "title": "Kontakter",
        "noun": "kontaktpersoner",
        "use": "så du og din skole ved, hvem I kan kontakte",
    },
    "support_needs": {
        "title": "Uddannelsespålæg og støtte",
        "noun": "støttebehov",
        "use": "så din skole kan tage godt imod dig og give dig den støtte, du har brug for",
    },
    "dropout_risk": {
        "title": "Besked om fravær eller frafald",
        "noun": "besked om risiko for frafald",
        "use": "så kommunen kan hjælpe dig med at blive på uddannelsen",
    },
    "questionnaire": {
        "title": "Svar på spørgeskemaet",
        "noun": "svar på spørgeskemaet",
        "use": "til jeres første samtale, så den tager udgangspunkt i dig",
    },
    "health": {
        "title": "Svar om helbred",
        "noun": "svar om helbred",
        "use": "så din kontaktperson kan tage hensyn til dit helbred, hvis du vil dele dem",
    },
    "social_plans": {
        "title": "Handleplan på det sociale område",
        "noun": "handleplaner på det sociale område",
        "use": "til dit eget overblik",
    },
}


def category_title(category: str) -> str:
    return CATEGORIES.get(category, {}).get("title", category)


def category_noun(category: str) -> str:
    return CATEGORIES.get(category, {}).get("noun", category)


ROLES = {
    "youth": "Dig selv",
    "contact_person": "Din kontaktperson i jobcentret",
    "mentor": "Din mentor",
    "business_consultant": "Virksomhedskonsulenten, der finder din praktik",
    "institution_contact": "Din uddannelsesinstitution",
    "case_system": "Kommunens sagssystem",
    "privacy_officer": "Kommunens databeskyttelsesrådgiver",
    "manager": "Lederen i jobcentret",
}

#: A role as a job title (the case worker's banner, the access log).
ROLE_TITLES = {
    "youth": "ung",
    "contact_person": "kontaktperson",
    "mentor": "mentor",
    "business_consultant": "virksomhedskonsulent",
    "institution_contact": "kontaktperson på uddannelsesstedet",
    "case_system": "sagssystem",
    "privacy_officer": "databeskyttelsesrådgiver",
    "manager": "leder",
}


def role_da(role: str) -> str:
    return ROLES.get(role, role)


def role_title(role: str) -> str:
    return ROLE_TITLES.get(role, role)


PURPOSES = {
    "SELF": "Dit eget overblik",
    "VISITATION": "Visitation",
    "PLANNING": "Planlægning",
    "EDUCATION_START": "Uddannelsesstart",
    "RETENTION": "Fastholdelse i uddannelse",
    "MENTORING": "Mentorstøtte",
    "JOB_PLACEMENT": "Praktik eller løntilskud",
    "CASE_RECORD": "Kommunens journal",
    "SUPERVISION": "Tilsyn",
    "MANAGEMENT_SUPERVISION": "Ledelsestilsyn",
}


def purpose_da(purpose: str) -> str:
    return PURPOSES.get(purpose, purpose)


#: The registers as `REGISTER_UNAVAILABLE` names them.
REGISTERS = {
    "grades": "Karakterdatabasen",
    "udb": "Ungedatabasen",
    "dfdg": "Det fælles datagrundlag (DFDG)",
    "eindkomst": "eIndkomst",
    "admissions": "Optagelse.dk",
    "questionnaire": "Jobnets spørgeskema",
    "social": "Kommunens sociale system",
}


def register_da(register: str | None) -> str:
    return REGISTERS.get(register or "", "Et register")


#: The legal bases in plain Danish, short enough for a table cell.
LEGAL_BASES = {
    "GDPR-15": "Din ret til indsigt",
    "GDPR-13-14": "Din ret til at vide, hvem der bruger dine oplysninger",
    "GDPR-9-2-A": "Dit samtykke",
    "GDPR-39": "Databeskyttelsesrådgiverens tilsyn",
    "LOU-DFDG": "Beskæftigelsesloven og det fælles datagrundlag",
    "KUI-15D-2-1": "Loven om kommunal ungeindsats, § 15 d",
    "KUI-15D-2-2": "Loven om kommunal ungeindsats, § 15 d (til skolen)",
    "KUI-12C": "Loven om kommunal ungeindsats, § 12 c (skolens besked)",
    "LAB-30-7": "Beskæftigelsesloven, § 30, stk. 7 (til skolen)",
    "DFDG-BEK-44-2": "Bekendtgørelsen om det fælles datagrundlag, § 44",
    "INDKOMSTREG-7": "Kommunens adgang til eIndkomst",
    "OWN-ANSWERS": "De svar, du selv har givet",
    "MUNICIPAL-DUTIES": "Kommunens pligter og frister over for dig",
}


def legal_basis_da(basis: str) -> str:
    return LEGAL_BASES.get(basis, basis)


def reason_da(reason: str | None, category: str | None = None) -> str:
    """The policy's reason for a refusal, in Danish ("ingen lovhjemmel for karakterer")."""
    text = (reason or "").lower()
    noun = category_noun(category) if category else "oplysningerne"
    if "not consented" in text or "consent" in text:
        return "den unge har ikke givet samtykke"
    if text.startswith("no legal basis"):
        return f"ingen lovhjemmel for {noun}"
    if "may not see" in text:
        return f"din rolle giver ikke adgang til {noun}"
    if "no current relationship" in text:
        return "ingen aktuel relation til den unge"
    if "is not a purpose of role" in text:
        return "formålet hører ikke til din rolle"
    if "sees no personal data" in text:
        return "din rolle giver ikke adgang til oplysninger om unge"
    if "could not decide" in text:
        return "reglerne kunne ikke afgøres lige nu, så intet er vist"
    return "reglerne giver ikke adgang"


GOALS = {"EDUCATION": "Uddannelse", "JOB": "Job", "DONT_KNOW": "Ved ikke endnu"}

NETWORK = {
    "STRONG": "Stærkt – jeg har mange at støtte mig til",
    "SOME": "Nogle – jeg har et par stykker",
    "WEAK": "Svagt – jeg har få",
    "NONE": "Ingen – jeg har ingen at støtte mig til",
}

BARRIERS = {
    "FINANCES": "Økonomi",
    "HOUSING": "Bolig",
    "TRANSPORT": "Transport",
    "SUBSTANCE_ABUSE": "Misbrug",
    "LANGUAGE": "Sprog",
    "FAMILY": "Familie",
    "OTHER": "Andet",
}

SCALE = {
    1: "1 – meget dårligt",
    2: "2 – dårligt",
    3: "3 – hverken godt eller dårligt",
    4: "4 – godt",
    5: "5 – meget godt",
}

BELIEF = {
    1: "1 – slet ikke",
    2: "2 – lidt",
    3: "3 – noget",
    4: "4 – meget",
    5: "5 – rigtig meget",
}

OFFERS = {
    "INTERNSHIP": ("Virksomhedspraktik", "prøve et fag af og få erfaring på en arbejdsplads"),
    "WAGE_SUBSIDY": ("Job med løntilskud", "arbejde på en arbejdsplads og lære faget"),
    "MENTOR": ("Mentor", "støtte til at komme godt i gang og holde fast"),
    "GUIDANCE_AND_UPSKILLING": ("Vejledning og opkvalificering", "blive klar til uddannelse"),
    "OTHER": ("Tilbud", "komme tættere på dit mål"),
}

BENEFITS = {
    "EDUCATION_ASSISTANCE": "uddannelseshjælp",
    "CASH_BENEFIT": "kontanthjælp",
    "TRANSITION_BENEFIT": "overgangsydelse",
    "SICKNESS_BENEFIT": "sygedagpenge",
    "UNEMPLOYMENT_BENEFIT": "dagpenge",
    "REHABILITATION": "revalidering eller ressourceforløb",
    "OTHER": "en anden ydelse",
}

COURSE_TYPES = {
    "PRIMARY_SCHOOL": "Grundskole",
    "TENTH_GRADE": "10. klasse",
    "VOCATIONAL": "Erhvervsuddannelse",
    "UPPER_SECONDARY": "Gymnasial uddannelse",
    "PREPARATORY_BASIC": "FGU",
    "SPECIAL_YOUTH": "STU",
    "HIGHER": "Videregående uddannelse",
}

COURSE_STATUS = {"IN_PROGRESS": "I gang", "COMPLETED": "Gennemført", "INTERRUPTED": "Afbrudt"}

APPLICATION_STATUS = {
    "AWAITING_ALLOCATION": "Venter på fordeling",
    "ALLOCATED": "Fordelt",
    "IN_PROCESS": "Under behandling",
    "NOT_CURRENT": "Ikke aktuel",
    "ADMITTED": "Optaget",
    "REJECTED": "Ikke optaget",
    "NOT_ADMITTED": "Ikke optaget",
    "WAITING_LIST": "På venteliste",
    "APPLIED": "Søgt",
    "OTHER": "Anden status",
}

CONTACT_ROLES = {
    "CONTACT_PERSON": "Kontaktperson",
    "COORDINATING_CASE_WORKER": "Koordinerende sagsbehandler",
    "MENTOR": "Mentor",
    "BUSINESS_CONSULTANT": "Virksomhedskonsulent",
    "CONTACT_TEACHER": "Kontaktlærer",
    "STUDY_COUNSELLOR": "Studievejleder",
    "KUI_CONTACT": "Kontaktperson i den kommunale ungeindsats",
}

SUBJECTS = {
    "DANSK": "Dansk",
    "MATEMATIK": "Matematik",
    "ENGELSK": "Engelsk",
    "FYSIK_KEMI": "Fysik/kemi",
    "NATURFAG_FAELLESPROEVE": "Naturfag (fællesprøve)",
    "HISTORIE": "Historie",
    "SAMFUNDSFAG": "Samfundsfag",
    "KRISTENDOMSKUNDSKAB": "Kristendomskundskab",
    "TYSK": "Tysk",
    "FRANSK": "Fransk",
    "BIOLOGI": "Biologi",
    "GEOGRAFI": "Geografi",
}

EXAM_PARTS = {
    "LAESNING": "læsning",
    "RETSKRIVNING": "retskrivning",
    "SKRIFTLIG_FREMSTILLING": "skriftlig fremstilling",
    "UDEN_HJAELPEMIDLER": "uden hjælpemidler",
    "MED_HJAELPEMIDLER": "med hjælpemidler",
}

DROPOUT_REASONS = {
    "ABSENCE": "fravær",
    "ACADEMIC": "faglige udfordringer",
    "WELLBEING": "trivsel",
    "FINANCES": "økonomi",
    "OTHER": "andet",
}

EDUCATION_ORDER = {
    1: "Trin 1: Du skal sammen med din kontaktperson finde uddannelser, der passer til dig",
    2: "Trin 2: Du skal søge optagelse på en uddannelse",
    3: "Trin 3: Du skal starte på uddannelsen og gennemføre den",
}

SOCIAL_PLAN_LAWS = {
    "SERVICE_ACT_68A": "Handleplan for unge voksne (serviceloven § 68 a)",
    "CHILDRENS_ACT": "Handleplan efter barnets lov",
}


def subject_da(subject: str, part: str | None = None) -> str:
    name = SUBJECTS.get(subject, subject.replace("_", " ").capitalize())
    return f"{name}, {EXAM_PARTS.get(part, part.lower())}" if part else name


def hours_da(value: float | None) -> str:
    """ "325,3" (one decimal, Danish comma; no decimal for whole numbers)."""
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value)}"
    return f"{value:.1f}".replace(".", ",")


SUPPORT_FLAGS = (
    ("academic", "fagligt"),
    ("social", "socialt"),
    ("personal", "personligt"),
    ("health", "helbred"),
)


def support_flags(needs: dict[str, bool] | None) -> list[str]:
    """The areas a support need names, in Danish ("fagligt", …)."""
    return [word for key, word in SUPPORT_FLAGS if (needs or {}).get(key)]


def category_titles(categories: Iterable[str]) -> list[str]:
    """The titles of categories (as GraphQL names them, e.g. "GRADES"), in the catalogue's
    order."""
    order = {name: position for position, name in enumerate(CATEGORIES)}
    names = {str(c).lower() for c in categories}
    return [category_title(c) for c in sorted(names, key=lambda c: (order.get(c, len(order)), c))]


def barrier_da(code: str) -> str:
    return BARRIERS.get(code, code).lower()
