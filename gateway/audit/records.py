"""What the audit log holds: one record per policy decision, the filters and pages to read it."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Literal

Decision = Literal["allow", "deny"]
DECISIONS: frozenset[str] = frozenset({"allow", "deny"})

# What a record is about. A decision on a data category was the only kind once; the others used
# to hide in `category` as free strings (a read of the audit log was category "audit_log").
CATEGORY_READ = "category_read"  # a decision on one data category of a young person
RELATIONSHIP_CONFIRMED = "relationship_confirmed"  # only revealed that a relationship exists
LOG_READ = "log_read"  # a read of an access log or of the audit log
POLICY_READ = "policy_read"  # a privacy officer read the policy catalogue or its explanation
REQUEST_REFUSED = "request_refused"  # a request refused as a whole, before any category
WRITE_INTENT = "write_intent"
WRITE_OUTCOME = "write_outcome"
AGGREGATE = "aggregate"
KINDS: tuple[str, ...] = (
    CATEGORY_READ,
    RELATIONSHIP_CONFIRMED,
    LOG_READ,
    POLICY_READ,
    REQUEST_REFUSED,
    WRITE_INTENT,
    WRITE_OUTCOME,
    AGGREGATE,
)

# The canonical form (chain.py) that records are sealed in from now on. A stored record keeps
# the version it was sealed under, so records sealed before the form grew still verify.
CANONICAL_VERSION = 2

_MUNICIPALITY = re.compile(r"\d{4}")


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One audited event, as the gateway made it: mostly a decision on one category of one
    young person (`kind` CATEGORY_READ); for kinds without a data category, `category` is "".

    `municipality` is the caller's, `youth_municipality` the young person's (None when not
    known or when no young person is concerned).

    `seq`, `prev_hash`, `hash` and `hash_version` are assigned by the store when the record
    joins the chain; a record built by the gateway leaves them at their defaults.
    """

    time: datetime
    request_id: str
    subject: str
    subject_name: str
    role: str
    organisation: str | None
    municipality: str | None
    purpose: str
    cpr: str
    category: str
    decision: Decision
    reason: str
    legal_bases: tuple[str, ...]
    policy_version: str
    kind: str = CATEGORY_READ
    youth_municipality: str | None = None
    seq: int = 0
    prev_hash: str = ""
    hash: str = ""
    # The canonical form the hash covers; a record read back from a store carries its own.
    hash_version: int = CANONICAL_VERSION

    def __post_init__(self) -> None:
        if self.time.tzinfo is None or self.time.utcoffset() is None:
            raise ValueError("audit time must be timezone-aware")
        # Normalised to UTC so that the hash of a record does not depend on the writer's zone.
        object.__setattr__(self, "time", self.time.astimezone(UTC))
        if self.decision not in DECISIONS:
            raise ValueError(f"decision must be 'allow' or 'deny', not {self.decision!r}")
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {self.kind!r}")
        if self.municipality is not None and not _MUNICIPALITY.fullmatch(self.municipality):
            raise ValueError("municipality must be a 4-digit code or None")
        if self.youth_municipality is not None and not _MUNICIPALITY.fullmatch(
            self.youth_municipality
        ):
            raise ValueError("youth_municipality must be a 4-digit code or None")
        if not isinstance(self.legal_bases, tuple):
            object.__setattr__(self, "legal_bases", tuple(self.legal_bases))

    def placed(
        self, seq: int, prev_hash: str, hash: str, hash_version: int = CANONICAL_VERSION
    ) -> AuditRecord:
        """This record at its place in the chain. Skips the checks of __post_init__, which
        this record already passed: sealing is on the hot path of every request."""
        copy = object.__new__(AuditRecord)
        for name in _FIELD_NAMES:
            object.__setattr__(copy, name, getattr(self, name))
        object.__setattr__(copy, "seq", seq)
        object.__setattr__(copy, "prev_hash", prev_hash)
        object.__setattr__(copy, "hash", hash)
        object.__setattr__(copy, "hash_version", hash_version)
        return copy

    @property
    def sealed(self) -> bool:
        """True once a store has given the record its place in the chain."""
        return self.seq > 0 and bool(self.hash)


