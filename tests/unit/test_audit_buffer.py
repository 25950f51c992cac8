"""The request's audit buffer: records of one tick in one write, started at once; flush waits
for every write and reports any failure."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from gateway.access import AuditBuffer
from gateway.audit.records import AuditRecord
from gateway.audit.store import AuditUnavailable


def _record(category: str) -> AuditRecord:
    return AuditRecord(
        time=dt.datetime(2026, 11, 23, tzinfo=dt.UTC),
        request_id="r",
        subject="s",
        subject_name="s",
        role="contact_person",
        organisation=None,
        municipality="0101",
        purpose="PLANNING",
        cpr="1503044112",
        category=category,
        decision="allow",
        reason="",
        legal_bases=(),
        policy_version="v",
    )


async def test_records_of_one_tick_are_written_together_before_flush() -> None:
    writes: list[list[str]] = []

    async def write(records: list[AuditRecord]) -> None:
        writes.append([r.category for r in records])

    buffer = AuditBuffer(write)
    buffer.add(_record("identity"))
    buffer.add(_record("schooling"))
    await asyncio.sleep(0)  # the tick ends: the write starts without waiting for flush
    await asyncio.sleep(0)
    assert writes == [["identity", "schooling"]]
    buffer.add(_record("grades"))
    await buffer.flush()
    assert writes == [["identity", "schooling"], ["grades"]]
    assert [r.category for r in buffer.records] == ["identity", "schooling", "grades"]


@pytest.mark.parametrize("failure", [AuditUnavailable("down"), OSError("disk")])
async def test_flush_reports_a_failed_write(failure: Exception) -> None:
    async def write(records: list[AuditRecord]) -> None:
        raise failure

    buffer = AuditBuffer(write)
    buffer.add(_record("identity"))
    with pytest.raises(AuditUnavailable):
        await buffer.flush()
