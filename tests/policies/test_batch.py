"""decide_many answers exactly what decide answers, input by input, on every engine; it asks
the policy once per request (not per young person) and only for what the cache lacks; the
embedded engine spreads work over a pool of interpreters."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from gateway.policies.batch import BatchAnswer, group_by_request
from gateway.policies.engine import EmbeddedEngine, EvaluatorPool, PolicyUnavailable
from gateway.policies.opa_server import OpaServerEngine
from gateway.policies.regopy_evaluator import RegopyEvaluator
from gateway.policies.sources import load_catalogue, policy_version
from tests.policies.personas import PROFESSIONALS, callers, decision_input, no_facts
from tests.policies.test_policy_table import TABLE

CALLERS = callers()
TABLE_INPUTS = [
    decision_input(CALLERS[caller], person, purpose) for caller, person, purpose in TABLE
]
VERSION = policy_version(load_catalogue())


class CountingEvaluator:
    """A real rego-cpp evaluator that records what it was asked."""

    def __init__(self) -> None:
        self.inner = RegopyEvaluator(load_catalogue())
        self.single: list[Mapping[str, Any]] = []
        self.batches: list[int] = []
        self.answers: list[BatchAnswer] = []

    def evaluate(self, input: Mapping[str, Any]) -> Any:
        self.single.append(input)
        return self.inner.evaluate(input)

    def evaluate_batch(
        self,
        request: Mapping[str, Any],
        people: Sequence[Mapping[str, Any]],
        known: Sequence[str] = (),
    ) -> BatchAnswer:
        self.batches.append(len(people))
        answer = self.inner.evaluate_batch(request, people, known)
        self.answers.append(answer)
        return answer


def odd_inputs() -> list[dict[str, Any]]:
    """Inputs with parts missing or malformed, each under a request shared with a good one."""
    jette = PROFESSIONALS["jette.hansen"]
    good = decision_input(jette, "anne", "PLANNING")
    no_cpr = {key: value for key, value in good.items() if key != "cpr"}
    no_facts_at_all = {key: value for key, value in good.items() if key != "facts"}
    return [
        good,
        no_cpr,
        no_facts_at_all,
        {**good, "facts": "not an object"},
        {**good, "facts": None},
        {**good, "facts": {**no_facts(), "assignments": "not a list"}},
        {**good, "people": ["ignored by a single decision"]},
        {},
        {"subject": "not an object", "purpose": "PLANNING", "date": good["date"]},
        {**good, "date": "23-11-2026"},
        {**good, "subject": {**jette, "role": "janitor"}},
    ]


async def test_batch_equals_single_decisions_on_the_persona_table(
    regopy_engine: EmbeddedEngine,
) -> None:
    evaluator = CountingEvaluator()
    engine = EmbeddedEngine(evaluator, VERSION, cache_size=0)
    batch = await engine.decide_many(TABLE_INPUTS)
    singles = [await regopy_engine.decide(input) for input in TABLE_INPUTS]
    assert [i for i, (a, b) in enumerate(zip(batch, singles, strict=True)) if a != b] == []
    # One query per request (caller, purpose): 14 callers x 10 purposes, 11 young people each.
    assert not evaluator.single
    assert sorted(evaluator.batches) == [11] * 140


async def test_batch_equals_single_decisions_on_odd_inputs(regopy_engine: EmbeddedEngine) -> None:
    inputs = odd_inputs()
    batch = await EmbeddedEngine(RegopyEvaluator(load_catalogue()), VERSION).decide_many(inputs)
    assert batch == [await regopy_engine.decide(input) for input in inputs]
    assert batch[0].category("identity").allow
    assert batch[3].relationship is None and batch[4].relationship is None
    assert not batch[7].any_allowed and not batch[8].any_allowed and not batch[10].any_allowed
    assert batch[9].category("identity").rule == "no_valid_date"


async def test_batch_on_the_real_opa_engine_equals_rego_cpp(
    go_engine: EmbeddedEngine, regopy_engine: EmbeddedEngine
) -> None:
    inputs = TABLE_INPUTS + odd_inputs()
    assert await go_engine.decide_many(inputs) == [
        await regopy_engine.decide(input) for input in inputs
    ]


async def test_batch_through_the_opa_server_equals_embedded(
    server_engine: OpaServerEngine, regopy_engine: EmbeddedEngine
) -> None:
    inputs = [row for row in TABLE_INPUTS if row["purpose"] in {"PLANNING", "CASE_RECORD"}]
    inputs += odd_inputs()
    assert await server_engine.decide_many(inputs) == [
        await regopy_engine.decide(input) for input in inputs
    ]


async def test_batch_asks_only_for_what_the_cache_lacks() -> None:
    evaluator = CountingEvaluator()
    engine = EmbeddedEngine(evaluator, VERSION, batch_chunk=4)
    jette = PROFESSIONALS["jette.hansen"]
    people = ["anne", "ali", "freja", "jonas", "sofie", "mads", "unknown"]
    inputs = [decision_input(jette, person, "PLANNING") for person in people]
    first = await engine.decide(inputs[0])
    decisions = await engine.decide_many([*inputs, inputs[1], inputs[0]])
    assert decisions[0] is first and decisions[-1] is first
    assert decisions[-2] == decisions[1]
    # decide is a batch of one; then six fresh inputs, in chunks of at most four; the
    # repeated ones were not asked again.
    assert evaluator.batches == [1, 4, 2]
    assert await engine.decide_many(inputs) == decisions[:7]
    assert evaluator.batches == [1, 4, 2]
    assert await engine.decide_many([]) == []


async def test_known_documents_are_not_asked_for_again() -> None:
    """A fresh input whose relationship and consents were decided before under the same
    request costs the policy only its key: the document comes from the engine."""
    evaluator = CountingEvaluator()
    engine = EmbeddedEngine(evaluator, VERSION)
    case_system = PROFESSIONALS["fagsystem-101"]
    anne = decision_input(case_system, "anne", "CASE_RECORD")
    first = await engine.decide(anne)
    assert first.relationship == "open_case" and len(evaluator.answers[-1].documents) == 1
    # Another young person with an open case (a fresh input: another CPR and facts).
    ali = decision_input(case_system, "ali", "CASE_RECORD")
    second = await engine.decide(ali)
    assert evaluator.answers[-1].documents == {}
    assert second == first
    assert second == await EmbeddedEngine(RegopyEvaluator(load_catalogue()), VERSION).decide(ali)
    # A young person without a relationship is a new key, asked for once.
    mads = decision_input(case_system, "mads", "CASE_RECORD")
    unknown = decision_input(case_system, "unknown", "CASE_RECORD")
    decisions = await engine.decide_many([mads, anne, unknown])
    assert [d.relationship for d in decisions] == [None, "open_case", None]
    assert len(evaluator.answers[-1].documents) == 1 and evaluator.batches[-1] == 2
    # Another request (another purpose) shares nothing.
    other = await engine.decide({**ali, "purpose": "PLANNING"})
    assert len(evaluator.answers[-1].documents) == 1 and not other.any_allowed


async def test_batch_groups_by_request() -> None:
    jette, mikkel = PROFESSIONALS["jette.hansen"], PROFESSIONALS["mikkel.holm"]
    inputs = [
        decision_input(jette, "anne", "PLANNING"),
        decision_input(mikkel, "anne", "MENTORING"),
        decision_input(jette, "ali", "PLANNING"),
        decision_input(jette, "ali", "RETENTION"),
    ]
    groups = group_by_request(inputs)
    assert [group.positions for group in groups] == [[0, 2], [1], [3]]
    assert groups[0].people[1] == {"cpr": inputs[2]["cpr"], "facts": inputs[2]["facts"]}
    decisions = await EmbeddedEngine(RegopyEvaluator(load_catalogue()), VERSION).decide_many(inputs)
    assert [d.relationship for d in decisions] == [
        "assigned_contact_person",
        "active_mentor",
        "assigned_contact_person",
        "assigned_contact_person",
    ]


async def test_a_failing_batch_fails_closed() -> None:
    class Broken(CountingEvaluator):
        def evaluate_batch(
            self,
            request: Mapping[str, Any],
            people: Sequence[Mapping[str, Any]],
            known: Sequence[str] = (),
        ) -> BatchAnswer:
            raise RuntimeError("rego-cpp could not evaluate the decision")

    engine = EmbeddedEngine(Broken(), VERSION)
    with pytest.raises(PolicyUnavailable):
        await engine.decide_many(TABLE_INPUTS[:3])
    assert len(engine.cache) == 0


def test_the_evaluator_sends_only_the_facts_the_policy_reads() -> None:
    evaluator = RegopyEvaluator(load_catalogue())
    facts = {**no_facts(), "health_consent": True, "exists": True}

    def visible(facts: object, role: object, action: str = "READ") -> object:
        return evaluator._visible_facts(facts, {"subject": {"role": role}, "action": action})

    assert visible(facts, "contact_person") == {
        "assignments": [],
        "municipality": "0101",
        "health_consent": True,
    }
    assert visible(facts, "case_system") == {"open_cases": []}
    # A write's requirements read the order and the enrolments too (actions.action_facts).
    assert visible(facts, "case_system", "WRITE") == {
        "open_cases": [],
        "municipality": "0101",
        "education_order": {"active": False, "step": None},
        "enrolments": [],
    }
    assert visible(facts, "mentor", "WRITE") == {"offers": []}
    assert visible(facts, "janitor") == {}
    assert visible(facts, None) == {}
    assert visible("not an object", "case_system") == {}


class Gate:
    """An evaluator that holds its caller until released."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.entered = threading.Event()
        self.release = threading.Event()

    def evaluate(self, input: Mapping[str, Any]) -> Any:
        self.entered.set()
        assert self.release.wait(10)
        return self.name

    def evaluate_batch(
        self,
        request: Mapping[str, Any],
        people: Sequence[Mapping[str, Any]],
        known: Sequence[str] = (),
    ) -> BatchAnswer:
        return BatchAnswer([self.name] * len(people), {})


