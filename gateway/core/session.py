"""The unit of work of one request: who asks, the decision date, the register session, the
journal and the guard. Every door opens one and answers only through `release()`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gateway.auth import Subject
from gateway.core.guard import Guard
from gateway.core.journal import Journal, Write
from gateway.logs import new_request_id
from gateway.metrics import Metrics
from gateway.policies.engine import PolicyEngine
from gateway.resolvers import RegisterSession


@dataclass
class Session:
    subject: Subject
    request_id: str
    today: dt.date
    registers: RegisterSession
    journal: Journal
    guard: Guard

    async def release(self) -> None:
        """Every decision of this session is in the audit log once this returns; raises
        AuditUnavailable otherwise, and then nothing of the answer may leave."""
        self.guard.finish()
        await self.journal.flush()


def open_session(
    subject: Subject,
    *,
    today: dt.date,
    engine: PolicyEngine,
    registers: RegisterSession,
    write: Write,
    metrics: Metrics,
    request_id: str | None = None,
) -> Session:
    """`request_id`: the one the access middleware bound to the request (made by the gateway,
    or a trusted proxy's `X-Request-Id`), so audit records, logs and the response agree."""
    request_id = request_id or new_request_id()
    journal = Journal(write)
    guard = Guard(
        subject=subject,
        request_id=request_id,
        today=today,
        engine=engine,
        facts=registers.facts,
        journal=journal,
        metrics=metrics,
    )
    return Session(
        subject=subject,
        request_id=request_id,
        today=today,
        registers=registers,
        journal=journal,
        guard=guard,
    )
