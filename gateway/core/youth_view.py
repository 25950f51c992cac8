"""The youth view as a use case: `schema.access.YouthAccess` over one session's guard.

For each (session, young person, purpose) the guard asks the policy once for every category;
the schema's resolvers only ask this class questions. A category is fetched from its register
only after the guard journalled the decision that allowed it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any

from gateway.core.deadlines import judged
from gateway.core.session import Session
from gateway.deadlines.rulebook import Rulebook
from gateway.deadlines.source import load_rulebook
from gateway.resolvers import RegisterUnavailable
from schema.access import CaseloadPage, Entity
from schema.categories.deadlines import Deadline
from schema.cpr import InvalidCPR, parse_cpr
from schema.enums import Category, Purpose, Role
from schema.errors import BadUserInput, Forbidden, RegisterDown

#: Bytes of the keyed hash a caseload cursor is (hex: twice as many characters).
_CURSOR_BYTES = 16


class YouthView:
    def __init__(
        self,
        session: Session,
        cursor_key: bytes,
        declared_purpose: str | None = None,
        rulebook: Rulebook | None = None,
    ) -> None:
        self._session = session
        self._guard = session.guard
        self._cursor_key = cursor_key
        self._declared_purpose = declared_purpose  # the X-Purpose header, for `_entities`
        self._rulebook = rulebook  # the deadline rules (category deadlines)

    @property
    def _own_cpr(self) -> str | None:
        # Who the caller is, not what they may see: a young person's token names their CPR
        # (checked at the door); the policy decides what that lets them read.
        s = self._session.subject
        return s.sub if s.role == Role.YOUTH.value else None

    async def screen(self, cprs: Sequence[str], purpose: Purpose) -> None:
        """Refuse a request as a whole, once, before anyone is looked up: a young person who
        asks for others (one FORBIDDEN, one audit record — not one per person and category)."""
        own = self._own_cpr
        if own is None:
            return
        other = next((cpr for cpr in cprs if cpr != own), None)
        if other is None:
            return
        asked = sum(1 for cpr in cprs if cpr != own)
        reason = await self._guard.refuse_request(purpose, other, asked)
        if reason is not None:
            raise Forbidden(reason)

    async def me(self) -> str:
        """The CPR of the signed-in young person; anyone else is refused by the policy (SELF is
        not their purpose), with one audit record."""
        own = self._own_cpr
        if own is not None:
            return own
        reason = await self._guard.refuse_request(Purpose.SELF, "", 0)
        raise Forbidden(reason or "only a young person signed in as themself has a profile")

    async def open(self, cpr: str, purpose: Purpose, categories: Sequence[Category]) -> None:
        decision = await self._guard.read(cpr, purpose)
        if decision.any_allowed:
            self._guard.released(cpr, purpose, decision)
            return
        reason = self._guard.refused(cpr, purpose, [c.value for c in categories], decision)
        raise Forbidden(reason)

    async def entity(self, cpr: str, categories: Sequence[Category]) -> Entity:
        """`_entities`: a router's reference, opened exactly as `youth` opens one. The CPR
        comes raw from the representation (no scalar parsed it) and the purpose from the
        X-Purpose header; a router is trusted for neither."""
        try:
            cpr = parse_cpr(cpr)
        except InvalidCPR as exc:
            raise BadUserInput(str(exc)) from None
        purpose = _purpose_named(self._declared_purpose)
        await self.screen([cpr], purpose)
        await self.open(cpr, purpose, categories)
        return Entity(cpr=cpr, purpose=purpose)

    async def category(self, cpr: str, purpose: Purpose, category: Category) -> Any:
        decision = await self._guard.read(cpr, purpose)
        verdict = self._guard.category(cpr, purpose, category.value, decision)
        if not verdict.allow:
            raise Forbidden(verdict.reason, category=category.value)
        try:
            return await self._session.registers.category(cpr, category)
        except RegisterUnavailable as exc:
            raise RegisterDown(exc.register) from None

    async def deadlines(
        self, cpr: str, purpose: Purpose, as_of: dt.date | None
    ) -> list[Deadline] | None:
        """Category `deadlines`: decided and fetched like any category (its facts come from DFDG
        and UDB), then judged on `as_of`, today by default."""
        facts = await self.category(cpr, purpose, Category.DEADLINES)
        rulebook = self._rulebook or load_rulebook()
        return judged(facts, rulebook, as_of or self._session.today)

    async def caseload(self, purpose: Purpose, first: int, after: str | None) -> CaseloadPage:
        """The next `first` young people the policy lets the caller see, after `after`.

        Every candidate counted is decided: the page, `hasNextPage` and the cursors come only
        from allowed people (one more is decided to know whether a next page exists), so the
        answer says nothing about candidates the caller may not see. A cursor is a keyed hash
        of the CPR and the caller, never the CPR: pages run in that hash's order.
        """
        if first == 0:
            return CaseloadPage(cprs=(), cursors=(), end_cursor=None, has_next_page=False)
        if after is not None and not _is_cursor(after):
            raise BadUserInput("unknown cursor")
        s = self._session.subject
        try:
            candidates = await self._session.registers.related_cprs(
                s.role, s.sub, s.org, s.municipality
            )
        except RegisterUnavailable as exc:
            raise RegisterDown(exc.register) from None
        ordered = sorted((self._cursor(cpr), cpr) for cpr in set(candidates))
        remaining = [entry for entry in ordered if after is None or entry[0] > after]
        page: list[tuple[str, str]] = []
        more = False
        while remaining and not more:
            # Decide just enough to fill the page and see one beyond it, if all are allowed.
            wanted = first + 1 - len(page)
            chunk, remaining = remaining[:wanted], remaining[wanted:]
            decisions = await asyncio.gather(*(self._guard.read(cpr, purpose) for _, cpr in chunk))
            for entry, decision in zip(chunk, decisions, strict=True):
                if not decision.any_allowed:
                    continue
                if len(page) == first:
                    more = True
                    break
                page.append(entry)
        return CaseloadPage(
            cprs=[cpr for _, cpr in page],
            cursors=[cursor for cursor, _ in page],
            end_cursor=page[-1][0] if page else None,
            has_next_page=more,
        )

    def _cursor(self, cpr: str) -> str:
        caller = self._session.subject.sub.encode()
        digest = hashlib.blake2b(
            caller + b"\0" + cpr.encode(), key=self._cursor_key, digest_size=_CURSOR_BYTES
        )
        return digest.hexdigest()


def _purpose_named(header: str | None) -> Purpose:
    """The purpose a request declares in X-Purpose. None declared, or a word that is no
    purpose, is refused before anyone is looked up (the same answer for every young person)."""
    if header is None or not header.strip():
        raise Forbidden("declare the purpose of the request in the X-Purpose header")
    try:
        return Purpose[header.strip().upper()]
    except KeyError:
        raise Forbidden("the X-Purpose header names no purpose") from None


def _is_cursor(value: str) -> bool:
    return len(value) == 2 * _CURSOR_BYTES and all(c in "0123456789abcdef" for c in value)
