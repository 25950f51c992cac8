"""The engines differ on nothing the registers can send: generated inputs (generated.py) are
decided by rego-cpp (the runtime default) and by the real OPA Go engine (the oracle, and what
an OPA server runs), as batches (`decision.batch`, the gateway's path) and one by one
(`decision.result`), on the shipped catalogue and on one whose bases move in and out of force.
The full decision documents must be equal, and neither engine may fail on any input: a failure
on the OPA path denies every young person of its batch.

`UNGEPROFIL_DIFFERENTIAL_INPUTS` (per catalogue; default 6000) and `UNGEPROFIL_DIFFERENTIAL_SEED`
make a longer or another run, e.g. the review's ~160,000 inputs:

    UNGEPROFIL_DIFFERENTIAL_INPUTS=80000 .venv/bin/pytest -q tests/policies/test_differential.py
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from gateway.policies.batch import BatchAnswer
from gateway.policies.engine import EmbeddedEngine
from gateway.policies.go_opa_evaluator import GoOpaEvaluator
from gateway.policies.opa_server import OpaServerEngine
from gateway.policies.regopy_evaluator import RegopyEvaluator
from tests.policies.generated import Generator, catalogue_variants

INPUTS = int(os.environ.get("UNGEPROFIL_DIFFERENTIAL_INPUTS", "6000"))
SEED = int(os.environ.get("UNGEPROFIL_DIFFERENTIAL_SEED", "20261203"))
#: Of every group, this many young people are also decided one by one (`result`).
SINGLES_PER_GROUP = 2
CATALOGUES = catalogue_variants()


@pytest.fixture(scope="module")
def evaluators(require_real_opa: None) -> Iterator[dict[str, tuple[RegopyEvaluator, Any]]]:
    built = {
        name: (RegopyEvaluator(catalogue), GoOpaEvaluator(catalogue))
        for name, catalogue in CATALOGUES.items()
    }
    yield built
    for _, go in built.values():
        go.close()


def outcome(work: Callable[..., Any], *args: Any) -> Any:
    try:
        return work(*args)
    except Exception as error:  # an engine that fails is an answer that differs
        return {"engine error": type(error).__name__}


def documents(answer: Any) -> Any:
    """Each young person's decision document, in order (None: the batch gave none)."""
    if not isinstance(answer, BatchAnswer):
        return answer
    return [None if key is None else answer.documents.get(key) for key in answer.keys]


@pytest.mark.parametrize("catalogue", sorted(CATALOGUES))
def test_engines_decide_every_generated_input_alike(
    evaluators: dict[str, tuple[RegopyEvaluator, Any]], catalogue: str
) -> None:
    regopy, go = evaluators[catalogue]
    seed = SEED + sorted(CATALOGUES).index(catalogue)
    differ: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []
    undecided = 0
    decided = allowed = 0
    relationships: set[Any] = set()
    for group in Generator(seed).groups(INPUTS):
        ours = documents(outcome(regopy.evaluate_batch, group.request, group.people))
        oracle = documents(outcome(go.evaluate_batch, group.request, group.people))
        for answer in (ours, oracle):
            if isinstance(answer, dict):
                failed.append({"request": group.request, "error": answer})
        if ours != oracle:
            differ.append({"request": group.request, "people": group.people, "path": "batch"})
            continue
        if isinstance(ours, list):
            undecided += sum(document is None for document in ours)
            relationships.update((d or {}).get("relationship") for d in ours)
            decided += len(ours)
            allowed += sum(
                any(v.get("allow") for v in (d or {}).get("categories", {}).values()) for d in ours
            )
        for position, input in enumerate(group.inputs()[:SINGLES_PER_GROUP]):
            single = outcome(regopy.evaluate, input)
            if single != outcome(go.evaluate, input):
                differ.append({"input": input, "path": "result"})
            elif isinstance(ours, list) and single != ours[position]:
                differ.append({"input": input, "path": "result differs from batch"})
    print(
        f"{catalogue}: {decided} generated inputs decided alike by rego-cpp and OPA "
        f"({allowed} with something allowed)"
    )
    assert not failed, json.dumps(failed[:3], indent=1, default=str)
    assert not differ, json.dumps(differ[:3], indent=1, default=str)
    assert undecided == 0
    assert decided == INPUTS
    # The generator reaches every relationship, not only early denials.
    assert allowed > INPUTS // 10
    named = {r for role in CATALOGUES[catalogue]["roles"].values() for r in role["relationships"]}
    assert named <= relationships


async def test_the_opa_server_decides_generated_inputs_as_rego_cpp(
    regopy_engine: EmbeddedEngine, server_engine: OpaServerEngine, real_opa: bool
) -> None:
    """Through HTTP and the bundle (the OPA-server path of the gateway), on a sample."""
    if not real_opa:
        pytest.skip("the test server runs rego-cpp without the real OPA engine")
    inputs = [i for g in Generator(SEED + 99).groups(min(INPUTS, 1500)) for i in g.inputs()]
    server = await server_engine.decide_many(inputs)
    embedded = await regopy_engine.decide_many(inputs)
    differ = [i for i, (a, b) in enumerate(zip(server, embedded, strict=True)) if a != b]
    assert not differ, json.dumps([inputs[i] for i in differ[:3]], indent=1, default=str)
