"""The executable schema: the root types of CONTRACT.md merged into one Query, served as an
Apollo Federation v2 subgraph (`Youth @key(fields: "cpr")`, `_service`, `_entities`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Final

import strawberry
from strawberry.extensions import SchemaExtension
from strawberry.federation.schema import FederationAny
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import Info

from schema.compliance import ComplianceQuery
from schema.errors import BadUserInput
from schema.exchange import ExchangeMutation
from schema.execution import PlainDataExecutionContext
from schema.feed import FeedQuery, FeedSubscription
from schema.oversight import OversightQuery
from schema.own_answers import OwnAnswersMutation
from schema.query import MAX_BATCH, YouthQuery
from schema.scalars import SCALARS

Query = merge_types("Query", (YouthQuery, OversightQuery, ComplianceQuery, FeedQuery))
Mutation = merge_types("Mutation", (ExchangeMutation, OwnAnswersMutation))
Subscription = merge_types("Subscription", (FeedSubscription,))


#: The federation version both composers we test accept (FEDERATION.md: 2.9 measured with
#: @theguild/federation-composition 0.27 and @apollo/composition 2.14).
FEDERATION_VERSION: Final = "2.9"


class QuietSchema(strawberry.federation.Schema):
    """Strawberry logs every error with the query text by default. Expected errors (FORBIDDEN,
    bad input) are answers, not incidents, and a query text can carry CPR numbers: the gateway
    logs unexpected errors itself, once, without the query (gateway/errors.py)."""

    def process_errors(self, errors: Any, execution_context: Any = None) -> None:
        return None

    def entities_resolver(
        self, info: Info, representations: list[FederationAny]
    ) -> list[FederationAny]:
        """`_entities`, refused whole beyond a `youths` batch: a router's references are a
        batch like any other (each entry then goes through Youth.resolve_reference)."""
        if len(representations) > MAX_BATCH:
            raise BadUserInput(f"at most {MAX_BATCH} representations per request")
        return super().entities_resolver(info, representations)


def make_schema(
    extensions: Sequence[type[SchemaExtension] | Callable[[], SchemaExtension]] = (),
    *,
    plain_execution: bool = True,
) -> strawberry.Schema:
    """`plain_execution`: plain objects completed by cached plans (schema/execution.py); off,
    graphql-core completes every field itself (strawberry's default execution context)."""
    return QuietSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=list(extensions),
        config=StrawberryConfig(scalar_map=SCALARS),
        # None: strawberry's own default.
        execution_context_class=PlainDataExecutionContext if plain_execution else None,
        federation_version=FEDERATION_VERSION,
    )


def sdl() -> str:
    """The SDL kept in git as schema/schema.graphql (a test compares the two). It is also the
    subgraph SDL a router composes (`_service { sdl }` answers the same text)."""
    return make_schema().as_str() + "\n"


__all__: Sequence[Any] = ["Query", "make_schema", "sdl"]
