"""The one way a write leaves the gateway (EXCHANGE.md, JOBNET.md "Writes").

A write is an action the policy decides (WRITE on a resource, about one young person, with
their facts), and it leaves in this order:

1. its input is validated by the caller first — bad input never asks a register or the policy;
2. the guard decides and journals the intent (kind write_intent: who, for whom, which
   resource, the idempotency key and a hash of the input); a denial is FORBIDDEN, the same
   whether or not the young person exists;
3. the idempotency key is claimed in the audit database, so every worker agrees: the same key
   and input replay the stored payload (no register call, no event), the same key with another
   input is IDEMPOTENCY_KEY_REUSED;
4. the journal is flushed: if the intent cannot be stored, AUDIT_UNAVAILABLE and nothing is
   sent;
5. the register is called with the key as its request id (a repeat there answers 412: already
   applied, answered as a replay);
6. the payload is kept under the key, the outcome journalled (kind write_outcome) and what the
   registers said about the young person forgotten, here and in every worker, so the next read
   shows the write (a withdrawn consent takes effect at once).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from gateway.audit.records import WRITE_INTENT
from gateway.audit.store import AuditUnavailable, IdempotencyKeys, KeyClaim
from gateway.core.guard import WRITE
from gateway.core.session import Session
from gateway.resolvers import RegisterUnavailable
from schema.enums import Purpose
from schema.errors import AuditDown, RegisterDown

log = logging.getLogger("ungeprofil.writes")

#: A business refusal: (input path or None, error code, message for a person).
UserError = tuple[tuple[str, ...] | None, str, str]


@dataclass(frozen=True)
class Outcome:
    """What a write did, as kept under its idempotency key and replayed from it."""

    changed: bool
    document: dict[str, Any] | None = None  # the register's record of what was written
    errors: tuple[UserError, ...] = ()
    sequence: int | None = None  # the register's event sequence number, when one was appended

    def to_json(self) -> str:
        return orjson.dumps(
            {
                "changed": self.changed,
                "document": self.document,
                "errors": [[list(p) if p else None, c, m] for p, c, m in self.errors],
                "sequence": self.sequence,
            }
        ).decode()

    @classmethod
    def from_json(cls, text: str) -> Outcome:
        raw = orjson.loads(text)
        return cls(
            changed=bool(raw["changed"]),
            document=raw["document"],
            errors=tuple((tuple(p) if p else None, c, m) for p, c, m in raw["errors"]),
            sequence=raw["sequence"],
        )

    @classmethod
    def refused(cls, *errors: UserError) -> Outcome:
        return cls(changed=False, errors=tuple(errors))

    def summary(self) -> str:
        """The outcome record's reason: codes and numbers only, never the written data."""
        if self.errors:
            return "not applied: " + ", ".join(code for _, code, _ in self.errors)
        what = "applied" if self.changed else "no change"
        return what if self.sequence is None else f"{what}, event {self.sequence}"


@dataclass(frozen=True)
class Write:
    """One write as the policy and the audit see it."""

    mutation: str  # the GraphQL field, which scopes the idempotency key
    resource: str  # the WRITE resource of the catalogue's actions table
    cpr: str
    purpose: Purpose
    key: str  # the client's idempotency key (a UUID)
    input: dict[str, Any]  # the validated input, canonical (hashed, never logged)
    target: dict[str, str] | None = None  # what the policy's requirements point at
    registers: Sequence[str] = ("udb",)  # whose answers about the young person change
    #: The policy reads the young person's facts (an exchange write's requirements); a young
    #: person's own write needs none (they are the young person).
    facts: bool = True
    #: The write can change what the policy reads (a subscription is an open case; a consent),
    #: so the cached relationship facts are forgotten too, not only the data.
    changes_facts: bool = False


Send = Callable[[], Awaitable[Outcome]]
Keys = Callable[[], Awaitable[IdempotencyKeys | None]]
Forget = Callable[[str, Sequence[str], bool], Awaitable[None]]

KEY_FIELD = ("input", "idempotencyKey")


def key_error(key: str) -> UserError | None:
    try:
        uuid.UUID(key)
    except ValueError:
        return (KEY_FIELD, "INVALID", "the idempotency key must be a UUID")
    return None


class Writer:
    def __init__(
        self,
        session: Session,
        keys: Keys,
        forget: Forget,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self._session = session
        self.today = session.today
        self._keys = keys
        self._forget = forget
        self._now = now

    async def write(self, write: Write, send: Send, *, claim_key: bool = True) -> Outcome:
        """What the write did, or what it did the first time (steps 2–6 above; step 1 is the
        caller's). `claim_key` False: a write idempotent by nature (a consent set to a value),
        whose key is made here for the register's request id alone."""
        guard = self._session.guard
        digest = _input_hash(write)
        verdict = await guard.authorise(
            WRITE,
            write.resource,
            write.purpose,
            kind=WRITE_INTENT,
            cpr=write.cpr,
            facts=write.facts,
            target=write.target,
            note=f"idempotency key {write.key}, input {digest[:16]}",
        )
        keys = await self._keys()
        if keys is None:
            raise AuditDown()
        scope = f"{self._session.subject.org or self._session.subject.sub}:{write.mutation}"
        journal = self._session.journal
        try:
            # The key is claimed while the intent is stored: both must hold before anything is
            # sent, and neither waits for the other.
            claim, _ = await asyncio.gather(
                keys.claim_key(scope, write.key, digest, self._now())
                if claim_key
                else _unclaimed(digest),
                journal.flush(),
            )
        except AuditUnavailable:
            raise AuditDown() from None
        if not claim.fresh:
            if claim.input_hash != digest:
                outcome = Outcome.refused(
                    (KEY_FIELD, "IDEMPOTENCY_KEY_REUSED", "the key was used for another input")
                )
                guard.outcome(write.resource, write.purpose, write.cpr, verdict, outcome.summary())
                return outcome
            if claim.payload is not None:
                outcome = Outcome.from_json(claim.payload)
                guard.outcome(write.resource, write.purpose, write.cpr, verdict, "replayed")
                return outcome
            # Taken by a write still under way (another worker): send with the same request id;
            # the register applies it once and answers the other a 412.
        try:
            outcome = await send()
        except RegisterUnavailable as exc:
            guard.outcome(write.resource, write.purpose, write.cpr, verdict, "register unavailable")
            raise RegisterDown(exc.register) from None
        guard.outcome(write.resource, write.purpose, write.cpr, verdict, outcome.summary())
        try:
            # The payload kept for replays, the outcome stored and the stale answers forgotten,
            # all at once (the session's release then finds nothing left to write).
            await asyncio.gather(
                keys.complete_key(scope, write.key, outcome.to_json()) if claim_key else _nothing(),
                journal.flush(),
                self._forget(write.cpr, write.registers, write.changes_facts)
                if outcome.changed
                else _nothing(),
            )
        except AuditUnavailable:
            raise AuditDown() from None
        return outcome


async def _unclaimed(digest: str) -> KeyClaim:
    return KeyClaim(True, digest, None)


async def _nothing() -> None:
    return None


def _input_hash(write: Write) -> str:
    canonical = orjson.dumps(
        {"cpr": write.cpr, "purpose": write.purpose.value, "input": write.input},
        option=orjson.OPT_SORT_KEYS,
    )
    return hashlib.sha256(canonical).hexdigest()
