"""Milliseconds per decision for each engine, on the persona table. Prints; asserts nothing.

    .venv/bin/python -m tests.policies.latency [rounds]

"miss" is a fresh evaluation (cache off); "amortised" replays the table `rounds` times
through the LRU, as when the same (subject, purpose, facts, date) recurs within a day.
"""

from __future__ import annotations

import asyncio
import sys
import time
from typing import Any

from gateway.policies.bundle import build_bundle
from gateway.policies.engine import PolicyEngine, embedded_engine
from gateway.policies.opa_server import OpaServerEngine
from gateway.policies.sources import load_catalogue, policy_version
from tests.policies.conftest import load_real_opa
from tests.policies.opa_test_server import RunningServer, create_app
from tests.policies.personas import callers, decision_input
from tests.policies.test_policy_table import TABLE


def table_inputs() -> list[dict[str, Any]]:
    who = callers()
    return [decision_input(who[caller], person, purpose) for caller, person, purpose in TABLE]


async def ms_per_decision(engine: PolicyEngine, inputs: list[dict[str, Any]], rounds: int) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        for request in inputs:
            await engine.decide(request)
    return (time.perf_counter() - start) * 1000 / (rounds * len(inputs))


async def measure(rounds: int = 10, sample: int | None = None) -> dict[str, float]:
    inputs = table_inputs()[:sample]
    figures: dict[str, float] = {}
    figures["regopy miss"] = await ms_per_decision(embedded_engine(cache_size=0), inputs, 1)
    cached = embedded_engine()
    figures[f"regopy amortised x{rounds}"] = await ms_per_decision(cached, inputs, rounds)
    figures["regopy hit"] = await ms_per_decision(cached, inputs, 1)
    if load_real_opa():
        go = embedded_engine(cache_size=0, runtime="go-opa")
        figures["go-opa miss"] = await ms_per_decision(go, inputs, 1)
        figures[f"go-opa amortised x{rounds}"] = await ms_per_decision(
            embedded_engine(runtime="go-opa"), inputs, rounds
        )
    server = RunningServer(create_app(build_bundle())).start()
    engine = OpaServerEngine(
        server.url, policy_version=policy_version(load_catalogue()), cache_size=0
    )
    try:
        figures[f"OPA-server miss ({server.app.state.engine_name})"] = await ms_per_decision(
            engine, inputs, 1
        )
    finally:
        await engine.aclose()
        server.stop()
    return figures


def report(figures: dict[str, float], decisions: int) -> str:
    lines = [f"ms per decision over {decisions} distinct inputs:"]
    lines += [f"  {name:<40} {value:8.3f}" for name, value in figures.items()]
    return "\n".join(lines)


if __name__ == "__main__":
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    print(report(asyncio.run(measure(rounds)), len(TABLE)))
