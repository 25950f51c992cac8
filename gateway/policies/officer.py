"""What a privacy officer asks of the policy: the whole matrix, and "why" for one cell.

Both ask the same engine that decides live requests, with made-up subjects and named
situations (data/situations.json), so the answer a privacy officer reads is the answer a
caller in that situation would get.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

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
) -> dict[str, Any]:
    """The decision input for a role and purpose in a named situation (or given facts)."""
    who = dict(subject) if subject is not None else example_subject(role)
    facts = load_situations()[situation].facts if isinstance(situation, str) else situation
    return {
        "subject": who,
        "purpose": purpose,
        "cpr": EXAMPLE_CPR,
        "date": day.isoformat(),
        "facts": materialise(facts, who, day),
    }


async def explain(
    engine: PolicyEngine,
    role: str,
    purpose: str,
    category: str,
    situation: str | Mapping[str, Any],
    day: date,
) -> CategoryDecision:
    """Would `role` asking for `purpose` see `category` in `situation` on `day`, and why?"""
    decision = await engine.decide(situation_input(role, purpose, situation, day))
    return decision.category(category)


async def matrix(
    engine: PolicyEngine,
    catalogue: Mapping[str, Any] | None = None,
    day: date | None = None,
) -> list[MatrixRow]:
    """Every role × purpose × category of the catalogue, each decided in the situation where
    the role's relationship holds (health: with consent)."""
    data = catalogue if catalogue is not None else load_catalogue()
    on = day or date.today()
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
