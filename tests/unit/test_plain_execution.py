"""Where a plan meets what it does not complete itself, graphql-core completes it: the same
errors and nulls as without plans."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema.execution import PlainDataExecutionContext


@strawberry.type
class Leaf:
    name: str
    tags: list[str]
    note: str | None = None


@strawberry.interface
class Named:
    name: str


@strawberry.type
class Thing(Named):
    size: int


@strawberry.type
class Box:
    leaves: list[Leaf]
    thing: Named


LEAVES: list[Any] = []


@strawberry.type
class Query:
    @strawberry.field
    def box(self) -> Box:
        return Box(leaves=LEAVES, thing=Thing(name="t", size=3))


def _run(context: type, query: str) -> Any:
    schema = strawberry.Schema(query=Query, types=[Thing], execution_context_class=context)
    result = schema.execute_sync(query)
    errors = [(e.message, e.path) for e in result.errors or []]
    return result.data, errors


QUERY = "{ box { leaves { name tags note __typename } thing { name ... on Thing { size } } } }"


def _same(leaves: list[Any]) -> Any:
    LEAVES[:] = leaves
    planned = _run(PlainDataExecutionContext, QUERY)
    assert planned == _run(StrawberryGraphQLCoreExecutionContext, QUERY)
    return planned


def test_plain_values_complete_as_graphql_core_completes_them() -> None:
    data, errors = _same([Leaf(name="a", tags=["x", "y"]), Leaf(name="b", tags=[], note="n")])
    assert errors == []
    assert data["box"]["leaves"][1] == {"name": "b", "tags": [], "note": "n", "__typename": "Leaf"}
    assert data["box"]["thing"] == {"name": "t", "size": 3}  # an interface: graphql-core's path


def test_a_null_in_a_non_null_field_is_graphql_cores_error() -> None:
    data, errors = _same([Leaf(name=None, tags=[])])  # type: ignore[arg-type]
    assert data is None
    assert errors and "Cannot return null for non-nullable field Leaf.name" in errors[0][0]


def test_a_null_inside_a_non_null_list_is_graphql_cores_error() -> None:
    _, errors = _same([Leaf(name="a", tags=["x", None])])  # type: ignore[list-item]
    assert errors and errors[0][1] == ["box", "leaves", 0, "tags", 1]


def test_a_value_that_is_not_a_list_is_graphql_cores_error() -> None:
    _, errors = _same([Leaf(name="a", tags=7)])  # type: ignore[arg-type]
    assert errors and "Expected Iterable" in errors[0][0]
