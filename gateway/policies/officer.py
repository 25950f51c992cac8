"""What a privacy officer asks of the policy: the whole matrix, "why" for one cell, and which
(role, category) pairs are about to lose their legal basis.

The matrix and explain ask the same engine that decides live requests, with made-up subjects
and named situations (data/situations.json), so the answer a privacy officer reads is the
answer a caller in that situation would get. `closing_soon` reads the catalogue's dates only:
it decides nothing, it says which decisions will change unless the law is confirmed.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from gateway.clock import danish_today
from gateway.policies.decision import CategoryDecision
from gateway.policies.engine import PolicyEngine
from gateway.policies.sources import SITUATIONS_FILE, load_catalogue

# A placeholder CPR for the young person in a situation; not a real number (no birth date).
EXAMPLE_CPR = "0000000000"
EXAMPLE_MUNICIPALITY = "0101"
EXAMPLE_INSTITUTION = "851234"

DATE_FIELDS = frozenset({"from", "to", "admitted_on", "starts_on", "ends_on"})
EMPTY_FACTS: dict[str, Any] = {
    "exists": True,
    "municipality": EXAMPLE_MUNICIPALITY,
    "open_cases": [],
    "assignments": [],
    "offers": [],
    "education_order": {"active": False, "step": None},
    "enrolments": [],
    "health_consent": False,
}


@dataclass(frozen=True, slots=True)
class Situation:
    name: str
    description: str
    facts: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class ClosingBasis:
    """A basis in force that ends (`to`) or is due for review (`review_by`) in the window."""

    id: str
    reference: str
    day: date
    kind: str  # "ends" | "review"
    note: str | None


@dataclass(frozen=True, slots=True)
class ClosingPair:
    """A (role, category) whose every basis in force ends or is due for review in the window;
    `day` is the last of their dates: from then on nothing confirmed is left to rest on."""

    role: str
    category: str
    day: date
    bases: tuple[ClosingBasis, ...]


@dataclass(frozen=True, slots=True)
class MatrixRow:
    role: str
    purpose: str
    category: str
    allow: bool
    reason: str
    legal_bases: tuple[str, ...]
    rule: str | None


def load_situations(path: Path = SITUATIONS_FILE) -> dict[str, Situation]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {
        name: Situation(name, entry["description"], entry["facts"])
        for name, entry in raw["situations"].items()
    }


def situation_for_role(role: str, path: Path = SITUATIONS_FILE) -> str:
    """The named situation in which the role's relationship holds (no_relationship if none)."""
    for_role: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))["for_role"]
    return for_role.get(role, "no_relationship")


def example_subject(role: str) -> dict[str, str]:
    """A made-up subject of the role; a young person is the situation's young person."""
    org = EXAMPLE_INSTITUTION if role == "institution_contact" else f"example {role}"
    sub = EXAMPLE_CPR if role == "youth" else f"example.{role}"
    return {"sub": sub, "role": role, "org": org, "municipality": EXAMPLE_MUNICIPALITY}


def materialise(facts: Mapping[str, Any], subject: Mapping[str, str], day: date) -> dict[str, Any]:
    """Facts with day offsets turned into dates and $sub/$municipality/$org filled in."""
    placeholders = {f"${key}": value for key, value in subject.items()}

    def fill(key: str | None, value: Any) -> Any:
        if isinstance(value, Mapping):
            return {k: fill(k, v) for k, v in value.items()}
        if isinstance(value, list):
            return [fill(None, item) for item in value]
        if key in DATE_FIELDS and isinstance(value, int) and not isinstance(value, bool):
            return (day + timedelta(days=value)).isoformat()
        if isinstance(value, str):
            return placeholders.get(value, value)
        return value

    return {**copy.deepcopy(EMPTY_FACTS), **fill(None, facts)}


def situation_input(
    role: str,
    purpose: str,
    situation: str | Mapping[str, Any],
    day: date,
    subject: Mapping[str, str] | None = None,
    action: str = "READ",
) -> dict[str, Any]:
    """The decision input for a role and purpose in a named situation (or given facts); for
    an action other than READ, about the example young person at the example institution."""
    who = dict(subject) if subject is not None else example_subject(role)
    facts = load_situations()[situation].facts if isinstance(situation, str) else situation
    input: dict[str, Any] = {
        "subject": who,
        "purpose": purpose,
        "cpr": EXAMPLE_CPR,
        "date": day.isoformat(),
        "facts": materialise(facts, who, day),
    }
    if action != "READ":
        input |= {"action": action, "target": {"institution": EXAMPLE_INSTITUTION}}
    return input


def situation_for_action(role: str, path: Path = SITUATIONS_FILE) -> str:
    """The named situation in which every requirement of the role's writes holds."""
    for_action: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))["for_action"]
    return for_action.get(role, situation_for_role(role, path))


