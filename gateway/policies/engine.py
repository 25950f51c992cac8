"""Policy engines: one small protocol, interchangeable implementations.

- `EmbeddedEngine` evaluates the Rego in this process (rego-cpp through `regopy` by default)
  and keeps an LRU of decisions by input digest.
- `OpaServerEngine` (opa_server.py) asks an OPA server over the v1 Data API.

The gateway builds one in its composition root (`create_engine`) and only ever calls
`decide(input)`; which engine answers is a settings change.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

from gateway.policies.cache import DecisionCache, input_key
from gateway.policies.decision import CategoryDecision, Decision

__all__ = [
    "CategoryDecision",
    "Decision",
    "EmbeddedEngine",
    "Evaluator",
    "PolicyEngine",
    "PolicyUnavailable",
    "create_engine",
    "embedded_engine",
]


class PolicyUnavailable(Exception):
    """The engine could not decide (server unreachable, evaluation error). Fail closed."""


@runtime_checkable
class PolicyEngine(Protocol):
    policy_version: str

    async def decide(self, input: Mapping[str, Any]) -> Decision: ...


class Evaluator(Protocol):
    """Evaluates data.ungeprofil.decision.result for one input, synchronously.

    Returns the decision document, or None when it is undefined. Implementations serialise
    access to their interpreter themselves.
    """

    def evaluate(self, input: Mapping[str, Any]) -> Any: ...


class EmbeddedEngine:
    """An in-process engine: an evaluator, an LRU of decisions, and a thread to run in.

    Evaluation takes milliseconds (see README.md for the figures), so a miss runs in a worker
    thread and leaves the event loop free; the evaluator's own lock keeps its interpreter to
    one thread at a time. A hit never leaves the loop.
    """

    def __init__(
        self,
        evaluator: Evaluator,
        policy_version: str,
        *,
        cache_size: int = 4096,
        offload: bool = True,
    ) -> None:
        self.policy_version = policy_version
        self._evaluator = evaluator
        self._cache = DecisionCache(cache_size)
        self._offload = offload

    @property
    def cache(self) -> DecisionCache:
        return self._cache

    async def decide(self, input: Mapping[str, Any]) -> Decision:
        key = input_key(input)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        try:
            if self._offload:
                document = await asyncio.to_thread(self._evaluator.evaluate, input)
            else:
                document = self._evaluator.evaluate(input)
        except Exception as error:  # any evaluator failure denies; the caller sees why
            raise PolicyUnavailable(f"policy evaluation failed: {type(error).__name__}") from error
        decision = Decision.from_document(document)
        self._cache.put(key, decision)
        return decision


def embedded_engine(
    catalogue: Mapping[str, Any] | None = None,
    *,
    cache_size: int = 4096,
    runtime: str = "regopy",
) -> EmbeddedEngine:
    """The in-process engine on the packaged Rego and catalogue.

    `runtime` is "regopy" (rego-cpp, a PyPI dependency: the default) or "go-opa" (the real OPA
    engine through `opa_bindings`, faster but not pip-installable on 3.11; see README.md).
    """
    from gateway.policies.sources import load_catalogue, policy_version

    data = dict(catalogue) if catalogue is not None else load_catalogue()
    evaluator: Evaluator
    if runtime == "go-opa":
        from gateway.policies.go_opa_evaluator import GoOpaEvaluator

        evaluator = GoOpaEvaluator(data)
    elif runtime == "regopy":
        from gateway.policies.regopy_evaluator import RegopyEvaluator

        evaluator = RegopyEvaluator(data)
    else:
        raise ValueError(f"unknown policy runtime {runtime!r}")
    return EmbeddedEngine(evaluator, policy_version(data), cache_size=cache_size)


def create_engine(
    opa_url: str | None = None,
    *,
    catalogue: Mapping[str, Any] | None = None,
    cache_size: int = 4096,
    runtime: str = "regopy",
) -> PolicyEngine:
    """The engine settings ask for: an OPA server when `opa_url` is set, else embedded."""
    if opa_url:
        from gateway.policies.opa_server import OpaServerEngine
        from gateway.policies.sources import load_catalogue, policy_version

        expected = policy_version(catalogue if catalogue is not None else load_catalogue())
        return OpaServerEngine(opa_url, policy_version=expected, cache_size=cache_size)
    return embedded_engine(catalogue, cache_size=cache_size, runtime=runtime)
