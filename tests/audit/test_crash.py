"""SIGKILL a writer mid-run: every batch it was told is stored must be there, whole, chained."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from gateway.audit import AuditFilter, AuditStore, open_audit_store

from .conftest import POSTGRES_DSN

ROOT = Path(__file__).resolve().parents[2]
ACKS_BEFORE_KILL = 40
DEADLINE_SECONDS = 60.0


def run_and_kill(url: str) -> set[str]:
    """Starts the writer, kills it once it has acknowledged enough batches, and returns every
    batch it acknowledged (including any whose line was printed just before the kill)."""
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.audit.crash_writer", url],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert writer.stdout is not None
    acknowledged: set[str] = set()
    buffered = b""
    deadline = time.monotonic() + DEADLINE_SECONDS
    try:
        while len(acknowledged) < ACKS_BEFORE_KILL:
            remaining = deadline - time.monotonic()
            assert remaining > 0, "the writer acknowledged too little in time"
            readable, _, _ = select.select([writer.stdout], [], [], remaining)
            if not readable:
                continue
            chunk = os.read(writer.stdout.fileno(), 65536)
            assert chunk, f"the writer stopped: {writer.stderr.read() if writer.stderr else ''!r}"
            buffered += chunk
            *lines, buffered = buffered.split(b"\n")
            acknowledged |= {line.split()[1].decode() for line in lines if line.startswith(b"ack")}
    finally:
        writer.send_signal(signal.SIGKILL)
        rest, _ = writer.communicate(timeout=DEADLINE_SECONDS)
    # Lines already in the pipe were printed after their append returned: they count too.
    for line in (buffered + rest).split(b"\n"):
        if line.startswith(b"ack ") and line.count(b" ") == 1:
            acknowledged.add(line.split()[1].decode())
    assert writer.returncode == -signal.SIGKILL
    return acknowledged


async def stored_batches(store: AuditStore) -> Counter[str]:
    counts: Counter[str] = Counter()
    after: str | None = None
    for _ in range(100_000):
        page = await store.query(AuditFilter(), 500, after)
        counts.update(record.request_id for record in page.records)
        if page.next_cursor is None:
            return counts
        after = page.next_cursor
    raise AssertionError("pagination never ended")


async def check_survivors(url: str, acknowledged: set[str]) -> None:
    store = await open_audit_store(url)
    try:
        counts = await stored_batches(store)
        assert acknowledged <= set(counts), sorted(acknowledged - set(counts))[:5]
        # All or nothing: a batch cut off by the kill is absent, never half there.
        assert set(counts.values()) == {14}
        result = await store.verify()
        assert result.ok, result
        assert result.checked == 14 * len(counts)
    finally:
        await store.close()


async def test_sqlite_keeps_every_acknowledged_batch_through_sigkill(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'audit.sqlite3'}"
    acknowledged = run_and_kill(url)
    await check_survivors(url, acknowledged)


@pytest.mark.postgres
async def test_postgres_keeps_every_acknowledged_batch_through_sigkill(
    postgres_schema: str,
) -> None:
    url = f"{POSTGRES_DSN}?schema={postgres_schema}"
    acknowledged = run_and_kill(url)
    await check_survivors(url, acknowledged)
