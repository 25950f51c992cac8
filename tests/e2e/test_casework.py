"""`casework` is its own category (POLICY.md): the municipality's casework leaves `plan`, the
mentor and the business consultant see the plan and never the casework, and the fields that
left the plan are deprecated there and never carry casework."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import GraphQLObjectType

from gateway.audit.memory import MemoryAuditStore
from gateway.audit.records import AuditFilter
from schema.build import make_schema
from tests.e2e.conftest import ANNE, Client, errors_by_path
from tests.e2e.queries import YOUTH

PLAN_AND_CASEWORK = YOUTH % (
    "plan { educationGoal goalsAgreedWith { name } offers { type } } "
    "casework { visitation { category } currentEducationOrderStep { step } "
    "conversations { type } agreements { text } readingWritingMathsTest { needsMaths } "
    "firstContact }"
)

MOVED = (
    "visitation { category } visitationHistory { category } educationOrder { step } "
    "currentEducationOrderStep { step } agreements { text } conversations { type } "
    "readingWritingMathsTest { needsMaths } firstContact"
)


@pytest.mark.parametrize(("who", "purpose"), [("mikkel", "MENTORING"), ("sara", "JOB_PLACEMENT")])
async def test_mentor_and_business_consultant_get_the_plan_never_the_casework(
    make_client: Any, who: str, purpose: str
) -> None:
    store = MemoryAuditStore()
    client: Client = await make_client(audit=store)
    body = await client.query(who, PLAN_AND_CASEWORK, {"cpr": ANNE, "purpose": purpose})
    anne = body["data"]["youth"]
    assert anne["plan"]["educationGoal"] == "Uddannelse inden for det grønne område"
    assert anne["plan"]["goalsAgreedWith"] == {"name": "Jette Hansen"}
    assert anne["casework"] is None
    error = errors_by_path(body)["youth.casework"]["extensions"]
    assert error["code"] == "FORBIDDEN" and error["category"] == "casework"
    assert "may not see casework" in error["reason"]
    # One register call for the plan section, none for the casework.
    assert client.register_calls("dfdg", "data") == 1
    page = await store.query(AuditFilter(cpr=ANNE), 100)
    decisions = {(r.category, r.decision) for r in page.records}
    assert decisions == {("plan", "allow"), ("casework", "deny")}


async def test_the_deprecated_plan_fields_never_carry_casework(client: Client) -> None:
    """Old clients that still ask `plan { visitation … }` get nulls, whoever asks: casework is
    released only under its own decision."""
    for who, purpose in (("mikkel", "MENTORING"), ("jette", "PLANNING")):
        body = await client.query(
            who, YOUTH % f"plan {{ {MOVED} }}", {"cpr": ANNE, "purpose": purpose}
        )
        plan = body["data"]["youth"]["plan"]
        assert plan is not None and set(plan.values()) == {None}, who
        assert "errors" not in body


async def test_the_contact_person_sees_the_casework(client: Client) -> None:
    body = await client.query("jette", PLAN_AND_CASEWORK, {"cpr": ANNE, "purpose": "PLANNING"})
    casework = body["data"]["youth"]["casework"]
    assert casework["visitation"] == {"category": "EDUCATION_READY"}
    assert casework["currentEducationOrderStep"] == {"step": 3}
    assert casework["conversations"][-1]["type"] == "FIRST_CONVERSATION"
    assert casework["agreements"][0]["text"] == "Besøg Grøn Erhvervsskole med studievejlederen"
    assert (
        casework["readingWritingMathsTest"] is None
        or "needsMaths" in (casework["readingWritingMathsTest"])
    )
    assert casework["firstContact"]
    assert "errors" not in body


def test_the_schema_deprecates_the_moved_plan_fields() -> None:
    plan = make_schema()._schema.type_map["Plan"]
    assert isinstance(plan, GraphQLObjectType)
    for name in (
        "visitation",
        "visitationHistory",
        "educationOrder",
        "currentEducationOrderStep",
        "agreements",
        "conversations",
        "readingWritingMathsTest",
        "firstContact",
    ):
        reason = plan.fields[name].deprecation_reason
        assert reason and f"casework {{ {name} }}" in reason, name
    for name in ("educationGoal", "jobGoals", "planUpdated", "goalsAgreedWith", "offers"):
        assert plan.fields[name].deprecation_reason is None, name
