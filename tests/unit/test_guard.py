"""The session and its guard with fakes (no HTTP): decide → journal → release, or withhold."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pytest

from gateway.audit.memory import FailingAuditStore, MemoryAuditStore
from gateway.audit.records import AuditFilter, AuditRecord
from gateway.audit.store import AuditUnavailable
from gateway.auth import Subject
from gateway.core.session import Session, open_session
from gateway.metrics import Metrics
from gateway.policies.decision import CategoryDecision, Decision
from gateway.policies.engine import PolicyUnavailable
from gateway.resolvers import RegisterUnavailable
from schema.enums import Purpose
from schema.errors import Forbidden, RegisterDown

ANNE, ALI = "1503044112", "0211014127"
JETTE = Subject("jette.hansen", "contact_person", "Jobcenter København", "0101", "Jette Hansen")
TODAY = dt.date(2026, 11, 23)

ALLOW = CategoryDecision(True, "assigned contact person", ("LOU-DFDG",), "allow.x")
DENY = CategoryDecision.denied("no legal basis in force for grades", "no_legal_basis")


def decision(**categories: CategoryDecision) -> Decision:
    return Decision("test-1", True, "x" if categories else None, categories)


class FakeEngine:
    """Answers from a function of the input, and counts what it was asked."""

    policy_version = "test-1"

    def __init__(self, answer: Callable[[Mapping[str, Any]], Decision], fail: bool = False):
        self.answer = answer
        self.fail = fail
        self.inputs: list[Mapping[str, Any]] = []
        self.calls = 0

    async def decide(self, input: Mapping[str, Any]) -> Decision:
        return (await self.decide_many([input]))[0]

    async def decide_many(self, inputs: Sequence[Mapping[str, Any]]) -> list[Decision]:
        self.calls += 1
        if self.fail:
            raise PolicyUnavailable("down")
        self.inputs.extend(inputs)
        return [self.answer(i) for i in inputs]


class FakeRegisters:
    def __init__(self, down: bool = False) -> None:
        self.down = down
        self.asked: list[str] = []

    async def facts(self, cpr: str) -> dict[str, Any]:
        self.asked.append(cpr)
        if self.down:
            raise RegisterUnavailable("dfdg")
        return {"municipality": "101" if cpr == ANNE else None}


def jette_answers(input: Mapping[str, Any]) -> Decision:
    if input.get("action") == "READ_POLICY":
        return decision(policy=CategoryDecision.denied("role contact_person may not", "x"))
    if input["cpr"] == ANNE:
        return decision(identity=ALLOW, grades=DENY)
    return Decision("test-1", True, None, {"identity": CategoryDecision.denied("no rel", "r")})


def session_with(
    store: Any, engine: FakeEngine | None = None, registers: FakeRegisters | None = None
) -> Session:
    return open_session(
        JETTE,
        today=TODAY,
        engine=engine or FakeEngine(jette_answers),
        registers=registers or FakeRegisters(),  # type: ignore[arg-type]
        write=store.append,
        metrics=Metrics(),
    )


async def stored(store: MemoryAuditStore) -> list[AuditRecord]:
    return list(reversed((await store.query(AuditFilter(), 1000)).records))


async def test_one_decision_per_young_person_and_purpose_in_one_batch() -> None:
    engine = FakeEngine(jette_answers)
    session = session_with(MemoryAuditStore(), engine)
    guard = session.guard
    decided = await asyncio.gather(
        guard.read(ANNE, Purpose.PLANNING),
        guard.read(ANNE, Purpose.PLANNING),
        guard.read(ALI, Purpose.PLANNING),
    )
    assert decided[0] is decided[1]
    assert engine.calls == 1
    assert [i["cpr"] for i in engine.inputs] == [ANNE, ALI]
    assert engine.inputs[0]["date"] == "2026-11-23"


async def test_categories_are_journalled_once_and_released_with_the_young_persons_municipality():
    store = MemoryAuditStore()
    session = session_with(store)
    guard = session.guard
    anne = await guard.read(ANNE, Purpose.PLANNING)
    assert guard.category(ANNE, Purpose.PLANNING, "identity", anne).allow
    guard.category(ANNE, Purpose.PLANNING, "identity", anne)  # an alias: the same decision
    assert not guard.category(ANNE, Purpose.PLANNING, "grades", anne).allow
    guard.released(ANNE, Purpose.PLANNING, anne)
    await session.release()
    records = await stored(store)
    assert [(r.category, r.decision, r.kind) for r in records] == [
        ("identity", "allow", "category_read"),
        ("grades", "deny", "category_read"),
    ]
    assert {r.youth_municipality for r in records} == {"0101"}
    assert records[0].legal_bases == ("LOU-DFDG",) and records[1].legal_bases == ()


async def test_a_young_person_released_without_a_category_confirms_the_relationship() -> None:
    store = MemoryAuditStore()
    session = session_with(store)
    anne = await session.guard.read(ANNE, Purpose.PLANNING)
    session.guard.released(ANNE, Purpose.PLANNING, anne)
    await session.release()
    [record] = await stored(store)
    assert (record.kind, record.cpr, record.category, record.decision) == (
        "relationship_confirmed",
        ANNE,
        "",
        "allow",
    )
    assert record.legal_bases == ("LOU-DFDG",)


async def test_a_whole_refusal_journals_what_was_asked_or_one_record() -> None:
    store = MemoryAuditStore()
    session = session_with(store)
    ali = await session.guard.read(ALI, Purpose.PLANNING)
    reason = session.guard.refused(ALI, Purpose.PLANNING, [], ali)
    assert reason == "no current relationship to this young person for this purpose"
    session.guard.refused(ALI, Purpose.VISITATION, ["identity", "plan"], ali)
    await session.release()
    assert [(r.kind, r.purpose, r.category) for r in await stored(store)] == [
        ("relationship_confirmed", "PLANNING", ""),
        ("category_read", "VISITATION", "identity"),
        ("category_read", "VISITATION", "plan"),
    ]


async def test_an_action_is_decided_journalled_and_refused_once() -> None:
    store = MemoryAuditStore()
    engine = FakeEngine(jette_answers)
    session = session_with(store, engine)
    for _ in range(2):
        with pytest.raises(Forbidden):
            await session.guard.authorise(
                "READ_POLICY", "policy", Purpose.SUPERVISION, kind="policy_read"
            )
    assert engine.calls == 1
    await session.release()
    [record] = await stored(store)
    assert (record.kind, record.category, record.decision) == ("policy_read", "policy", "deny")
    assert engine.inputs[0]["action"] == "READ_POLICY"
    assert engine.inputs[0]["facts"] == {}


async def test_a_request_refusal_asks_no_register_and_journals_once() -> None:
    store = MemoryAuditStore()
    registers = FakeRegisters()
    session = session_with(store, registers=registers)
    reason = await session.guard.refuse_request(Purpose.PLANNING, ALI, asked=300)
    assert reason == "no current relationship to this young person for this purpose"
    await session.release()
    [record] = await stored(store)
    assert record.kind == "request_refused"
    assert "300" in record.reason
    assert registers.asked == []


async def test_nothing_is_allowed_when_the_engine_cannot_decide() -> None:
    session = session_with(MemoryAuditStore(), FakeEngine(jette_answers, fail=True))
    with pytest.raises(Forbidden):
        await session.guard.read(ANNE, Purpose.PLANNING)
    with pytest.raises(Forbidden):
        await session.guard.authorise("READ_LOG", "audit_log", Purpose.SUPERVISION, kind="log_read")


async def test_no_facts_no_decision() -> None:
    session = session_with(MemoryAuditStore(), registers=FakeRegisters(down=True))
    with pytest.raises(RegisterDown):
        await session.guard.read(ANNE, Purpose.PLANNING)


async def test_release_fails_when_the_journal_cannot_be_written() -> None:
    session = session_with(FailingAuditStore())
    anne = await session.guard.read(ANNE, Purpose.PLANNING)
    session.guard.released(ANNE, Purpose.PLANNING, anne)  # only the relationship, at release
    with pytest.raises(AuditUnavailable):
        await session.release()


async def test_a_session_that_decided_nothing_releases_without_writing() -> None:
    store = FailingAuditStore()
    session = session_with(store)
    await session.release()
