"""EXCHANGE.md's scenarios for the writes, over GraphQL through the ASGI app against the mock
registers over HTTP: who may write, what the school then sees, idempotency, bad input, the
audit log down."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from gateway.audit.memory import FailingAuditStore, MemoryAuditStore
from mocks.state.finders import aged_30_with_education_order, without_education_order
from tests.e2e.conftest import ALI, ANNE, JONAS, NOBODY, SOFIE, Client
from tests.exchange.conftest import EMIL, new_key, udb_latest_sequence

SUPPORT_NEED = """
mutation Register($input: SupportNeedRegisterInput!) {
  supportNeedRegister(input: $input) {
    changed
    supportNeed { version assessment areas contactWanted institution { number }
                  municipalContact { name phone } acknowledged }
    userErrors { field code message }
  }
}"""

CONTACT_REPORT = """
mutation Report($input: InstitutionContactReportInput!) {
  institutionContactReport(input: $input) {
    changed
    receipt { acknowledgesVersion contact { name phone } institution { number } }
    userErrors { field code message }
  }
}"""

DROPOUT = """
mutation Risk($input: DropoutRiskReportInput!) {
  dropoutRiskReport(input: $input) {
    changed
    dropoutRisk { id reasons expires firstAbsenceLetterSent withinFirstSixMonths }
    userErrors { field code message }
  }
}"""

OPEN = """
mutation Open($input: UdbSubscriptionOpenInput!) {
  udbSubscriptionOpen(input: $input) {
    changed subscription { id municipality endsOn closedBy } userErrors { field code message }
  }
}"""

CLOSE = """
mutation Close($input: UdbSubscriptionCloseInput!) {
  udbSubscriptionClose(input: $input) {
    changed subscription { id endsOn closedBy } userErrors { field code message }
  }
}"""


def support_input(cpr: str = ANNE, **changes: Any) -> dict[str, Any]:
    return {
        "cpr": cpr,
        "purpose": "EDUCATION_START",
        "idempotencyKey": new_key(),
        "institutionNumber": "851234",
        "assessment": "NEED",
        "areas": ["ACADEMIC"],
        "documented": True,
        "otherSupportPersons": False,
        "contactWanted": True,
        "municipalContact": {"self": True},
        **changes,
    }


def contact_input(cpr: str, **contact: Any) -> dict[str, Any]:
    return {
        "cpr": cpr,
        "purpose": "EDUCATION_START",
        "idempotencyKey": new_key(),
        "contact": {
            "name": "Maria Kristensen",
            "role": "STUDY_COUNSELLOR",
            "phone": "+4522334455",
            "email": "maria.kristensen@groenerhvervsskole.dk",
            **contact,
        },
    }


def risk_input(cpr: str, **changes: Any) -> dict[str, Any]:
    return {
        "cpr": cpr,
        "purpose": "RETENTION",
        "idempotencyKey": new_key(),
        "reasons": ["ABSENCE"],
        "firstAbsenceLetterSent": False,
        **changes,
    }


def open_input(cpr: str) -> dict[str, Any]:
    return {"cpr": cpr, "purpose": "PLANNING", "idempotencyKey": new_key()}


def code_of(body: dict[str, Any]) -> str | None:
    errors = body.get("errors") or []
    return errors[0]["extensions"]["code"] if errors else None


async def records_of(store: MemoryAuditStore, kind: str) -> list[Any]:
    return [r for r in store.records if r.kind == kind]


async def test_support_need_and_receipt(make_client: Callable[..., Any]) -> None:
    """Scenario 1: Jette registers Anne's need → version 2; Maria sees it; Maria's receipt
    acknowledges version 2; Anne sees both contacts; every write is intent + outcome."""
    audit = MemoryAuditStore()
    client: Client = await make_client(audit=audit)
    body = await client.query("jette", SUPPORT_NEED, {"input": support_input()})
    payload = body["data"]["supportNeedRegister"]
    assert payload["userErrors"] == [] and payload["changed"] is True
    need = payload["supportNeed"]
    assert need["version"] == 2 and need["areas"] == ["ACADEMIC"]
    assert need["acknowledged"] is None
    assert need["municipalContact"]["name"] == "Jette Hansen"
    assert need["municipalContact"]["phone"]  # from DFDG's list of Anne's contacts

    seen = await client.query(
        "maria",
        "query($cpr: CPR!) { youth(cpr: $cpr, purpose: EDUCATION_START) {"
        " supportNeeds { version needs { academic social } wantsContact"
        " municipalContact { name phone } } } }",
        {"cpr": ANNE},
    )
    support = seen["data"]["youth"]["supportNeeds"]
    assert support["version"] == 2 and support["needs"] == {"academic": True, "social": False}
    assert support["municipalContact"]["name"] == "Jette Hansen"
    assert support["municipalContact"]["phone"] == need["municipalContact"]["phone"]

    receipt = await client.query("maria", CONTACT_REPORT, {"input": contact_input(ANNE)})
    assert receipt.get("data"), receipt
    report = receipt["data"]["institutionContactReport"]
    assert report["userErrors"] == [] and report["changed"] is True
    assert report["receipt"]["acknowledgesVersion"] == 2

    mine = await client.query(
        "anne",
        "{ me { supportNeeds { version acknowledgedVersion municipalContact { name } }"
        " contacts { institution { name } } } }",
    )
    me = mine["data"]["me"]
    assert me["supportNeeds"]["acknowledgedVersion"] == 2
    assert "Maria Kristensen" in [c["name"] for c in me["contacts"]["institution"]]

    intents = await records_of(audit, "write_intent")
    outcomes = await records_of(audit, "write_outcome")
    assert [r.category for r in intents] == ["support_need", "institution_contact"]
    assert [r.category for r in outcomes] == ["support_need", "institution_contact"]
    assert all(r.cpr == ANNE and r.decision == "allow" for r in intents + outcomes)
    assert intents[0].legal_bases == ("LAB-30-7",)
    assert "idempotency key" in intents[0].reason and "event" in outcomes[0].reason
    # The young person sees the writes about them in their access log (R7).
    log = await client.query(
        "anne",
        "{ myAccessLog(first: 50) { edges { node { kind written { resource outcome } } } } }",
    )
    assert log.get("data"), log
    written = [
        (w["resource"], w["outcome"])
        for e in log["data"]["myAccessLog"]["edges"]
        if e["node"]["kind"] == "WRITE"
        for w in e["node"]["written"]
    ]
    assert [resource for resource, _ in written] == ["institution_contact", "support_need"]
    assert all(outcome.startswith("applied, event ") for _, outcome in written)


async def test_duplicates(make_client: Callable[..., Any], mocks: Any) -> None:
    """Scenario 7: the same key twice → the same payload, one register call, one event; a new
    key with the same contact → changed false, no event; the same key with a new phone →
    IDEMPOTENCY_KEY_REUSED."""
    client: Client = await make_client()
    first_input = contact_input(JONAS, phone="+4599887766")
    first = await client.query("maria", CONTACT_REPORT, {"input": first_input})
    assert first["data"]["institutionContactReport"]["changed"] is True
    events, calls = udb_latest_sequence(mocks), client.register_calls("udb", "institution_contact")
    again = await client.query("maria", CONTACT_REPORT, {"input": first_input})
    assert again["data"] == first["data"]
    assert client.register_calls("udb", "institution_contact") == calls
    assert udb_latest_sequence(mocks) == events

    same_contact = {**first_input, "idempotencyKey": new_key()}
    repeat = await client.query("maria", CONTACT_REPORT, {"input": same_contact})
    assert repeat["data"]["institutionContactReport"]["changed"] is False
    assert udb_latest_sequence(mocks) == events

    reused = {**first_input, "contact": {**first_input["contact"], "phone": "+4511112222"}}
    refused = await client.query("maria", CONTACT_REPORT, {"input": reused})
    errors = refused["data"]["institutionContactReport"]["userErrors"]
    assert [e["code"] for e in errors] == ["IDEMPOTENCY_KEY_REUSED"]
    assert udb_latest_sequence(mocks) == events


@pytest.mark.parametrize(
    ("who", "query", "variables"),
    [
        ("maria", CONTACT_REPORT, {"input": contact_input(ALI)}),  # not at her school
        ("maria", CONTACT_REPORT, {"input": contact_input(EMIL)}),  # outside the 6 months
        ("maria", CONTACT_REPORT, {"input": contact_input(NOBODY)}),  # nobody
        ("maria", SUPPORT_NEED, {"input": support_input()}),  # schools only read support needs
        (
            "jette",
            OPEN,
            {"input": {"cpr": SOFIE, "purpose": "PLANNING", "idempotencyKey": new_key()}},
        ),  # Aarhus  # fmt: skip
        ("mikkel", SUPPORT_NEED, {"input": support_input(purpose="MENTORING")}),
    ],
)
async def test_outside_the_window_is_forbidden_alike(
    make_client: Callable[..., Any], mocks: Any, who: str, query: str, variables: dict[str, Any]
) -> None:
    """Scenarios 4 and 6: the same FORBIDDEN whether the CPR exists or not; nothing sent."""
    client: Client = await make_client()
    events = udb_latest_sequence(mocks)
    body = await client.query(who, query, variables)
    assert body["data"] is None and code_of(body) == "FORBIDDEN"
    if who == "maria" and query == CONTACT_REPORT:
        assert body["errors"][0]["message"].endswith("no current relationship to this young person")
    assert udb_latest_sequence(mocks) == events


async def test_a_school_reports_dropout_risk_while_enrolled(
    make_client: Callable[..., Any], mocks: Any
) -> None:
    """Scenario 6: Emil is past the school's six-month read window, but its duty to report
    dropout risk lasts while he is enrolled."""
    client: Client = await make_client()
    events = udb_latest_sequence(mocks)
    body = await client.query("maria", DROPOUT, {"input": risk_input(EMIL)})
    payload = body["data"]["dropoutRiskReport"]
    assert payload["userErrors"] == [] and payload["changed"] is True
    assert payload["dropoutRisk"]["reasons"] == ["ABSENCE"]
    assert payload["dropoutRisk"]["withinFirstSixMonths"] is False
    assert udb_latest_sequence(mocks) == events + 1
    reading = await client.query(
        "maria", "query($c: CPR!) { youth(cpr: $c, purpose: RETENTION) { cpr } }", {"c": EMIL}
    )
    assert code_of(reading) == "FORBIDDEN"  # reading him is still outside the window


async def test_bad_input_asks_nobody(make_client: Callable[..., Any], mocks: Any) -> None:
    """Scenario 5: an extra field or an unknown enum fails validation; a contradictory
    assessment and digits in a name are userErrors; no register call, no event, no record."""
    audit = MemoryAuditStore()
    client: Client = await make_client(audit=audit)
    events, calls = udb_latest_sequence(mocks), client.register_calls("udb")
    extra = await client.query("jette", SUPPORT_NEED, {"input": support_input(note="ADHD")})
    assert code_of(extra) == "BAD_USER_INPUT"
    unknown = await client.query("jette", SUPPORT_NEED, {"input": support_input(areas=["ADHD"])})
    assert code_of(unknown) == "BAD_USER_INPUT"
    both = await client.query(
        "jette", SUPPORT_NEED, {"input": support_input(municipalContact={"self": True,
                                                                         "teamId": "t1"})}
    )  # fmt: skip
    assert code_of(both) == "BAD_USER_INPUT"
    contradictory = await client.query(
        "jette", SUPPORT_NEED, {"input": support_input(assessment="NO_NEED")}
    )
    errors = contradictory["data"]["supportNeedRegister"]["userErrors"]
    assert [(e["field"], e["code"]) for e in errors] == [
        (["input", "areas"], "CONTRADICTORY_ASSESSMENT")
    ]
    digits = await client.query(
        "maria", CONTACT_REPORT, {"input": contact_input(ANNE, name="M4ria")}
    )
    errors = digits["data"]["institutionContactReport"]["userErrors"]
    assert [(e["field"], e["code"]) for e in errors] == [(["input", "contact", "name"], "INVALID")]
    bad_key = await client.query(
        "maria", CONTACT_REPORT, {"input": {**contact_input(ANNE), "idempotencyKey": "1"}}
    )
    assert bad_key["data"]["institutionContactReport"]["userErrors"][0]["code"] == "INVALID"
    assert client.register_calls("udb") == calls
    assert udb_latest_sequence(mocks) == events
    assert audit.records == []


async def test_audit_down_sends_nothing(make_client: Callable[..., Any], mocks: Any) -> None:
    """Scenario 8: without the intent in the log, nothing is sent."""
    store = FailingAuditStore(failing=False)
    client: Client = await make_client(audit=store)
    await store.inner.ping()
    store.failing = True
    events = udb_latest_sequence(mocks)
    body = await client.query("maria", DROPOUT, {"input": risk_input(JONAS)})
    assert body["data"] is None and code_of(body) == "AUDIT_UNAVAILABLE"
    assert udb_latest_sequence(mocks) == events


async def test_subscriptions(make_client: Callable[..., Any], mocks: Any) -> None:
    """Scenario 4: nothing closes a subscription by itself; STAR's refusals as userErrors; a
    manual close says who closed it and is an event."""
    client: Client = await make_client()
    aged = await client.query(
        "jette", OPEN, {"input": open_input(aged_30_with_education_order(mocks.population))}
    )
    assert [e["code"] for e in aged["data"]["udbSubscriptionOpen"]["userErrors"]] == ["AGE_LIMIT"]
    no_plan = await client.query(
        "jette", OPEN, {"input": open_input(without_education_order(mocks.population))}
    )
    codes = [e["code"] for e in no_plan["data"]["udbSubscriptionOpen"]["userErrors"]]
    assert codes == ["NO_EDUCATION_PLAN"]

    events = udb_latest_sequence(mocks)
    closed = await client.query(
        "jette", CLOSE, {"input": {"cpr": ALI, "purpose": "PLANNING", "idempotencyKey": new_key()}}
    )
    payload = closed["data"]["udbSubscriptionClose"]
    assert payload["userErrors"] == [] and payload["changed"] is True
    assert payload["subscription"]["endsOn"] is not None
    assert payload["subscription"]["closedBy"] == "jette.hansen"
    assert udb_latest_sequence(mocks) == events + 1
    again = await client.query(
        "jette", CLOSE, {"input": {"cpr": ALI, "purpose": "PLANNING", "idempotencyKey": new_key()}}
    )
    assert again["data"]["udbSubscriptionClose"]["changed"] is False
    assert udb_latest_sequence(mocks) == events + 1


async def test_the_privacy_officer_sees_the_writes(make_client: Callable[..., Any]) -> None:
    """Writes are legal bases like reads: the action matrix and explain show them."""
    client: Client = await make_client()
    body = await client.query(
        "henrik",
        '{ policy { actionMatrix(action: "WRITE") { resource role purpose allowed legalBases } } }',
    )
    allowed = {
        (r["resource"], r["role"], r["purpose"], tuple(r["legalBases"]))
        for r in body["data"]["policy"]["actionMatrix"]
        if r["allowed"]
    }
    assert allowed == {
        ("support_need", "contact_person", "EDUCATION_START", ("LAB-30-7",)),
        ("support_need", "contact_person", "RETENTION", ("LAB-30-7",)),
        ("support_need", "case_system", "CASE_RECORD", ("LAB-30-7",)),
        ("institution_contact", "institution_contact", "EDUCATION_START", ("KUI-15D-2-2",)),
        ("institution_contact", "institution_contact", "RETENTION", ("KUI-15D-2-2",)),
        ("dropout_risk", "institution_contact", "RETENTION", ("KUI-12C",)),
        ("udb_subscription", "contact_person", "PLANNING", ("LOU-DFDG",)),
        ("udb_subscription", "contact_person", "EDUCATION_START", ("LOU-DFDG",)),
        ("udb_subscription", "contact_person", "RETENTION", ("LOU-DFDG",)),
        ("udb_subscription", "case_system", "CASE_RECORD", ("LOU-DFDG",)),
        ("questionnaire", "youth", "SELF", ("OWN-ANSWERS",)),
        ("health_consent", "youth", "SELF", ("GDPR-9-2-A",)),
    }
    why = await client.query(
        "henrik",
        '{ policy { explainAction(action: "WRITE", resource: "dropout_risk",'
        ' role: "institution_contact", purpose: RETENTION, situation: "enrolment_ended")'
        " { allowed reason rule } } }",
    )
    explained = why["data"]["policy"]["explainAction"]
    assert explained["allowed"] is False and explained["rule"] == "requirement_not_met"
