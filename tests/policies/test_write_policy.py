"""EXCHANGE.md's "Who may write" and JOBNET.md's own writes, as the policy decides them, on
rego-cpp and the real OPA engine alike: role, purpose, the relationship, the young person's
order and admission, the caller's municipality — and nothing for a role the table does not
name. The decisions with the same facts but another young person's must agree with the batch
path too (a write's facts are part of the policy's key for a young person)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gateway.policies.engine import EmbeddedEngine

TODAY = dt.date(2026, 12, 3)


def day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


SUBJECTS = {
    "jette": {"sub": "jette.hansen", "role": "contact_person", "org": "Jobcenter København",
              "municipality": "0101"},
    "lars": {"sub": "lars.pedersen", "role": "contact_person", "org": "Jobcenter Aarhus",
             "municipality": "0751"},
    "fagsystem": {"sub": "fagsystem-101", "role": "case_system", "org": "Københavns Kommune",
                  "municipality": "0101"},
    "maria": {"sub": "maria.kristensen", "role": "institution_contact", "org": "851234",
              "municipality": None},
    "mikkel": {"sub": "mikkel.holm", "role": "mentor", "org": "Københavns Kommune",
               "municipality": "0101"},
    "henrik": {"sub": "henrik.soerensen", "role": "privacy_officer", "org": "Københavns Kommune",
               "municipality": "0101"},
    "anne": {"sub": "1503044112", "role": "youth", "org": None, "municipality": None},
}  # fmt: skip

ORDER = {"active": True, "step": 3}


def facts(
    *,
    assigned: bool = True,
    order: bool = True,
    status: str = "ADMITTED",
    institution: str = "851234",
    starts: int = 40,
    ends: int | None = None,
    municipality: str = "0101",
    open_case: bool = True,
) -> dict[str, Any]:
    return {
        "exists": True,
        "municipality": municipality,
        "assignments": [{"subject": "jette.hansen", "municipality": "0101",
                         "from": day(-240), "to": None}] if assigned else [],
        "open_cases": [{"municipality": "0101", "from": day(-240), "to": None}]
        if open_case else [],
        "offers": [],
        "education_order": ORDER if order else {"active": False, "step": None},
        "enrolments": [{"institution": institution, "status": status,
                        "admitted_on": day(min(starts, 0) - 30), "starts_on": day(starts),
                        "ends_on": None if ends is None else day(ends)}],
        "health_consent": True,
    }  # fmt: skip


#: (who, purpose, resource, facts, target institution, expected allow)
CASES: list[tuple[str, str, str, dict[str, Any], str | None, bool]] = [
    # supportNeedRegister: the relationship, an order, the admission at the target school.
    ("jette", "EDUCATION_START", "support_need", facts(), "851234", True),
    ("jette", "RETENTION", "support_need", facts(status="ENROLLED", starts=-90), "851234", True),
    ("jette", "PLANNING", "support_need", facts(), "851234", False),
    ("jette", "EDUCATION_START", "support_need", facts(order=False), "851234", False),
    ("jette", "EDUCATION_START", "support_need", facts(), "999999", False),
    ("jette", "EDUCATION_START", "support_need", facts(assigned=False), "851234", False),
    ("jette", "EDUCATION_START", "support_need", facts(ends=-1), "851234", False),
    ("fagsystem", "CASE_RECORD", "support_need", facts(), "851234", True),
    ("fagsystem", "CASE_RECORD", "support_need", facts(open_case=False), "851234", False),
    ("mikkel", "MENTORING", "support_need", facts(), "851234", False),
    # institutionContactReport: the school's read window (admitted/enrolled, order, 6 months).
    ("maria", "EDUCATION_START", "institution_contact", facts(), None, True),
    ("maria", "RETENTION", "institution_contact", facts(status="ENROLLED", starts=-90), None, True),
    (
        "maria",
        "RETENTION",
        "institution_contact",
        facts(status="ENROLLED", starts=-200),
        None,
        False,
    ),  # fmt: skip
    ("maria", "EDUCATION_START", "institution_contact", facts(order=False), None, False),
    ("maria", "EDUCATION_START", "institution_contact", facts(institution="111111"), None, False),
    # dropoutRiskReport: enrolled here and started, an order; no six-month limit; RETENTION.
    ("maria", "RETENTION", "dropout_risk", facts(status="ENROLLED", starts=-200), None, True),
    ("maria", "RETENTION", "dropout_risk", facts(status="ENROLLED", starts=-90), None, True),
    (
        "maria",
        "EDUCATION_START",
        "dropout_risk",
        facts(status="ENROLLED", starts=-90),
        None,
        False,
    ),  # fmt: skip
    ("maria", "RETENTION", "dropout_risk", facts(), None, False),  # admitted, not started
    (
        "maria",
        "RETENTION",
        "dropout_risk",
        facts(status="ENROLLED", starts=-90, ends=-1),
        None,
        False,
    ),  # fmt: skip
    (
        "maria",
        "RETENTION",
        "dropout_risk",
        facts(status="ENROLLED", starts=-90, order=False),
        None,
        False,
    ),  # fmt: skip
    ("maria", "RETENTION", "support_need", facts(status="ENROLLED", starts=-90), "851234", False),
    # udbSubscriptionOpen/Close: the caller's municipality.
    ("jette", "PLANNING", "udb_subscription", facts(assigned=False), None, True),
    ("jette", "PLANNING", "udb_subscription", facts(municipality="0751"), None, False),
    ("lars", "PLANNING", "udb_subscription", facts(), None, False),
    ("fagsystem", "CASE_RECORD", "udb_subscription", facts(), None, True),
    ("jette", "MENTORING", "udb_subscription", facts(), None, False),
    ("henrik", "SUPERVISION", "udb_subscription", facts(), None, False),
    # The young person's own answers: only about themself.
    ("anne", "SELF", "questionnaire", {}, None, True),
    ("anne", "SELF", "health_consent", {}, None, True),
    ("jette", "PLANNING", "health_consent", facts(), None, False),
]


def write_input(
    who: str, purpose: str, facts: dict[str, Any], target: str | None
) -> dict[str, Any]:
    subject = SUBJECTS[who]
    input: dict[str, Any] = {
        "subject": subject,
        "action": "WRITE",
        "purpose": purpose,
        "cpr": subject["sub"] if who == "anne" else "1503044112",
        "date": TODAY.isoformat(),
        "facts": facts,
    }
    if target is not None:
        input["target"] = {"institution": target}
    return input


@pytest.mark.parametrize(("who", "purpose", "resource", "facts", "target", "allow"), CASES)
async def test_who_may_write(
    regopy_engine: EmbeddedEngine,
    go_engine: EmbeddedEngine,
    who: str,
    purpose: str,
    resource: str,
    facts: dict[str, Any],
    target: str | None,
    allow: bool,
) -> None:
    input = write_input(who, purpose, facts, target)
    decisions = [await engine.decide(input) for engine in (regopy_engine, go_engine)]
    verdicts = [d.category(resource) for d in decisions]
    assert [v.allow for v in verdicts] == [allow, allow]
    assert verdicts[0] == verdicts[1]
    if not allow and who != "anne" and verdicts[0].reason.startswith("no current"):
        assert verdicts[0].reason == "no current relationship to this young person"


async def test_a_batch_keeps_people_with_other_facts_apart(regopy_engine: EmbeddedEngine) -> None:
    """Two young people with the same relationship but only one with an order: a cached
    document for the first must not decide the second (the facts are part of the key)."""
    with_order = write_input("jette", "EDUCATION_START", facts(), "851234")
    without = write_input("jette", "EDUCATION_START", facts(order=False), "851234")
    without["cpr"] = "0211014127"
    both = await regopy_engine.decide_many([with_order, without])
    assert [d.category("support_need").allow for d in both] == [True, False]
