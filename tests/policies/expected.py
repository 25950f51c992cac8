"""The expected policy, written out by hand from POLICY.md, independent of the catalogue.

`expected(caller, person, purpose, category)` says allow or deny and the reason a reader of
POLICY.md expects, for the personas of personas.py on T.
"""

from __future__ import annotations

ALL = frozenset(
    {
        "identity",
        "schooling",
        "grades",
        "employment",
        "income",
        "benefits",
        "admissions",
        "plan",
        "casework",
        "contacts",
        "support_needs",
        "dropout_risk",
        "questionnaire",
        "health",
        "social_plans",
        "deadlines",
    }
)
PURPOSES = frozenset(
    {
        "SELF",
        "VISITATION",
        "PLANNING",
        "EDUCATION_START",
        "RETENTION",
        "MENTORING",
        "JOB_PLACEMENT",
        "CASE_RECORD",
        "SUPERVISION",
        "MANAGEMENT_SUPERVISION",
    }
)

# POLICY.md, "Roles and relationships": purposes and categories per role. The mentor and the
# business consultant see the plan (Min Plan's goals and offers), never the casework.
ROLE_PURPOSES = {
    "youth": {"SELF"},
    "contact_person": {"VISITATION", "PLANNING", "EDUCATION_START", "RETENTION"},
    "mentor": {"MENTORING"},
    "business_consultant": {"JOB_PLACEMENT"},
    "institution_contact": {"EDUCATION_START", "RETENTION"},
    "case_system": {"CASE_RECORD"},
    "privacy_officer": {"SUPERVISION"},
    "manager": {"MANAGEMENT_SUPERVISION"},
}
ROLE_CATEGORIES = {
    "youth": ALL,
    "contact_person": ALL,
    "mentor": {"identity", "plan", "admissions", "contacts", "dropout_risk"},
    "business_consultant": {"identity", "plan", "schooling", "employment", "contacts"},
    "institution_contact": {"identity", "support_needs", "contacts", "dropout_risk"},
    "case_system": ALL - {"health"},
    "privacy_officer": set(),
    # A team leader sees aggregates of their municipality only (DEADLINES.md): no category.
    "manager": set(),
}
# Categories with no legal basis in force for professionals (grades*, social plans*).
NO_BASIS_FOR_PROFESSIONALS = {"grades", "social_plans"}

# PERSONAS.md, "Professionals and clients": who has a current relationship to whom on T.
RELATIONSHIPS = {
    # Not the young person who moved to Aarhus: her assignment in Copenhagen was left open.
    "jette.hansen": {"anne", "ali", "freja", "jonas"},
    "lars.pedersen": {"sofie"},
    "mikkel.holm": {"anne"},  # Ali's mentor offer ended T-30
    # A planned wage subsidy counts from 3 calendar months before its start, not a day earlier.
    "sara.nielsen": {"anne", "internship_in_3_months"},
    # Not the enrolment that ended yesterday.
    "maria.kristensen": {"anne", "jonas"},
    "fagsystem-101": {"anne", "ali", "freja", "jonas"},
    "henrik.soerensen": set(),
    "birgitte.lund": set(),
}
HEALTH_SHARED_WITH_CONTACT_PERSON = {"anne"}

NO_RELATIONSHIP = "no current relationship to this young person"
NO_CONSENT = "the young person has not consented to share health answers with the contact person"


def has_relationship(caller: str, role: str, person: str) -> bool:
    if role == "youth":
        return caller == person
    return person in RELATIONSHIPS[caller]


def expected(caller: str, role: str, person: str, purpose: str, category: str) -> tuple[bool, str]:
    if purpose not in ROLE_PURPOSES[role]:
        return False, f"purpose {purpose} is not a purpose of role {role}"
    if not ROLE_CATEGORIES[role]:
        return False, f"role {role} sees no personal data"
    if category not in ROLE_CATEGORIES[role]:
        return False, f"role {role} may not see {category}"
    if not has_relationship(caller, role, person):
        return False, NO_RELATIONSHIP
    if role != "youth" and category in NO_BASIS_FOR_PROFESSIONALS:
        return False, f"no legal basis in force for {category}"
    if (
        role == "contact_person"
        and category == "health"
        and person not in HEALTH_SHARED_WITH_CONTACT_PERSON
    ):
        return False, NO_CONSENT
    return True, ""
