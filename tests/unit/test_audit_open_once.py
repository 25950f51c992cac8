"""The audit store opens once, however many first requests race for it, and closes once."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from gateway import app as app_module
from gateway.app import build_gateway
from gateway.audit.memory import MemoryAuditStore
from gateway.settings import Settings


async def test_concurrent_first_requests_open_one_store(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    opened: list[MemoryAuditStore] = []

    async def open_slowly(url: str) -> Any:
        await asyncio.sleep(0)  # let every caller arrive while the first one is opening
        store = MemoryAuditStore()
        opened.append(store)
        return store

    monkeypatch.setattr(app_module, "open_audit_store", open_slowly)
    gateway = build_gateway(Settings(state_dir=tmp_path, audit_url="memory://"))
    stores = await asyncio.gather(*(gateway.open_audit() for _ in range(20)))
    assert len(opened) == 1
    assert all(store is opened[0] for store in stores)
    await gateway.close()
    assert gateway.audit is None
    await gateway.close()  # twice is harmless
