"""The exchange's event feed (EXCHANGE.md "The event feed"): a cursor connection for case
systems that poll (`exchangeEvents`), and a subscription over GraphQL-over-SSE for live
screens (`exchangeEventAdded`) that replays from `after`, then follows. Every event carries
its cursor and an `id` to deduplicate by: delivery is at least once."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncGenerator
from enum import Enum
from typing import Any, Protocol

import strawberry
from strawberry.types import Info

from schema.categories.dropout_risk import DropoutRiskReason
from schema.enums import Purpose
from schema.query import PageInfo
from schema.scalars import CPR

DEFAULT_PAGE, MAX_PAGE = 50, 500


@strawberry.enum(description="What happened in the exchange or in the young person's education.")
class ExchangeEventType(Enum):
    SUPPORT_NEED_REGISTERED = "SUPPORT_NEED_REGISTERED"
    INSTITUTION_CONTACT_REPORTED = "INSTITUTION_CONTACT_REPORTED"
    DROPOUT_RISK_REPORTED = "DROPOUT_RISK_REPORTED"
    ADMITTED = "ADMITTED"
    INTERRUPTED = "INTERRUPTED"
    COMPLETED = "COMPLETED"
    UDB_SUBSCRIPTION_OPENED = "UDB_SUBSCRIPTION_OPENED"
    UDB_SUBSCRIPTION_CLOSED = "UDB_SUBSCRIPTION_CLOSED"


@strawberry.type(
    description="One event of UDB's log, shown because the policy lets the reader see its "
    "category of this young person. No names or phone numbers: read the young person for those."
)
class ExchangeEvent:
    id: strawberry.ID = strawberry.field(description="UDB's event id: deduplicate by it.")
    cursor: str = strawberry.field(description="Resume after this event (`after`).")
    type: ExchangeEventType
    occurred_at: dt.datetime
    cpr: CPR = strawberry.field(description="The young person the event is about.")
    institution_number: str | None = strawberry.field(description="The school, when one.")
    municipality: str | None = strawberry.field(description="The municipality, when one.")
    support_need_version: int | None = strawberry.field(
        description="SUPPORT_NEED_REGISTERED: the new version."
    )
    acknowledges_version: int | None = strawberry.field(
        description="INSTITUTION_CONTACT_REPORTED: the support-need version the receipt answers."
    )
    reasons: list[DropoutRiskReason] | None = strawberry.field(
        description="DROPOUT_RISK_REPORTED: the reasons."
    )
    expires: dt.date | None = strawberry.field(description="DROPOUT_RISK_REPORTED: expiry.")
    within_first_six_months: bool | None = strawberry.field(
        description="DROPOUT_RISK_REPORTED: within 6 months of the start (R5)."
    )
    before_first_absence_letter: bool | None = strawberry.field(
        description="DROPOUT_RISK_REPORTED: reported before the first absence letter (R4)."
    )


@strawberry.type
class ExchangeEventEdge:
    cursor: str
    node: ExchangeEvent


@strawberry.type(description="Events in log order. Page on with `pageInfo.endCursor`.")
class ExchangeEventConnection:
    edges: list[ExchangeEventEdge]
    page_info: PageInfo


class FeedAccess(Protocol):
    async def page(
        self,
        purpose: Purpose,
        after: str | None,
        first: int,
        types: list[ExchangeEventType] | None,
    ) -> ExchangeEventConnection: ...

    def follow(
        self, purpose: Purpose, after: str | None
    ) -> AsyncGenerator[ExchangeEvent, None]: ...


class HasFeed(Protocol):
    feed: FeedAccess


def _feed(info: Info[Any, Any]) -> FeedAccess:
    context: HasFeed = info.context
    return context.feed


@strawberry.type
class FeedQuery:
    @strawberry.field(
        description="UDB's exchange events the caller may see, after a cursor (from the oldest "
        f"kept without one), at most {MAX_PAGE} a page. CURSOR_EXPIRED past the feed's 400 days."
    )
    async def exchange_events(
        self,
        info: Info[Any, Any],
        purpose: Purpose,
        after: str | None = None,
        first: int = DEFAULT_PAGE,
        types: list[ExchangeEventType] | None = None,
    ) -> ExchangeEventConnection:
        return await _feed(info).page(purpose, after, first, types)


@strawberry.type
class FeedSubscription:
    @strawberry.subscription(
        description="Live exchange events over GraphQL-over-SSE (Accept: text/event-stream): "
        "replays from `after`, then follows. Ends with UNAUTHENTICATED when the token expires."
    )
    async def exchange_event_added(
        self, info: Info[Any, Any], purpose: Purpose, after: str | None = None
    ) -> AsyncGenerator[ExchangeEvent, None]:
        async for event in _feed(info).follow(purpose, after):
            yield event
