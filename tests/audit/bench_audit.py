"""Append latency and throughput of the audit stores. Not a test: run it by hand.

    .venv/bin/python -m tests.audit.bench_audit [--batches N] [--postgres DSN]

One request's audit write is a batch of 14 records (one per category). Prints, per store:
latency of one append at a time (p50/p99), and records per second with 32 concurrent writers.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg

from gateway.audit import AuditStore, open_audit_store

from .conftest import POSTGRES_DSN, make_batch

CONCURRENCY = 32


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def sequential(store: AuditStore, batches: int) -> list[float]:
    latencies = []
    for number in range(batches):
        started = time.perf_counter()
        await store.append(make_batch(f"seq-{number}"))
        latencies.append(time.perf_counter() - started)
    return latencies


async def concurrent(store: AuditStore, batches: int) -> tuple[float, list[float]]:
    latencies: list[float] = []
    per_writer = batches // CONCURRENCY

    async def writer(index: int) -> None:
        for number in range(per_writer):
            started = time.perf_counter()
            await store.append(make_batch(f"conc-{index}-{number}"))
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(writer(index) for index in range(CONCURRENCY)))
    elapsed = time.perf_counter() - started
    return per_writer * CONCURRENCY * 14 / elapsed, latencies


async def measure(name: str, url: str, batches: int) -> None:
    store = await open_audit_store(url)
    try:
        await sequential(store, 20)  # warm up: connections, pages, plans
        one_at_a_time = await sequential(store, batches)
        rate, under_load = await concurrent(store, batches)
        result = await store.verify()
    finally:
        await store.close()
    print(
        f"{name:9} 1 writer: {summary(one_at_a_time)} | "
        f"{CONCURRENCY} writers: {rate:8.0f} records/s, {summary(under_load)} | "
        f"verify ok={result.ok} checked={result.checked}"
    )


def summary(latencies: list[float]) -> str:
    p50, p99 = statistics.median(latencies) * 1000, percentile(latencies, 0.99) * 1000
    return f"p50 {p50:6.2f} ms p99 {p99:6.2f} ms"


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batches", type=int, default=640)
    parser.add_argument("--postgres", default=POSTGRES_DSN)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        await measure("sqlite", f"sqlite:///{Path(folder) / 'audit.sqlite3'}", args.batches)
    schema = f"audit_bench_{uuid.uuid4().hex[:8]}"
    try:
        await measure("postgres", f"{args.postgres}?schema={schema}", args.batches)
    finally:
        connection = await asyncpg.connect(args.postgres)
        await connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        await connection.close()


if __name__ == "__main__":
    asyncio.run(main())