@dataclass(frozen=True, slots=True)
class ActionRow:
    action: str
    resource: str
    role: str
    purpose: str
    allow: bool
    reason: str
    legal_bases: tuple[str, ...]
    rule: str | None


async def action_matrix(
    engine: PolicyEngine,
    catalogue: Mapping[str, Any] | None = None,
    day: date | None = None,
) -> list[ActionRow]:
    """Every action other than READ (the catalogue's `actions`: WRITE, READ_LOG, …) × role ×
    purpose × resource, each decided in the situation where the role's requirements hold."""
    data = catalogue if catalogue is not None else load_catalogue()
    on = day or danish_today()
    rows: list[ActionRow] = []
    for action, spec in (data.get("actions") or {}).items():
        for role in data["roles"]:
            for purpose in data["purposes"]:
                decision = await engine.decide(
                    situation_input(role, purpose, situation_for_action(role), on, action=action)
                )
                for resource in spec.get("resources", {}):
                    verdict = decision.category(resource)
                    rows.append(
                        ActionRow(
                            action,
                            resource,
                            role,
                            purpose,
                            verdict.allow,
                            verdict.reason,
                            verdict.legal_bases,
                            verdict.rule,
                        )
                    )
    return rows


async def explain(
    engine: PolicyEngine,
    role: str,
    purpose: str,
    category: str,
    situation: str | Mapping[str, Any],
    day: date,
    action: str = "READ",
) -> CategoryDecision:
    """Would `role` asking for `purpose` see `category` in `situation` on `day` — or, for
    another action, take it on that resource — and why?"""
    decision = await engine.decide(situation_input(role, purpose, situation, day, action=action))
    return decision.category(category)


async def matrix(
    engine: PolicyEngine,
    catalogue: Mapping[str, Any] | None = None,
    day: date | None = None,
) -> list[MatrixRow]:
    """Every role × purpose × category of the catalogue, each decided in the situation where
    the role's relationship holds (health: with consent)."""
    data = catalogue if catalogue is not None else load_catalogue()
    on = day or danish_today()
    rows: list[MatrixRow] = []
    for role in data["roles"]:
        for purpose in data["purposes"]:
            decision = await engine.decide(
                situation_input(role, purpose, situation_for_role(role), on)
            )
            for category in data["categories"]:
                verdict = decision.category(category)
                rows.append(
                    MatrixRow(
                        role,
                        purpose,
                        category,
                        verdict.allow,
                        verdict.reason,
                        verdict.legal_bases,
                        verdict.rule,
                    )
                )
    return rows


def _day(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def basis_in_force(basis: Mapping[str, Any], day: date) -> bool:
    """As legal_basis.rego decides it: a `from` on or before the day, no `to` before it."""
    start = _day(basis.get("from"))
    if start is None or day < start:
        return False
    if basis.get("to") is None:
        return True
    end = _day(basis.get("to"))
    return end is not None and day <= end


def _closing(basis_id: str, basis: Mapping[str, Any], last: date) -> ClosingBasis | None:
    """How a basis in force leaves the window ending on `last`: its end, or its review
    (whichever comes first; a review already overdue counts); None if it outlasts it."""
    events = []
    end = _day(basis.get("to"))
    if end is not None and end <= last:
        events.append((end, "ends", None))
    review = _day(basis.get("review_by"))
    if review is not None and review <= last:
        events.append((review, "review", basis.get("review_note")))
    if not events:
        return None
    day, kind, note = min(events, key=lambda event: event[0])
    return ClosingBasis(basis_id, str(basis.get("reference", "")), day, kind, note)


def closing_soon(catalogue: Mapping[str, Any], day: date, days: int) -> list[ClosingPair]:
    """Every (role, category) the catalogue lets a role see whose last basis in force on `day`
    ends, or is due for review, within `days` days (both ends included), with those bases and
    their dates; soonest first. A pair with no basis in force today is not closing: it is
    closed (the matrix says so)."""
    last = day + timedelta(days=days)
    bases: Mapping[str, Any] = catalogue.get("legal_bases") or {}
    pairs: list[ClosingPair] = []
    for role, spec in (catalogue.get("roles") or {}).items():
        for category in spec.get("categories", []):
            in_force = [
                (basis_id, basis)
                for basis_id, basis in sorted(bases.items())
                if role in basis.get("roles", [])
                and category in basis.get("categories", [])
                and basis_in_force(basis, day)
            ]
            closing = [_closing(basis_id, basis, last) for basis_id, basis in in_force]
            if not in_force or any(c is None for c in closing):
                continue
            found = tuple(c for c in closing if c is not None)
            pairs.append(ClosingPair(role, category, max(c.day for c in found), found))
    pairs.sort(key=lambda pair: pair.day)
    return pairs
