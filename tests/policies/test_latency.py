"""Runs the latency measurement on a small sample and prints it (no timed assertion)."""

from __future__ import annotations

from tests.policies.latency import measure, measure_rego_cpp, report


async def test_latency_prints_figures() -> None:
    figures = await measure(rounds=3, sample=40)
    print(report(figures, 40))
    assert "regopy miss" in figures
    assert all(value > 0 for value in figures.values())


async def test_rego_cpp_figures_print() -> None:
    figures = await measure_rego_cpp(repeats=3, sizes=(1, 10), seconds=0.2)
    print(report(figures, 10))
    assert "decide_many batch of 10" in figures
    assert figures["decisions/s, 2 thread(s)"] > 0
    assert all(value > 0 for value in figures.values())
