"""The Rego policy on rego-cpp (`regopy`), compiled once and queried per input or per batch.

rego-cpp recompiles all modules on every plain `query()` (~20 ms here), so the policy is built
once into a bundle with the decision documents as its entrypoints; a decision then only sets
the input and runs the compiled plan. One interpreter is not safe to share between threads, so
a lock serialises it; ctypes releases the GIL during the call, so other threads and the event
loop run. For several cores, make several evaluators (engine.EvaluatorPool).

rego-cpp pays for every node of the input (a few µs each, and more than linearly for large
inputs), so the input it is given holds only the facts the policy reads for the caller's role
(`data.ungeprofil.decision.facts_read`, asked once here): the Rego shows the rules nothing else
(decision.visible_facts), so leaving the rest out cannot change a decision.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping, Sequence
from typing import Any

import orjson
import regopy

from gateway.policies.batch import BatchAnswer, batch_input, read_answer
from gateway.policies.sources import (
    BATCH_API_PATH,
    DECISION_API_PATH,
    FACTS_READ_API_PATH,
    data_document,
    policy_modules,
)


class PolicyLoadError(Exception):
    """The Rego or the data did not compile."""


class RegopyEvaluator:
    def __init__(
        self, catalogue: Mapping[str, Any], modules: Mapping[str, str] | None = None
    ) -> None:
        self._lock = threading.Lock()
        self._interpreter = regopy.Interpreter()
        try:
            for name, source in (modules or policy_modules()).items():
                self._interpreter.add_module(name, source)
            self._interpreter.add_data_json(orjson.dumps(data_document(catalogue)).decode())
            self._bundle = self._interpreter.build(
                None, [DECISION_API_PATH, BATCH_API_PATH, FACTS_READ_API_PATH]
            )
        except regopy.RegoError as error:
            raise PolicyLoadError("the policy did not compile") from error
        if not self._bundle.ok():
            raise PolicyLoadError("the policy bundle did not build")
        facts_read = self._query({}, FACTS_READ_API_PATH)
        if not isinstance(facts_read, Mapping):
            raise PolicyLoadError("the policy does not say which facts it reads")
        # (role, reads categories) -> the facts the policy reads (decision.facts_read)
        self._facts_read: dict[tuple[str, bool], tuple[str, ...]] = {
            (role, reads): tuple(names[key])
            for role, names in facts_read.items()
            for reads, key in ((True, "read"), (False, "act"))
        }

    def evaluate(self, input: Mapping[str, Any]) -> Any:
        """The decision document for one input; None when undefined."""
        visible = dict(input)
        visible["facts"] = self._visible_facts(input.get("facts"), input)
        return self._query(visible, DECISION_API_PATH)

    def evaluate_batch(
        self,
        request: Mapping[str, Any],
        people: Sequence[Mapping[str, Any]],
        known: Sequence[str] = (),
    ) -> BatchAnswer:
        """The answer for many young people (each {cpr, facts}) under one request (subject,
        purpose, date, …), without the documents of the `known` keys; see batch.py."""
        visible = [
            {**person, "facts": self._visible_facts(person.get("facts"), request)}
            for person in people
        ]
        answer = self._query(batch_input(request, visible, known), BATCH_API_PATH)
        return read_answer(answer, len(people))

    def _visible_facts(self, facts: Any, request: Mapping[str, Any]) -> dict[str, Any]:
        """The facts as far as the policy reads them for the request's role and action
        (decision.visible_facts)."""
        if not isinstance(facts, Mapping):
            return {}
        role = _role(request)
        reads = request.get("action", "READ") == "READ"
        names = self._facts_read.get((role, reads), ()) if isinstance(role, str) else ()
        return {name: facts[name] for name in names if name in facts}

    def _query(self, input: Mapping[str, Any], entrypoint: str) -> Any:
        term = regopy.Input(escaped(input))
        with self._lock:
            self._interpreter.set_input(term)
            output = self._interpreter.query_bundle_entrypoint(self._bundle, entrypoint)
            try:
                if not output.ok():
                    raise RuntimeError("rego-cpp could not evaluate the decision")
                results = output.results
            finally:
                # The output must be freed while the lock is held: freeing it in one thread
                # while another evaluates on the same interpreter aborts the process.
                del output
        if not results or not results[0].expressions:
            return None  # undefined: Decision.from_document denies everything
        return results[0].expressions[0]


def escaped(value: Any) -> Any:
    """The value for `regopy.Input`, every string (key or value) JSON-escaped.

    regopy.Input builds the input term node by node, which costs less than set_input_term's
    parse (that also grows faster than the input); but rego-cpp 1.5 reads each string it is
    given as the inside of a JSON string literal, so `"`, `\\` and control characters must come
    escaped, or the policy would see another string. What JSON cannot carry raises TypeError,
    as orjson.dumps would (an evaluation failure: the engine fails closed).
    """
    if isinstance(value, str):
        return orjson.dumps(value).decode()[1:-1]
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        if not -(2**63) <= value < 2**63:
            raise TypeError("integer out of range for the policy input")
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None  # as orjson.dumps writes them
    if isinstance(value, Mapping):
        if not all(isinstance(key, str) for key in value):
            raise TypeError("the policy input has a key that is not a string")
        return {escaped(key): escaped(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [escaped(item) for item in value]
    raise TypeError(f"{type(value).__name__} cannot be a policy input")


def _role(input: Mapping[str, Any]) -> Any:
    subject = input.get("subject")
    return subject.get("role") if isinstance(subject, Mapping) else None
