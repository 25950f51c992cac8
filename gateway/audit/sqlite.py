"""The SQLite audit store: one file, WAL, every acknowledged append fsynced.

Writes go through one thread with its own connection and `BEGIN IMMEDIATE`, so appends from
this process queue on that thread and appends from other processes on the same file wait on
SQLite's write lock before they read the chain head. Reads use a second thread and
connection, so a long verify never holds up an append (WAL lets readers and a writer run
side by side).
"""

from __future__ import annotations

import asyncio
import functools
import json
import sqlite3
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from gateway.audit import migrations
from gateway.audit.chain import GENESIS, ChainPoint, ChainWalk, VerifyResult, canonical_time
from gateway.audit.group_commit import GroupCommit, seal_batches
from gateway.audit.records import (
    AuditFilter,
    AuditPage,
    AuditRecord,
    check_page_size,
    decode_cursor,
    encode_cursor,
)
from gateway.audit.sql import COLUMN_LIST, COLUMNS, conditions
from gateway.audit.store import KEY_RETENTION, AuditUnavailable, KeyClaim

T = TypeVar("T")

_INSERT = f"INSERT INTO audit_records ({COLUMN_LIST}) VALUES ({', '.join('?' for _ in COLUMNS)})"
_SELECT = f"SELECT {COLUMN_LIST} FROM audit_records"


def _to_row(record: AuditRecord) -> tuple[Any, ...]:
    return (
        record.seq,
        canonical_time(record),
        record.request_id,
        record.subject,
        record.subject_name,
        record.role,
        record.organisation,
        record.municipality,
        record.purpose,
        record.cpr,
        record.category,
        record.decision,
        record.reason,
        json.dumps(list(record.legal_bases), ensure_ascii=False),
        record.policy_version,
        record.kind,
        record.youth_municipality,
        record.prev_hash,
        record.hash,
        record.hash_version,
    )


def _from_row(row: Sequence[Any]) -> AuditRecord:
    values = dict(zip(COLUMNS, row, strict=True))
    values["time"] = datetime.fromisoformat(values["time"])
    values["legal_bases"] = tuple(json.loads(values["legal_bases"]))
    return AuditRecord(**values)


def _sql_time(value: str | datetime) -> str:
    # Stored times are canonical ISO text in UTC, so text comparison is time comparison.
    return value.isoformat(timespec="microseconds") if isinstance(value, datetime) else value


