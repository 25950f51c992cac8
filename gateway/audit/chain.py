"""The hash chain that makes the audit log tamper-evident.

Each record's hash is sha256 over a canonical JSON of all its fields, its `seq` and the hash of
the record before it. The JSON carries the version of its form ("v"); a record keeps the
version it was sealed under (`hash_version`), so a record sealed before the form grew still
verifies in its old form, and relabelling a record's version changes the bytes it must match.

The store keeps the head of the chain (last seq and hash) in the same transaction as the
records, and after a purge an anchor (seq and hash of the last record purged), so the chain
can be checked from the anchor to the head without the deleted records. Every store uses
these functions, so all of them hash and verify byte for byte alike.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

import orjson

from gateway.audit.records import CANONICAL_VERSION as CANONICAL_VERSION
from gateway.audit.records import CATEGORY_READ, LOG_READ, AuditRecord

GENESIS_HASH = "0" * 64
# How version 1 told a read of the audit log apart: by this category. Migration 2 derived
# `kind` from it (gateway/audit/migrations.py).
_V1_LOG_CATEGORY = "audit_log"

Problem = Literal["changed", "removed", "inserted"]


@dataclass(frozen=True, slots=True)
class ChainPoint:
    """A place in the chain: the genesis, an anchor left by a purge, or the head."""

    seq: int
    hash: str


GENESIS = ChainPoint(0, GENESIS_HASH)


@dataclass(frozen=True, slots=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: Problem | None = None


def canonical_time(record: AuditRecord) -> str:
    """Fixed width, always UTC, microseconds: sorts as text and round-trips through every store."""
    return record.time.isoformat(timespec="microseconds")


def canonical_bytes(record: AuditRecord) -> bytes:
    """The bytes the hash covers, in the record's own `hash_version`: JSON with sorted keys, no
    whitespace, UTF-8, non-ASCII as is.

    Raises TypeError (or UnicodeError) for a record that cannot be written faithfully, e.g. a
    string with a lone surrogate; the store then writes nothing of its batch. Raises ValueError
    for an unknown version, or a version 1 record with a kind or youth municipality that
    version 1 could not have given it.
    """
    return _canonical(record, record.seq, record.prev_hash, record.hash_version)


def _canonical(record: AuditRecord, seq: int, prev_hash: str, version: int) -> bytes:
    texts = {
        "prev_hash": prev_hash,
        "time": canonical_time(record),
        "request_id": record.request_id,
        "subject": record.subject,
        "subject_name": record.subject_name,
        "role": record.role,
        "purpose": record.purpose,
        "cpr": record.cpr,
        "category": record.category,
        "decision": record.decision,
        "reason": record.reason,
        "policy_version": record.policy_version,
    }
    optional_texts = {"organisation": record.organisation, "municipality": record.municipality}
    # Every form a stored record may have been sealed in stays here, by its number: a record
    # keeps its form for as long as it is kept, whatever CANONICAL_VERSION has become since.
    if type(version) is not int:
        raise TypeError("audit hash version must be an integer")
    if version == 2:  # kind and youth_municipality joined the record
        texts["kind"] = record.kind
        optional_texts["youth_municipality"] = record.youth_municipality
    elif version == 1:  # the form before them
        _check_version_1(record)
    else:
        raise ValueError(f"unknown audit hash version {version}")
    if not all(type(value) is str for value in texts.values()):
        raise TypeError("audit fields must be strings")
    if not all(value is None or type(value) is str for value in optional_texts.values()):
        raise TypeError("audit organisation and municipalities must be strings or None")
    if type(seq) is not int or not all(type(basis) is str for basis in record.legal_bases):
        raise TypeError("audit seq must be an integer and legal bases strings")
    fields: dict[str, object] = {
        **texts,
        **optional_texts,
        "v": version,
        "seq": seq,
        "legal_bases": list(record.legal_bases),
    }
    # orjson rejects lone surrogates (JSONEncodeError is a TypeError); its output is byte for
    # byte that of json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False).
    return orjson.dumps(fields, option=orjson.OPT_SORT_KEYS)


def _check_version_1(record: AuditRecord) -> None:
    """Version 1 hashed no kind and no youth municipality, but they are not free for the
    taking: migration 2 set the kind from the hashed category, and a worker still on the old
    code (during a rolling upgrade) leaves the column defaults. Anything else was written
    outside the chain, so the record cannot match its hash."""
    if record.youth_municipality is not None:
        raise ValueError("a version 1 audit record has no youth municipality")
    if record.kind != CATEGORY_READ and not (
        record.kind == LOG_READ and record.category == _V1_LOG_CATEGORY
    ):
        raise ValueError(f"a version 1 audit record cannot be of kind {record.kind!r}")


def record_hash(record: AuditRecord) -> str:
    return hashlib.sha256(canonical_bytes(record)).hexdigest()


def link(records: Iterable[AuditRecord], head: ChainPoint) -> Iterator[AuditRecord]:
    """Yields the records sealed onto the chain after `head`, one at a time."""
    previous = head
    for record in records:
        seq = previous.seq + 1
        # Always the current form, whatever version the record was built with.
        canonical = _canonical(record, seq, previous.hash, CANONICAL_VERSION)
        digest = hashlib.sha256(canonical).hexdigest()
        sealed = record.placed(seq, previous.hash, digest, CANONICAL_VERSION)
        previous = ChainPoint(seq, digest)
        yield sealed


def seal_all(records: Iterable[AuditRecord], head: ChainPoint) -> list[AuditRecord]:
    return list(link(records, head))


class ChainWalk:
    """Checks records fed in seq order, from the anchor (or genesis) to the head.

    Which problem is named, for the first record where the chain breaks:
    - a seq at or before the anchor (or a duplicate), or after the head: "inserted";
    - a gap in seq: "removed" (the first missing seq);
    - a record whose prev_hash is not its predecessor's hash: if it links to the record
      before its predecessor, the predecessor was "inserted"; if the record itself is intact,
      its predecessor was rewritten with a fresh hash, "changed"; otherwise records before it
      were deleted and the rest renumbered, "removed";
    - a record whose hash does not match its content: "changed".
    After the last record: a head beyond it means the tail was "removed"; a head hash that is
    not the last record's means the last record was rewritten, "changed".
    """

    def __init__(self, anchor: ChainPoint, head: ChainPoint) -> None:
        self._head = head
        self._previous = anchor
        self._before_previous: ChainPoint | None = None
        self._previous_is_record = False
        self.checked = 0
        self.failure: VerifyResult | None = None

    def feed(self, record: AuditRecord) -> bool:
        """False once the chain is broken; the caller may stop reading."""
        if self.failure is not None:
            return False
        problem = self._problem(record)
        if problem is not None:
            self.failure = VerifyResult(False, self.checked, problem[0], problem[1])
            return False
        self.checked += 1
        self._before_previous = self._previous
        self._previous = ChainPoint(record.seq, record.hash)
        self._previous_is_record = True
        return True

    def feed_unreadable(self, seq: int) -> bool:
        """A row the store cannot even turn back into a record was altered in place."""
        if self.failure is None:
            self.failure = VerifyResult(False, self.checked, seq, "changed")
        return False

    def _problem(self, record: AuditRecord) -> tuple[int, Problem] | None:
        previous = self._previous
        if record.seq <= previous.seq or record.seq > self._head.seq:
            return record.seq, "inserted"
        if record.seq != previous.seq + 1:
            return previous.seq + 1, "removed"
        intact = record_hash_or_none(record) == record.hash
        if record.prev_hash != previous.hash:
            if self._previous_is_record:
                assert self._before_previous is not None
                if record.prev_hash == self._before_previous.hash:
                    return previous.seq, "inserted"
                if intact:
                    return previous.seq, "changed"
            return record.seq, "removed"
        if not intact:
            return record.seq, "changed"
        return None

    def result(self) -> VerifyResult:
        if self.failure is not None:
            return self.failure
        last = self._previous
        if last.seq < self._head.seq:
            return VerifyResult(False, self.checked, last.seq + 1, "removed")
        if last.hash != self._head.hash:
            return VerifyResult(False, self.checked, last.seq, "changed")
        return VerifyResult(True, self.checked)


def record_hash_or_none(record: AuditRecord) -> str | None:
    """A record altered in the database into something unhashable (a field of the wrong
    type, a string that is not valid UTF-8, an unknown hash version, a version 1 record given
    a kind) is simply a record whose hash does not match."""
    try:
        return record_hash(record)
    except (TypeError, UnicodeError, ValueError):
        return None


def verify_records(
    records: Iterable[AuditRecord], anchor: ChainPoint, head: ChainPoint
) -> VerifyResult:
    walk = ChainWalk(anchor, head)
    for record in records:
        if not walk.feed(record):
            break
    return walk.result()
