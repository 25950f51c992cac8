"""The policy asked of an OPA server over the v1 Data API, through `opa-python-client`.

`POST /v1/data/ungeprofil/decision/result` with `{"input": …}` gives the decision document;
`GET /v1/data/ungeprofil/meta/version` gives the version of the policy the server runs (it is
the catalogue's `policy_version`, which is also the bundle's `.manifest` revision), so the
gateway can refuse at start-up to run against a server with another policy.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from opa_client import AsyncOpaClient

from gateway.policies.batch import (
    BatchAnswer,
    Group,
    batch_input,
    decide_with_cache,
    decisions_of,
    group_by_request,
    read_answer,
)
from gateway.policies.cache import DecisionCache, input_key
from gateway.policies.decision import Decision
from gateway.policies.engine import PolicyUnavailable
from gateway.policies.sources import VERSION_API_PATH


class PolicyVersionMismatch(Exception):
    """The OPA server runs another policy version than the gateway expects."""


def client_for(url: str, *, timeout: float = 1.5, retries: int = 1) -> AsyncOpaClient:
    parts = urlsplit(url)
    https = parts.scheme == "https"
    return AsyncOpaClient(
        host=parts.hostname or "localhost",
        port=parts.port or (443 if https else 8181),
        ssl=https,
        timeout=timeout,
        retries=retries,
    )


class OpaServerEngine:
    def __init__(
        self,
        url: str,
        *,
        policy_version: str,
        cache_size: int = 4096,
        client: AsyncOpaClient | None = None,
    ) -> None:
        self.policy_version = policy_version
        self._client = client or client_for(url)
        self._cache = DecisionCache(cache_size)
        self._opened = False
        self._open_lock = asyncio.Lock()

    @property
    def cache(self) -> DecisionCache:
        return self._cache

    async def _ensure_open(self) -> AsyncOpaClient:
        # The client's HTTP session belongs to an event loop, so it opens on first use.
        async with self._open_lock:
            if not self._opened:
                await self._client.__aenter__()
                self._opened = True
        return self._client

    async def aclose(self) -> None:
        if self._opened:
            await self._client.close_connection()
            self._opened = False

    async def decide(self, input: Mapping[str, Any]) -> Decision:
        key = input_key(input)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        client = await self._ensure_open()
        try:
            answer = await client.query_rule(dict(input), "ungeprofil.decision", "result")
        except Exception as error:  # transport or HTTP error: no decision, fail closed
            raise PolicyUnavailable(f"OPA server did not answer: {type(error).__name__}") from error
        decision = Decision.from_document(
            answer.get("result") if isinstance(answer, Mapping) else None
        )
        self._cache.put(key, decision)
        return decision

    async def decide_many(self, inputs: Sequence[Mapping[str, Any]]) -> list[Decision]:
        """`decide` for each input, in order: cached inputs from the cache, the rest as one
        Data API call per request (subject, purpose, date) to data.ungeprofil.decision.batch,
        the calls concurrent."""
        return await decide_with_cache(self._cache, inputs, self._decide_fresh)

    async def _decide_fresh(self, inputs: list[Mapping[str, Any]]) -> list[Decision]:
        groups = group_by_request(inputs)
        answers = await asyncio.gather(*(self._ask_batch(group) for group in groups))
        decisions: list[Decision] = [Decision.from_document(None)] * len(inputs)
        for group, answer in zip(groups, answers, strict=True):
            decided, _ = decisions_of(answer, {})
            for position, decision in zip(group.positions, decided, strict=True):
                decisions[position] = decision
        return decisions

    async def _ask_batch(self, group: Group) -> BatchAnswer:
        client = await self._ensure_open()
        try:
            answer = await client.query_rule(
                batch_input(group.request, group.people), "ungeprofil.decision", "batch"
            )
        except Exception as error:  # transport or HTTP error: no decision, fail closed
            raise PolicyUnavailable(f"OPA server did not answer: {type(error).__name__}") from error
        result = answer.get("result") if isinstance(answer, Mapping) else None
        return read_answer(result, len(group.people))

    async def bundle_revision(self) -> str | None:
        """The policy version the server runs (data.ungeprofil.meta.version), None if unset."""
        client = await self._ensure_open()
        try:
            answer = await client.get_data(VERSION_API_PATH)
        except Exception as error:
            raise PolicyUnavailable(f"OPA server did not answer: {type(error).__name__}") from error
        version = answer.get("result") if isinstance(answer, Mapping) else None
        return version if isinstance(version, str) else None

    async def check_version(self) -> None:
        """Raise PolicyVersionMismatch unless the server runs the expected policy version."""
        running = await self.bundle_revision()
        if running != self.policy_version:
            # Decisions cached so far may have come from the other version: drop them all.
            self._cache.clear()
            raise PolicyVersionMismatch(
                f"OPA server runs policy {running!r}, the gateway expects {self.policy_version!r}"
            )

    async def healthy(self) -> bool:
        client = await self._ensure_open()
        return bool(await client.check_health())
