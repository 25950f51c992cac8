"""The rules catalogue (data/rules.json) as values: each rule's parameters, applicability,
dated legal references and suspensions. The law moves; a rule's text never does — a new
reference, an end date or a suspension is a change of data, reviewed like code.

A rule is in force on a day when one of its references is: `from` on or before it, `to`
(inclusive) not before it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gateway.deadlines.calendar import Duration, Pause


def _day(value: Any) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


@dataclass(frozen=True)
class Reference:
    reference: str
    mark: str  # V verified, U unverified, A our design
    start: dt.date | None  # None: never in force
    end: dt.date | None
    review_by: dt.date | None = None
    note: str | None = None

    def in_force_on(self, day: dt.date) -> bool:
        return (
            self.start is not None and self.start <= day and (self.end is None or day <= self.end)
        )


@dataclass(frozen=True)
class Suspension:
    reason: str
    mark: str
    start: dt.date
    end: dt.date | None

    def as_pause(self) -> Pause:
        return Pause(self.start, self.end, "SUSPENSION")


@dataclass(frozen=True)
class Rule:
    rule_id: str
    title: str
    clock: str
    applicability: str
    data: str
    closed_by_case: bool
    parameters: Mapping[str, Duration]
    references: tuple[Reference, ...]
    suspensions: tuple[Suspension, ...]
    audit_share: float | None
    audit_line: str

    def reference_on(self, day: dt.date) -> Reference | None:
        """The reference in force on `day` (the latest to begin, when periods overlap)."""
        found: Reference | None = None
        for reference in self.references:  # a plain loop: asked for every deadline judged
            start, end = reference.start, reference.end
            if start is None or day < start or (end is not None and day > end):
                continue
            if found is None or (found.start is not None and start > found.start):
                found = reference
        return found

    def duration(self, name: str) -> Duration:
        return self.parameters.get(name, Duration())


@dataclass(frozen=True)
class Rulebook:
    version: str
    due_soon_days: int
    rules: Mapping[str, Rule]

    def __getitem__(self, rule_id: str) -> Rule:
        return self.rules[rule_id]


def parse_rulebook(document: Mapping[str, Any]) -> Rulebook:
    """The catalogue's JSON as a Rulebook; raises ValueError on a malformed entry."""
    rules: dict[str, Rule] = {}
    for rule_id, spec in document["rules"].items():
        audit = spec.get("audit_2022") or {}
        rules[rule_id] = Rule(
            rule_id=rule_id,
            title=spec["title"],
            clock=spec["clock"],
            applicability=spec["applicability"],
            data=spec["data"],
            closed_by_case=bool(spec["closed_by_case"]),
            parameters={
                name: Duration.parse(value) for name, value in spec.get("parameters", {}).items()
            },
            references=tuple(
                Reference(
                    reference=r["reference"],
                    mark=r["mark"],
                    start=_day(r.get("from")),
                    end=_day(r.get("to")),
                    review_by=_day(r.get("review_by")),
                    note=r.get("note"),
                )
                for r in spec["references"]
            ),
            suspensions=tuple(
                Suspension(
                    s["reason"], s["mark"], dt.date.fromisoformat(s["from"]), _day(s.get("to"))
                )
                for s in spec.get("suspensions", [])
            ),
            audit_share=audit.get("share"),
            audit_line=str(audit.get("line", "")),
        )
    return Rulebook(
        version=str(document["version"]),
        due_soon_days=int(document["due_soon_days"]),
        rules=rules,
    )
