"""The batch functions behind the per-request DataLoaders.

Data: keys are (cpr, section). The batch function answers what it can from the cache, then
groups the rest by the *set* of sections each person needs and asks each group in one
`POST {prefix}/personer/soeg`: no person's register is ever asked for a section that was not
requested for that person, and ten people asked the same sections cost one call.

Relationships: keys are CPRs, asked in one `POST {prefix}/relationer/soeg` per batch.

CPRs travel only in JSON bodies (`cprListe`), never in a URL or a log line.

When a call fails (or the register's breaker is open), the keys it was for are answered from
their stale copies in the cache when there are any young enough (`stale_ttl`), and the request's
`RequestNotes` record it, so the response can say which registers answered stale and how old.
Keys without a stale copy keep the failure. A register that failed once in a request is not
asked again in that request (its later keys go straight to their stale copies), so one failing
register costs a request at most one deadline, not one for its facts and another for its data.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from gateway.resolvers import wire
from gateway.resolvers.base import Payload, RegisterSpec
from gateway.resolvers.cache import ABSENT, AnswerCache
from gateway.resolvers.errors import RegisterUnavailable
from gateway.resolvers.http import RegisterEndpoint

#: The registers accept at most 1,000 CPRs per batch call.
MAX_CPRS_PER_CALL = 1000

DataKey = tuple[str, str]  # (cpr, section)
Outcome = Payload | None | BaseException

RELATIONS = "relationer"

K = TypeVar("K")


class RequestNotes:
    """What one request learnt about the registers: which failed, and which answered stale
    (register -> age in seconds of its oldest stale answer)."""

    def __init__(self) -> None:
        self.down: set[str] = set()
        self.stale: dict[str, float] = {}

    def answered_stale(self, register: str, age: float) -> None:
        self.stale[register] = max(age, self.stale.get(register, 0.0))


def batch_parser(asked: Sequence[str]) -> Callable[[Any], dict[str, Payload | None]]:
    """Checks a `{"personer": [...], "ukendte": [...]}` answer against the CPRs asked: every
    document an object whose `cpr` was asked, every asked CPR accounted for."""
    wanted = set(asked)

    def parse(answer: Any) -> dict[str, Payload | None]:
        body = wire.obj(answer)
        found: dict[str, Payload | None] = {}
        for document in wire.items(body.get("personer")):
            cpr = document.get("cpr")
            if cpr not in wanted:
                raise wire.WireError("a document for a person that was not asked")
            found[cpr] = document
        for cpr in wire.texts(body.get("ukendte")):
            if cpr not in wanted:
                raise wire.WireError("an unknown person that was not asked")
            found.setdefault(cpr, None)
        if len(found) != len(wanted):
            raise wire.WireError("a person asked is neither found nor unknown")
        return found

    return parse


def _chunks(cprs: list[str]) -> list[list[str]]:
    return [cprs[i : i + MAX_CPRS_PER_CALL] for i in range(0, len(cprs), MAX_CPRS_PER_CALL)]


def _encode(payload: Payload | None) -> Any:
    return ABSENT if payload is None else payload


def _decode(value: Any) -> Payload | None:
    return None if value == ABSENT else wire.obj(value)


async def _stale_or_failed(
    cache: AnswerCache,
    label: str,
    kind: str,
    failures: dict[K, tuple[str, RegisterUnavailable]],
    max_age: float,
    notes: RequestNotes,
) -> dict[K, Outcome]:
    """The stale answers of failed keys (key -> (cache key, failure)) where there are any."""
    keys = list(failures)
    found = await cache.get_stale(label, kind, [failures[key][0] for key in keys], max_age)
    outcomes: dict[K, Outcome] = {}
    oldest: float | None = None
    for key, entry in zip(keys, found, strict=True):
        outcomes[key] = failures[key][1]
        if entry is not None:
            try:
                outcomes[key] = _decode(entry[0])
            except wire.WireError:
                continue
            oldest = entry[1] if oldest is None else max(oldest, entry[1])
    notes.down.add(label)
    if oldest is not None:
        notes.answered_stale(label, oldest)
    return outcomes


class SectionBatcher:
    """Batch function for one register's (cpr, section) DataLoader in one request."""

    def __init__(
        self,
        spec: RegisterSpec,
        endpoint: RegisterEndpoint,
        cache: AnswerCache,
        ttl: float,
        today: dt.date,
        stale_ttl: float = 0.0,
        notes: RequestNotes | None = None,
    ) -> None:
        self._spec = spec
        self._endpoint = endpoint
        self._cache = cache
        self._ttl = ttl
        self._today = today
        self._stale_ttl = stale_ttl
        self._notes = notes if notes is not None else RequestNotes()

    async def __call__(self, keys: list[DataKey]) -> list[Outcome]:
        label = self._spec.label
        cache_keys = {key: self._cache.key(label, key[1], key[0]) for key in keys}
        outcomes: dict[DataKey, Outcome] = {}
        needed: dict[str, set[str]] = defaultdict(set)
        # With caching off (ttl 0) nothing can be there: don't pay for asking.
        cached = (
            await self._cache.get_many(label, [cache_keys[k] for k in keys], self._ttl)
            if self._ttl > 0
            else [None] * len(keys)
        )
        for key, value in zip(keys, cached, strict=True):
            if value is None:
                needed[key[0]].add(key[1])
            else:
                try:
                    outcomes[key] = _decode(value)
                except wire.WireError:  # a foreign or stale entry: ask the register instead
                    needed[key[0]].add(key[1])

        groups: dict[frozenset[str], list[str]] = defaultdict(list)
        for cpr, wanted in needed.items():
            groups[frozenset(wanted)].append(cpr)
        calls = [(group, chunk) for group, cprs in groups.items() for chunk in _chunks(cprs)]
        results: list[Any]
        if label in self._notes.down:  # failed earlier in this request: not asked again
            results = [RegisterUnavailable(label)] * len(calls)
        else:
            results = await asyncio.gather(
                *(self._fetch(group, chunk, cache_keys) for group, chunk in calls),
                return_exceptions=True,
            )
        failures: dict[DataKey, tuple[str, RegisterUnavailable]] = {}
        for (group, chunk), result in zip(calls, results, strict=True):
            if isinstance(result, RegisterUnavailable):
                for cpr in chunk:
                    for section in group:
                        failures[(cpr, section)] = (cache_keys[(cpr, section)], result)
            elif isinstance(result, BaseException):
                raise result
            else:
                outcomes.update(result)
        if failures:
            outcomes.update(
                await _stale_or_failed(
                    self._cache, label, "data", failures, self._stale_ttl, self._notes
                )
            )
        return [outcomes[key] for key in keys]

    async def _fetch(
        self, sections: frozenset[str], cprs: list[str], cache_keys: dict[DataKey, str]
    ) -> dict[DataKey, Outcome]:
        spec = self._spec
        body: dict[str, Any] = {"cprListe": cprs}
        if spec.sectioned:
            body["sektioner"] = sorted(sections)
            body.update(spec.batch_extras(sections, self._today))
        found = await self._endpoint.call(
            "POST", "/personer/soeg", "data", batch_parser(cprs), body
        )
        assert found is not None  # only a 404 with absent_on_404 answers None
        payloads: dict[DataKey, Outcome] = {}
        try:
            for cpr, document in found.items():
                for section in sections:
                    payloads[(cpr, section)] = (
                        None if document is None else spec.project(section, document)
                    )
        except (wire.WireError, KeyError, TypeError):
            raise RegisterUnavailable(spec.label) from None
        await self._cache.store(
            [
                (cache_keys[key], _encode(payload))
                for key, payload in payloads.items()
                if not isinstance(payload, BaseException)
            ],
            self._ttl,
            self._stale_ttl,
        )
        return payloads