class SqliteAuditStore:
    def __init__(self, path: str | Path, *, busy_timeout: float = 10.0) -> None:
        self.path = str(path)
        self._busy_timeout = busy_timeout
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="audit-sqlite-w")
        self._reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="audit-sqlite-r")
        # Each connection is only ever touched by its own thread.
        self._write_connection: sqlite3.Connection | None = None
        self._read_connection: sqlite3.Connection | None = None
        self._closed = False
        self._migrated = False
        self._group = GroupCommit(self._write_group)

    async def open(self) -> None:
        """Creates the file and schema now rather than on the first use."""
        try:
            await self._on(self._writer, self._writable)
        except sqlite3.Error as error:
            raise AuditUnavailable("audit store could not be opened") from error
        self._migrated = True

    async def _ready_to_read(self) -> None:
        # The writer creates the schema; a read that comes first must not find no tables.
        if not self._migrated:
            await self.open()

    # -- the protocol -------------------------------------------------------------------

    async def append(self, records: Sequence[AuditRecord]) -> None:
        if self._closed:
            raise AuditUnavailable("audit store is closed")
        if records:
            await self._group.append(list(records))

    async def _write_group(self, batches: list[Sequence[AuditRecord]]) -> set[int]:
        return await self._on(self._writer, self._append, batches)

    async def query(self, filter: AuditFilter, first: int, after: str | None = None) -> AuditPage:
        check_page_size(first)
        before = decode_cursor(after) if after is not None else None
        try:
            await self._ready_to_read()
            rows = await self._on(self._reader, self._query, filter, first + 1, before)
        except (sqlite3.Error, RuntimeError) as error:
            raise AuditUnavailable("audit log could not be read") from error
        page = tuple(_from_row(row) for row in rows[:first])
        more = len(rows) > first and bool(page)
        return AuditPage(page, encode_cursor(page[-1].seq) if more else None)

    async def verify(self) -> VerifyResult:
        try:
            await self._ready_to_read()
            return await self._on(self._reader, self._verify)
        except (sqlite3.Error, RuntimeError) as error:
            raise AuditUnavailable("audit log could not be read") from error

    async def purge(self, older_than: datetime) -> int:
        try:
            return await self._on(self._writer, self._purge, older_than.astimezone(UTC))
        except (sqlite3.Error, RuntimeError) as error:
            raise AuditUnavailable("audit log could not be purged") from error

    async def ping(self) -> bool:
        try:
            await self._ready_to_read()
            await self._on(self._reader, self._ping)
        except Exception:
            return False
        return True

    async def claim_key(self, scope: str, key: str, input_hash: str, now: datetime) -> KeyClaim:
        try:
            return await self._on(self._writer, self._claim_key, scope, key, input_hash, now)
        except (sqlite3.Error, RuntimeError) as error:
            raise AuditUnavailable("idempotency key could not be claimed") from error

    async def complete_key(self, scope: str, key: str, payload: str) -> None:
        try:
            await self._on(self._writer, self._complete_key, scope, key, payload)
        except (sqlite3.Error, RuntimeError) as error:
            raise AuditUnavailable("idempotency key could not be completed") from error

    async def close(self) -> None:
        if self._closed:
            return
        await self._group.wait_idle()
        self._closed = True
        loop = asyncio.get_running_loop()
        for executor, attribute in (
            (self._writer, "_write_connection"),
            (self._reader, "_read_connection"),
        ):
            # Queued after any work still running, so no connection closes under a query.
            await loop.run_in_executor(executor, self._close_connection, attribute)
            executor.shutdown(wait=True)

    # -- on the worker threads ------------------------------------------------------------

    async def _on(self, executor: ThreadPoolExecutor, work: Callable[..., T], *args: Any) -> T:
        if self._closed:
            raise AuditUnavailable("audit store is closed")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(executor, functools.partial(work, *args))

    def _connect(self) -> sqlite3.Connection:
        if self.path != ":memory:":
            # The default path (.ungeprofil/audit.sqlite3) lives in a folder a fresh checkout lacks.
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so nothing begins implicitly.
        connection = sqlite3.connect(
            self.path, timeout=self._busy_timeout, isolation_level=None, check_same_thread=False
        )
        connection.execute("PRAGMA journal_mode=WAL")
        # FULL: the WAL is fsynced on every commit, so an acknowledged append survives a
        # crash of the process and of the machine.
        connection.execute("PRAGMA synchronous=FULL")
        return connection

    def _writable(self) -> sqlite3.Connection:
        if self._write_connection is None:
            connection = self._connect()
            _migrate(connection)
            self._write_connection = connection
        return self._write_connection

    def _readable(self) -> sqlite3.Connection:
        if self._read_connection is None:
            self._read_connection = self._connect()
        return self._read_connection

    def _append(self, batches: list[Sequence[AuditRecord]]) -> set[int]:
        connection = self._writable()
        connection.execute("BEGIN IMMEDIATE")
        try:
            sealed, refused, head = seal_batches(batches, _read_head(connection))
            if sealed:
                connection.executemany(_INSERT, [_to_row(record) for record in sealed])
                connection.execute(
                    "UPDATE audit_chain_head SET seq = ?, hash = ? WHERE id = 1",
                    (head.seq, head.hash),
                )
            connection.execute("COMMIT")
            return refused
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise

    def _query(self, filter: AuditFilter, limit: int, before: int | None) -> list[tuple[Any, ...]]:
        clauses: list[str] = []
        parameters: list[Any] = []
        # Numbered parameters (?N): a condition over several columns uses its value once.
        for condition in conditions(filter):
            parameters.append(_sql_time(condition.value))
            clauses.append(condition.sql(f"?{len(parameters)}"))
        if before is not None:
            parameters.append(before)
            clauses.append(f"seq < ?{len(parameters)}")
        parameters.append(limit)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        sql = f"{_SELECT}{where} ORDER BY seq DESC LIMIT ?{len(parameters)}"
        return self._readable().execute(sql, parameters).fetchall()

    def _verify(self) -> VerifyResult:
        connection = self._readable()
        # One read transaction: the head, the anchor and the records are one snapshot.
        connection.execute("BEGIN")
        try:
            walk = ChainWalk(_read_anchor(connection), _read_head(connection))
            for row in connection.execute(f"{_SELECT} ORDER BY seq"):
                try:
                    record = _from_row(row)
                except (TypeError, ValueError):
                    walk.feed_unreadable(int(row[0]))
                    break
                if not walk.feed(record):
                    break
            return walk.result()
        finally:
            connection.execute("COMMIT")

    def _purge(self, older_than: datetime) -> int:
        connection = self._writable()
        connection.execute("BEGIN IMMEDIATE")
        try:
            younger = connection.execute(
                "SELECT min(seq) FROM audit_records WHERE time >= ?", (_sql_time(older_than),)
            ).fetchone()[0]
            bound = "seq < ?" if younger is not None else "1 = 1"
            bound_args: tuple[Any, ...] = (younger,) if younger is not None else ()
            last = connection.execute(
                f"SELECT seq, hash FROM audit_records WHERE {bound} ORDER BY seq DESC LIMIT 1",
                bound_args,
            ).fetchone()
            if last is None:
                connection.execute("COMMIT")
                return 0
            deleted = connection.execute(
                "DELETE FROM audit_records WHERE seq <= ?", (last[0],)
            ).rowcount
            connection.execute(
                "INSERT INTO audit_chain_anchor (seq, hash, purged_at, purged_count) "
                "VALUES (?, ?, ?, ?)",
                (last[0], last[1], datetime.now(UTC).isoformat(), deleted),
            )
            connection.execute("COMMIT")
            return int(deleted)
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise

    def _claim_key(self, scope: str, key: str, input_hash: str, now: datetime) -> KeyClaim:
        connection = self._writable()
        connection.execute("BEGIN IMMEDIATE")
        try:
            # A key older than its retention is forgotten: the use that took it is over.
            connection.execute(
                "DELETE FROM idempotency_keys WHERE scope = ? AND key = ? AND created < ?",
                (scope, key, _sql_time(now - KEY_RETENTION)),
            )
            taken = connection.execute(
                "INSERT OR IGNORE INTO idempotency_keys (scope, key, input_hash, created) "
                "VALUES (?, ?, ?, ?)",
                (scope, key, input_hash, _sql_time(now)),
            ).rowcount
            row = connection.execute(
                "SELECT input_hash, payload FROM idempotency_keys WHERE scope = ? AND key = ?",
                (scope, key),
            ).fetchone()
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        return KeyClaim(taken == 1, str(row[0]), None if row[1] is None else str(row[1]))

    def _complete_key(self, scope: str, key: str, payload: str) -> None:
        self._writable().execute(
            "UPDATE idempotency_keys SET payload = ? WHERE scope = ? AND key = ?",
            (payload, scope, key),
        )

    def _ping(self) -> None:
        self._readable().execute("SELECT seq FROM audit_chain_head").fetchone()

    def _close_connection(self, attribute: str) -> None:
        connection: sqlite3.Connection | None = getattr(self, attribute)
        if connection is not None:
            connection.close()
            setattr(self, attribute, None)


