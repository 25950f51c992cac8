"""Query limits: each refused with QUERY_TOO_COMPLEX and its name, before any register call."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from graphql import GraphQLError, GraphQLSchema, get_introspection_query, parse

from gateway.limits import QueryGuard, QueryLimits, query_cost
from gateway.persisted import SHIPPED_FILE
from gateway.settings import Settings
from schema.build import make_schema
from tests.e2e.conftest import ANNE
from tests.e2e.queries import FULL_PROFILE
from tests.security.conftest import Guarded, fill

SCHEMA: GraphQLSchema = make_schema()._schema
SHIPPED: dict[str, str] = orjson.loads(SHIPPED_FILE.read_bytes())
BATCH = next(q for q in SHIPPED.values() if "CaseSystemBatch" in q)
PROFILE = next(q for q in SHIPPED.values() if "JobnetProfile" in q)


def guard(production: bool = True, **limits: Any) -> QueryGuard:
    return QueryGuard(QueryLimits(**limits), production=production)


def errors_of(query: str, variables: dict[str, Any] | None = None, **limits: Any) -> list[Any]:
    g = guard(**limits)
    try:
        prepared = g.prepare(query, SCHEMA)
    except GraphQLError as error:
        return [error]
    if prepared.errors:
        return list(prepared.errors)
    cost = g.check_cost(SCHEMA, prepared.document, None, variables or {})
    return [cost] if cost else []


def limit_of(errors: list[Any]) -> str | None:
    assert errors, "expected a refusal"
    extensions = errors[0].extensions or {}
    assert extensions.get("code") == "QUERY_TOO_COMPLEX", errors[0].message
    limit: str | None = extensions.get("limit")
    return limit


def test_settings_defaults_are_the_limit_defaults() -> None:
    assert QueryLimits.from_settings(Settings()) == QueryLimits()


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (FULL_PROFILE, {"cpr": ANNE, "purpose": "PLANNING"}),
        (PROFILE, {"cpr": ANNE, "purpose": "PLANNING"}),
        (BATCH, {"cprs": [ANNE] * 500, "purpose": "CASE_RECORD"}),
        ("{ caseload(purpose: PLANNING) { edges { node { cpr plan { jobGoals } } } } }", {}),
        ("{ auditLog(first: 100) { edges { node { cpr } } } }", {}),
    ],
)
def test_what_clients_send_is_within_the_default_limits(
    query: str, variables: dict[str, Any]
) -> None:
    assert errors_of(query, variables) == []


def test_graphiql_introspection_fits_the_limits_in_demo_mode() -> None:
    query = get_introspection_query(descriptions=True, directive_is_repeatable=True)
    assert guard(production=False).prepare(query, SCHEMA).errors == ()
    refused = guard(production=True).prepare(query, SCHEMA).errors
    assert refused and "introspection" in refused[0].message


NESTED = fill(
    '{ youth(cpr: "%s", purpose: PLANNING) { plan { offers { period { start } } } } }', ANNE
)


@pytest.mark.parametrize(
    ("query", "limits", "limit"),
    [
        (NESTED, {"depth": 3}, "depth"),
        # Depth through fragments, which a naive count of braces misses.
        (
            fill(
                'query { youth(cpr: "%s", purpose: PLANNING) { ...A } } '
                "fragment A on Youth { plan { ...B } } "
                "fragment B on Plan { offers { period { start } } }",
                ANNE,
            ),
            {"depth": 4},
            "depth",
        ),
        (
            fill(
                "{ %s }",
                " ".join(
                    f'a{i}: youth(cpr: "{ANNE}", purpose: PLANNING) {{ cpr }}' for i in range(4)
                ),
            ),
            {"aliases": 3},
            "aliases",
        ),
        (
            fill(
                '{ youth(cpr: "%s", purpose: PLANNING) { %s } }',
                ANNE,
                "cpr" + " @skip(if: false)" * 4,
            ),
            {"directives": 3},
            "directives",
        ),
        (
            fill('{ youth(cpr: "%s", purpose: PLANNING) { %s } }', ANNE, "cpr " * 6),
            {},
            "repeatedFields",
        ),
        (
            # The same key repeated through fragments counts too.
            fill(
                'query { youth(cpr: "%s", purpose: PLANNING) '
                "{ cpr ...A ...B ... on Youth { cpr } } }"
                " fragment A on Youth { cpr } fragment B on Youth { cpr }",
                ANNE,
            ),
            {"repeated_fields": 3},
            "repeatedFields",
        ),
        ("{ " + "__typename " * 30 + "}", {"tokens": 20}, "tokens"),
        ("{ __typename " + "# comment\n" * 30 + "}", {"tokens": 20}, "tokens"),
        (
            "query($c: [CPR!]!) { a: youths(cprs: $c, purpose: CASE_RECORD) { identity { age } } "
            "b: youths(cprs: $c, purpose: CASE_RECORD) { identity { age } } }",
            {"cost": 100},
            "cost",
        ),
    ],
)
def test_each_limit_is_refused_with_its_name(
    query: str, limits: dict[str, Any], limit: str
) -> None:
    variables = {"c": [ANNE] * 30}
    assert limit_of(errors_of(query, variables, **limits)) == limit


def test_cost_counts_cprs_from_variables_and_literals_times_categories() -> None:
    two = "identity { firstName } grades { year }"
    by_variable = fill(
        "query($c: [CPR!]!) { youths(cprs: $c, purpose: CASE_RECORD) { cpr %s } }", two
    )
    assert query_cost(SCHEMA, parse(by_variable), None, {"c": [ANNE] * 10}) == 10 * 3
    literal = fill('{ youths(cprs: ["%s", "%s"], purpose: CASE_RECORD) { %s } }', ANNE, ANNE, two)
    assert query_cost(SCHEMA, parse(literal), None, {}) == 2 * 3
    page = fill("{ caseload(purpose: PLANNING, first: 7) { edges { node { %s } } } }", two)
    assert query_cost(SCHEMA, parse(page), None, {}) == 7 * 3
    default_page = "{ caseload(purpose: PLANNING) { edges { node { cpr } } } }"
    assert query_cost(SCHEMA, parse(default_page), None, {}) == 100


def test_over_the_batch_cap_stays_bad_user_input_not_cost() -> None:
    # `youths` with 501 CPRs is the resolver's BAD_USER_INPUT; the cost counts the cap.
    query = "query($c: [CPR!]!) { youths(cprs: $c, purpose: CASE_RECORD) { cpr } }"
    assert errors_of(query, {"c": [ANNE] * 10_000}) == []


def test_a_cached_document_still_pays_its_cost_per_request() -> None:
    g = guard(cost=50)
    query = "query($c: [CPR!]!) { youths(cprs: $c, purpose: CASE_RECORD) { cpr identity { age } } }"
    first = g.prepare(query, SCHEMA)
    assert g.check_cost(SCHEMA, first.document, None, {"c": [ANNE] * 5}) is None
    again = g.prepare(query, SCHEMA)
    assert again is first and g.hits == 1
    refused = g.check_cost(SCHEMA, again.document, None, {"c": [ANNE] * 100})
    assert refused is not None and refused.extensions == {
        "code": "QUERY_TOO_COMPLEX",
        "limit": "cost",
    }


def test_the_cache_is_bounded_and_syntax_errors_are_not_cached() -> None:
    g = QueryGuard(QueryLimits(), production=True, cache_size=2)
    for i in range(5):
        g.prepare(f"{{ a{i}: __typename }}", SCHEMA)
    assert g.misses == 5 and len(g._cache) == 2
    for _ in range(2):
        with pytest.raises(GraphQLError):
            g.prepare("{ youth(", SCHEMA)
    assert len(g._cache) == 2


def test_limit_rules_run_before_the_quadratic_ones() -> None:
    # 1,500 repeated fields would keep graphql-core's overlapping-fields rule busy for seconds.
    query = fill('{ youth(cpr: "%s", purpose: PLANNING) { %s } }', ANNE, "cpr " * 1500)
    assert limit_of(errors_of(query)) == "repeatedFields"


async def test_limits_over_http_come_before_any_register_call(guarded: Guarded) -> None:
    aliased = fill(
        "{ %s }",
        " ".join(
            f'a{i}: youth(cpr: "{ANNE}", purpose: PLANNING) {{ identity {{ age }} }}'
            for i in range(16)
        ),
    )
    status, body = await guarded.post({"query": aliased})
    assert status == 400
    assert body["errors"][0]["extensions"] == {"code": "QUERY_TOO_COMPLEX", "limit": "aliases"}
    assert body["data"] is None
    assert guarded.untouched()


async def test_cost_over_http_uses_the_variables(make_guarded: Any) -> None:
    guarded: Guarded = await make_guarded(max_query_cost=20)
    query = "query($c: [CPR!]!) { youths(cprs: $c, purpose: CASE_RECORD) { identity { age } } }"
    status, body = await guarded.post(
        {"query": query, "variables": {"c": [ANNE] * 11}}, who="fagsystem"
    )
    assert status == 400
    assert body["errors"][0]["extensions"] == {"code": "QUERY_TOO_COMPLEX", "limit": "cost"}
    assert guarded.untouched()
    # The same text with fewer CPRs runs: the cached document was not a cached verdict.
    status, body = await guarded.post(
        {"query": query, "variables": {"c": [ANNE] * 2}}, who="fagsystem"
    )
    assert status == 200 and "errors" not in body, body
