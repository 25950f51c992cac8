"""The register clients' front door: `Registers` (one per app, holding each register's guard:
resilience.py) and `RegisterSession` (one per GraphQL request, holding that request's
DataLoaders and which registers answered it stale)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import math
import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from aiocache.base import BaseCache
from cachetools import LRUCache
from strawberry.dataloader import DataLoader

from gateway.clock import danish_today
from gateway.metrics import Metrics
from gateway.resolvers.base import MapContext, Payload
from gateway.resolvers.batching import (
    RELATIONS,
    DataKey,
    RelationsBatcher,
    RequestNotes,
    SectionBatcher,
)
from gateway.resolvers.cache import AnswerCache
from gateway.resolvers.categories import CATEGORY_SOURCES, SPECS
from gateway.resolvers.facts import FACT_REGISTERS, assemble
from gateway.resolvers.http import RegisterEndpoint
from gateway.resolvers.lookups import case_history, related_cprs
from gateway.resolvers.resilience import RegisterGuard, ResilienceConfig
from gateway.transport import RegisterTransport
from schema.enums import Category

log = logging.getLogger("gateway.resolvers")

#: Young people mapped between two yields of a many-people read (a report of 15,000 takes
#: seconds of CPU: other requests on the worker must not wait for all of it).
YIELD_EVERY = 500

#: How many mapped categories a process keeps for reuse (about 340 young people's profiles).
MAPPED_ENTRIES = 4096

Payloads = tuple[Payload | None, ...]


def _endpoint_url(base: str | None, prefix: str) -> str | None:
    """Accepts a register URL with or without its path prefix (`http://h:8101` or
    `http://h:8101/udb/v1`)."""
    if base is None:
        return None
    base = base.rstrip("/")
    return base if base.endswith(prefix) else base + prefix


def _service_root(base: str, prefix: str) -> str:
    """The service a register URL points at, with or without the path prefix."""
    base = base.rstrip("/")
    return base.removesuffix(prefix)


class Registers:
    """Built once per app by the composition root; stateless between requests."""

    def __init__(
        self,
        urls: Mapping[str, str],
        http: RegisterTransport,
        cache: BaseCache,
        metrics: Metrics,
        *,
        cache_ttl: float = 30.0,
        facts_ttl: float = 10.0,
        reference_date: Callable[[], dt.date] = danish_today,
        cache_key_secret: bytes | None = None,
        resilience: ResilienceConfig | None = None,
        clock: Callable[[], float] = time.time,
        near_entries: int = 0,
    ) -> None:
        missing = sorted(set(SPECS) - set(urls))
        if missing:
            log.warning("no URL for registers %s: their categories will be unavailable", missing)
        config = resilience if resilience is not None else ResilienceConfig()
        self.endpoints = {
            label: RegisterEndpoint(
                label,
                _endpoint_url(urls.get(label), spec.prefix),
                http,
                metrics,
                RegisterGuard(label, config, metrics),
            )
            for label, spec in SPECS.items()
        }
        # The exchange's writes and feed: paths under UDB's service root (/udb/v1/…, and STAR's
        # /v1/UDBabonnement), behind the same breaker and bulkhead as UDB's reads.
        udb_url = urls.get("udb")
        self.udb_root = RegisterEndpoint(
            "udb",
            None if udb_url is None else _service_root(udb_url, SPECS["udb"].prefix),
            http,
            metrics,
            self.endpoints["udb"].guard,
        )
        # Without a shared secret the cache keys are private to this process (safe default).
        self.cache = AnswerCache(
            cache,
            metrics,
            cache_key_secret or secrets.token_bytes(32),
            clock=clock,
            near_entries=near_entries,
        )
        # (category, cpr, reference date) -> (the payloads it was built from, what was built)
        self._mapped: LRUCache[tuple[Category, str, dt.date], tuple[Payloads, object]] = LRUCache(
            MAPPED_ENTRIES
        )
        self.cache_ttl = cache_ttl
        self.facts_ttl = facts_ttl
        # Data may be served stale for stale_ttl; relationship facts only briefly past their
        # own ttl, since a stale relationship could grant access that has ended.
        self.stale_ttl = config.stale_ttl
        self.facts_stale_ttl = facts_ttl + config.facts_stale_grace if config.stale_ttl > 0 else 0.0
        self.reference_date = reference_date
        self.health_urls = {
            label: _service_root(url, SPECS[label].prefix) + "/healthz"
            for label, url in urls.items()
            if label in SPECS
        }

    def session(self) -> RegisterSession:
        return RegisterSession(self)

    def keys_of(self, cpr: str, labels: Sequence[str], *, facts: bool = True) -> list[str]:
        """The cache keys of what these registers told about one young person: each section,
        and (with `facts`) the relationship facts."""
        return [
            self.cache.key(label, section, cpr)
            for label in labels
            for section in (*SPECS[label].sections, *((RELATIONS,) if facts else ()))
        ]

    async def forget(self, cpr: str, labels: Sequence[str], *, facts: bool = True) -> list[str]:
        """Forget what these registers said about one young person (after a write to them), so
        the next request asks again; returns the keys, for other workers to drop too. `facts`
        False keeps the relationship facts, for a write that cannot change them."""
        keys = self.keys_of(cpr, labels, facts=facts)
        await self.cache.forget(keys)
        return keys

    def build(self, category: Category, payloads: Payloads, ctx: MapContext) -> object | None:
        """The category built from its payloads; built once for as long as the cache hands out
        the very same payload objects (an in-process backend, or the near copies in front of
        Redis), since mapping a profile costs more than the rest of a cached request. What is
        built is shared between requests and never changed after it was built."""
        key = (category, ctx.cpr, ctx.today)
        memo = self._mapped.get(key)
        if memo is not None and all(a is b for a, b in zip(memo[0], payloads, strict=True)):
            return memo[1]
        built = CATEGORY_SOURCES[category].build(payloads, ctx)
        self._mapped[key] = (payloads, built)
        return built


class RegisterSession:
    """One GraphQL request's view of the registers: its DataLoaders and its reference date."""

    def __init__(self, registers: Registers) -> None:
        self._registers = registers
        self._today = registers.reference_date()
        self._data: dict[str, DataLoader[DataKey, Payload | None]] = {}
        self._relations: dict[str, DataLoader[str, Payload | None]] = {}
        self._notes = RequestNotes()

    def stale_answers(self) -> list[dict[str, Any]]:
        """`[{"register": label, "ageSeconds": n}]` for every register that answered this
        request from a stale copy (n: the oldest such answer, whole seconds, rounded up)."""
        return [
            {"register": label, "ageSeconds": math.ceil(age)}
            for label, age in sorted(self._notes.stale.items())
        ]

    async def facts(self, cpr: str) -> dict[str, Any]:
        documents = await asyncio.gather(
            *(self._relations_loader(label).load(cpr) for label in FACT_REGISTERS)
        )
        return assemble(documents, self._today)

    async def category(self, cpr: str, category: Category) -> object | list[object] | None:
        source = CATEGORY_SOURCES[category]
        loads = [self._data_loader(label).load((cpr, section)) for label, section in source.reads]
        # One read needs no gather (and its task-per-awaitable overhead).
        payloads = (await loads[0],) if len(loads) == 1 else tuple(await asyncio.gather(*loads))
        return self._registers.build(category, payloads, MapContext(cpr=cpr, today=self._today))

    async def category_of_many(
        self, cprs: Sequence[str], category: Category
    ) -> list[object | list[object] | None]:
        """One category of many young people (a report): each section asked once for all of
        them — the loader batches them into calls of up to 1,000 — then built person by person."""
        source = CATEGORY_SOURCES[category]
        columns = await asyncio.gather(
            *(
                self._data_loader(label).load_many([(cpr, section) for cpr in cprs])
                for label, section in source.reads
            )
        )
        built: list[object | list[object] | None] = []
        for index, cpr in enumerate(cprs):
            if index and index % YIELD_EVERY == 0:
                await asyncio.sleep(0)  # other requests run between chunks of a large report
            payloads = tuple(column[index] for column in columns)
            built.append(
                self._registers.build(category, payloads, MapContext(cpr=cpr, today=self._today))
            )
        return built

    async def related_cprs(
        self, role: str, subject: str, organisation: str | None, municipality: str | None
    ) -> list[str]:
        return await related_cprs(
            self._registers.endpoints, role, subject, organisation, municipality
        )

    async def case_history(self, municipality: str) -> list[str]:
        """The CPRs of everyone with a case in the municipality, open or closed."""
        return await case_history(self._registers.endpoints, municipality)

    def _data_loader(self, label: str) -> DataLoader[DataKey, Payload | None]:
        loader = self._data.get(label)
        if loader is None:
            r = self._registers
            batcher = SectionBatcher(
                SPECS[label],
                r.endpoints[label],
                r.cache,
                r.cache_ttl,
                self._today,
                stale_ttl=r.stale_ttl,
                notes=self._notes,
            )
            loader = self._data[label] = DataLoader(load_fn=batcher)
        return loader

    def _relations_loader(self, label: str) -> DataLoader[str, Payload | None]:
        loader = self._relations.get(label)
        if loader is None:
            r = self._registers
            batcher = RelationsBatcher(
                r.endpoints[label],
                r.cache,
                r.facts_ttl,
                stale_ttl=r.facts_stale_ttl,
                notes=self._notes,
            )
            loader = self._relations[label] = DataLoader(load_fn=batcher)
        return loader
