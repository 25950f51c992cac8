"""Decide once, enforce everywhere: the per-request implementation of `schema.access.YouthAccess`.

For each (request, young person, purpose) the relationship facts are read and the policy is asked
ONCE for every category; field resolvers only read that decision. A category is fetched from its
register only after the decision allowed it, and every decision a response depends on is put in
the request's audit buffer before the data can leave (the HTTP layer flushes it).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from strawberry.dataloader import DataLoader

from gateway.audit.records import AuditRecord
from gateway.audit.store import AuditUnavailable
from gateway.auth import Subject
from gateway.metrics import Metrics
from gateway.policies.engine import Decision, PolicyEngine, PolicyUnavailable
from gateway.resolvers import RegisterSession, RegisterUnavailable
from schema.access import CaseloadPage
from schema.enums import Category, Purpose, Role
from schema.errors import Forbidden, RegisterDown

log = logging.getLogger("ungeprofil.access")

#: Shown when the caller may see nothing of a young person. Deliberately independent of whether
#: the CPR exists, so the answer can't be used to enumerate CPR numbers.
NO_RELATIONSHIP = "no current relationship to this young person for this purpose"

#: How many candidates caseload decides at a time while filling a page.
_CASELOAD_CHUNK = 50


class AuditBuffer:
    """The audit records of one request: written while the request goes on, waited for before
    the response leaves.

    Records made in one tick of the event loop (every category decided for a young person
    lands in the same tick) are handed to `write` together as soon as that tick ends, so the
    store's write (an fsync) runs while the request fetches data and completes its answer
    instead of after it. `flush` writes what is left and waits for every write: the HTTP layer
    calls it before anything leaves, and withholds the answer if any write failed. A request
    that fails after a write still leaves its decisions in the log, as made.
    """

    def __init__(self, write: Callable[[list[AuditRecord]], Awaitable[None]]) -> None:
        self.records: list[AuditRecord] = []
        self._write = write
        self._pending: list[AuditRecord] = []
        self._writes: list[asyncio.Future[None]] = []
        self._scheduled = False

    def add(self, record: AuditRecord) -> None:
        self.records.append(record)
        self._pending.append(record)
        if not self._scheduled:
            self._scheduled = True
            asyncio.get_running_loop().call_soon(self._start_write)

    def _start_write(self) -> None:
        self._scheduled = False
        if not self._pending:
            return
        batch, self._pending = self._pending, []
        write = asyncio.ensure_future(self._write(batch))
        write.add_done_callback(_retrieved)  # flush reports failures; none go unobserved
        self._writes.append(write)

    async def flush(self) -> None:
        """Every record written, or AuditUnavailable."""
        self._start_write()
        outcomes = await asyncio.gather(*self._writes, return_exceptions=True)
        for outcome in outcomes:
            if isinstance(outcome, AuditUnavailable):
                raise outcome
            if isinstance(outcome, BaseException):
                raise AuditUnavailable("audit write failed") from outcome

    @staticmethod
    def record(
        subject: Subject,
        request_id: str,
        *,
        purpose: str,
        cpr: str,
        category: str,
        allow: bool,
        reason: str,
        legal_bases: tuple[str, ...],
        policy_version: str,
    ) -> AuditRecord:
        """One decision of `subject` in this request, as the audit log keeps it."""
        return AuditRecord(
            time=dt.datetime.now(dt.UTC),
            request_id=request_id,
            subject=subject.sub,
            subject_name=subject.name or subject.sub,
            role=subject.role,
            organisation=subject.org,
            municipality=subject.municipality,
            purpose=purpose,
            cpr=cpr,
            category=category,
            decision="allow" if allow else "deny",
            reason=reason,
            legal_bases=legal_bases,
            policy_version=policy_version,
        )


class Access:
    def __init__(
        self,
        *,
        subject: Subject,
        request_id: str,
        registers: RegisterSession,
        engine: PolicyEngine,
        audit: AuditBuffer,
        metrics: Metrics,
        today: dt.date,
    ) -> None:
        self._subject = subject
        self._request_id = request_id
        self._registers = registers
        self._engine = engine
        self._audit = audit
        self._metrics = metrics
        self._today = today
        self._decisions: dict[tuple[str, Purpose], asyncio.Task[Decision]] = {}
        self._inputs: dict[tuple[str, Purpose], dict[str, Any]] = {}
        self._policy: DataLoader[tuple[str, Purpose], Decision] = DataLoader(
            load_fn=self._decide_batch, cache=False
        )
        self._audited: set[tuple[str, Purpose, Category]] = set()

    # --- YouthAccess ----------------------------------------------------------------------------

    @property
    def own_cpr(self) -> str | None:
        return self._subject.sub if self._subject.role == Role.YOUTH.value else None

    async def open(self, cpr: str, purpose: Purpose, categories: Sequence[Category]) -> None:
        decision = await self.decision(cpr, purpose)
        if decision.any_allowed:
            return
        reason = _whole_denial_reason(decision)
        # Audit what was asked for (or everything, when only `cpr` was selected).
        for category in categories or list(Category):
            self._record(cpr, purpose, category, decision, allow=False, reason=reason)
        raise Forbidden(reason)

    async def category(self, cpr: str, purpose: Purpose, category: Category) -> Any:
        decision = await self.decision(cpr, purpose)
        verdict = decision.category(category.value)  # unnamed by the policy: denied
        self._record(
            cpr,
            purpose,
            category,
            decision,
            allow=verdict.allow,
            reason=verdict.reason,
            legal_bases=verdict.legal_bases,
        )
        if not verdict.allow:
            raise Forbidden(verdict.reason, category=category.value)
        try:
            return await self._registers.category(cpr, category)
        except RegisterUnavailable as exc:
            raise RegisterDown(exc.register) from None

    async def caseload(self, purpose: Purpose, first: int, after: str | None) -> CaseloadPage:
        s = self._subject
        try:
            candidates = await self._registers.related_cprs(s.role, s.sub, s.org, s.municipality)
        except RegisterUnavailable as exc:
            raise RegisterDown(exc.register) from None
        remaining = sorted(c for c in set(candidates) if after is None or c > after)
        page: list[str] = []
        while remaining and len(page) < first:
            chunk, remaining = remaining[:_CASELOAD_CHUNK], remaining[_CASELOAD_CHUNK:]
            decisions = await asyncio.gather(*(self.decision(c, purpose) for c in chunk))
            for cpr, decision in zip(chunk, decisions, strict=True):
                if len(page) == first:
                    remaining = [cpr, *remaining]
                    break
                if decision.any_allowed:
                    page.append(cpr)
        return CaseloadPage(
            cprs=page, end_cursor=page[-1] if page else after, has_next_page=bool(remaining)
        )

    # --- the one decision -----------------------------------------------------------------------

    def decision(self, cpr: str, purpose: Purpose) -> asyncio.Task[Decision]:
        """The memoised decision for (cpr, purpose); concurrent resolvers share one task."""
        key = (cpr, purpose)
        task = self._decisions.get(key)
        if task is None:
            task = asyncio.ensure_future(self._decide(cpr, purpose))
            self._decisions[key] = task
        return task

    async def _decide(self, cpr: str, purpose: Purpose) -> Decision:
        try:
            facts = await self._registers.facts(cpr)
        except RegisterUnavailable as exc:
            # Without facts nothing can be decided, so nothing is released: fail closed.
            raise RegisterDown(exc.register) from None
        self._inputs[(cpr, purpose)] = {
            "subject": self._subject.policy_input(),
            "purpose": purpose.value,
            "cpr": cpr,
            "date": self._today.isoformat(),
            "facts": facts,
        }
        # Decisions asked for in the same tick (a batch, a caseload page) go to the engine as
        # one batch: the parts that depend only on (caller, purpose, date) are computed once.
        decision = await self._policy.load((cpr, purpose))
        for category, verdict in decision.categories.items():
            self._metrics.policy_decisions.labels(
                category, "allow" if verdict.allow else "deny"
            ).inc()
        return decision

    async def _decide_batch(
        self, keys: Sequence[tuple[str, Purpose]]
    ) -> Sequence[Decision | BaseException]:
        inputs = [self._inputs.pop(key) for key in keys]
        try:
            return await self._engine.decide_many(inputs)
        except PolicyUnavailable:
            log.error("policy engine could not decide; nothing released")
            reason = "the policy engine could not decide, so nothing is released"
            return [Forbidden(reason) for _ in keys]

    def _record(
        self,
        cpr: str,
        purpose: Purpose,
        category: Category,
        decision: Decision,
        *,
        allow: bool,
        reason: str,
        legal_bases: tuple[str, ...] = (),
    ) -> None:
        key = (cpr, purpose, category)
        if key in self._audited:  # aliases of one field are one decision
            return
        self._audited.add(key)
        self._audit.add(
            self._audit.record(
                self._subject,
                self._request_id,
                purpose=purpose.value,
                cpr=cpr,
                category=category.value,
                allow=allow,
                reason=reason,
                legal_bases=tuple(legal_bases) if allow else (),
                policy_version=decision.policy_version,
            )
        )


def _retrieved(write: asyncio.Future[None]) -> None:
    if not write.cancelled():
        write.exception()


def _whole_denial_reason(decision: Decision) -> str:
    if not decision.purpose_allowed:
        # Depends only on (role, purpose), never on the person: safe to tell.
        for verdict in decision.categories.values():
            return verdict.reason
    return NO_RELATIONSHIP
