"""The security suite drives the app over ASGITransport against the mocks (tests/e2e's
`Client` and personas), counting register calls and audit records."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from gateway.app import create_app
from gateway.audit.memory import MemoryAuditStore
from gateway.settings import REGISTER_LABELS, Settings
from tests.conftest import REFERENCE_DATE
from tests.e2e.conftest import PEOPLE, Client


def register_calls(app_client: Client) -> float:
    return sum(app_client.register_calls(label) for label in REGISTER_LABELS)


def fill(template: str, *parts: str) -> str:
    """`template` with each `%s` replaced by the next part (GraphQL's braces make str.format
    unreadable)."""
    for part in parts:
        template = template.replace("%s", part, 1)
    return template


class Guarded:
    """A client whose every register call and audit record is counted."""

    def __init__(self, app_client: Client, audit: MemoryAuditStore) -> None:
        self.client = app_client
        self.audit = audit

    async def post(
        self,
        body: Any = None,
        *,
        who: str | None = "jette",
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, Any]]:
        status, body, _ = await self.exchange(body, who=who, content=content, headers=headers)
        return status, body

    async def exchange(
        self,
        body: Any = None,
        *,
        who: str | None = "jette",
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, Any], str]:
        """Status, parsed body and raw text of one POST /graphql."""
        sent = {"Authorization": f"Bearer {self.client.tokens[who]}"} if who else {}
        sent.update(headers or {})
        if content is None:
            response = await self.client.http.post("/graphql", json=body, headers=sent)
        else:
            response = await self.client.http.post("/graphql", content=content, headers=sent)
        return response.status_code, response.json(), response.text

    def untouched(self) -> bool:
        """No register was called and no audit record was written."""
        return register_calls(self.client) == 0 and self.audit.records == []


@pytest.fixture
async def make_guarded(
    mocks: Any, token: Callable[..., str], state_dir: Path
) -> AsyncIterator[Callable[..., Any]]:
    """Like tests/e2e's make_client (settings overrides as keywords), plus `engine=` for a fake
    policy engine; the audit store is always a fresh MemoryAuditStore."""
    opened: list[tuple[Any, httpx.AsyncClient]] = []

    async def make(engine: Any = None, **overrides: Any) -> Guarded:
        settings = Settings(
            register_urls=mocks.urls,
            state_dir=state_dir,
            audit_url="memory://",
            cache_ttl=0.0,
            facts_ttl=0.0,
        ).with_(**overrides)
        audit = MemoryAuditStore()
        app = create_app(settings, engine=engine, audit=audit, today=lambda: REFERENCE_DATE)
        lifespan = app.router.lifespan_context(app)
        await lifespan.__aenter__()
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw")
        opened.append((lifespan, http))
        tokens = {who: token(**p) for who, p in PEOPLE.items()}
        return Guarded(Client(http=http, app=app, tokens=tokens), audit)

    yield make
    for lifespan, http in opened:
        await http.aclose()
        await lifespan.__aexit__(None, None, None)


@pytest.fixture
async def guarded(make_guarded: Callable[..., Any]) -> Guarded:
    result: Guarded = await make_guarded()
    return result
