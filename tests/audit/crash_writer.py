"""A writer for the crash test: appends batches until killed, acknowledging each on stdout.

Run as `python -m tests.audit.crash_writer URL`. A line `ack <batch>` is printed (and flushed)
only after `append` has returned, i.e. after the store said the batch is durable; the test
kills this process with SIGKILL and then looks for every acknowledged batch.
"""

from __future__ import annotations

import asyncio
import sys

from gateway.audit import open_audit_store

from .conftest import make_batch

BATCH_LIMIT = 100_000  # bounded: the test kills it long before


async def main(url: str) -> None:
    store = await open_audit_store(url)
    print("ready", flush=True)
    for number in range(BATCH_LIMIT):
        batch = f"batch-{number}"
        await store.append(make_batch(batch))
        print(f"ack {batch}", flush=True)
    await store.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