# What the gateway sets; the rest is the chain's, set by placed().
_CHAIN_FIELDS = ("seq", "prev_hash", "hash", "hash_version")
_FIELD_NAMES = tuple(item.name for item in fields(AuditRecord) if item.name not in _CHAIN_FIELDS)


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Every field narrows the result; None means "any". `since` is inclusive, `until` not.

    `municipality` is the caller's municipality. `supervised_by` is what a privacy officer of a
    municipality oversees: records whose caller belongs to it *or* whose young person lives in
    it, so a caller of no municipality (a school contact) is not out of every officer's sight.
    """

    cpr: str | None = None
    subject: str | None = None
    role: str | None = None
    purpose: str | None = None
    category: str | None = None
    decision: Decision | None = None
    municipality: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    kind: str | None = None
    supervised_by: str | None = None

    def __post_init__(self) -> None:
        # Refused rather than matching nothing: a misspelt kind or code would read as "no
        # records", which on an audit log looks like a clean bill.
        if self.kind is not None and self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {self.kind!r}")
        if self.supervised_by is not None and not _MUNICIPALITY.fullmatch(self.supervised_by):
            raise ValueError("supervised_by must be a 4-digit municipality code")
        for bound in (self.since, self.until):
            if bound is not None and (bound.tzinfo is None or bound.utcoffset() is None):
                raise ValueError("audit time bounds must be timezone-aware")

    def matches(self, record: AuditRecord) -> bool:
        equal_fields = (
            (self.cpr, record.cpr),
            (self.subject, record.subject),
            (self.role, record.role),
            (self.purpose, record.purpose),
            (self.category, record.category),
            (self.decision, record.decision),
            (self.municipality, record.municipality),
            (self.kind, record.kind),
        )
        if any(wanted is not None and wanted != actual for wanted, actual in equal_fields):
            return False
        if self.supervised_by is not None and self.supervised_by not in (
            record.municipality,
            record.youth_municipality,
        ):
            return False
        if self.since is not None and record.time < self.since:
            return False
        return not (self.until is not None and record.time >= self.until)


@dataclass(frozen=True, slots=True)
class AuditPage:
    """Newest first. `next_cursor` is None on the last page."""

    records: tuple[AuditRecord, ...] = field(default_factory=tuple)
    next_cursor: str | None = None


class InvalidCursor(ValueError):
    """The `after` cursor was not one this store handed out."""


_CURSOR_PREFIX = "audit:"
_DIGITS = re.compile(r"[0-9]{1,19}")


def encode_cursor(seq: int) -> str:
    """Opaque to clients: they pass it back, they do not read it."""
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{seq}".encode()).decode("ascii")


#: A sequence number: what a 64-bit signed column holds (SQLite INTEGER, PostgreSQL bigint).
_MAX_SEQ = 2**63 - 1
#: Longer than any cursor `encode_cursor` makes: refused before it is decoded.
_MAX_CURSOR_CHARS = 64


def decode_cursor(cursor: str) -> int:
    """The sequence number of a cursor `encode_cursor` made, or InvalidCursor: only ASCII
    digits, and a number the stores can compare (a larger one would overflow their column)."""
    if len(cursor) > _MAX_CURSOR_CHARS:
        raise InvalidCursor("unknown cursor")
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError) as error:
        raise InvalidCursor("unknown cursor") from error
    digits = text[len(_CURSOR_PREFIX) :]
    if not text.startswith(_CURSOR_PREFIX) or not _DIGITS.fullmatch(digits):
        raise InvalidCursor("unknown cursor")
    seq = int(digits)
    if seq > _MAX_SEQ:
        raise InvalidCursor("unknown cursor")
    return seq


def check_page_size(first: int) -> None:
    if first < 0:
        raise ValueError("first must not be negative")
