"""The batch functions behind the per-request DataLoaders.

Data: keys are (cpr, section). The batch function answers what it can from the cache, then
groups the rest by the *set* of sections each person needs and asks each group in one
`POST {prefix}/personer/soeg`: no person's register is ever asked for a section that was not
requested for that person, and ten people asked the same sections cost one call.

Relationships: keys are CPRs, asked in one `POST {prefix}/relationer/soeg` per batch.

CPRs travel only in JSON bodies (`cprListe`), never in a URL or a log line.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

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


class SectionBatcher:
    """Batch function for one register's (cpr, section) DataLoader in one request."""

    def __init__(
        self,
        spec: RegisterSpec,
        endpoint: RegisterEndpoint,
        cache: AnswerCache,
        ttl: float,
        today: dt.date,
    ) -> None:
        self._spec = spec
        self._endpoint = endpoint
        self._cache = cache
        self._ttl = ttl
        self._today = today

    async def __call__(self, keys: list[DataKey]) -> list[Outcome]:
        label = self._spec.label
        cache_keys = [self._cache.key(label, section, cpr) for cpr, section in keys]
        outcomes: dict[DataKey, Outcome] = {}
        needed: dict[str, set[str]] = defaultdict(set)
        for key, value in zip(keys, await self._cache.get_many(label, cache_keys), strict=True):
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
        results = await asyncio.gather(
            *(self._fetch(group, chunk) for group, chunk in calls), return_exceptions=True
        )
        for (group, chunk), result in zip(calls, results, strict=True):
            if isinstance(result, RegisterUnavailable):
                outcomes.update({(cpr, section): result for cpr in chunk for section in group})
            elif isinstance(result, BaseException):
                raise result
            else:
                outcomes.update(result)
        return [outcomes[key] for key in keys]

    async def _fetch(self, sections: frozenset[str], cprs: list[str]) -> dict[DataKey, Outcome]:
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
        await self._cache.set_many(
            [
                (self._cache.key(spec.label, section, cpr), _encode(payload))
                for (cpr, section), payload in payloads.items()
                if not isinstance(payload, BaseException)
            ],
            self._ttl,
        )
        return payloads


class RelationsBatcher:
    """Batch function for one register's relationship DataLoader (keys: CPRs)."""

    def __init__(self, endpoint: RegisterEndpoint, cache: AnswerCache, ttl: float) -> None:
        self._endpoint = endpoint
        self._cache = cache
        self._ttl = ttl

    async def __call__(self, cprs: list[str]) -> list[Outcome]:
        label = self._endpoint.label
        cache_keys = [self._cache.key(label, RELATIONS, cpr) for cpr in cprs]
        outcomes: dict[str, Outcome] = {}
        for cpr, value in zip(cprs, await self._cache.get_many(label, cache_keys), strict=True):
            if value is not None and (value == ABSENT or isinstance(value, dict)):
                outcomes[cpr] = _decode(value)
        missing = [cpr for cpr in cprs if cpr not in outcomes]
        results = await asyncio.gather(
            *(self._fetch(chunk) for chunk in _chunks(missing)), return_exceptions=True
        )
        for chunk, result in zip(_chunks(missing), results, strict=True):
            if isinstance(result, RegisterUnavailable):
                outcomes.update(dict.fromkeys(chunk, result))
            elif isinstance(result, BaseException):
                raise result
            else:
                outcomes.update(result)
        return [outcomes[cpr] for cpr in cprs]

    async def _fetch(self, cprs: list[str]) -> dict[str, Outcome]:
        found = await self._endpoint.call(
            "POST", "/relationer/soeg", "facts", batch_parser(cprs), {"cprListe": cprs}
        )
        assert found is not None
        await self._cache.set_many(
            [
                (self._cache.key(self._endpoint.label, RELATIONS, c), _encode(d))
                for c, d in found.items()
            ],
            self._ttl,
        )
        return dict(found)
