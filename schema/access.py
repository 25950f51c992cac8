"""What the schema needs from the gateway, as a protocol: the schema never imports the gateway.

The gateway's per-request context implements `YouthAccess`; resolvers only ask it questions.
Whether a category may leave, where its data comes from and what is audited is decided behind
this seam, once per (request, young person).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from schema.categories.deadlines import Deadline
from schema.enums import Category, Purpose


@dataclass(frozen=True)
class CaseloadPage:
    cprs: Sequence[str]
    cursors: Sequence[str]  # one opaque cursor per young person, never their CPR
    end_cursor: str | None
    has_next_page: bool


@dataclass(frozen=True)
class Entity:
    """A young person a router referred to, opened for the request's declared purpose."""

    cpr: str
    purpose: Purpose


class YouthAccess(Protocol):
    async def screen(self, cprs: Sequence[str], purpose: Purpose) -> None:
        """Raise Forbidden once when the request may not name these people at all."""

    async def me(self) -> str:
        """The signed-in young person's CPR, or raise Forbidden."""

    async def open(self, cpr: str, purpose: Purpose, categories: Sequence[Category]) -> None:
        """Decide for every category at once; raise Forbidden when nothing may be seen."""

    async def entity(self, cpr: str, categories: Sequence[Category]) -> Entity:
        """A router's reference to a young person (`_entities`), opened like `youth` for the
        purpose the request declares (X-Purpose); raise BadUserInput / Forbidden."""

    async def category(self, cpr: str, purpose: Purpose, category: Category) -> Any:
        """The category's data, or raise Forbidden / RegisterDown."""

    async def deadlines(
        self, cpr: str, purpose: Purpose, as_of: dt.date | None
    ) -> list[Deadline] | None:
        """Category `deadlines`, judged on `as_of` (default today), or raise Forbidden /
        RegisterDown."""

    async def caseload(self, purpose: Purpose, first: int, after: str | None) -> CaseloadPage:
        """Young people the caller has a current relationship to, for this purpose."""


class HasAccess(Protocol):
    access: YouthAccess
