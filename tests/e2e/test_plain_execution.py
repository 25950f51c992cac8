"""Plain objects completed by plans (schema/execution.py) answer exactly what graphql-core's own
field-by-field completion answers: same data, same errors, for every persona's view. The
PLAIN_EXECUTION setting decides which of the two a gateway starts with."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema.execution import PlainDataExecutionContext
from tests.e2e.conftest import ALI, ANNE, FREJA, JONAS, PEOPLE, Client
from tests.e2e.queries import FULL_PROFILE, ME, PROFILE_FIELDS

TRICKY = """
query($cpr: CPR!, $purpose: Purpose!, $withGoal: Boolean!) {
  youth(cpr: $cpr, purpose: $purpose) {
    ...Who
    plan { __typename goal: educationGoal ... on Plan { jobGoals }
           offers @include(if: $withGoal) { kind: type period { ...Span } } }
    again: plan { offers { period { start } } }
    income { lines { payer { __typename name } } monthlyTotals @skip(if: $withGoal) { month } }
  }
}
fragment Who on Youth { identity { firstName municipality { code } } }
fragment Span on Period { start end }
"""

YOUTHS = "query($cprs: [CPR!]!) { youths(cprs: $cprs, purpose: CASE_RECORD) { %s } }"

CASES: list[tuple[str, str, dict[str, Any]]] = [
    ("jette", FULL_PROFILE, {"cpr": ANNE, "purpose": "PLANNING"}),
    ("jette", FULL_PROFILE, {"cpr": FREJA, "purpose": "PLANNING"}),
    ("mikkel", FULL_PROFILE, {"cpr": ANNE, "purpose": "MENTORING"}),
    ("maria", FULL_PROFILE, {"cpr": JONAS, "purpose": "RETENTION"}),
    ("jette", TRICKY, {"cpr": ANNE, "purpose": "PLANNING", "withGoal": True}),
    ("jette", TRICKY, {"cpr": ANNE, "purpose": "PLANNING", "withGoal": False}),
    ("fagsystem", YOUTHS % PROFILE_FIELDS, {"cprs": [ANNE, ALI, FREJA, JONAS]}),
    ("anne", ME, {}),
]


# Every other case starts its gateway with PLAIN_EXECUTION off (full profiles and the tricky
# query meet both settings), so each case still asks three times, not six.
def _param(i: int, who: str, query: str, variables: dict[str, Any]) -> Any:
    plain_execution = i % 2 == 0
    label = "plans" if plain_execution else "setting-off"
    return pytest.param(who, query, variables, plain_execution, id=f"{i}-{who}-{label}")


PARAMS = [_param(i, *case) for i, case in enumerate(CASES)]


async def _answer(client: Client, context: type, who: str, query: str, variables: Any) -> Any:
    client.app.state.gateway.schema.execution_context_class = context
    return await client.query(who, query, variables)


@pytest.mark.parametrize(("who", "query", "variables", "plain_execution"), PARAMS)
async def test_plans_answer_what_graphql_core_answers(
    make_client: Callable[..., Any],
    who: str,
    query: str,
    variables: dict[str, Any],
    plain_execution: bool,
) -> None:
    assert who in PEOPLE
    client: Client = await make_client(  # the same data each time
        cache_ttl=30.0, facts_ttl=30.0, plain_execution=plain_execution
    )
    configured = client.app.state.gateway.schema.execution_context_class
    if plain_execution:
        assert configured is PlainDataExecutionContext
    else:
        assert configured is StrawberryGraphQLCoreExecutionContext, (
            "PLAIN_EXECUTION off, yet the gateway's schema runs "
            f"{configured.__name__}: does gateway/app.py pass settings.plain_execution on?"
        )
    as_configured = await client.query(who, query, variables)
    other = StrawberryGraphQLCoreExecutionContext if plain_execution else PlainDataExecutionContext
    swapped = await _answer(client, other, who, query, variables)
    again = await _answer(client, PlainDataExecutionContext, who, query, variables)  # cached plans
    standard = swapped if plain_execution else as_configured
    assert standard["_status"] == 200
    assert standard.get("data") is not None
    assert as_configured == swapped
    assert again == standard
