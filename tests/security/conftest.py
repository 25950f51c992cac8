"""The security suite drives the app over ASGITransport against the mocks (tests/e2e's
`Client` and personas), counting register calls and audit records."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from gateway.audit.memory import MemoryAuditStore
from gateway.settings import REGISTER_LABELS
from tests.e2e.conftest import Client, make_client  # noqa: F401  (the one app builder, reused)


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
def make_guarded(make_client: Callable[..., Any]) -> Callable[..., Any]:  # noqa: F811
    """tests/e2e's make_client (settings overrides as keywords, `engine=` for a fake policy
    engine) with a fresh MemoryAuditStore the test can read."""

    async def make(**overrides: Any) -> Guarded:
        audit = MemoryAuditStore()
        return Guarded(await make_client(audit=audit, **overrides), audit)

    return make


@pytest.fixture
async def guarded(make_guarded: Callable[..., Any]) -> Guarded:
    result: Guarded = await make_guarded()
    return result
