"""The policy's answer for one (request, young person), as plain frozen values.

Whatever an engine returns goes through `Decision.from_document`, which trusts nothing: a
missing, undefined or malformed part becomes a denial with a reason, never an allow.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

UNKNOWN_VERSION = "unknown"
NO_DECISION_REASON = "the policy gave no decision for this category"


@dataclass(frozen=True, slots=True)
class CategoryDecision:
    allow: bool
    reason: str
    legal_bases: tuple[str, ...] = ()
    rule: str | None = None

    @classmethod
    def denied(cls, reason: str, rule: str | None = None) -> CategoryDecision:
        return cls(allow=False, reason=reason, legal_bases=(), rule=rule)

    @classmethod
    def from_document(cls, doc: object) -> CategoryDecision:
        """One category's verdict; allowed only if `allow` is literally true."""
        if not isinstance(doc, Mapping):
            return cls.denied(NO_DECISION_REASON)
        reason = doc.get("reason")
        rule = doc.get("rule")
        bases = doc.get("legal_bases")
        if not isinstance(reason, str) or not reason:
            reason = NO_DECISION_REASON if doc.get("allow") is not True else "allowed"
        rule_id = rule if isinstance(rule, str) else None
        if doc.get("allow") is not True:
            return cls.denied(reason, rule_id)
        if not isinstance(bases, list) or not all(isinstance(b, str) for b in bases):
            # An allow that cannot say what it rests on is not an allow.
            return cls.denied("the policy allowed without naming its legal bases", rule_id)
        return cls(allow=True, reason=reason, legal_bases=tuple(bases), rule=rule_id)


@dataclass(frozen=True, slots=True)
class Decision:
    policy_version: str
    purpose_allowed: bool
    relationship: str | None
    categories: Mapping[str, CategoryDecision] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def from_document(cls, doc: object) -> Decision:
        """The decision document of README.md; undefined (None) denies everything."""
        if not isinstance(doc, Mapping):
            return cls(UNKNOWN_VERSION, False, None)
        version = doc.get("policy_version")
        relationship = doc.get("relationship")
        raw_categories = doc.get("categories")
        categories: dict[str, CategoryDecision] = {}
        if isinstance(raw_categories, Mapping):
            for name, verdict in raw_categories.items():
                if isinstance(name, str):
                    categories[name] = CategoryDecision.from_document(verdict)
        return cls(
            policy_version=version if isinstance(version, str) else UNKNOWN_VERSION,
            purpose_allowed=doc.get("purpose_allowed") is True,
            relationship=relationship if isinstance(relationship, str) else None,
            categories=MappingProxyType(categories),
        )

    def category(self, name: str) -> CategoryDecision:
        """The verdict on one category; a category the policy did not answer is denied."""
        return self.categories.get(name) or CategoryDecision.denied(NO_DECISION_REASON)

    @property
    def allowed_categories(self) -> frozenset[str]:
        return frozenset(name for name, verdict in self.categories.items() if verdict.allow)

    @property
    def any_allowed(self) -> bool:
        return any(verdict.allow for verdict in self.categories.values())


def document_of(decision: Decision) -> dict[str, Any]:
    """The decision back as a JSON-ready document (for logs of the policy, tests, explain)."""
    return {
        "policy_version": decision.policy_version,
        "purpose_allowed": decision.purpose_allowed,
        "relationship": decision.relationship,
        "categories": {
            name: {
                "allow": verdict.allow,
                "reason": verdict.reason,
                "legal_bases": list(verdict.legal_bases),
                "rule": verdict.rule,
            }
            for name, verdict in decision.categories.items()
        },
    }
