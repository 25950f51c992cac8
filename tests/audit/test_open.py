"""Choosing a store by URL, the CLI helpers, and the failing fake."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import asyncpg
import pytest

from gateway.audit import (
    AuditFilter,
    AuditUnavailable,
    FailingAuditStore,
    MemoryAuditStore,
    PostgresAuditStore,
    SqliteAuditStore,
    migrations,
    open_audit_store,
    purge_store,
    verify_store,
)

from .conftest import BASE_TIME, POSTGRES_DSN, make_record


async def test_memory_url() -> None:
    store = await open_audit_store("memory://")
    assert isinstance(store, MemoryAuditStore)


@pytest.mark.parametrize("form", ["url", "bare"])
async def test_sqlite_url_and_bare_path(tmp_path: Path, form: str) -> None:
    path = tmp_path / "nested" / "audit.sqlite3"  # a folder that does not exist yet
    store = await open_audit_store(f"sqlite:///{path}" if form == "url" else str(path))
    try:
        assert isinstance(store, SqliteAuditStore)
        await store.append([make_record(0)])
    finally:
        await store.close()
    assert path.exists()


async def test_cli_helpers_verify_and_purge(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'audit.sqlite3'}"
    store = await open_audit_store(url)
    await store.append([make_record(i) for i in range(5)])
    await store.close()

    assert (await verify_store(url)).checked == 5
    assert await purge_store(url, BASE_TIME + timedelta(minutes=2)) == 2
    result = await verify_store(url)
    assert result.ok and result.checked == 3


@pytest.mark.postgres
async def test_postgres_url_with_schema(postgres_schema: str) -> None:
    store = await open_audit_store(f"{POSTGRES_DSN}?schema={postgres_schema}")
    try:
        assert isinstance(store, PostgresAuditStore) and store.schema == postgres_schema
        await store.append([make_record(0)])
        assert (await store.verify()).checked == 1
    finally:
        await store.close()


@pytest.mark.postgres
async def test_two_workers_migrating_at_once_apply_each_version_once(
    postgres_schema: str,
) -> None:
    stores = [PostgresAuditStore(POSTGRES_DSN, schema=postgres_schema) for _ in range(4)]
    await asyncio.gather(*(store.open() for store in stores))
    for store in stores:
        await store.close()
    connection = await asyncpg.connect(POSTGRES_DSN)
    try:
        versions = await connection.fetch(
            f'SELECT version FROM "{postgres_schema}".audit_migrations ORDER BY version'
        )
    finally:
        await connection.close()
    assert [row["version"] for row in versions] == [version for version, _ in migrations.POSTGRES]
    assert [row["version"] for row in versions] == [1, 2, 3]


async def test_unreachable_postgres_is_audit_unavailable() -> None:
    with pytest.raises(AuditUnavailable):
        await open_audit_store("postgresql://postgres@127.0.0.1:1/test")


async def test_unknown_scheme_is_refused() -> None:
    with pytest.raises(ValueError):
        await open_audit_store("mongodb://localhost/audit")


async def test_failing_store_fails_until_told_otherwise() -> None:
    store = FailingAuditStore()
    assert not await store.ping()
    with pytest.raises(AuditUnavailable):
        await store.append([make_record(0)])
    with pytest.raises(AuditUnavailable):
        await store.query(AuditFilter(), 10)
    with pytest.raises(AuditUnavailable):
        await store.verify()

    store.failing = False

    assert await store.ping()
    await store.append([make_record(0)])
    assert len((await store.query(AuditFilter(), 10)).records) == 1
    assert (await store.verify()).ok
