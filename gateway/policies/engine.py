"""Policy engines: one small protocol, interchangeable implementations.

- `EmbeddedEngine` evaluates the Rego in this process (rego-cpp through `regopy` by default)
  on a small pool of interpreters, and keeps an LRU of decisions by input digest.
- `OpaServerEngine` (opa_server.py) asks an OPA server over the v1 Data API.

The gateway builds one in its composition root (`create_engine`) and calls `decide(input)` for
one (request, young person), or `decide_many(inputs)` for many at once; which engine answers
is a settings change.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol, TypeVar, runtime_checkable

from gateway.policies.batch import (
    BatchAnswer,
    Group,
    chunks,
    decide_with_cache,
    decisions_of,
    group_by_request,
)
from gateway.policies.cache import DecisionCache, DocumentCache, input_key
from gateway.policies.decision import CategoryDecision, Decision

__all__ = [
    "CategoryDecision",
    "Decision",
    "EmbeddedEngine",
    "Evaluator",
    "EvaluatorPool",
    "PolicyEngine",
    "PolicyUnavailable",
    "create_engine",
    "embedded_engine",
]

T = TypeVar("T")

# Young people per batch query: rego-cpp's cost of setting the input grows faster than the
# input, and smaller pieces spread over the pool's interpreters (see README.md).
BATCH_CHUNK = 50


class PolicyUnavailable(Exception):
    """The engine could not decide (server unreachable, evaluation error). Fail closed."""


@runtime_checkable
class PolicyEngine(Protocol):
    policy_version: str

    async def decide(self, input: Mapping[str, Any]) -> Decision: ...

    async def decide_many(self, inputs: Sequence[Mapping[str, Any]]) -> list[Decision]:
        """`decide` for each input, in order (one policy query per request, not per input)."""
        ...


class Evaluator(Protocol):
    """Evaluates the decision documents of data.ungeprofil.decision, synchronously.

    `evaluate` gives the decision document for one input (`result`), or None when it is
    undefined; `evaluate_batch` answers for many young people ({cpr, facts}) under one request
    (`batch`, see batch.py), leaving out the documents of the `known` keys. Implementations
    serialise access to their interpreter themselves.
    """

    def evaluate(self, input: Mapping[str, Any]) -> Any: ...

    def evaluate_batch(
        self,
        request: Mapping[str, Any],
        people: Sequence[Mapping[str, Any]],
        known: Sequence[str] = (),
    ) -> BatchAnswer: ...


class EvaluatorPool:
    """Up to `size` evaluators, each used by one thread at a time.

    One evaluator is built at once (so a broken policy fails at start-up); more are built in
    the background the first time every evaluator is busy, up to `size`, so a process that
    never sees concurrent misses never pays for them (a rego-cpp build is ~0.1 s). A caller
    waits for whichever evaluator is free first.
    """

    def __init__(
        self, factory: Callable[[], Evaluator], size: int = 1, first: Evaluator | None = None
    ) -> None:
        self._factory = factory
        self._size = max(1, size)
        self._idle: list[Evaluator] = [first if first is not None else factory()]
        self._built = 1
        self._building = False
        self._changed = threading.Condition()

    @property
    def size(self) -> int:
        """How many evaluators exist now (at most the pool's size)."""
        return self._built

    def run(self, work: Callable[[Evaluator], T]) -> T:
        evaluator = self._acquire()
        try:
            return work(evaluator)
        finally:
            with self._changed:
                self._idle.append(evaluator)
                self._changed.notify()

    def _acquire(self) -> Evaluator:
        with self._changed:
            while not self._idle:
                if self._built < self._size and not self._building:
                    self._building = True
                    threading.Thread(
                        target=self._grow, name="policy-evaluator", daemon=True
                    ).start()
                self._changed.wait()
            return self._idle.pop()

    def _grow(self) -> None:
        try:
            evaluator: Evaluator | None = self._factory()
        except Exception:  # the first one compiled, so this is unexpected: stay smaller
            evaluator = None
        with self._changed:
            self._building = False
            if evaluator is None:
                self._size = self._built
            else:
                self._built += 1
                self._idle.append(evaluator)
            self._changed.notify()


class EmbeddedEngine:
    """An in-process engine: a pool of evaluators, LRUs of decisions, threads to run in.

    Evaluation takes milliseconds (see README.md for the figures), so a miss runs in a worker
    thread and leaves the event loop free; each evaluator is used by one thread at a time, and
    the pool lets concurrent misses use the other cores. A hit never leaves the loop.

    Every miss is a batch query (`decide` is a batch of one). Besides the decisions by whole
    input, the engine keeps the decisions by request and the policy's key for a young person
    (cache.DocumentCache) and tells the policy which keys it knows, so a fresh input only costs
    the policy its relationship and consents when another young person with the same ones was
    decided under the same request before (the common case: one caller, many young people).
    """

    def __init__(
        self,
        evaluator: Evaluator | EvaluatorPool,
        policy_version: str,
        *,
        cache_size: int = 4096,
        offload: bool = True,
        batch_chunk: int = BATCH_CHUNK,
    ) -> None:
        self.policy_version = policy_version
        self._pool = (
            evaluator
            if isinstance(evaluator, EvaluatorPool)
            else EvaluatorPool(lambda: evaluator, 1, evaluator)
        )
        self._cache = DecisionCache(cache_size)
        self._documents = DocumentCache(cache_size // 4 if cache_size > 0 else 0)
        self._offload = offload
        self._batch_chunk = batch_chunk

    @property
    def cache(self) -> DecisionCache:
        return self._cache

    @property
    def pool(self) -> EvaluatorPool:
        return self._pool

    async def _run(self, work: Callable[[Evaluator], T]) -> T:
        try:
            if self._offload:
                return await asyncio.to_thread(self._pool.run, work)
            return self._pool.run(work)
        except Exception as error:  # any evaluator failure denies; the caller sees why
            raise PolicyUnavailable(f"policy evaluation failed: {type(error).__name__}") from error

    async def decide(self, input: Mapping[str, Any]) -> Decision:
        key = input_key(input)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        decision = (await self._decide_fresh([input]))[0]
        self._cache.put(key, decision)
        return decision

    async def decide_many(self, inputs: Sequence[Mapping[str, Any]]) -> list[Decision]:
        """`decide` for each input, in order. Cached inputs are answered from the cache; the
        rest (each distinct input once) go to the policy as batch queries, one per request
        (subject, purpose, date) and chunk of young people, spread over the pool."""
        return await decide_with_cache(self._cache, inputs, self._decide_fresh)

    async def _decide_fresh(self, inputs: list[Mapping[str, Any]]) -> list[Decision]:
        pieces = [
            piece
            for group in group_by_request(inputs)
            for piece in chunks(group, self._batch_chunk)
        ]
        requests = [input_key(piece.request) for piece in pieces]
        known = [self._documents.known(request) for request in requests]
        answers = await asyncio.gather(
            *(
                self._run(_batch_of(piece, list(keys)))
                for piece, keys in zip(pieces, known, strict=True)
            )
        )
        decisions: list[Decision] = [Decision.from_document(None)] * len(inputs)
        for piece, request, keys, answer in zip(pieces, requests, known, answers, strict=True):
            decided, new = decisions_of(answer, keys)
            self._documents.put_all(request, new)
            for position, decision in zip(piece.positions, decided, strict=True):
                decisions[position] = decision
        return decisions


def _batch_of(piece: Group, known: list[str]) -> Callable[[Evaluator], BatchAnswer]:
    def work(evaluator: Evaluator) -> BatchAnswer:
        return evaluator.evaluate_batch(piece.request, piece.people, known)

    return work


def default_pool_size() -> int:
    """One interpreter per core, at most four."""
    return max(1, min(os.cpu_count() or 1, 4))


def embedded_engine(
    catalogue: Mapping[str, Any] | None = None,
    *,
    cache_size: int = 4096,
    runtime: str = "regopy",
    pool_size: int | None = None,
) -> EmbeddedEngine:
    """The in-process engine on the packaged Rego and catalogue.

    `runtime` is "regopy" (rego-cpp, a PyPI dependency: the default) or "go-opa" (the real OPA
    engine through `opa_bindings`, faster but not pip-installable on 3.11; see README.md).
    `pool_size` caps the interpreters (default: one per core, at most four); all but the first
    are built when concurrent misses first need them.
    """
    from gateway.policies.sources import load_catalogue, policy_version

    data = dict(catalogue) if catalogue is not None else load_catalogue()
    factory: Callable[[], Evaluator]
    if runtime == "go-opa":
        from gateway.policies.go_opa_evaluator import GoOpaEvaluator

        def factory() -> Evaluator:
            return GoOpaEvaluator(data)

        # The OpaEngine serialises its own evaluations; one per process is enough.
        size = 1
    elif runtime == "regopy":
        from gateway.policies.regopy_evaluator import RegopyEvaluator

        def factory() -> Evaluator:
            return RegopyEvaluator(data)

        size = pool_size if pool_size is not None else default_pool_size()
    else:
        raise ValueError(f"unknown policy runtime {runtime!r}")
    return EmbeddedEngine(EvaluatorPool(factory, size), policy_version(data), cache_size=cache_size)


def create_engine(
    opa_url: str | None = None,
    *,
    catalogue: Mapping[str, Any] | None = None,
    cache_size: int = 4096,
    runtime: str = "regopy",
    pool_size: int | None = None,
) -> PolicyEngine:
    """The engine settings ask for: an OPA server when `opa_url` is set, else embedded."""
    if opa_url:
        from gateway.policies.opa_server import OpaServerEngine
        from gateway.policies.sources import load_catalogue, policy_version

        expected = policy_version(catalogue if catalogue is not None else load_catalogue())
        return OpaServerEngine(opa_url, policy_version=expected, cache_size=cache_size)
    return embedded_engine(catalogue, cache_size=cache_size, runtime=runtime, pool_size=pool_size)
