"""The root fields of CONTRACT.md that read the youth view."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

import strawberry
from strawberry.types import Info

from schema.access import HasAccess
from schema.enums import Category, Purpose
from schema.errors import BadUserInput
from schema.scalars import CPR
from schema.selection import categories_at
from schema.youth import FIELD_CATEGORIES, Youth

MAX_BATCH = 500
MAX_PAGE = 100


@strawberry.type(description="Pagination state of a connection.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More items follow after end_cursor.")
    end_cursor: str | None = strawberry.field(description="Pass as `after` to get the next page.")


@strawberry.type(description="One young person in a caseload.")
class YouthEdge:
    cursor: str = strawberry.field(description="Opaque position of this edge.")
    node: Youth = strawberry.field(description="The young person.")


@strawberry.type(description="Young people the caller has a current relationship to.")
class YouthConnection:
    edges: list[YouthEdge] = strawberry.field(description="The young people on this page.")
    page_info: PageInfo = strawberry.field(description="Pagination state.")


def _youth_selection(info: Info[Any, Any]) -> list[Category]:
    return categories_at(info, (), FIELD_CATEGORIES)


def _edge_selection(info: Info[Any, Any]) -> list[Category]:
    """Categories asked for under caseload { edges { node { … } } }."""
    return categories_at(info, ("edges", "node"), FIELD_CATEGORIES)


def _page_size(first: int | None) -> int:
    size = MAX_PAGE if first is None else first
    if not 0 <= size <= MAX_PAGE:
        raise BadUserInput(f"`first` must be between 0 and {MAX_PAGE}")
    return size


async def _open(
    info: Info[HasAccess, None], cpr: str, purpose: Purpose, categories: list[Category]
) -> Youth:
    await info.context.access.open(cpr, purpose, categories)
    return Youth(cpr=CPR(cpr), purpose=purpose)


@strawberry.type
class YouthQuery:
    @strawberry.field(
        description=(
            "One young person, for a declared purpose. Null with FORBIDDEN when the caller has no "
            "current relationship to them — the same answer whether or not the CPR exists."
        )
    )
    async def youth(self, info: Info[HasAccess, None], cpr: CPR, purpose: Purpose) -> Youth | None:
        await info.context.access.screen([cpr], purpose)
        return await _open(info, cpr, purpose, _youth_selection(info))

    @strawberry.field(
        description=(
            f"Many young people at once, for case systems (at most {MAX_BATCH}). Each entry is "
            "decided on its own: an entry the caller may not see is null with its own FORBIDDEN "
            "error. Registers are called in batches, never once per person."
        )
    )
    async def youths(
        self, info: Info[HasAccess, None], cprs: list[CPR], purpose: Purpose
    ) -> list[Youth | None]:
        if len(cprs) > MAX_BATCH:
            raise BadUserInput(f"at most {MAX_BATCH} CPR numbers per batch")
        await info.context.access.screen(cprs, purpose)
        categories = _youth_selection(info)
        # Opening all at once lets the per-register loaders batch the relationship reads.
        results = await asyncio.gather(
            *(_open(info, cpr, purpose, categories) for cpr in cprs), return_exceptions=True
        )
        return [_reraise_later(r) for r in results]  # type: ignore[misc]

    @strawberry.field(
        description=(
            "The young people the caller has a current relationship to, for this purpose "
            "(a contact person's caseload, a school's students, a case system's open cases)."
        )
    )
    async def caseload(
        self,
        info: Info[HasAccess, None],
        purpose: Purpose,
        first: int | None = None,
        after: str | None = None,
    ) -> YouthConnection:
        page = await info.context.access.caseload(purpose, _page_size(first), after)
        categories = _edge_selection(info)
        youths = await asyncio.gather(*(_open(info, cpr, purpose, categories) for cpr in page.cprs))
        return YouthConnection(
            edges=[
                YouthEdge(cursor=cursor, node=y)
                for cursor, y in zip(page.cursors, youths, strict=True)
            ],
            page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
        )

    @strawberry.field(
        description="The signed-in young person’s own profile (role youth, purpose SELF)."
    )
    async def me(self, info: Info[HasAccess, None]) -> Youth | None:
        cpr = await info.context.access.me()
        return await _open(info, cpr, Purpose.SELF, _youth_selection(info))


def _reraise_later(result: Youth | BaseException) -> Youth | Awaitable[Youth]:
    """Turn a failed entry into an awaitable that raises, so its error lands on its own index."""
    if isinstance(result, BaseException):

        async def fail() -> Youth:
            raise result

        return fail()
    return result