class RelationsBatcher:
    """Batch function for one register's relationship DataLoader (keys: CPRs)."""

    def __init__(
        self,
        endpoint: RegisterEndpoint,
        cache: AnswerCache,
        ttl: float,
        stale_ttl: float = 0.0,
        notes: RequestNotes | None = None,
    ) -> None:
        self._endpoint = endpoint
        self._cache = cache
        self._ttl = ttl
        self._stale_ttl = stale_ttl
        self._notes = notes if notes is not None else RequestNotes()

    async def __call__(self, cprs: list[str]) -> list[Outcome]:
        label = self._endpoint.label
        cache_keys = {cpr: self._cache.key(label, RELATIONS, cpr) for cpr in cprs}
        outcomes: dict[str, Outcome] = {}
        cached = (
            await self._cache.get_many(label, [cache_keys[cpr] for cpr in cprs], self._ttl)
            if self._ttl > 0
            else [None] * len(cprs)
        )
        for cpr, value in zip(cprs, cached, strict=True):
            if value is not None and (value == ABSENT or isinstance(value, dict)):
                outcomes[cpr] = _decode(value)
        missing = [cpr for cpr in cprs if cpr not in outcomes]
        results = await asyncio.gather(
            *(self._fetch(chunk, cache_keys) for chunk in _chunks(missing)), return_exceptions=True
        )
        failures: dict[str, tuple[str, RegisterUnavailable]] = {}
        for chunk, result in zip(_chunks(missing), results, strict=True):
            if isinstance(result, RegisterUnavailable):
                for cpr in chunk:
                    failures[cpr] = (cache_keys[cpr], result)
            elif isinstance(result, BaseException):
                raise result
            else:
                outcomes.update(result)
        if failures:
            outcomes.update(
                await _stale_or_failed(
                    self._cache, label, "facts", failures, self._stale_ttl, self._notes
                )
            )
        return [outcomes[cpr] for cpr in cprs]

    async def _fetch(self, cprs: list[str], cache_keys: dict[str, str]) -> dict[str, Outcome]:
        found = await self._endpoint.call(
            "POST", "/relationer/soeg", "facts", batch_parser(cprs), {"cprListe": cprs}
        )
        assert found is not None
        await self._cache.store(
            [(cache_keys[cpr], _encode(document)) for cpr, document in found.items()],
            self._ttl,
            self._stale_ttl,
        )
        return dict(found)
