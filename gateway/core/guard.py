"""The guard: the only caller of the policy, and the only writer of decisions to the journal.

Every decision is about a typed action (POLICY.md "Actions"):
- READ of the data categories of a young person: one policy decision per (session, young
  person, purpose) for every category at once, memoised and batched; each category a response
  depends on is journalled as the field is resolved, and a young person released with no
  category (a bare `cpr`, `__typename`, a caseload entry) is journalled as a confirmed
  relationship when the session is released.
- every other action (READ_LOG, READ_POLICY; WRITE and AGGREGATE as they arrive): decided on
  one resource and journalled at once with its kind, before the door reads anything.

Nothing here decides in Python: what is allowed, and why, is the policy's answer. The guard
only chooses what to ask and writes down what was answered.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from gateway.audit.records import (
    CATEGORY_READ,
    POLICY_READ,
    RELATIONSHIP_CONFIRMED,
    REQUEST_REFUSED,
    WRITE_INTENT,
    WRITE_OUTCOME,
    AuditRecord,
)
from gateway.auth import Subject
from gateway.core.journal import Journal
from gateway.metrics import Metrics
from gateway.policies.engine import CategoryDecision, Decision, PolicyEngine, PolicyUnavailable
from gateway.resolvers import RegisterUnavailable
from gateway.tracing import span
from schema.enums import Purpose
from schema.errors import Forbidden, RegisterDown

log = logging.getLogger("ungeprofil.guard")

Facts = Callable[[str], Awaitable[dict[str, Any]]]

#: Shown when the caller may see nothing of a young person. Deliberately independent of whether
#: the CPR exists, so the answer can't be used to enumerate CPR numbers.
NO_RELATIONSHIP = "no current relationship to this young person for this purpose"

#: When the engine cannot decide, nothing is released.
UNDECIDED = "the policy engine could not decide, so nothing is released"

READ = "READ"
READ_LOG = "READ_LOG"
READ_POLICY = "READ_POLICY"
WRITE = "WRITE"

T = TypeVar("T")


class Guard:
    def __init__(
        self,
        *,
        subject: Subject,
        request_id: str,
        today: dt.date,
        engine: PolicyEngine,
        facts: Facts,
        journal: Journal,
        metrics: Metrics,
    ) -> None:
        self.subject = subject
        self._request_id = request_id
        self._today = today
        self._engine = engine
        self._facts = facts
        self._journal = journal
        self._metrics = metrics
        self._request = {"subject": subject.policy_input(), "date": today.isoformat()}
        self._reads: dict[tuple[str, Purpose], asyncio.Task[Decision]] = {}
        self._inputs: dict[tuple[str, Purpose], dict[str, Any]] = {}
        self._policy: DataLoader[tuple[str, Purpose], Decision] = DataLoader(
            load_fn=self._decide_reads, cache=False
        )
        self._municipalities: dict[str, str | None] = {}
        self._journalled: set[tuple[str, str, str, str]] = set()
        self._released: dict[tuple[str, Purpose], Decision] = {}
        self._actions: dict[tuple[object, ...], tuple[CategoryDecision, str]] = {}

    # --- READ: the categories of a young person ------------------------------------------------

    def read(self, cpr: str, purpose: Purpose) -> asyncio.Task[Decision]:
        """The memoised decision for (cpr, purpose); concurrent resolvers share one task, and
        decisions asked for in one tick go to the engine as one batch."""
        key = (cpr, purpose)
        task = self._reads.get(key)
        if task is None:
            task = asyncio.ensure_future(self._read(cpr, purpose))
            self._reads[key] = task
        return task

    async def _read(self, cpr: str, purpose: Purpose) -> Decision:
        try:
            facts = await self._facts(cpr)
        except RegisterUnavailable as exc:
            # Without facts nothing can be decided, so nothing is released: fail closed.
            raise RegisterDown(exc.register) from None
        self._municipalities[cpr] = _municipality(facts.get("municipality"))
        self._inputs[(cpr, purpose)] = {
            **self._request,
            "purpose": purpose.value,
            "cpr": cpr,
            "facts": facts,
        }
        decision = await self._policy.load((cpr, purpose))
        for category, verdict in decision.categories.items():
            self._metrics.policy_decisions.labels(
                category, "allow" if verdict.allow else "deny"
            ).inc()
        return decision

    async def _decide_reads(
        self, keys: Sequence[tuple[str, Purpose]]
    ) -> Sequence[Decision | BaseException]:
        inputs = [self._inputs.pop(key) for key in keys]
        try:
            with span("policy.decide_batch", {"policy.decisions": len(inputs)}):
                return await self._engine.decide_many(inputs)
        except PolicyUnavailable:
            log.error("policy engine could not decide; nothing released")
            return [Forbidden(UNDECIDED) for _ in keys]

    def category(
        self, cpr: str, purpose: Purpose, category: str, decision: Decision
    ) -> CategoryDecision:
        """The verdict on one category of a decided young person, journalled (once per
        session: aliases of one field are one decision)."""
        verdict = decision.category(category)  # a category the policy did not name: denied
        self._journal_read(cpr, purpose, category, decision, verdict)
        return verdict

    def released(self, cpr: str, purpose: Purpose, decision: Decision) -> None:
        """A young person leaves in the answer (the decision allowed something). If no category
        of theirs is journalled by release, the answer confirmed only the relationship, and
        `finish` journals that."""
        self._released.setdefault((cpr, purpose), decision)

    def refused(
        self, cpr: str, purpose: Purpose, categories: Sequence[str], decision: Decision
    ) -> str:
        """The young person is refused as a whole: each category asked for is journalled as
        denied (one record when none was asked for), and the reason to show is returned."""
        reason = _whole_denial_reason(decision)
        if not categories:
            self._note(
                kind=RELATIONSHIP_CONFIRMED,
                purpose=purpose,
                cpr=cpr,
                category="",
                allow=False,
                reason=reason,
                legal_bases=(),
                policy_version=decision.policy_version,
            )
        for category in categories:
            self._journal_read(cpr, purpose, category, decision, CategoryDecision.denied(reason))
        return reason

    async def refuse_request(self, purpose: Purpose, cpr: str, asked: int) -> str | None:
        """Decide a request that names people before anyone is looked up (a young person asking
        for others, someone who is not a young person asking for `me`): the policy decides for
        `cpr` with no facts. A refusal is journalled ONCE for the request, whatever it asked
        for, and its reason returned; None when the policy would allow (then each person is
        decided the ordinary way)."""
        decision = await self._decide_one(
            {**self._request, "purpose": purpose.value, "cpr": cpr, "facts": {}}
        )
        if decision.any_allowed:
            return None
        reason = _whole_denial_reason(decision)
        self._note(
            kind=REQUEST_REFUSED,
            purpose=purpose,
            cpr=cpr,
            category="",
            allow=False,
            reason=f"{reason} (asked for {asked} young people)" if asked > 1 else reason,
            legal_bases=(),
            policy_version=decision.policy_version,
        )
        return reason

    # --- the other actions ----------------------------------------------------------------------

    async def authorise(
        self,
        action: str,
        resource: str,
        purpose: Purpose,
        *,
        kind: str,
        cpr: str = "",
        recorded_cpr: str | None = None,
        facts: bool = False,
        target: dict[str, str] | None = None,
        note: str = "",
    ) -> CategoryDecision:
        """Decide `action` on `resource`, journal it with `kind` (once per session), and raise
        Forbidden when denied. `cpr` is the young person the policy decides about (a young
        person's own log, the subject of a write); `recorded_cpr` the one the record names,
        when it differs (a privacy officer's read filtered on one young person). `facts`: the
        policy reads the young person's facts (a write's requirements: their order, their
        admissions, their municipality) and `target` what the action points at (the school of
        an admission); `note` is added to the record's reason (a write's idempotency key and
        input hash)."""
        key = (action, resource, purpose.value, cpr, tuple(sorted((target or {}).items())))
        decided = self._actions.get(key)
        if decided is None:
            input: dict[str, Any] = {
                **self._request,
                "action": action,
                "purpose": purpose.value,
                "cpr": cpr,
                "facts": await self._facts_for_action(cpr) if facts else {},
            }
            if target is not None:
                input["target"] = target
            decision = await self._decide_one(input)
            decided = self._actions[key] = (decision.category(resource), decision.policy_version)
        verdict, version = decided
        # Journalled per young person named: two aliases reading the log of two people are
        # two reads, though one decision.
        self._note(
            kind=kind,
            purpose=purpose,
            cpr=cpr if recorded_cpr is None else recorded_cpr,
            category=resource,
            allow=verdict.allow,
            reason=f"{verdict.reason}; {note}" if note else verdict.reason,
            legal_bases=verdict.legal_bases if verdict.allow else (),
            policy_version=version,
        )
        if not verdict.allow:
            raise Forbidden(verdict.reason)
        return verdict

    async def _facts_for_action(self, cpr: str) -> dict[str, Any]:
        try:
            facts = await self._facts(cpr)
        except RegisterUnavailable as exc:
            raise RegisterDown(exc.register) from None  # nothing decided: nothing is written
        self._municipalities[cpr] = _municipality(facts.get("municipality"))
        return facts

    def outcome(
        self, resource: str, purpose: Purpose, cpr: str, verdict: CategoryDecision, result: str
    ) -> None:
        """Journal what an allowed write did (kind write_outcome), after the register call."""
        self._note(
            kind=WRITE_OUTCOME,
            purpose=purpose,
            cpr=cpr,
            category=resource,
            allow=True,
            reason=result,
            legal_bases=verdict.legal_bases,
            policy_version=self._engine.policy_version,
        )

    @property
    def policy_version(self) -> str:
        return self._engine.policy_version

    async def review(
        self, work: Callable[[PolicyEngine], Awaitable[T]], purpose: Purpose = Purpose.SUPERVISION
    ) -> T:
        """A review of the policy — the matrix, `explain`: decisions about made-up people in
        named situations — run on the live engine once READ_POLICY is allowed and journalled
        (a privacy officer supervising; a young person told who may see their data: SELF)."""
        await self.authorise(READ_POLICY, "policy", purpose, kind=POLICY_READ)
        return await work(self._engine)

    async def _decide_one(self, input: dict[str, Any]) -> Decision:
        try:
            with span("policy.decide", {"policy.action": str(input.get("action", ""))}):
                return await self._engine.decide(input)
        except PolicyUnavailable:
            log.error("policy engine could not decide; nothing released")
            raise Forbidden(UNDECIDED) from None

    # --- at release -----------------------------------------------------------------------------

    def finish(self) -> None:
        """Journal every released young person whose answer carried no category: the answer
        still confirmed that the caller has a relationship to them."""
        for (cpr, purpose), decision in self._released.items():
            if any(
                (cpr, purpose.value, category, CATEGORY_READ) in self._journalled
                for category in decision.categories
            ):
                continue
            self._note(
                kind=RELATIONSHIP_CONFIRMED,
                purpose=purpose,
                cpr=cpr,
                category="",
                allow=True,
                reason=_relationship_reason(decision),
                legal_bases=tuple(
                    sorted(
                        {b for v in decision.categories.values() if v.allow for b in v.legal_bases}
                    )
                ),
                policy_version=decision.policy_version,
            )
        self._released.clear()

    # --- the journal ----------------------------------------------------------------------------

    def _journal_read(
        self,
        cpr: str,
        purpose: Purpose,
        category: str,
        decision: Decision,
        verdict: CategoryDecision,
    ) -> None:
        self._note(
            kind=CATEGORY_READ,
            purpose=purpose,
            cpr=cpr,
            category=category,
            allow=verdict.allow,
            reason=verdict.reason,
            legal_bases=verdict.legal_bases if verdict.allow else (),
            policy_version=decision.policy_version,
        )

    def _note(
        self,
        *,
        kind: str,
        purpose: Purpose,
        cpr: str,
        category: str,
        allow: bool,
        reason: str,
        legal_bases: tuple[str, ...],
        policy_version: str,
    ) -> None:
        key = (cpr, purpose.value, category, kind)
        if kind in (WRITE_INTENT, WRITE_OUTCOME):
            pass  # every write is its own act: two in one request are two records each
        elif key in self._journalled:
            return
        self._journalled.add(key)
        s = self.subject
        self._journal.add(
            AuditRecord(
                time=dt.datetime.now(dt.UTC),
                request_id=self._request_id,
                subject=s.sub,
                subject_name=s.name or s.sub,
                role=s.role,
                organisation=s.org,
                municipality=s.municipality,
                purpose=purpose.value,
                cpr=cpr,
                category=category,
                decision="allow" if allow else "deny",
                reason=reason,
                legal_bases=tuple(legal_bases),
                policy_version=policy_version,
                kind=kind,
                youth_municipality=self._municipalities.get(cpr),
            )
        )


def _municipality(code: object) -> str | None:
    """A register's municipality code as the audit log keeps it (4 digits), else None."""
    if isinstance(code, str) and code.isascii() and code.isdigit() and len(code) <= 4:
        return code.zfill(4)
    return None


def _whole_denial_reason(decision: Decision) -> str:
    if not decision.purpose_allowed:
        # Depends only on (role, purpose), never on the person: safe to tell.
        for verdict in decision.categories.values():
            return verdict.reason
    return NO_RELATIONSHIP


def _relationship_reason(decision: Decision) -> str:
    return next((v.reason for v in decision.categories.values() if v.allow), "relationship")
