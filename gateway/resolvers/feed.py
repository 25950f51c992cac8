"""UDB's event log on the wire: `GET /udb/v1/haendelser?efter=&antal=&ventSekunder=` — a
global, gap-free `sekvens`, kept 400 days; a cursor older than the log answers 410 (3001)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from gateway.resolvers.errors import RegisterUnavailable
from gateway.resolvers.http import RegisterEndpoint

EXPIRED = 3001
AHEAD = 3002


class FeedCursorExpired(Exception):
    """The cursor points before the oldest event kept (or past the newest)."""


@dataclass(frozen=True)
class UdbEvent:
    sequence: int
    event_id: str
    kind: str  # UDB's type: STOETTEBEHOV, INSTITUTION_KONTAKT, RISIKO_FOR_FRAFALD, …
    cpr: str
    at: dt.datetime
    institution: str | None
    municipality: str | None
    data: dict[str, Any]


@dataclass(frozen=True)
class FeedPage:
    events: list[UdbEvent]
    latest: int  # the newest sequence number in the log


class UdbFeed:
    def __init__(self, endpoint: RegisterEndpoint) -> None:
        self._endpoint = endpoint

    async def read(self, after: int | None, limit: int, wait: float = 0.0) -> FeedPage:
        """Events after `after` (None: from the oldest kept), waiting up to `wait` seconds for
        one when none is there yet."""
        query = f"antal={limit}&ventSekunder={int(wait)}"
        if after is not None:
            query += f"&efter={after}"
        status, answer = await self._endpoint.exchange(
            "GET",
            f"/udb/v1/haendelser?{query}",
            "events",
            headers={},
            deadline=wait + 5.0 if wait else None,
        )
        if (
            status == 410
            and isinstance(answer, dict)
            and answer.get("fejlkode")
            in (
                EXPIRED,
                AHEAD,
            )
        ):
            raise FeedCursorExpired()
        if status != 200 or not isinstance(answer, dict):
            raise RegisterUnavailable(self._endpoint.label)
        try:
            events = [_event(raw) for raw in answer.get("haendelser") or []]
            latest = int(answer["senesteSekvens"])
        except (KeyError, TypeError, ValueError):
            raise RegisterUnavailable(self._endpoint.label) from None
        return FeedPage(events, latest)


def _event(raw: dict[str, Any]) -> UdbEvent:
    at = dt.datetime.fromisoformat(str(raw["tidspunkt"]))
    return UdbEvent(
        sequence=int(raw["sekvens"]),
        event_id=str(raw["haendelseId"]),
        kind=str(raw["type"]),
        cpr=str(raw["cpr"]),
        at=at if at.tzinfo else at.replace(tzinfo=dt.UTC),
        institution=raw.get("institutionsnummer"),
        municipality=raw.get("kommunekode"),
        data=data if isinstance(data := raw.get("data"), dict) else {},
    )
