"""The Rego policy on the real OPA Go engine, embedded through `opa_bindings` (ctypes).

Not a pip dependency: the bindings come from tools/real-opa.sh (their wheel declares
Python >= 3.14 but loads on 3.11). The tests use this evaluator as the oracle that rego-cpp is
compared with, and the embedded engine can run on it when the bindings are importable
(`embedded_engine(runtime="go-opa")`). The OpaEngine serialises its own evaluations.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from typing import Any

from gateway.policies.batch import BatchAnswer, batch_input, read_answer
from gateway.policies.sources import BATCH_PATH, DECISION_PATH, data_document, policy_modules


def go_opa_available() -> bool:
    try:
        importlib.import_module("opa_bindings")
    except (ImportError, OSError):
        return False
    return True


class GoOpaEvaluator:
    def __init__(
        self, catalogue: Mapping[str, Any], modules: Mapping[str, str] | None = None
    ) -> None:
        bindings = importlib.import_module("opa_bindings")
        self._undefined: type[Exception] = bindings.OpaUndefinedError
        self._engine = bindings.OpaEngine()
        for name, source in (modules or policy_modules()).items():
            self._engine.add_policy(name, source)
        self._engine.add_data(data_document(catalogue))
        # Compile now, so a broken policy fails at start-up rather than on the first request.
        self._engine.eval_query("x := data.ungeprofil.meta.version")

    def evaluate(self, input: Mapping[str, Any]) -> Any:
        try:
            return self._engine.eval_document(DECISION_PATH, input=dict(input))
        except self._undefined:
            return None

    def evaluate_batch(
        self,
        request: Mapping[str, Any],
        people: Sequence[Mapping[str, Any]],
        known: Sequence[str] = (),
    ) -> BatchAnswer:
        """The answer for many young people under one request (batch.py)."""
        answer = self.evaluate_path(BATCH_PATH, batch_input(request, people, known))
        return read_answer(answer, len(people))

    def evaluate_path(self, path: str, input: Mapping[str, Any] | None = None) -> Any:
        """Any document of the policy (dotted path); None when undefined."""
        try:
            return self._engine.eval_document(path, input=None if input is None else dict(input))
        except self._undefined:
            return None

    def close(self) -> None:
        self._engine.close()
