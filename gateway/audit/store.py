"""The audit store protocol: what the gateway needs from any backend that keeps the log."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol

from gateway.audit.chain import VerifyResult
from gateway.audit.records import AuditFilter, AuditPage, AuditRecord

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
