"""The relationship `facts` document the policy decides on (gateway/policies/README.md).

Assembled from the relationship endpoints of DFDG, UDB and the questionnaire. A person none
of them knows gets `exists: false` and empty facts, shaped exactly like a known person's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from gateway.resolvers import dfdg, questionnaire, udb
from gateway.resolvers.base import Payload
from gateway.resolvers.categories import mapped

#: The registers the facts come from, in the order `assemble` takes their documents.
FACT_REGISTERS = ("dfdg", "udb", "questionnaire")


def empty_facts() -> dict[str, Any]:
    return {
        "exists": False,
        "municipality": None,
        "open_cases": [],
        "assignments": [],
        "offers": [],
        "education_order": {"active": False, "step": None},
        "enrolments": [],
        "health_consent": False,
    }


def assemble(documents: Sequence[Payload | None], today: dt.date) -> dict[str, Any]:
    """`documents` are the relationship documents of FACT_REGISTERS (None = unknown there)."""
    employment_side, education_side, answers = documents
    facts = empty_facts()
    facts["exists"] = any(document is not None for document in documents)
    if employment_side is not None:
        part = mapped("dfdg", dfdg.facts, employment_side, today)
        facts["municipality"] = part["municipality"]
        facts["open_cases"].extend(part["open_cases"])
        facts["assignments"] = part["assignments"]
        facts["offers"] = part["offers"]
    if education_side is not None:
        part = mapped("udb", udb.facts, education_side, today)
        # DFDG's municipality is the job centre's; UDB's residence is the fallback.
        facts["municipality"] = facts["municipality"] or part["municipality"]
        facts["open_cases"].extend(part["open_cases"])
        facts["education_order"] = part["education_order"]
        facts["enrolments"] = part["enrolments"]
    if answers is not None:
        facts["health_consent"] = mapped("questionnaire", questionnaire.facts, answers, today)[
            "health_consent"
        ]
    return facts
