"""The audit store protocol: what the gateway needs from any backend that keeps the log."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, runtime_checkable

from gateway.audit.chain import VerifyResult
from gateway.audit.records import AuditFilter, AuditPage, AuditRecord

#: How long an idempotency key of a write is kept (EXCHANGE.md: 7 days).
KEY_RETENTION = timedelta(days=7)

# Default retention of audit records. See gateway/audit/README.md for where the figure comes from.
DEFAULT_RETENTION = timedelta(days=183)


class AuditUnavailable(Exception):
    """The store could not take (or give back) the records. The gateway fails closed on it:
    no personal data leaves without its audit records stored."""


class AuditStore(Protocol):
    async def append(self, records: Sequence[AuditRecord]) -> None:
        """Stores all records in one transaction, chained in the order given, or none of them.
        Returns only once they are durable. Raises AuditUnavailable on any failure."""
        ...

    async def query(self, filter: AuditFilter, first: int, after: str | None = None) -> AuditPage:
        """Newest first (by seq). `after` is a cursor from a previous page; a cursor this store
        did not hand out raises InvalidCursor (a ValueError)."""
        ...

    async def verify(self) -> VerifyResult:
        """Walks the chain from the last purge anchor to the head and names the first break."""
        ...

    async def purge(self, older_than: datetime) -> int:
        """Deletes the oldest records whose time is before `older_than` (a prefix of the chain:
        it stops at the first younger record) and leaves an anchor so verify still passes.
        Returns the number of records deleted."""
        ...

    async def ping(self) -> bool:
        """True when the store can take records now (for /readyz)."""
        ...

    async def close(self) -> None: ...


@dataclass(frozen=True)
class KeyClaim:
    """What an idempotency key holds after a claim. `fresh`: this claim took the key (nobody
    used it in the last KEY_RETENTION); otherwise the first use's input hash and, once its write
    was done, its payload (JSON text; None while the first write is still under way)."""

    fresh: bool
    input_hash: str
    payload: str | None


@runtime_checkable
class IdempotencyKeys(Protocol):
    """The exchange's idempotency keys, kept beside the audit log so every worker agrees.
    Both raise AuditUnavailable when the database can't answer (then nothing is sent)."""

    async def claim_key(self, scope: str, key: str, input_hash: str, now: datetime) -> KeyClaim:
        """Take (scope, key) for this input unless it was used within KEY_RETENTION of `now`
        (an older use is forgotten), atomically: of two concurrent claims one is fresh."""
        ...

    async def complete_key(self, scope: str, key: str, payload: str) -> None:
        """Keep the payload of the write done under (scope, key), to replay."""
        ...
