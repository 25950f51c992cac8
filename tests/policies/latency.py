"""Milliseconds per decision for each engine, on the persona table. Prints; asserts nothing.

    .venv/bin/python -m tests.policies.latency [rounds]

"miss" is a fresh evaluation (cache off); "amortised" replays the table `rounds` times
through the LRU, as when the same (subject, purpose, facts, date) recurs within a day.
Then, on rego-cpp: a fresh decision for four kinds of input (best of several, and the
median); `decide_many` on a case system's batch of 1, 10 and 200 young people; and fresh
decisions per second from one and from two threads (the engine's pool of interpreters).
"""

from __future__ import annotations

import asyncio
import itertools
import statistics
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from gateway.policies.batch import person_of, request_of
from gateway.policies.bundle import build_bundle
from gateway.policies.engine import EmbeddedEngine, PolicyEngine, embedded_engine
from gateway.policies.opa_server import OpaServerEngine
from gateway.policies.regopy_evaluator import RegopyEvaluator
from gateway.policies.sources import load_catalogue, policy_version
from tests.policies.conftest import load_real_opa
from tests.policies.opa_test_server import RunningServer, create_app
from tests.policies.personas import YOUNG_PEOPLE, callers, decision_input
from tests.policies.test_policy_table import TABLE


def table_inputs() -> list[dict[str, Any]]:
    who = callers()
    return [decision_input(who[caller], person, purpose) for caller, person, purpose in TABLE]


def kinds_of_input() -> dict[str, dict[str, Any]]:
    """The four kinds of fresh decision of issue 7, plus a case system's."""
    who = callers()
    return {
        "contact person, relationship": decision_input(who["jette.hansen"], "anne", "PLANNING"),
        "early deny (unknown purpose)": {
            **decision_input(who["jette.hansen"], "anne", "PLANNING"),
            "purpose": "UNKNOWN",
        },
        "no relationship": decision_input(who["lars.pedersen"], "anne", "PLANNING"),
        "the young person themself": decision_input(who["anne"], "anne", "SELF"),
        "case system, open case": decision_input(who["fagsystem-101"], "anne", "CASE_RECORD"),
    }


def case_system_batch(size: int, caller: str = "fagsystem-101") -> list[dict[str, Any]]:
    """A case system's `youths` batch: the personas' facts in turn, each with its own CPR."""
    subject = callers()[caller]
    people = list(YOUNG_PEOPLE)
    batch = []
    for number in range(size):
        input = decision_input(subject, people[number % len(people)], "CASE_RECORD")
        input["cpr"] = f"{1000000000 + number}"
        batch.append(input)
    return batch


async def ms_per_decision(engine: PolicyEngine, inputs: list[dict[str, Any]], rounds: int) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        for request in inputs:
            await engine.decide(request)
    return (time.perf_counter() - start) * 1000 / (rounds * len(inputs))


def best_and_median_ms(work: Callable[[], object], repeats: int) -> tuple[float, float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return min(times), statistics.median(times)


def fresh_by_kind(repeats: int = 30) -> dict[str, float]:
    """ms for one fresh decision on one rego-cpp interpreter (best / median of `repeats`):
    nothing cached, and with the document for the input's key known (as the engine has it
    when another young person with the same relationship was decided under the request)."""
    evaluator = RegopyEvaluator(load_catalogue())
    figures: dict[str, float] = {}
    for name, input in kinds_of_input().items():
        request, people = request_of(input), [person_of(input)]
        known = [key for key in evaluator.evaluate_batch(request, people).keys if key]
        best, median = best_and_median_ms(lambda input=input: evaluator.evaluate(input), repeats)
        figures[f"fresh: {name} (best)"] = best
        figures[f"fresh: {name} (median)"] = median
        best, _ = best_and_median_ms(
            lambda request=request, people=people, known=known: evaluator.evaluate_batch(
                request, people, known
            ),
            repeats,
        )
        figures[f"fresh: {name}, key known (best)"] = best
    return figures


async def batch_ms_per_decision(sizes: tuple[int, ...] = (1, 10, 200)) -> dict[str, float]:
    """ms per decision of decide_many on a fresh case-system batch (cache off), best of 3."""
    engine = embedded_engine(cache_size=0)
    await engine.decide_many(case_system_batch(1))
    figures: dict[str, float] = {}
    for size in sizes:
        inputs = case_system_batch(size)
        best = float("inf")
        for _ in range(max(3, 30 // size)):
            start = time.perf_counter()
            await engine.decide_many(inputs)
            best = min(best, time.perf_counter() - start)
        figures[f"decide_many batch of {size}"] = best * 1000 / size
    return figures


def decisions_per_second(threads: int, inputs: list[dict[str, Any]], seconds: float) -> float:
    """Fresh decisions per second when `threads` threads decide at once through one engine's
    pool (as concurrent requests do), each for at most `seconds` over the inputs."""
    engine = embedded_engine(cache_size=0, pool_size=threads)
    pool = engine.pool
    done = [0] * threads
    start_line = threading.Barrier(threads)

    def decide_for(thread: int) -> None:
        start_line.wait()
        deadline = time.perf_counter() + seconds
        for number in itertools.count(thread, threads):
            input = inputs[number % len(inputs)]
            pool.run(lambda evaluator, input=input: evaluator.evaluate(input))
            done[thread] += 1
            if time.perf_counter() > deadline:
                return

    # Build the pool's other interpreters first, so the figure is the steady state.
    warm(engine, threads)
    workers = [threading.Thread(target=decide_for, args=(t,)) for t in range(threads)]
    start = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(done) / (time.perf_counter() - start)


def warm(engine: EmbeddedEngine, size: int) -> None:
    """Hold every interpreter at once, so the pool builds all `size` of them."""
    held = threading.Barrier(size)
    workers = [
        threading.Thread(target=lambda: engine.pool.run(lambda _: held.wait(30)))
        for _ in range(size)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


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


async def measure_rego_cpp(
    repeats: int = 30, sizes: tuple[int, ...] = (1, 10, 200), seconds: float = 2.0
) -> dict[str, float]:
    """The rego-cpp figures of issue 7 (ms, except decisions/s)."""
    figures = fresh_by_kind(repeats)
    figures.update(await batch_ms_per_decision(sizes))
    inputs = table_inputs()
    for threads in (1, 2):
        figures[f"decisions/s, {threads} thread(s)"] = decisions_per_second(
            threads, inputs, seconds
        )
    return figures


def report(figures: dict[str, float], decisions: int) -> str:
    lines = [f"ms per decision over {decisions} distinct inputs:"]
    lines += [f"  {name:<48} {value:9.3f}" for name, value in figures.items()]
    return "\n".join(lines)


if __name__ == "__main__":
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    print(report(asyncio.run(measure(rounds)), len(TABLE)))
    print(
        report(asyncio.run(measure_rego_cpp()), len(TABLE)).replace(
            "ms per decision over", "rego-cpp, fresh (ms; decisions/s where it says so) over", 1
        )
    )
