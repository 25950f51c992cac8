"""The decision date is today's date in Denmark, wherever the server's clock zone is: just after
Danish midnight, a server in UTC is still on yesterday, and an assignment that ended
"yesterday" in Denmark must grant nothing."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

import pytest

from gateway.app import build_gateway
from gateway.audit.memory import MemoryAuditStore
from gateway.clock import danish_today
from gateway.policies.engine import embedded_engine
from gateway.settings import Settings

UTC = dt.UTC


def at(*moment: int) -> float:
    return dt.datetime(*moment, tzinfo=UTC).timestamp()


#: 00:30 in Copenhagen (CET, UTC+1) on 24 November 2026; still 23 November in UTC.
JUST_AFTER_DANISH_MIDNIGHT = at(2026, 11, 23, 23, 30)


@pytest.fixture
def process_in_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def clock_after_danish_midnight(
    monkeypatch: pytest.MonkeyPatch, process_in_utc: None
) -> Iterator[None]:
    monkeypatch.setattr(time, "time", lambda: JUST_AFTER_DANISH_MIDNIGHT)
    yield


def test_the_process_is_in_utc_and_its_own_date_is_yesterday(process_in_utc: None) -> None:
    assert time.localtime(JUST_AFTER_DANISH_MIDNIGHT).tm_zone == "UTC"
    local = dt.date.fromtimestamp(JUST_AFTER_DANISH_MIDNIGHT)
    assert local == dt.date(2026, 11, 23)
    assert danish_today(lambda: JUST_AFTER_DANISH_MIDNIGHT) == dt.date(2026, 11, 24)


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        (at(2026, 11, 23, 22, 59, 59), dt.date(2026, 11, 23)),  # 23:59:59 CET
        (at(2026, 11, 23, 23, 0, 0), dt.date(2026, 11, 24)),  # Danish midnight
        (at(2026, 6, 30, 21, 59, 59), dt.date(2026, 6, 30)),  # 23:59:59 CEST (UTC+2)
        (at(2026, 6, 30, 22, 0, 0), dt.date(2026, 7, 1)),
        (at(2026, 12, 31, 23, 0, 0), dt.date(2027, 1, 1)),  # the reform's day begins in Denmark
    ],
)
def test_danish_midnight_in_winter_and_summer(
    process_in_utc: None, moment: float, day: dt.date
) -> None:
    assert danish_today(lambda: moment) == day


def test_the_gateway_decides_on_the_danish_date_by_default(
    clock_after_danish_midnight: None,
) -> None:
    assert dt.date.today() == dt.date(2026, 11, 23)  # what the gateway used before
    gateway = build_gateway(Settings(audit_url="memory://"), audit=MemoryAuditStore())
    assert gateway.today() == dt.date(2026, 11, 24)
    assert gateway.registers.reference_date() == dt.date(2026, 11, 24)


async def test_an_assignment_that_ended_yesterday_grants_nothing_after_danish_midnight(
    clock_after_danish_midnight: None,
) -> None:
    gateway = build_gateway(Settings(audit_url="memory://"), audit=MemoryAuditStore())
    jette = {"sub": "jette.hansen", "role": "contact_person", "municipality": "0101"}
    facts = {
        "municipality": "0101",
        "assignments": [
            {
                "subject": "jette.hansen",
                "municipality": "0101",
                "from": "2026-03-23",
                "to": "2026-11-23",
            }
        ],
    }
    engine = embedded_engine(cache_size=0)

    def request(day: dt.date) -> dict[str, object]:
        return {
            "subject": jette,
            "purpose": "PLANNING",
            "cpr": "1503044112",
            "date": day.isoformat(),
            "facts": facts,
        }

    server_date = await engine.decide(request(dt.date.today()))
    assert server_date.relationship == "assigned_contact_person"  # the hole: UTC's date
    danish = await engine.decide(request(gateway.today()))
    assert danish.relationship is None and not danish.any_allowed
