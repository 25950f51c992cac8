"""In-memory audit stores for tests: a working one and one that fails on demand."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from gateway.audit.chain import GENESIS, ChainPoint, VerifyResult, seal_all, verify_records
from gateway.audit.records import (
    AuditFilter,
    AuditPage,
    AuditRecord,
    check_page_size,
    decode_cursor,
    encode_cursor,
)
from gateway.audit.store import KEY_RETENTION, AuditUnavailable, KeyClaim


class MemoryAuditStore:
    """The same chain as the database stores, kept in a list.

    `records`, `head` and `anchor` are public on purpose: tests tamper with them the way a
    database administrator would with the tables. Each method runs without awaiting, so on one
    event loop an append can never interleave with another.
    """

    def __init__(self) -> None:
        self.records: list[AuditRecord] = []
        self.head: ChainPoint = GENESIS
        self.anchor: ChainPoint = GENESIS
        self.closed = False
        # (scope, key) -> [input hash, payload or None, created]
        self.keys: dict[tuple[str, str], list[object]] = {}

    async def claim_key(self, scope: str, key: str, input_hash: str, now: datetime) -> KeyClaim:
        self._check_open()
        held = self.keys.get((scope, key))
        if held is None or held[2] < now - KEY_RETENTION:  # type: ignore[operator]
            self.keys[(scope, key)] = [input_hash, None, now]
            return KeyClaim(True, input_hash, None)
        return KeyClaim(False, str(held[0]), held[1])  # type: ignore[arg-type]

    async def complete_key(self, scope: str, key: str, payload: str) -> None:
        self._check_open()
        held = self.keys.get((scope, key))
        if held is not None:
            held[1] = payload

    async def append(self, records: Sequence[AuditRecord]) -> None:
        self._check_open()
        try:
            sealed = seal_all(records, self.head)
        except Exception as error:  # all or nothing: nothing was added yet
            raise AuditUnavailable("audit records could not be serialised") from error
        if sealed:
            self.records.extend(sealed)
            self.head = ChainPoint(sealed[-1].seq, sealed[-1].hash)

    async def query(self, filter: AuditFilter, first: int, after: str | None = None) -> AuditPage:
        self._check_open()
        check_page_size(first)
        before = decode_cursor(after) if after is not None else None
        newest_first = sorted(self.records, key=lambda record: record.seq, reverse=True)
        matching = [
            record
            for record in newest_first
            if (before is None or record.seq < before) and filter.matches(record)
        ]
        page = tuple(matching[:first])
        more = len(matching) > first and bool(page)
        return AuditPage(page, encode_cursor(page[-1].seq) if more else None)

    async def verify(self) -> VerifyResult:
        self._check_open()
        ordered = sorted(self.records, key=lambda record: record.seq)
        return verify_records(ordered, self.anchor, self.head)

    async def purge(self, older_than: datetime) -> int:
        self._check_open()
        ordered = sorted(self.records, key=lambda record: record.seq)
        cut = 0
        while cut < len(ordered) and ordered[cut].time < older_than:
            cut += 1
        if cut == 0:
            return 0
        last_purged = ordered[cut - 1]
        self.records = ordered[cut:]
        self.anchor = ChainPoint(last_purged.seq, last_purged.hash)
        return cut

    async def ping(self) -> bool:
        return not self.closed

    async def close(self) -> None:
        self.closed = True

    def _check_open(self) -> None:
        if self.closed:
            raise AuditUnavailable("audit store is closed")


class FailingAuditStore:
    """Raises AuditUnavailable while `failing` is True; otherwise a MemoryAuditStore.

    Lets a test show that the gateway withholds data when the audit log is down, then recovers.
    """

    def __init__(self, failing: bool = True) -> None:
        self.failing = failing
        self.inner = MemoryAuditStore()

    async def append(self, records: Sequence[AuditRecord]) -> None:
        self._check()
        await self.inner.append(records)

    async def query(self, filter: AuditFilter, first: int, after: str | None = None) -> AuditPage:
        self._check()
        return await self.inner.query(filter, first, after)

    async def verify(self) -> VerifyResult:
        self._check()
        return await self.inner.verify()

    async def purge(self, older_than: datetime) -> int:
        self._check()
        return await self.inner.purge(older_than)

    async def ping(self) -> bool:
        return not self.failing and await self.inner.ping()

    async def claim_key(self, scope: str, key: str, input_hash: str, now: datetime) -> KeyClaim:
        self._check()
        return await self.inner.claim_key(scope, key, input_hash, now)

    async def complete_key(self, scope: str, key: str, payload: str) -> None:
        self._check()
        await self.inner.complete_key(scope, key, payload)

    async def close(self) -> None:
        await self.inner.close()

    def _check(self) -> None:
        if self.failing:
            raise AuditUnavailable("audit store unavailable (simulated)")