def test_pool_grows_when_every_evaluator_is_busy() -> None:
    made = [Gate("first"), Gate("second")]
    built: list[str] = []

    def factory() -> Gate:
        gate = made[len(built)]
        built.append(gate.name)
        return gate

    pool = EvaluatorPool(factory, size=2)
    assert built == ["first"] and pool.size == 1
    results: list[Any] = []
    busy = threading.Thread(target=lambda: results.append(pool.run(lambda e: e.evaluate({}))))
    busy.start()
    assert made[0].entered.wait(10)
    # The only evaluator is busy: the next caller gets a second one, built in the background.
    made[1].release.set()
    assert pool.run(lambda e: e.evaluate({})) == "second"
    assert pool.size == 2 and built == ["first", "second"]
    made[0].release.set()
    busy.join(10)
    assert results == ["first"]
    # At its size, the pool makes callers wait for a free evaluator rather than grow.
    assert {pool.run(lambda e: e.evaluate({})) for _ in range(4)} <= {"first", "second"}
    assert pool.size == 2


def test_pool_that_cannot_grow_serves_with_what_it_has() -> None:
    first = Gate("first")
    calls: list[int] = []

    def factory() -> Gate:
        calls.append(1)
        if len(calls) > 1:
            raise RuntimeError("no memory for another interpreter")
        return first

    pool = EvaluatorPool(factory, size=3)
    done: list[Any] = []
    busy = threading.Thread(target=lambda: done.append(pool.run(lambda e: e.evaluate({}))))
    busy.start()
    assert first.entered.wait(10)
    waiter = threading.Thread(target=lambda: done.append(pool.run(lambda e: e.evaluate({}))))
    waiter.start()
    first.release.set()
    busy.join(10)
    waiter.join(10)
    assert done == ["first", "first"]
    assert pool.size == 1


