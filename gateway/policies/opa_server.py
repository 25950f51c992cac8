"""The policy asked of an OPA server over the v1 Data API, through `opa-python-client`.

`POST /v1/data/ungeprofil/decision/result` with `{"input": …}` gives the decision document;
`GET /v1/data/ungeprofil/meta/version` gives the version of the policy the server runs (it is
the catalogue's `policy_version`, which is also the bundle's `.manifest` revision), so the
gateway can refuse at start-up to run against a server with another policy.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from opa_client import AsyncOpaClient

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
            raise PolicyVersionMismatch(
                f"OPA server runs policy {running!r}, the gateway expects {self.policy_version!r}"
            )

    async def healthy(self) -> bool:
        client = await self._ensure_open()
        return bool(await client.check_health())
