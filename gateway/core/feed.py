"""The exchange's event feed for one reader: UDB's events, each shown only when the policy
lets the reader see its category of that young person, and journalled before it leaves.

Events about young people the reader has no relationship to (or whose category the reader
may not see) are skipped without a trace in the answer — not hinted at, not counted. They
are decided but not journalled: the reader never asked for those people, and the feed is
global (a case system would otherwise leave a record per event of the whole country).

`page` answers a poll within the request's session. `follow` is a stream: each event is its
own unit of work (a fresh session, so a relationship that ends mid-stream ends what the
stream shows), journalled and flushed before the event is yielded.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import datetime as dt
import time
from collections.abc import AsyncGenerator, Callable, Sequence
from typing import Any

import strawberry

from gateway.audit.store import AuditUnavailable
from gateway.auth import Subject
from gateway.core.session import Session
from gateway.events import EventHub
from gateway.resolvers import RegisterUnavailable
from gateway.resolvers.feed import FeedCursorExpired, UdbEvent, UdbFeed
from gateway.resolvers.udb import dropout_reasons
from schema.enums import Purpose
from schema.errors import (
    AuditDown,
    BadUserInput,
    CursorExpired,
    RegisterDown,
    StreamUnauthenticated,
)
from schema.feed import (
    MAX_PAGE,
    ExchangeEvent,
    ExchangeEventConnection,
    ExchangeEventEdge,
    ExchangeEventType,
)
from schema.query import PageInfo
from schema.scalars import CPR

#: UDB's event type -> (ours, the category whose decision shows it).
TYPES: dict[str, tuple[ExchangeEventType, str]] = {
    "STOETTEBEHOV": (ExchangeEventType.SUPPORT_NEED_REGISTERED, "support_needs"),
    "INSTITUTION_KONTAKT": (ExchangeEventType.INSTITUTION_CONTACT_REPORTED, "contacts"),
    "RISIKO_FOR_FRAFALD": (ExchangeEventType.DROPOUT_RISK_REPORTED, "dropout_risk"),
    "OPTAGET": (ExchangeEventType.ADMITTED, "admissions"),
    "AFBRUDT": (ExchangeEventType.INTERRUPTED, "schooling"),
    "GENNEMFOERT": (ExchangeEventType.COMPLETED, "schooling"),
    # The subscription is the municipality's own casework.
    "UDB_ABONNEMENT_OPRETTET": (ExchangeEventType.UDB_SUBSCRIPTION_OPENED, "casework"),
    "UDB_ABONNEMENT_LUKKET": (ExchangeEventType.UDB_SUBSCRIPTION_CLOSED, "casework"),
}
#: How many events one poll looks at, at most, for the page it answers.
SCAN_LIMIT = 2_000
READ_BATCH = 200
_CURSOR_PREFIX = "udb-event:"


def encode_cursor(sequence: int) -> str:
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{sequence}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadUserInput("not a cursor of this feed") from None
    digits = text.removeprefix(_CURSOR_PREFIX)
    if not text.startswith(_CURSOR_PREFIX) or not digits.isdigit() or len(digits) > 18:
        raise BadUserInput("not a cursor of this feed")
    return int(digits)


class ExchangeFeed:
    def __init__(
        self,
        session: Session,
        feed: UdbFeed,
        hub: EventHub,
        open_session: Callable[[Subject], Session],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._session = session
        self._feed = feed
        self._hub = hub
        self._open_session = open_session
        self._clock = clock

    # --- the poll -------------------------------------------------------------------------------

    async def page(
        self,
        purpose: Purpose,
        after: str | None,
        first: int,
        types: list[ExchangeEventType] | None,
    ) -> ExchangeEventConnection:
        if not 0 <= first <= MAX_PAGE:
            raise BadUserInput(f"`first` must be between 0 and {MAX_PAGE}")
        position = None if after is None else decode_cursor(after)
        wanted = set(types) if types else None
        shown: list[ExchangeEvent] = []
        scanned, more = 0, False
        while not more:
            if scanned >= SCAN_LIMIT:
                more = True  # nothing more to show in this many: page on from here
                break
            batch = (await self._read(position, READ_BATCH)).events
            if not batch:
                break
            visible = await _visible(self._session, purpose, batch, wanted)
            for event in batch:
                if event.sequence in visible:
                    if len(shown) == first:
                        more = True  # one beyond the page: the next page is not empty
                        break
                    shown.append(_event(event, visible[event.sequence]))
                position = event.sequence  # looked at: shown or not the reader's
                scanned += 1
        return ExchangeEventConnection(
            edges=[ExchangeEventEdge(cursor=e.cursor, node=e) for e in shown],
            page_info=PageInfo(
                has_next_page=more,
                end_cursor=None if position is None else encode_cursor(position),
            ),
        )

    async def _read(self, position: int | None, limit: int) -> Any:
        try:
            return await self._feed.read(position, limit)
        except FeedCursorExpired:
            raise CursorExpired() from None
        except RegisterUnavailable as exc:
            raise RegisterDown(exc.register) from None

    # --- the stream -----------------------------------------------------------------------------

    async def follow(
        self, purpose: Purpose, after: str | None
    ) -> AsyncGenerator[ExchangeEvent, None]:
        subject = self._session.subject
        last = None if after is None else decode_cursor(after)
        try:
            listening = self._hub.listen()
            queue, start = await listening.__aenter__()
        except RegisterUnavailable as exc:
            raise RegisterDown(exc.register) from None
        try:
            # The replay: what the log holds after `after`, up to where the live part begins.
            position = last
            while last is not None and position is not None and position < start:
                batch = [e for e in (await self._read(position, READ_BATCH)).events
                         if e.sequence <= start]  # fmt: skip
                if not batch:
                    break
                for event in batch:
                    position = event.sequence
                    shown = await self._release(subject, purpose, event)
                    if shown is not None:
                        yield shown
            seen = max(start, last or 0)
            # The live part: every event after `start`, as the process's poll loop hears it.
            while True:
                event = await self._next(queue, subject)
                if event.sequence <= seen:
                    continue
                seen = event.sequence
                shown = await self._release(subject, purpose, event)
                if shown is not None:
                    yield shown
        finally:
            await listening.__aexit__(None, None, None)

    async def _next(self, queue: asyncio.Queue[UdbEvent | None], subject: Subject) -> UdbEvent:
        left = None if subject.expires_at is None else subject.expires_at - self._clock()
        if left is not None and left <= 0:
            raise StreamUnauthenticated()
        try:
            event = await asyncio.wait_for(queue.get(), timeout=left)
        except TimeoutError:
            raise StreamUnauthenticated() from None
        if event is None:  # fell behind: the client resumes from its last cursor
            raise RegisterDown("udb")
        return event

    async def _release(
        self, subject: Subject, purpose: Purpose, event: UdbEvent
    ) -> ExchangeEvent | None:
        """One event of the stream as its own unit of work: decided, journalled, flushed."""
        session = self._open_session(subject)
        visible = await _visible(session, purpose, [event], None)
        if event.sequence not in visible:
            return None
        try:
            await session.release()
        except AuditUnavailable:
            raise AuditDown() from None
        return _event(event, visible[event.sequence])


async def _visible(
    session: Session,
    purpose: Purpose,
    events: Sequence[UdbEvent],
    wanted: set[ExchangeEventType] | None,
) -> dict[int, ExchangeEventType]:
    """The events of `events` the reader may see (sequence -> type), each journalled as a read
    of its category; the others are dropped without a record (the module's docstring)."""
    guard = session.guard
    typed = [(e, TYPES[e.kind]) for e in events if e.kind in TYPES]
    typed = [(e, t) for e, t in typed if wanted is None or t[0] in wanted]
    people = list(dict.fromkeys(e.cpr for e, _ in typed))
    decisions = await asyncio.gather(*(guard.read(cpr, purpose) for cpr in people))
    by_cpr = dict(zip(people, decisions, strict=True))
    shown: dict[int, ExchangeEventType] = {}
    for event, (kind, category) in typed:
        decision = by_cpr[event.cpr]
        if decision.category(category).allow:
            guard.category(event.cpr, purpose, category, decision)
            shown[event.sequence] = kind
    return shown


def _event(event: UdbEvent, kind: ExchangeEventType) -> ExchangeEvent:
    data = event.data
    risk = kind is ExchangeEventType.DROPOUT_RISK_REPORTED
    version = data.get("version") if kind is ExchangeEventType.SUPPORT_NEED_REGISTERED else None
    acknowledged = (
        data.get("kvitteretVersion")
        if kind is ExchangeEventType.INSTITUTION_CONTACT_REPORTED
        else None
    )
    return ExchangeEvent(
        id=strawberry.ID(event.event_id),
        cursor=encode_cursor(event.sequence),
        type=kind,
        occurred_at=event.at,
        cpr=CPR(event.cpr),
        institution_number=event.institution,
        municipality=event.municipality,
        support_need_version=version if isinstance(version, int) else None,
        acknowledges_version=acknowledged if isinstance(acknowledged, int) else None,
        reasons=dropout_reasons(data.get("aarsager")) if risk else None,
        expires=_day(data.get("udloeber")) if risk else None,
        within_first_six_months=_flag(data.get("indenForFoersteSeksMaaneder")) if risk else None,
        before_first_absence_letter=_flag(data.get("foerFoersteFravaersbrev")) if risk else None,
    )


def _day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None
