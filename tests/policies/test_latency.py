"""Runs the latency measurement on a small sample and prints it (no timed assertion)."""

from __future__ import annotations

from tests.policies.latency import measure, report


async def test_latency_prints_figures() -> None:
    figures = await measure(rounds=3, sample=40)
    print(report(figures, 40))
    assert "regopy miss" in figures
    assert all(value > 0 for value in figures.values())
