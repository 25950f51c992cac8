"""The exchange's idempotency keys in the audit database: one claim wins, the first input's
hash and payload are what a repeat sees, two workers agree, old keys are forgotten."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from gateway.audit.store import KEY_RETENTION, IdempotencyKeys

from .conftest import DURABLE_BACKENDS, Backend

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)


def keys_of(store: object) -> IdempotencyKeys:
    assert isinstance(store, IdempotencyKeys)
    return store


async def test_the_first_claim_takes_the_key_and_a_repeat_sees_it(backend: Backend) -> None:
    keys = keys_of(backend.store)
    first = await keys.claim_key("org:mutation", "k1", "hash-a", NOW)
    assert first.fresh and first.payload is None
    pending = await keys.claim_key("org:mutation", "k1", "hash-b", NOW)
    assert not pending.fresh and pending.input_hash == "hash-a" and pending.payload is None
    await keys.complete_key("org:mutation", "k1", '{"changed": true}')
    done = await keys.claim_key("org:mutation", "k1", "hash-a", NOW + timedelta(days=6))
    assert not done.fresh and done.payload == '{"changed": true}'
    # Scoped: another organisation or mutation has its own key space.
    assert (await keys.claim_key("other:mutation", "k1", "hash-c", NOW)).fresh
    assert (await keys.claim_key("org:other", "k1", "hash-c", NOW)).fresh


async def test_a_key_older_than_its_retention_is_forgotten(backend: Backend) -> None:
    keys = keys_of(backend.store)
    await keys.claim_key("org:m", "k", "hash-a", NOW)
    later = await keys.claim_key("org:m", "k", "hash-b", NOW + KEY_RETENTION + timedelta(1))
    assert later.fresh and later.input_hash == "hash-b"


@pytest.mark.parametrize("backend", DURABLE_BACKENDS, indirect=True)
async def test_two_workers_racing_for_a_key_agree_on_one_winner(backend: Backend) -> None:
    assert backend.open_worker is not None
    other = await backend.open_worker()
    claims = await asyncio.gather(
        *(
            keys_of(store).claim_key("org:m", "race", f"hash-{i}", NOW)
            for i, store in enumerate([backend.store, other] * 5)
        )
    )
    assert sum(claim.fresh for claim in claims) == 1
    winner = next(c.input_hash for c in claims if c.fresh)
    assert {c.input_hash for c in claims} == {winner}
