"""Fixtures for the audit store suite: records, and each backend with a way to tamper with it.

A `Backend` bundles a store with a `Tamperer` that changes the stored log behind the store's
back, the way someone with direct database access would, so verify() has something to find.
"""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import asyncpg
import pytest

from gateway.audit import (
    AuditRecord,
    AuditStore,
    MemoryAuditStore,
    PostgresAuditStore,
    SqliteAuditStore,
)
from gateway.audit.chain import ChainPoint
from gateway.audit.sql import COLUMNS

POSTGRES_DSN = os.environ.get("AUDIT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
BASE_TIME = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def make_record(index: int = 0, **changes: Any) -> AuditRecord:
    """A decision by Jette Hansen on Anne Jensen; `index` moves it a minute later per step."""
    defaults: dict[str, Any] = {
        "time": BASE_TIME + timedelta(minutes=index),
        "request_id": f"req-{index}",
        "subject": "jette.hansen",
        "subject_name": "Jette Hansen",
        "role": "contact_person",
        "organisation": "Jobcenter København",
        "municipality": "0101",
        "purpose": "PLANNING",
        "cpr": "1503044112",
        "category": "identity",
        "decision": "allow",
        "reason": "contact person assigned in DFDG, municipality 0101",
        "legal_bases": ("LOU-DFDG", "KUI-15D-2-1"),
        "policy_version": "2026-11-23.1",
    }
    defaults.update(changes)
    return AuditRecord(**defaults)


def make_batch(batch: str, size: int = 14, start: int = 0) -> list[AuditRecord]:
    """One request's worth of decisions: one record per category."""
    return [
        make_record(start + offset, request_id=batch, category=f"category-{offset}")
        for offset in range(size)
    ]


class Tamperer(Protocol):
    async def update(self, seq: int, **columns: Any) -> None: ...
    async def delete(self, seq: int) -> None: ...
    async def copy(self, from_seq: int, to_seq: int) -> None: ...
    async def shift_up(self, from_seq: int) -> None: ...
    async def insert(self, record: AuditRecord) -> None: ...
    async def set_head(self, head: ChainPoint) -> None: ...


@dataclass
class Backend:
    name: str
    store: AuditStore
    tamper: Tamperer
    # Opens another store on the same log: a second gateway worker. None for memory.
    open_worker: Callable[[], Awaitable[AuditStore]] | None
    url: str


class MemoryTamperer:
    def __init__(self, store: MemoryAuditStore) -> None:
        self.store = store

    def _index(self, seq: int) -> int:
        return next(i for i, record in enumerate(self.store.records) if record.seq == seq)

    async def update(self, seq: int, **columns: Any) -> None:
        index = self._index(seq)
        self.store.records[index] = replace(self.store.records[index], **columns)

    async def delete(self, seq: int) -> None:
        del self.store.records[self._index(seq)]

    async def copy(self, from_seq: int, to_seq: int) -> None:
        self.store.records.append(replace(self.store.records[self._index(from_seq)], seq=to_seq))

    async def shift_up(self, from_seq: int) -> None:
        self.store.records = [
            replace(record, seq=record.seq + 1) if record.seq >= from_seq else record
            for record in self.store.records
        ]

    async def insert(self, record: AuditRecord) -> None:
        self.store.records.append(record)

    async def set_head(self, head: ChainPoint) -> None:
        self.store.head = head


def _sqlite_value(column: str, value: Any) -> Any:
    if column == "time":
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if column == "legal_bases":
        return json.dumps(list(value))
    return value


_RECORD_COLUMNS = COLUMNS


class SqliteTamperer:
    def __init__(self, path: str) -> None:
        self.path = path

    def _run(self, *statements: tuple[str, tuple[Any, ...]]) -> None:
        connection = sqlite3.connect(self.path, isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")
            for sql, parameters in statements:
                connection.execute(sql, parameters)
            connection.execute("COMMIT")
        finally:
            connection.close()

    async def update(self, seq: int, **columns: Any) -> None:
        assignments = ", ".join(f"{column} = ?" for column in columns)
        values = tuple(_sqlite_value(column, value) for column, value in columns.items())
        self._run((f"UPDATE audit_records SET {assignments} WHERE seq = ?", (*values, seq)))

    async def delete(self, seq: int) -> None:
        self._run(("DELETE FROM audit_records WHERE seq = ?", (seq,)))

    async def copy(self, from_seq: int, to_seq: int) -> None:
        rest = ", ".join(_RECORD_COLUMNS[1:])
        self._run(
            (
                f"INSERT INTO audit_records (seq, {rest}) "
                f"SELECT ?, {rest} FROM audit_records WHERE seq = ?",
                (to_seq, from_seq),
            )
        )

    async def shift_up(self, from_seq: int) -> None:
        # Two steps, so no seq collides with its neighbour midway.
        self._run(
            ("UPDATE audit_records SET seq = seq + 1000000 WHERE seq >= ?", (from_seq,)),
            ("UPDATE audit_records SET seq = seq - 999999 WHERE seq >= 1000000", ()),
        )

    async def insert(self, record: AuditRecord) -> None:
        values = tuple(_sqlite_value(c, getattr(record, c)) for c in _RECORD_COLUMNS)
        marks = ", ".join("?" for _ in _RECORD_COLUMNS)
        columns = ", ".join(_RECORD_COLUMNS)
        self._run((f"INSERT INTO audit_records ({columns}) VALUES ({marks})", values))

    async def set_head(self, head: ChainPoint) -> None:
        self._run(
            ("UPDATE audit_chain_head SET seq = ?, hash = ? WHERE id = 1", (head.seq, head.hash))
        )


class PostgresTamperer:
    def __init__(self, schema: str) -> None:
        self.schema = schema

    async def _run(self, *statements: tuple[str, tuple[Any, ...]]) -> None:
        connection = await asyncpg.connect(
            POSTGRES_DSN, server_settings={"search_path": self.schema}
        )
        try:
            async with connection.transaction():
                for sql, parameters in statements:
                    await connection.execute(sql, *parameters)
        finally:
            await connection.close()

    async def update(self, seq: int, **columns: Any) -> None:
        names = list(columns)
        assignments = ", ".join(f"{name} = ${number}" for number, name in enumerate(names, 1))
        values = tuple(
            list(value) if name == "legal_bases" else value for name, value in columns.items()
        )
        sql = f"UPDATE audit_records SET {assignments} WHERE seq = ${len(names) + 1}"
        await self._run((sql, (*values, seq)))

    async def delete(self, seq: int) -> None:
        await self._run(("DELETE FROM audit_records WHERE seq = $1", (seq,)))

    async def copy(self, from_seq: int, to_seq: int) -> None:
        rest = ", ".join(_RECORD_COLUMNS[1:])
        await self._run(
            (
                f"INSERT INTO audit_records (seq, {rest}) "
                f"SELECT $1, {rest} FROM audit_records WHERE seq = $2",
                (to_seq, from_seq),
            )
        )

    async def shift_up(self, from_seq: int) -> None:
        await self._run(
            ("UPDATE audit_records SET seq = seq + 1000000 WHERE seq >= $1", (from_seq,)),
            ("UPDATE audit_records SET seq = seq - 999999 WHERE seq >= 1000000", ()),
        )

    async def insert(self, record: AuditRecord) -> None:
        values = tuple(
            list(record.legal_bases) if column == "legal_bases" else getattr(record, column)
            for column in _RECORD_COLUMNS
        )
        marks = ", ".join(f"${number}" for number in range(1, len(_RECORD_COLUMNS) + 1))
        columns = ", ".join(_RECORD_COLUMNS)
        await self._run((f"INSERT INTO audit_records ({columns}) VALUES ({marks})", values))

    async def set_head(self, head: ChainPoint) -> None:
        await self._run(
            ("UPDATE audit_chain_head SET seq = $1, hash = $2 WHERE id = 1", (head.seq, head.hash))
        )


def _postgres_required() -> bool:
    return os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="session")
async def postgres_available() -> bool:
    try:
        connection = await asyncpg.connect(POSTGRES_DSN, timeout=3)
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False
    await connection.close()
    return True


def require_postgres(available: bool) -> None:
    """Skips without a server, except in CI, where a missing server is a failure."""
    if not available:
        if _postgres_required():
            pytest.fail(f"PostgreSQL is required in CI and unreachable at {POSTGRES_DSN}")
        pytest.skip("PostgreSQL unreachable")


async def drop_schema(schema: str) -> None:
    connection = await asyncpg.connect(POSTGRES_DSN)
    try:
        await connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    finally:
        await connection.close()


@pytest.fixture
async def postgres_schema(postgres_available: bool) -> AsyncIterator[str]:
    """A fresh schema for one test, dropped afterwards."""
    require_postgres(postgres_available)
    schema = f"audit_test_{uuid.uuid4().hex[:12]}"
    yield schema
    await drop_schema(schema)


DURABLE_BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
BACKENDS = ["memory", *DURABLE_BACKENDS]


@pytest.fixture(params=BACKENDS)
async def backend(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_available: bool
) -> AsyncIterator[Backend]:
    opened: list[AuditStore] = []

    async def keep(store: AuditStore) -> AuditStore:
        opened.append(store)
        return store

    if request.param == "memory":
        memory = MemoryAuditStore()
        yield Backend("memory", await keep(memory), MemoryTamperer(memory), None, "memory://")
    elif request.param == "sqlite":
        path = str(tmp_path / "audit.sqlite3")

        async def open_sqlite() -> AuditStore:
            store = SqliteAuditStore(path)
            await store.open()
            return await keep(store)

        yield Backend(
            "sqlite", await open_sqlite(), SqliteTamperer(path), open_sqlite, f"sqlite:///{path}"
        )
    else:
        require_postgres(postgres_available)
        schema = f"audit_test_{uuid.uuid4().hex[:12]}"

        async def open_postgres() -> AuditStore:
            store = PostgresAuditStore(POSTGRES_DSN, schema=schema)
            await store.open()
            return await keep(store)

        yield Backend(
            "postgres",
            await open_postgres(),
            PostgresTamperer(schema),
            open_postgres,
            f"{POSTGRES_DSN}?schema={schema}",
        )
    for store in opened:
        await store.close()
    if request.param == "postgres":
        await drop_schema(schema)
