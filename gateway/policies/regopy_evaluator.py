"""The Rego policy on rego-cpp (`regopy`), compiled once and queried per input.

rego-cpp recompiles all modules on every plain `query()` (~20 ms here), so the policy is built
once into a bundle with the decision as its entrypoint; a decision then only sets the input and
runs the compiled plan. One interpreter is not safe to share between threads, so a lock
serialises it; ctypes releases the GIL during the call, so other threads and the event loop run.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

import orjson
import regopy

from gateway.policies.sources import DECISION_API_PATH, data_document, policy_modules


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
            self._bundle = self._interpreter.build(None, [DECISION_API_PATH])
        except regopy.RegoError as error:
            raise PolicyLoadError("the policy did not compile") from error
        if not self._bundle.ok():
            raise PolicyLoadError("the policy bundle did not build")

    def evaluate(self, input: Mapping[str, Any]) -> Any:
        term = orjson.dumps(input).decode()
        with self._lock:
            self._interpreter.set_input_term(term)
            output = self._interpreter.query_bundle_entrypoint(self._bundle, DECISION_API_PATH)
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
