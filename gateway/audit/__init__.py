"""The audit log: every policy decision on a young person's data, stored before the data leaves.

Pick a store by URL with `open_audit_store`:
- `memory://` — for tests and throw-away demos;
- `sqlite:///path/to/audit.sqlite3` (or a bare path) — one machine, one or more processes;
- `postgresql://user@host/db[?schema=name]` — several gateway workers sharing one log.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from gateway.audit.chain import VerifyResult
from gateway.audit.memory import FailingAuditStore, MemoryAuditStore
from gateway.audit.postgres import PostgresAuditStore
from gateway.audit.records import AuditFilter, AuditPage, AuditRecord, InvalidCursor
from gateway.audit.sqlite import SqliteAuditStore
from gateway.audit.store import DEFAULT_RETENTION, AuditStore, AuditUnavailable

__all__ = [
    "DEFAULT_RETENTION",
    "AuditFilter",
    "AuditPage",
    "AuditRecord",
    "AuditStore",
    "AuditUnavailable",
    "FailingAuditStore",
    "InvalidCursor",
    "MemoryAuditStore",
    "PostgresAuditStore",
    "SqliteAuditStore",
    "VerifyResult",
    "open_audit_store",
    "purge_store",
    "verify_store",
]


async def open_audit_store(url: str) -> AuditStore:
    """Builds the store the URL names and opens it (schema created or migrated).

    Raises AuditUnavailable when the store cannot be reached, ValueError for a URL of no
    known kind.
    """
    scheme = urlsplit(url).scheme
    if url == "memory://" or scheme == "memory":
        return MemoryAuditStore()
    if scheme in ("postgres", "postgresql"):
        dsn, schema = _split_schema(url)
        postgres = PostgresAuditStore(dsn, schema=schema)
        await postgres.open()
        return postgres
    if scheme == "sqlite":
        path = url[len("sqlite://") :]
        if not path or path == "/":
            raise ValueError("a sqlite audit URL needs a path: sqlite:///path/to/audit.sqlite3")
        # sqlite:///relative.db names a relative path, sqlite:////abs/x.db an absolute one,
        # the way SQLAlchemy reads them.
        path = path[1:] if path.startswith("/") else path
        sqlite = SqliteAuditStore(path)
        await sqlite.open()
        return sqlite
    if scheme == "":
        bare = SqliteAuditStore(url)
        await bare.open()
        return bare
    raise ValueError(f"unknown audit store URL scheme {scheme!r}")


def _split_schema(url: str) -> tuple[str, str]:
    """Takes our own `schema` parameter out of the URL before asyncpg reads the rest."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    schema = next((value for key, value in query if key == "schema"), "public")
    rest = urlencode([(key, value) for key, value in query if key != "schema"])
    return urlunsplit(parts._replace(query=rest)), schema


async def verify_store(url: str) -> VerifyResult:
    """For `ungeprofil audit verify`: opens, verifies, closes."""
    store = await open_audit_store(url)
    try:
        return await store.verify()
    finally:
        await store.close()


async def purge_store(url: str, older_than: datetime) -> int:
    """For `ungeprofil audit purge`: deletes records older than `older_than`, keeps the chain
    verifiable, and returns how many were deleted."""
    store = await open_audit_store(url)
    try:
        return await store.purge(older_than)
    finally:
        await store.close()
