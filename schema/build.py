"""The executable schema: the root types of CONTRACT.md merged into one Query."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import strawberry
from strawberry.extensions import SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from schema.execution import PlainDataExecutionContext
from schema.oversight import OversightQuery
from schema.query import YouthQuery
from schema.scalars import SCALARS

Query = merge_types("Query", (YouthQuery, OversightQuery))


class QuietSchema(strawberry.Schema):
    """Strawberry logs every error with the query text by default. Expected errors (FORBIDDEN,
    bad input) are answers, not incidents, and a query text can carry CPR numbers: the gateway
    logs unexpected errors itself, once, without the query (gateway/errors.py)."""

    def process_errors(self, errors: Any, execution_context: Any = None) -> None:
        return None


def make_schema(
    extensions: Sequence[type[SchemaExtension] | Callable[[], SchemaExtension]] = (),
    *,
    plain_execution: bool = True,
) -> strawberry.Schema:
    """`plain_execution`: plain objects completed by cached plans (schema/execution.py); off,
    graphql-core completes every field itself (strawberry's default execution context)."""
    return QuietSchema(
        query=Query,
        extensions=list(extensions),
        config=StrawberryConfig(scalar_map=SCALARS),
        # None: strawberry's own default.
        execution_context_class=PlainDataExecutionContext if plain_execution else None,
    )


def sdl() -> str:
    """The SDL kept in git as schema/schema.graphql (a test compares the two)."""
    return make_schema().as_str() + "\n"


__all__: Sequence[Any] = ["Query", "make_schema", "sdl"]
