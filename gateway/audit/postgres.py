"""The PostgreSQL audit store (asyncpg), for several gateway workers sharing one log.

Every append runs in one transaction that first takes a transaction-scoped advisory lock, so
the writers of all workers take turns at the chain head: read head, insert, move head, commit.
The lock is released by the commit itself, after the records are durable.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import asyncpg

from gateway.audit import migrations
from gateway.audit.chain import GENESIS, ChainPoint, ChainWalk, VerifyResult
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

_SCHEMA_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
_SELECT = f"SELECT {COLUMN_LIST} FROM audit_records"
_VERIFY_PREFETCH = 1000

# What can go wrong talking to the server: its errors, the network, a closed pool, timeouts.
_FAILURES = (asyncpg.PostgresError, asyncpg.InterfaceError, OSError, TimeoutError)


def _lock_key(purpose: str, schema: str) -> int:
    """A stable 64-bit advisory lock key per schema, so two logs in one database never wait on
    each other."""
    digest = hashlib.sha256(f"ungeprofil.audit.{purpose}:{schema}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _to_row(record: AuditRecord) -> tuple[Any, ...]:
    return (
        record.seq,
        record.time,
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
        list(record.legal_bases),
        record.policy_version,
        record.kind,
        record.youth_municipality,
        record.prev_hash,
        record.hash,
        record.hash_version,
    )


def _from_row(row: asyncpg.Record) -> AuditRecord:
    values = dict(row.items())
    values["legal_bases"] = tuple(values["legal_bases"])
    return AuditRecord(**values)


class PostgresAuditStore:
    def __init__(
        self,
        dsn: str,
        *,
        schema: str = "public",
        min_connections: int = 1,
        max_connections: int = 10,
        timeout: float = 10.0,
    ) -> None:
        if not _SCHEMA_NAME.fullmatch(schema):
            raise ValueError("schema must be a lower-case SQL identifier")
        self.schema = schema
        self._dsn = dsn
        self._min_connections = min_connections
        self._max_connections = max_connections
        self._timeout = timeout
        self._chain_lock = _lock_key("chain", schema)
        self._migration_lock = _lock_key("migrations", schema)
        self._pool: asyncpg.Pool | None = None
        self._group = GroupCommit(self._write_group)

    async def open(self) -> None:
        """Connects and brings the schema up to date. Raises AuditUnavailable if it cannot."""
        if self._pool is not None:
            return
        try:
            pool = await asyncpg.create_pool(
                self._dsn,
                min_size=self._min_connections,
                max_size=self._max_connections,
                command_timeout=self._timeout,
                timeout=self._timeout,
                server_settings={"search_path": self.schema},
            )
        except (*_FAILURES, ValueError) as error:
            raise AuditUnavailable("audit database unreachable") from error
        try:
            async with pool.acquire() as connection:
                await self._migrate(connection)
        except _FAILURES as error:
            await pool.close()
            raise AuditUnavailable("audit database could not be migrated") from error
        self._pool = pool

    async def _migrate(self, connection: asyncpg.Connection) -> None:
        # A session lock, held across the per-version transactions: workers starting together
        # apply each version once.
        await connection.execute("SELECT pg_advisory_lock($1)", self._migration_lock)
        try:
            await connection.execute(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"')
            await connection.execute(
                "CREATE TABLE IF NOT EXISTS audit_migrations "
                "(version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
            )
            current = await connection.fetchval(
                "SELECT coalesce(max(version), 0) FROM audit_migrations"
            )
            for version, statements in migrations.POSTGRES:
                if version <= current:
                    continue
                async with connection.transaction():
                    for statement in statements:
                        await connection.execute(statement)
                    await connection.execute(
                        "INSERT INTO audit_migrations (version) VALUES ($1)", version
                    )
        finally:
            await connection.execute("SELECT pg_advisory_unlock($1)", self._migration_lock)

    def _ready_pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise AuditUnavailable("audit store is not open")
        return self._pool

    @asynccontextmanager
    async def _transaction(self, **options: Any) -> AsyncIterator[asyncpg.Connection]:
        pool = self._ready_pool()
        async with (
            pool.acquire(timeout=self._timeout) as connection,
            connection.transaction(**options),
        ):
            yield connection

    # -- the protocol -------------------------------------------------------------------

    async def append(self, records: Sequence[AuditRecord]) -> None:
        self._ready_pool()
        if records:
            await self._group.append(records)

    async def _write_group(self, batches: list[Sequence[AuditRecord]]) -> set[int]:
        try:
            async with self._transaction() as connection:
                # Its own statement: under READ COMMITTED the head read below then sees
                # the commit of whoever held the lock before us.
                await connection.execute("SELECT pg_advisory_xact_lock($1)", self._chain_lock)
                row = await connection.fetchrow(
                    "SELECT seq, hash FROM audit_chain_head WHERE id = 1"
                )
                if row is None:
                    raise AuditUnavailable("audit chain head is missing")
                sealed, refused, head = seal_batches(batches, ChainPoint(row["seq"], row["hash"]))
                if sealed:
                    # COPY rather than INSERTs: a group can be hundreds of rows.
                    await connection.copy_records_to_table(
                        "audit_records",
                        records=[_to_row(record) for record in sealed],
                        columns=COLUMNS,
                        schema_name=self.schema,
                    )
                    await connection.execute(
                        "UPDATE audit_chain_head SET seq = $1, hash = $2 WHERE id = 1",
                        head.seq,
                        head.hash,
                    )
                return refused
        except AuditUnavailable:
            raise
        except Exception as error:  # server, network, pool and serialisation errors alike
            raise AuditUnavailable("audit records could not be stored") from error

    async def query(self, filter: AuditFilter, first: int, after: str | None = None) -> AuditPage:
        check_page_size(first)
        before = decode_cursor(after) if after is not None else None
        clauses: list[str] = []
        parameters: list[Any] = []
        for condition in conditions(filter):
            parameters.append(condition.value)
            clauses.append(condition.sql(f"${len(parameters)}"))
        if before is not None:
            parameters.append(before)
            clauses.append(f"seq < ${len(parameters)}")
        parameters.append(first + 1)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        sql = f"{_SELECT}{where} ORDER BY seq DESC LIMIT ${len(parameters)}"
        try:
            rows = await self._ready_pool().fetch(sql, *parameters, timeout=self._timeout)
        except _FAILURES as error:
            raise AuditUnavailable("audit log could not be read") from error
        page = tuple(_from_row(row) for row in rows[:first])
        more = len(rows) > first and bool(page)
        return AuditPage(page, encode_cursor(page[-1].seq) if more else None)

    async def verify(self) -> VerifyResult:
        try:
            # One snapshot for head, anchor and records, while appends go on beside it.
            async with self._transaction(isolation="repeatable_read", readonly=True) as connection:
                head = await connection.fetchrow(
                    "SELECT seq, hash FROM audit_chain_head WHERE id = 1"
                )
                anchor = await connection.fetchrow(
                    "SELECT seq, hash FROM audit_chain_anchor ORDER BY seq DESC LIMIT 1"
                )
                walk = ChainWalk(
                    GENESIS if anchor is None else ChainPoint(anchor["seq"], anchor["hash"]),
                    GENESIS if head is None else ChainPoint(head["seq"], head["hash"]),
                )
                cursor = connection.cursor(f"{_SELECT} ORDER BY seq", prefetch=_VERIFY_PREFETCH)
                async for row in cursor:
                    try:
                        record = _from_row(row)
                    except (TypeError, ValueError):
                        walk.feed_unreadable(int(row["seq"]))
                        break
                    if not walk.feed(record):
                        break
                return walk.result()
        except _FAILURES as error:
            raise AuditUnavailable("audit log could not be read") from error

    async def purge(self, older_than: datetime) -> int:
        older_than = older_than.astimezone(UTC)
        try:
            async with self._transaction() as connection:
                await connection.execute("SELECT pg_advisory_xact_lock($1)", self._chain_lock)
                younger = await connection.fetchval(
                    "SELECT min(seq) FROM audit_records WHERE time >= $1", older_than
                )
                last = await connection.fetchrow(
                    "SELECT seq, hash FROM audit_records "
                    "WHERE $1::bigint IS NULL OR seq < $1 ORDER BY seq DESC LIMIT 1",
                    younger,
                )
                if last is None:
                    return 0
                status = await connection.execute(
                    "DELETE FROM audit_records WHERE seq <= $1", last["seq"]
                )
                deleted = int(status.split()[-1])
                await connection.execute(
                    "INSERT INTO audit_chain_anchor (seq, hash, purged_at, purged_count) "
                    "VALUES ($1, $2, now(), $3)",
                    last["seq"],
                    last["hash"],
                    deleted,
                )
                return deleted
        except _FAILURES as error:
            raise AuditUnavailable("audit log could not be purged") from error

    async def ping(self) -> bool:
        if self._pool is None:
            return False
        try:
            await self._pool.fetchval("SELECT 1", timeout=self._timeout)
        except _FAILURES:
            return False
        return True

    async def claim_key(self, scope: str, key: str, input_hash: str, now: datetime) -> KeyClaim:
        try:
            # One statement, one round trip: take the key, or take it over when its last use is
            # older than the retention; else read what the first use left.
            row = await self._ready_pool().fetchrow(
                """
                WITH taken AS (
                    INSERT INTO idempotency_keys (scope, key, input_hash, created)
                    VALUES ($1, $2, $3, $4)
                    ON CONFLICT (scope, key) DO UPDATE
                        SET input_hash = EXCLUDED.input_hash, payload = NULL,
                            created = EXCLUDED.created
                        WHERE idempotency_keys.created < $5
                    RETURNING input_hash, payload
                )
                SELECT true AS fresh, input_hash, payload FROM taken
                UNION ALL
                SELECT false, input_hash, payload FROM idempotency_keys
                WHERE scope = $1 AND key = $2 AND NOT EXISTS (SELECT 1 FROM taken)
                """,
                scope,
                key,
                input_hash,
                now,
                now - KEY_RETENTION,
                timeout=self._timeout,
            )
            if row is None:
                # A concurrent claim committed the key after this statement's snapshot was
                # taken: it is theirs, and a new statement sees what it holds.
                row = await self._ready_pool().fetchrow(
                    "SELECT false AS fresh, input_hash, payload FROM idempotency_keys "
                    "WHERE scope = $1 AND key = $2",
                    scope,
                    key,
                    timeout=self._timeout,
                )
        except _FAILURES as error:
            raise AuditUnavailable("idempotency key could not be claimed") from error
        if row is None:
            raise AuditUnavailable("idempotency key vanished while it was claimed")
        return KeyClaim(bool(row["fresh"]), row["input_hash"], row["payload"])

    async def complete_key(self, scope: str, key: str, payload: str) -> None:
        try:
            await self._ready_pool().execute(
                "UPDATE idempotency_keys SET payload = $1 WHERE scope = $2 AND key = $3",
                payload,
                scope,
                key,
                timeout=self._timeout,
            )
        except _FAILURES as error:
            raise AuditUnavailable("idempotency key could not be completed") from error

    async def close(self) -> None:
        await self._group.wait_idle()
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await pool.close()
