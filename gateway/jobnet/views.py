"""What a page shows, made from one GraphQL answer: each data category as a `Part` in one of
four states, and the few things built from several (the contact card, the road in Min plan,
who may see a category).

A part carries the data only when its state is `shown`: a denied category keeps its heading and
the reason, never a value, so nothing the policy refused can reach a template.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gateway.jobnet import texts
from gateway.jobnet.client import FORBIDDEN, REGISTER_UNAVAILABLE, Answer

SHOWN, EMPTY, FORBIDDEN_STATE, UNAVAILABLE = "shown", "empty", "forbidden", "unavailable"


@dataclass
class Part:
    """One data category on a page: `state` is shown | empty | forbidden | unavailable."""

    category: str
    state: str
    value: Any = None
    reason: str = ""  # forbidden: the policy's reason, in Danish
    register: str = ""  # unavailable: the register, in Danish

    @property
    def title(self) -> str:
        return texts.category_title(self.category)

    @property
    def shown(self) -> bool:
        return self.state == SHOWN


def _empty_list(value: Any) -> bool:
    return not value


#: When a category that answered has nothing to show.
EMPTY_WHEN: dict[str, Callable[[Any], bool]] = {
    "schooling": lambda v: not v.get("courses"),
    "grades": lambda v: not (v.get("exams") or v.get("yearGrades")),
    "employment": lambda v: not v.get("jobs"),
    "benefits": lambda v: not (v.get("periods") or v.get("current")),
    "plan": lambda v: not (v.get("educationGoal") or v.get("jobGoals") or v.get("offers")),
    "casework": lambda v: not (v.get("currentEducationOrderStep") or v.get("agreements")),
    "admissions": lambda v: not (v.get("youthEducation") or v.get("higherEducation")),
    "contacts": lambda v: not (v.get("municipal") or v.get("institution")),
    "dropout_risk": _empty_list,
    "social_plans": _empty_list,
}


def part(answer: Answer, path: Sequence[str | int], category: str) -> Part:
    """The category at `path` (e.g. ("me", "grades")) of an answer, with its state."""
    error = answer.error_at(*path)
    code = (error or {}).get("extensions", {}).get("code")
    if code == FORBIDDEN:
        reason = error.get("extensions", {}).get("reason") if error else None
        return Part(category, FORBIDDEN_STATE, reason=texts.reason_da(reason, category))
    if code == REGISTER_UNAVAILABLE:
        register = error.get("extensions", {}).get("register") if error else None
        return Part(category, UNAVAILABLE, register=texts.register_da(register))
    if error is not None:  # any other error on the field: nothing to show, and no guess why
        return Part(category, UNAVAILABLE, register=texts.register_da(None))
    value: Any = answer.data
    for step in path:
        if isinstance(step, int):
            value = value[step] if isinstance(value, list) and 0 <= step < len(value) else None
        else:
            value = value.get(step) if isinstance(value, Mapping) else None
    empty = EMPTY_WHEN.get(category)
    if value is None or (empty is not None and empty(value)):
        return Part(category, EMPTY)
    return Part(category, SHOWN, value=value)


def parts(answer: Answer, root: Sequence[str | int], fields: Mapping[str, str]) -> dict[str, Part]:
    """`{category: Part}` for the fields (`{category: field name}`) under `root`."""
    return {category: part(answer, (*root, name), category) for category, name in fields.items()}


# --- the contact card -----------------------------------------------------------------------------


@dataclass
class Contact:
    name: str
    role: str
    organisation: str | None
    phone: str | None
    email: str | None

    @property
    def phone_link(self) -> str:
        return "tel:" + "".join(c for c in (self.phone or "") if c.isdigit() or c == "+")


def primary_contact(contacts: Part, today: dt.date) -> Contact | None:
    """The young person's primary contact: the municipal contact person whose assignment is
    open today, else the first municipal contact."""
    if not contacts.shown:
        return None
    municipal = [c for c in contacts.value.get("municipal") or [] if _current(c, today)]
    chosen = next((c for c in municipal if c.get("role") == "CONTACT_PERSON"), None)
    chosen = chosen or (municipal[0] if municipal else None)
    if chosen is None:
        return None
    return Contact(
        name=chosen["name"],
        role=texts.CONTACT_ROLES.get(chosen.get("role") or "", "Kontaktperson"),
        organisation=chosen.get("organisation"),
        phone=chosen.get("phone"),
        email=chosen.get("email"),
    )


def _current(contact: Mapping[str, Any], today: dt.date) -> bool:
    until = contact.get("until")
    return until is None or dt.date.fromisoformat(until) >= today


# --- who may see a category (the policy's matrix, in Danish) --------------------------------------


@dataclass
class Reader:
    """A role that may see a category: for which purposes, on which legal bases."""

    role: str
    purposes: list[str] = field(default_factory=list)
    bases: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return texts.role_da(self.role)

    @property
    def purposes_da(self) -> str:
        return texts.join_da(texts.purpose_da(p).lower() for p in self.purposes)

    @property
    def with_consent(self) -> bool:
        return "GDPR-9-2-A" in self.bases

    @property
    def bases_da(self) -> list[str]:
        return [texts.legal_basis_da(b) for b in self.bases]


def readers(matrix: Part) -> dict[str, list[Reader]]:
    """`{category: [Reader]}`: who besides the young person may see each category, from the
    rows of the policy matrix it allows."""
    found: dict[str, dict[str, Reader]] = {}
    rows = matrix.value if matrix.shown else []
    for row in rows:
        if not row.get("allowed") or row.get("role") == "youth":
            continue
        category = str(row["category"]).lower()
        reader = found.setdefault(category, {}).setdefault(row["role"], Reader(row["role"]))
        reader.purposes.append(row["purpose"])
        for basis in row.get("legalBases") or []:
            if basis not in reader.bases:
                reader.bases.append(basis)
    return {category: list(by_role.values()) for category, by_role in found.items()}


# --- the road in Min plan -------------------------------------------------------------------------


@dataclass
class Step:
    """One stop on the road to the goal."""

    kind: str  # offer | education | goal
    title: str
    purpose: str = ""
    period: str = ""
    status: str = ""  # afsluttet | i gang | planlagt
    holder: str = ""
    place: str = ""


def status_of(start: str | None, end: str | None, today: dt.date) -> str:
    if end and dt.date.fromisoformat(end) < today:
        return "afsluttet"
    if start and dt.date.fromisoformat(start) > today:
        return "planlagt"
    return "i gang"


def period_da(start: str | None, end: str | None) -> str:
    if start and end:
        return f"{texts.date_da(start)} – {texts.date_da(end)}"
    if start:
        return f"fra {texts.date_da(start)}"
    return ""


def road(plan: Part, admissions: Part, today: dt.date) -> list[Step]:
    """The offers in the order they start, the start of an education the young person is
    admitted to, and the goal at the end."""
    steps: list[Step] = []
    if plan.shown:
        offers = sorted(plan.value.get("offers") or [], key=lambda o: o["period"]["start"])
        for offer in offers:
            title, purpose = texts.OFFERS.get(offer.get("type") or "", texts.OFFERS["OTHER"])
            start, end = offer["period"]["start"], offer["period"].get("end")
            steps.append(
                Step(
                    kind="offer",
                    title=title,
                    purpose=purpose,
                    period=period_da(start, end),
                    status=status_of(start, end, today),
                    holder=(offer.get("responsible") or {}).get("name") or "",
                    place=(offer.get("employer") or {}).get("name") or "",
                )
            )
    if admissions.shown:
        for application in admissions.value.get("youthEducation") or []:
            if application.get("status") != "ADMITTED" or not application.get("startDate"):
                continue
            institution = application.get("institution") or {}
            steps.append(
                Step(
                    kind="education",
                    title=f"Uddannelsesstart: {application.get('programme') or 'uddannelse'}",
                    period=texts.date_da(application["startDate"]),
                    status=status_of(application["startDate"], None, today),
                    place=institution.get("name") or f"institution {institution.get('number')}",
                )
            )
    if plan.shown and plan.value.get("educationGoal"):
        steps.append(Step(kind="goal", title=plan.value["educationGoal"]))
    return steps
