"""Versioned schemas of the SQL audit stores. Append new versions; never edit an applied one.

Each store records the versions it applied in `audit_migrations` and applies the missing ones
on open, in order, each in its own transaction.

Version 2 adds `kind`, `youth_municipality` and `hash_version`. Rows already there were sealed
in canonical form 1, which hashed neither kind nor youth municipality: they get
`hash_version` 1 and keep every hashed column as it was, so they still verify; their kind is
derived from the category ("audit_log" was how version 1 wrote a read of the log). The
defaults stay 'category_read' and 1 so that a worker still on the old code, writing only the
old columns during a rolling upgrade, leaves rows that are exactly what it sealed; the new
code always writes `hash_version` itself. No CHECK on `kind`: the record model refuses an
unknown kind, verify names a row with one as changed, and a CHECK would make each new kind a
table rebuild in SQLite.

Version 3 adds `idempotency_keys`: the keys of the exchange's writes (EXCHANGE.md), kept in the
audit database so every worker agrees on them. A key is scoped to (organisation, mutation), holds
a hash of the input and, once the write is done, the payload to replay; it is no audit record
and no part of the chain.
"""

from __future__ import annotations

from gateway.audit.chain import GENESIS_HASH

Migration = tuple[int, tuple[str, ...]]

SQLITE: tuple[Migration, ...] = (
    (
        1,
        (
            """
            CREATE TABLE audit_records (
                seq INTEGER PRIMARY KEY,
                time TEXT NOT NULL,
                request_id TEXT NOT NULL,
                subject TEXT NOT NULL,
                subject_name TEXT NOT NULL,
                role TEXT NOT NULL,
                organisation TEXT,
                municipality TEXT,
                purpose TEXT NOT NULL,
                cpr TEXT NOT NULL,
                category TEXT NOT NULL,
                decision TEXT NOT NULL CHECK (decision IN ('allow', 'deny')),
                reason TEXT NOT NULL,
                legal_bases TEXT NOT NULL,
                policy_version TEXT NOT NULL,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL
            )
            """,
            "CREATE INDEX audit_records_cpr ON audit_records (cpr, seq)",
            "CREATE INDEX audit_records_subject ON audit_records (subject, seq)",
            "CREATE INDEX audit_records_municipality ON audit_records (municipality, seq)",
            "CREATE INDEX audit_records_municipality_time ON audit_records (municipality, time)",
            "CREATE INDEX audit_records_time ON audit_records (time)",
            """
            CREATE TABLE audit_chain_head (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                seq INTEGER NOT NULL,
                hash TEXT NOT NULL
            )
            """,
            f"INSERT INTO audit_chain_head (id, seq, hash) VALUES (1, 0, '{GENESIS_HASH}')",
            """
            CREATE TABLE audit_chain_anchor (
                seq INTEGER PRIMARY KEY,
                hash TEXT NOT NULL,
                purged_at TEXT NOT NULL,
                purged_count INTEGER NOT NULL
            )
            """,
        ),
    ),
    (
        2,
        (
            "ALTER TABLE audit_records ADD COLUMN kind TEXT NOT NULL DEFAULT 'category_read'",
            "ALTER TABLE audit_records ADD COLUMN youth_municipality TEXT",
            "ALTER TABLE audit_records ADD COLUMN hash_version INTEGER NOT NULL DEFAULT 1",
            "UPDATE audit_records SET kind = 'log_read' WHERE category = 'audit_log'",
            "CREATE INDEX audit_records_youth_municipality "
            "ON audit_records (youth_municipality, seq)",
            "CREATE INDEX audit_records_kind ON audit_records (kind, seq)",
        ),
    ),
    (
        3,
        (
            """
            CREATE TABLE idempotency_keys (
                scope TEXT NOT NULL,
                key TEXT NOT NULL,
                input_hash TEXT NOT NULL,
                payload TEXT,
                created TEXT NOT NULL,
                PRIMARY KEY (scope, key)
            )
            """,
            "CREATE INDEX idempotency_keys_created ON idempotency_keys (created)",
        ),
    ),
)

POSTGRES: tuple[Migration, ...] = (
    (
        1,
        (
            """
            CREATE TABLE audit_records (
                seq bigint PRIMARY KEY,
                time timestamptz NOT NULL,
                request_id text NOT NULL,
                subject text NOT NULL,
                subject_name text NOT NULL,
                role text NOT NULL,
                organisation text,
                municipality text,
                purpose text NOT NULL,
                cpr text NOT NULL,
                category text NOT NULL,
                decision text NOT NULL CHECK (decision IN ('allow', 'deny')),
                reason text NOT NULL,
                legal_bases text[] NOT NULL,
                policy_version text NOT NULL,
                prev_hash text NOT NULL,
                hash text NOT NULL
            )
            """,
            "CREATE INDEX audit_records_cpr ON audit_records (cpr, seq DESC)",
            "CREATE INDEX audit_records_subject ON audit_records (subject, seq DESC)",
            "CREATE INDEX audit_records_municipality ON audit_records (municipality, seq DESC)",
            "CREATE INDEX audit_records_municipality_time ON audit_records (municipality, time)",
            "CREATE INDEX audit_records_time ON audit_records (time)",
            """
            CREATE TABLE audit_chain_head (
                id smallint PRIMARY KEY CHECK (id = 1),
                seq bigint NOT NULL,
                hash text NOT NULL
            )
            """,
            f"INSERT INTO audit_chain_head (id, seq, hash) VALUES (1, 0, '{GENESIS_HASH}')",
            """
            CREATE TABLE audit_chain_anchor (
                seq bigint PRIMARY KEY,
                hash text NOT NULL,
                purged_at timestamptz NOT NULL,
                purged_count bigint NOT NULL
            )
            """,
        ),
    ),
    (
        2,
        (
            # A constant default: PostgreSQL 11+ adds these without rewriting the table.
            "ALTER TABLE audit_records ADD COLUMN kind text NOT NULL DEFAULT 'category_read'",
            "ALTER TABLE audit_records ADD COLUMN youth_municipality text",
            "ALTER TABLE audit_records ADD COLUMN hash_version integer NOT NULL DEFAULT 1",
            "UPDATE audit_records SET kind = 'log_read' WHERE category = 'audit_log'",
            "CREATE INDEX audit_records_youth_municipality "
            "ON audit_records (youth_municipality, seq DESC)",
            "CREATE INDEX audit_records_kind ON audit_records (kind, seq DESC)",
        ),
    ),
    (
        3,
        (
            """
            CREATE TABLE idempotency_keys (
                scope text NOT NULL,
                key text NOT NULL,
                input_hash text NOT NULL,
                payload text,
                created timestamptz NOT NULL,
                PRIMARY KEY (scope, key)
            )
            """,
            "CREATE INDEX idempotency_keys_created ON idempotency_keys (created)",
        ),
    ),
)
