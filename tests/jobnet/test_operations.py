"""The pages' persisted operations (schema/operations.json): each is valid against the schema
and within the default limits, so a gateway that runs only trusted operations serves them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import GraphQLSchema

from gateway.limits import QueryGuard, QueryLimits
from gateway.persisted import PersistedOperations
from schema.build import make_schema

SCHEMA: GraphQLSchema = make_schema()._schema
SHIPPED = PersistedOperations.load(None)
PAGES = {
    name: digest for name, digest in SHIPPED.by_name("Jobnet").items() if name != "JobnetProfile"
}
USED = set(
    re.findall(
        r'"(Jobnet\w+)"',
        (Path(__file__).parents[2] / "gateway" / "jobnet" / "routes.py").read_text(),
    )
)
VARIABLES = {"first": 20, "after": None, "purpose": "PLANNING", "cpr": "1503044112", "share": True}


def test_every_operation_a_page_runs_is_shipped() -> None:
    assert set(PAGES) == USED


@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_operation_is_valid_and_within_the_limits(name: str) -> None:
    guard = QueryGuard(QueryLimits(), production=True)
    prepared = guard.prepare(SHIPPED.operations[PAGES[name]], SCHEMA)
    assert not prepared.errors, [e.message for e in prepared.errors or []]
    assert guard.check_cost(SCHEMA, prepared.document, name, VARIABLES) is None
