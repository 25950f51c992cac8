"""The young person's own writes (JOBNET.md "Writes"): the questionnaire, and the consent to
share health answers, whose withdrawal denies the contact person's very next request even with
every cache on (GDPR art. 7(3))."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gateway.audit.memory import MemoryAuditStore
from tests.e2e.conftest import ALI, ANNE, Client
from tests.exchange.conftest import new_key

CONSENT = """
mutation($share: Boolean!) {
  healthConsentSet(share: $share) { shared changed userErrors { field code message } }
}"""

SUBMIT = """
mutation($input: QuestionnaireSubmitInput!) {
  questionnaireSubmit(input: $input) {
    changed
    questionnaire { goal { type text } selfBelief network barriers childrenAtHome }
    health { mentalHealth physicalHealth sharedWithContactPerson }
    userErrors { field code message }
  }
}"""

JETTE_READS_HEALTH = """
query($cpr: CPR!) { youth(cpr: $cpr, purpose: PLANNING) { health { mentalHealth } } }"""


def answers(**changes: Any) -> dict[str, Any]:
    return {
        "idempotencyKey": new_key(),
        "goal": "EDUCATION",
        "goalText": "Noget med dyr",
        "selfBelief": 4,
        "network": "SOME",
        "barriers": ["TRANSPORT"],
        "otherDifficulties": "Bussen kører sjældent",
        "childrenAtHome": 0,
        "mentalHealth": 3,
        "physicalHealth": 5,
        "contactWithPsychiatry": False,
        **changes,
    }


def health_code(body: dict[str, Any]) -> str | None:
    errors = [e for e in body.get("errors", []) if e.get("path", [None])[-1] == "health"]
    return errors[0]["extensions"]["code"] if errors else None


async def test_consent_takes_effect_on_the_next_request(make_client: Callable[..., Any]) -> None:
    """Scenario 5 (one worker, caches on): Ali shares, Jette sees his health; he withdraws,
    Jette's next request is denied — no wait for a TTL."""
    client: Client = await make_client(cache_ttl=30.0, facts_ttl=10.0)
    before = await client.query("jette", JETTE_READS_HEALTH, {"cpr": ALI})
    assert health_code(before) == "FORBIDDEN"  # not shared yet, and now cached

    shared = await client.query("ali", CONSENT, {"share": True})
    assert shared["data"]["healthConsentSet"] == {"shared": True, "changed": True, "userErrors": []}
    seen = await client.query("jette", JETTE_READS_HEALTH, {"cpr": ALI})
    assert seen["data"]["youth"]["health"]["mentalHealth"] is not None

    withdrawn = await client.query("ali", CONSENT, {"share": False})
    assert withdrawn["data"]["healthConsentSet"]["changed"] is True
    after = await client.query("jette", JETTE_READS_HEALTH, {"cpr": ALI})
    assert after["data"]["youth"]["health"] is None and health_code(after) == "FORBIDDEN"
    assert "consent" in after["errors"][0]["extensions"]["reason"]

    again = await client.query("ali", CONSENT, {"share": False})
    assert again["data"]["healthConsentSet"]["changed"] is False


async def test_questionnaire_submit(make_client: Callable[..., Any]) -> None:
    audit = MemoryAuditStore()
    client: Client = await make_client(audit=audit)
    body = await client.query("anne", SUBMIT, {"input": answers()})
    payload = body["data"]["questionnaireSubmit"]
    assert payload["userErrors"] == [] and payload["changed"] is True
    assert payload["questionnaire"]["goal"] == {"type": "EDUCATION", "text": "Noget med dyr"}
    assert payload["health"]["physicalHealth"] == 5
    # The case system reads the new answers, structured.
    read = await client.query(
        "fagsystem",
        "query($c: CPR!) { youth(cpr: $c, purpose: CASE_RECORD) { questionnaire"
        " { selfBelief network barriers } } }",
        {"c": ANNE},
    )
    assert read["data"]["youth"]["questionnaire"] == {
        "selfBelief": 4,
        "network": "SOME",
        "barriers": ["TRANSPORT"],
    }
    kinds = [(r.kind, r.category, r.decision) for r in audit.records if r.cpr == ANNE]
    assert ("write_intent", "questionnaire", "allow") in kinds
    assert ("write_outcome", "questionnaire", "allow") in kinds


async def test_only_the_young_person_writes_their_answers(
    make_client: Callable[..., Any],
) -> None:
    client: Client = await make_client()
    for who in ("jette", "fagsystem", "henrik"):
        body = await client.query(who, CONSENT, {"share": True})
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", who
    out_of_range = await client.query("anne", SUBMIT, {"input": answers(selfBelief=9)})
    errors = out_of_range["data"]["questionnaireSubmit"]["userErrors"]
    assert [(e["field"], e["code"]) for e in errors] == [(["input", "selfBelief"], "INVALID")]
    too_long = await client.query("anne", SUBMIT, {"input": answers(otherDifficulties="x" * 501)})
    errors = too_long["data"]["questionnaireSubmit"]["userErrors"]
    assert [e["field"] for e in errors] == [["input", "otherDifficulties"]]
