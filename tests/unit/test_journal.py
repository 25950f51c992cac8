"""The session's journal: records of one tick in one write, started at once; flush waits
for every write and reports any failure."""

from __future__ import annotations

import asyncio

import pytest

from gateway.audit.records import AuditRecord
from gateway.audit.store import AuditUnavailable
from gateway.core.journal import Journal
from tests.audit.conftest import make_record


async def test_records_of_one_tick_are_written_together_before_flush() -> None:
    writes: list[list[str]] = []

    async def write(records: list[AuditRecord]) -> None:
        writes.append([r.category for r in records])

    buffer = Journal(write)
    buffer.add(make_record(category="identity"))
    buffer.add(make_record(category="schooling"))
    await asyncio.sleep(0)  # the tick ends: the write starts without waiting for flush
    await asyncio.sleep(0)
    assert writes == [["identity", "schooling"]]
    buffer.add(make_record(category="grades"))
    await buffer.flush()
    assert writes == [["identity", "schooling"], ["grades"]]
    assert [r.category for r in buffer.records] == ["identity", "schooling", "grades"]


@pytest.mark.parametrize("failure", [AuditUnavailable("down"), OSError("disk")])
async def test_flush_reports_a_failed_write(failure: Exception) -> None:
    async def write(records: list[AuditRecord]) -> None:
        raise failure

    buffer = Journal(write)
    buffer.add(make_record(category="identity"))
    with pytest.raises(AuditUnavailable):
        await buffer.flush()
