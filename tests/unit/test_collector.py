"""A serving process tunes the garbage collector at start-up; tests and embedders don't."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from gateway.app import create_app
from gateway.audit.memory import MemoryAuditStore
from gateway.settings import Settings, from_environment


@pytest.fixture
def restored_collector() -> Iterator[None]:
    before = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*before)


def test_serving_processes_tune_by_default_and_zero_turns_it_off() -> None:
    assert from_environment({}).gc_gen0_threshold == 200000
    assert from_environment({"GC_GEN0_THRESHOLD": "0"}).gc_gen0_threshold is None
    assert Settings().gc_gen0_threshold is None


@pytest.mark.parametrize("threshold", [None, 15000])
async def test_the_lifespan_applies_the_threshold(
    tmp_path: Path, restored_collector: None, threshold: int | None
) -> None:
    before = gc.get_threshold()
    settings = Settings(state_dir=tmp_path, audit_url="memory://", gc_gen0_threshold=threshold)
    app = create_app(settings, audit=MemoryAuditStore())
    async with app.router.lifespan_context(app):
        if threshold is None:
            assert gc.get_threshold() == before
            assert gc.get_freeze_count() == 0
        else:
            assert gc.get_threshold() == (threshold, before[1], before[2])
            assert gc.get_freeze_count() > 0
