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

_MUNICIPALITY = re.compile(r"\d{4}")


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One decision on one category of one young person, as the gateway made it.

    `seq`, `prev_hash` and `hash` are assigned by the store when the record joins the chain;
    a record built by the gateway leaves them at their defaults.
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
    seq: int = 0
    prev_hash: str = ""
    hash: str = ""

    def __post_init__(self) -> None:
        if self.time.tzinfo is None or self.time.utcoffset() is None:
            raise ValueError("audit time must be timezone-aware")
        # Normalised to UTC so that the hash of a record does not depend on the writer's zone.
        object.__setattr__(self, "time", self.time.astimezone(UTC))
        if self.decision not in DECISIONS:
            raise ValueError(f"decision must be 'allow' or 'deny', not {self.decision!r}")
        if self.municipality is not None and not _MUNICIPALITY.fullmatch(self.municipality):
            raise ValueError("municipality must be a 4-digit code or None")
        if not isinstance(self.legal_bases, tuple):
            object.__setattr__(self, "legal_bases", tuple(self.legal_bases))

    def placed(self, seq: int, prev_hash: str, hash: str) -> AuditRecord:
        """This record at its place in the chain. Skips the checks of __post_init__, which
        this record already passed: sealing is on the hot path of every request."""
        copy = object.__new__(AuditRecord)
        for name in _FIELD_NAMES:
            object.__setattr__(copy, name, getattr(self, name))
        object.__setattr__(copy, "seq", seq)
        object.__setattr__(copy, "prev_hash", prev_hash)
        object.__setattr__(copy, "hash", hash)
        return copy

    @property
    def sealed(self) -> bool:
        """True once a store has given the record its place in the chain."""
        return self.seq > 0 and bool(self.hash)


_FIELD_NAMES = tuple(
    item.name for item in fields(AuditRecord) if item.name not in ("seq", "prev_hash", "hash")
)


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Every field narrows the result; None means "any". `since` is inclusive, `until` not."""

    cpr: str | None = None
    subject: str | None = None
    role: str | None = None
    purpose: str | None = None
    category: str | None = None
    decision: Decision | None = None
    municipality: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def __post_init__(self) -> None:
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
        )
        if any(wanted is not None and wanted != actual for wanted, actual in equal_fields):
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


def encode_cursor(seq: int) -> str:
    """Opaque to clients: they pass it back, they do not read it."""
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{seq}".encode()).decode("ascii")


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError) as error:
        raise InvalidCursor("unknown cursor") from error
    if not text.startswith(_CURSOR_PREFIX) or not text[len(_CURSOR_PREFIX) :].isdigit():
        raise InvalidCursor("unknown cursor")
    return int(text[len(_CURSOR_PREFIX) :])


def check_page_size(first: int) -> None:
    if first < 0:
        raise ValueError("first must not be negative")