def _read_head(connection: sqlite3.Connection) -> ChainPoint:
    row = connection.execute("SELECT seq, hash FROM audit_chain_head WHERE id = 1").fetchone()
    if row is None:
        raise sqlite3.IntegrityError("audit chain head is missing")
    return ChainPoint(int(row[0]), str(row[1]))


def _read_anchor(connection: sqlite3.Connection) -> ChainPoint:
    row = connection.execute(
        "SELECT seq, hash FROM audit_chain_anchor ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    return GENESIS if row is None else ChainPoint(int(row[0]), str(row[1]))


def _migrate(connection: sqlite3.Connection) -> None:
    # BEGIN IMMEDIATE: two processes opening a new file at once apply each version once.
    connection.execute("BEGIN IMMEDIATE")
    try:
        connection.execute(
            "CREATE TABLE IF NOT EXISTS audit_migrations "
            "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        applied = connection.execute("SELECT coalesce(max(version), 0) FROM audit_migrations")
        current = int(applied.fetchone()[0])
        for version, statements in migrations.SQLITE:
            if version <= current:
                continue
            for statement in statements:
                connection.execute(statement)
            connection.execute(
                "INSERT INTO audit_migrations (version, applied_at) VALUES (?, ?)",
                (version, datetime.now(UTC).isoformat()),
            )
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