async def test_concurrent_misses_use_several_interpreters() -> None:
    """Two rego-cpp interpreters in two threads at once, many times: same answers, no crash."""
    engine = EmbeddedEngine(
        EvaluatorPool(lambda: RegopyEvaluator(load_catalogue()), size=2), VERSION, cache_size=0
    )
    inputs = TABLE_INPUTS[::21]
    expected = [await engine.decide(input) for input in inputs]
    for _ in range(2):
        assert await asyncio.gather(*(engine.decide(input) for input in inputs)) == expected
        halves = [inputs[: len(inputs) // 2], inputs[len(inputs) // 2 :]]
        answers = await asyncio.gather(*(engine.decide_many(half) for half in halves))
        assert answers[0] + answers[1] == expected
    assert 1 <= engine.pool.size <= 2


async def test_strings_with_quotes_and_backslashes_reach_the_policy_intact(
    regopy_engine: EmbeddedEngine, go_engine: EmbeddedEngine
) -> None:
    """rego-cpp reads the strings of an input built node by node as JSON string literals;
    the evaluator escapes them, so the policy compares the strings the gateway sent."""
    odd = 'jette "the" \\ hansen\t'
    municipality = '01"0\\1'
    subject = {**PROFESSIONALS["jette.hansen"], "sub": odd, "municipality": municipality}
    input = decision_input(subject, "mads", "PLANNING")
    assignment = {"subject": odd, "municipality": municipality, "from": "2026-01-01", "to": None}
    input["facts"] = {**no_facts(), "municipality": municipality, "assignments": [assignment]}
    other = {**input, "subject": {**subject, "sub": 'jette "the" \\\\ hansen\t'}}
    engine = EmbeddedEngine(RegopyEvaluator(load_catalogue()), VERSION, cache_size=0)
    decisions = [await engine.decide(input), *await engine.decide_many([input, other])]
    assert [d.relationship for d in decisions] == ["assigned_contact_person"] * 2 + [None]
    reason = decisions[0].category("identity").reason
    assert reason == f"contact person assigned in DFDG, municipality {municipality}"
    assert decisions == [await go_engine.decide(i) for i in (input, input, other)]


def test_what_json_cannot_carry_fails_closed() -> None:
    from gateway.policies.regopy_evaluator import escaped

    assert escaped({"a": ['"', "\\", 1.5, float("nan"), None, True, 7]}) == {
        "a": ['\\"', "\\\\", 1.5, None, None, True, 7]
    }
    for value in ({1: "x"}, {"x": {1, 2}}, 2**64, object()):
        with pytest.raises(TypeError):
            escaped(value)
