"""Migration 2 on a log the code before it wrote: the old records still verify, new ones chain on.

The log at version 1 is built here by hand (schema migration 1 only, records hashed in
canonical form 1 written out in this file), so the test does not lean on the code it checks.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Protocol

import asyncpg
import pytest

from gateway.audit import (
    AuditFilter,
    AuditRecord,
    AuditStore,
    PostgresAuditStore,
    SqliteAuditStore,
    migrations,
)
from gateway.audit.chain import GENESIS, ChainPoint
from gateway.audit.records import CATEGORY_READ, LOG_READ, RELATIONSHIP_CONFIRMED

from .conftest import POSTGRES_DSN, drop_schema, make_record, require_postgres
from .test_store_contract import everything

# The columns of audit_records as migration 1 made them, in its order.
V1_COLUMNS = (
    "seq",
    "time",
    "request_id",
    "subject",
    "subject_name",
    "role",
    "organisation",
    "municipality",
    "purpose",
    "cpr",
    "category",
    "decision",
    "reason",
    "legal_bases",
    "policy_version",
    "prev_hash",
    "hash",
)

OLD_RECORDS = [
    make_record(0),
    make_record(1, category="grades", decision="deny", reason="no legal basis in force"),
    # How version 1 wrote a privacy officer's read of the audit log.
    make_record(
        2,
        subject="pia.berg",
        subject_name="Pia Berg",
        role="privacy_officer",
        purpose="SUPERVISION",
        cpr="",
        category="audit_log",
        reason="privacy officer of municipality 0101",
        legal_bases=(),
    ),
    make_record(3, organisation=None, municipality=None, subject_name="Søren Æblegård"),
]


def seal_in_version_1(records: list[AuditRecord], head: ChainPoint) -> list[AuditRecord]:
    """What the code before migration 2 stored: canonical form 1, without kind and youth
    municipality, written out by hand."""
    sealed = []
    for record in records:
        seq = head.seq + 1
        form_1 = {
            "v": 1,
            "seq": seq,
            "prev_hash": head.hash,
            "time": record.time.isoformat(timespec="microseconds"),
            "request_id": record.request_id,
            "subject": record.subject,
            "subject_name": record.subject_name,
            "role": record.role,
            "organisation": record.organisation,
            "municipality": record.municipality,
            "purpose": record.purpose,
            "cpr": record.cpr,
            "category": record.category,
            "decision": record.decision,
            "reason": record.reason,
            "legal_bases": list(record.legal_bases),
            "policy_version": record.policy_version,
        }
        text = json.dumps(form_1, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        digest = hashlib.sha256(text.encode()).hexdigest()
        sealed.append(replace(record, seq=seq, prev_hash=head.hash, hash=digest, hash_version=1))
        head = ChainPoint(seq, digest)
    return sealed


class OldLog(Protocol):
    """A log as the code before migration 2 left it, and that code still writing to it."""

    async def create_at_version_1(self) -> None: ...
    async def write_as_old_code(self, records: list[AuditRecord]) -> None: ...
    async def tamper_kind(self, seq: int, kind: str) -> None: ...
    async def versions(self) -> list[int]: ...
    async def open_store(self) -> AuditStore: ...


class SqliteOldLog:
    def __init__(self, path: Path) -> None:
        self.path = path

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, isolation_level=None)

    async def create_at_version_1(self) -> None:
        connection = self._connect()
        try:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute(
                "CREATE TABLE audit_migrations "
                "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            version, statements = migrations.SQLITE[0]
            assert version == 1
            for statement in statements:
                connection.execute(statement)
            connection.execute(
                "INSERT INTO audit_migrations VALUES (1, '2026-06-01T00:00:00+00:00')"
            )
            connection.execute("COMMIT")
        finally:
            connection.close()

    async def write_as_old_code(self, records: list[AuditRecord]) -> None:
        rows = [
            tuple(
                record.time.isoformat(timespec="microseconds")
                if column == "time"
                else json.dumps(list(record.legal_bases), ensure_ascii=False)
                if column == "legal_bases"
                else getattr(record, column)
                for column in V1_COLUMNS
            )
            for record in records
        ]
        marks = ", ".join("?" for _ in V1_COLUMNS)
        connection = self._connect()
        try:
            connection.execute("BEGIN IMMEDIATE")
            connection.executemany(
                f"INSERT INTO audit_records ({', '.join(V1_COLUMNS)}) VALUES ({marks})", rows
            )
            connection.execute(
                "UPDATE audit_chain_head SET seq = ?, hash = ? WHERE id = 1",
                (records[-1].seq, records[-1].hash),
            )
            connection.execute("COMMIT")
        finally:
            connection.close()

    async def tamper_kind(self, seq: int, kind: str) -> None:
        connection = self._connect()
        try:
            connection.execute("UPDATE audit_records SET kind = ? WHERE seq = ?", (kind, seq))
        finally:
            connection.close()

    async def versions(self) -> list[int]:
        connection = self._connect()
        try:
            rows = connection.execute("SELECT version FROM audit_migrations ORDER BY version")
            return [int(row[0]) for row in rows]
        finally:
            connection.close()

    async def open_store(self) -> AuditStore:
        store = SqliteAuditStore(self.path)
        await store.open()
        return store


class PostgresOldLog:
    def __init__(self, schema: str) -> None:
        self.schema = schema

    async def _connect(self) -> asyncpg.Connection:
        return await asyncpg.connect(POSTGRES_DSN, server_settings={"search_path": self.schema})

    async def create_at_version_1(self) -> None:
        connection = await self._connect()
        try:
            async with connection.transaction():
                await connection.execute(f'CREATE SCHEMA "{self.schema}"')
                await connection.execute(
                    "CREATE TABLE audit_migrations (version integer PRIMARY KEY, "
                    "applied_at timestamptz NOT NULL DEFAULT now())"
                )
                version, statements = migrations.POSTGRES[0]
                assert version == 1
                for statement in statements:
                    await connection.execute(statement)
                await connection.execute("INSERT INTO audit_migrations (version) VALUES (1)")
        finally:
            await connection.close()

    async def write_as_old_code(self, records: list[AuditRecord]) -> None:
        rows = [
            tuple(
                list(record.legal_bases) if column == "legal_bases" else getattr(record, column)
                for column in V1_COLUMNS
            )
            for record in records
        ]
        connection = await self._connect()
        try:
            async with connection.transaction():
                await connection.copy_records_to_table(
                    "audit_records", records=rows, columns=V1_COLUMNS, schema_name=self.schema
                )
                await connection.execute(
                    "UPDATE audit_chain_head SET seq = $1, hash = $2 WHERE id = 1",
                    records[-1].seq,
                    records[-1].hash,
                )
        finally:
            await connection.close()

    async def tamper_kind(self, seq: int, kind: str) -> None:
        connection = await self._connect()
        try:
            await connection.execute("UPDATE audit_records SET kind = $1 WHERE seq = $2", kind, seq)
        finally:
            await connection.close()

    async def versions(self) -> list[int]:
        connection = await self._connect()
        try:
            rows = await connection.fetch("SELECT version FROM audit_migrations ORDER BY version")
            return [int(row["version"]) for row in rows]
        finally:
            await connection.close()

    async def open_store(self) -> AuditStore:
        store = PostgresAuditStore(POSTGRES_DSN, schema=self.schema)
        await store.open()
        return store


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def old_log(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_available: bool
) -> AsyncIterator[OldLog]:
    if request.param == "sqlite":
        yield SqliteOldLog(tmp_path / "audit.sqlite3")
        return
    require_postgres(postgres_available)
    schema = f"audit_test_{uuid.uuid4().hex[:12]}"
    yield PostgresOldLog(schema)
    await drop_schema(schema)


async def oldest_first(store: AuditStore) -> list[AuditRecord]:
    return list(reversed(await everything(store)))


async def test_a_version_1_log_is_migrated_and_still_verifies(old_log: OldLog) -> None:
    await old_log.create_at_version_1()
    old = seal_in_version_1(OLD_RECORDS, GENESIS)
    await old_log.write_as_old_code(old)

    store = await old_log.open_store()
    try:
        assert await old_log.versions() == [1, 2, 3]
        result = await store.verify()
        assert result.ok and result.checked == 4, result

        stored = await oldest_first(store)
        # Every column version 1 hashed is as it was; the new ones are derived or empty.
        assert [replace(r, kind=CATEGORY_READ) for r in stored] == old
        assert [r.kind for r in stored] == [CATEGORY_READ, CATEGORY_READ, LOG_READ, CATEGORY_READ]
        assert {(r.hash_version, r.youth_municipality) for r in stored} == {(1, None)}
        log_reads = await everything(store, AuditFilter(kind=LOG_READ))
        assert [r.seq for r in log_reads] == [3]

        new = [
            make_record(10, youth_municipality="0751"),
            make_record(11, kind=RELATIONSHIP_CONFIRMED, category="", youth_municipality="0101"),
        ]
        await store.append(new)

        stored = await oldest_first(store)
        assert [r.seq for r in stored] == [1, 2, 3, 4, 5, 6]
        assert [r.hash_version for r in stored] == [1, 1, 1, 1, 2, 2]
        assert stored[4].prev_hash == old[-1].hash
        assert [replace(r, seq=0, prev_hash="", hash="") for r in stored[4:]] == new
        result = await store.verify()
        assert result.ok and result.checked == 6, result
        supervised = await everything(store, AuditFilter(supervised_by="0751"))
        assert [r.request_id for r in supervised] == ["req-10"]
    finally:
        await store.close()


async def test_an_old_worker_still_writing_after_the_migration_leaves_a_verifiable_log(
    old_log: OldLog,
) -> None:
    """A rolling upgrade: one worker migrated the log, another still runs the old code and
    writes only the old columns. Its rows take the column defaults (version 1, kind
    category_read), which is exactly what it sealed."""
    await old_log.create_at_version_1()
    first = seal_in_version_1(OLD_RECORDS[:2], GENESIS)
    await old_log.write_as_old_code(first)
    store = await old_log.open_store()
    try:
        await store.append([make_record(5, youth_municipality="0101")])
        (newest,) = (await store.query(AuditFilter(), 1)).records
        late = seal_in_version_1(
            [make_record(6), replace(OLD_RECORDS[2], request_id="late-log-read")],
            ChainPoint(newest.seq, newest.hash),
        )
        await old_log.write_as_old_code(late)

        stored = await oldest_first(store)
        assert [r.hash_version for r in stored] == [1, 1, 2, 1, 1]
        # The old code's read of the audit log, written after migration 2 ran: no kind derived.
        assert (stored[-1].category, stored[-1].kind) == ("audit_log", CATEGORY_READ)
        result = await store.verify()
        assert result.ok and result.checked == 5, result
        # Opening once more applies nothing again.
        again = await old_log.open_store()
        await again.close()
        assert await old_log.versions() == [1, 2, 3]
    finally:
        await store.close()


@pytest.mark.parametrize(("seq", "kind"), [(1, LOG_READ), (3, "policy_read")])
async def test_the_kind_of_a_version_1_record_cannot_be_changed_unseen(
    old_log: OldLog, seq: int, kind: str
) -> None:
    """Version 1 did not hash the kind, but it is derived from the hashed category: anything
    else was written outside the chain."""
    await old_log.create_at_version_1()
    await old_log.write_as_old_code(seal_in_version_1(OLD_RECORDS, GENESIS))
    store = await old_log.open_store()
    try:
        assert (await store.verify()).ok
        await old_log.tamper_kind(seq, kind)

        result = await store.verify()

        assert (result.ok, result.first_bad_seq, result.problem) == (False, seq, "changed")
    finally:
        await store.close()
