"""The Jobnet pages in process: the app in demo mode over ASGI (make_client, tests/e2e), the
mock registers over loopback, and a signed-in person per test."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from gateway.jobnet.signin import COOKIE
from tests.e2e.conftest import ALI, ANNE, FREJA, JONAS, MADS, PEOPLE, SOFIE, Client, make_client  # noqa: F401

#: Every persona's CPR number (PERSONAS.md), in either spelling.
CPRS = (ANNE, ALI, FREJA, JONAS, SOFIE, MADS, "1403064171")
CPR_SPELLINGS = re.compile("|".join(f"{c}|{c[:6]}-{c[6:]}" for c in CPRS))


def has_cpr(text: str) -> bool:
    return CPR_SPELLINGS.search(text) is not None


@dataclass
class Site:
    """The pages of one app, as a browser without JavaScript would use them."""

    client: Client

    @property
    def http(self) -> httpx.AsyncClient:
        return self.client.http

    def cookie(self, who: str) -> dict[str, str]:
        return {"cookie": f"{COOKIE}={self.client.tokens[who]}"}

    async def get(self, who: str | None, path: str, **headers: str) -> httpx.Response:
        sent = {**(self.cookie(who) if who else {}), **headers}
        return await self.http.get(path, headers=sent)

    async def post(
        self, who: str | None, path: str, form: dict[str, Any] | list[tuple[str, str]]
    ) -> httpx.Response:
        sent = {
            **(self.cookie(who) if who else {}),
            "sec-fetch-site": "same-origin",
            "content-type": "application/x-www-form-urlencoded",
        }
        fields = list(form.items()) if isinstance(form, dict) else form
        return await self.http.post(path, content=urlencode(fields), headers=sent)

    def ref(self, who: str, cpr: str) -> str:
        """The caseload reference `who` would be given for `cpr` (the app's keyed hash)."""
        key = self.client.app.state.gateway.cursor_key
        caller = PEOPLE[who]["sub"].encode()
        return hashlib.blake2b(caller + b"\0" + cpr.encode(), key=key, digest_size=16).hexdigest()


@pytest.fixture
def healthy_registers(mocks: Any) -> Iterator[None]:
    mocks.reset_faults()
    yield
    mocks.reset_faults()


@pytest.fixture
async def site(
    make_client: Callable[..., Any],  # noqa: F811
    healthy_registers: None,
) -> Site:
    client: Client = await make_client(demo=True)
    return Site(client)


@pytest.fixture
def make_site(
    make_client: Callable[..., Any],  # noqa: F811
    healthy_registers: None,
) -> Callable[..., Any]:
    async def make(**overrides: Any) -> Site:
        client: Client = await make_client(**{"demo": True, **overrides})
        return Site(client)

    return make


def state_of(html: str, category: str) -> list[str]:
    """The data-state of every section of `category` on a page."""
    return re.findall(rf'data-category="{category}" data-state="(\w+)"', html)


def text_of(html: str) -> str:
    """The words of a page, without tags, whitespace collapsed."""
    import html as html_module

    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)
    words = re.sub(r"\s+", " ", html_module.unescape(body)).strip()
    return re.sub(r" ([,.:])", r"\1", words)


def section(html: str, category: str) -> str:
    """The HTML of the first section of `category` (to its closing tag)."""
    match = re.search(rf'<(\w+)[^>]*data-category="{category}"', html)
    assert match, f"no section {category}"
    tag = match.group(1)
    depth, at = 0, match.start()
    for found in re.finditer(rf"<(/?){tag}\b", html[at:]):
        depth += -1 if found.group(1) else 1
        if depth == 0:
            return html[at : at + found.end()]
    return html[at:]


def main_of(html: str) -> str:
    """The page's <main> (without the header, which names the signed-in person)."""
    match = re.search(r"<main\b.*?</main>", html, flags=re.S)
    assert match, "no <main>"
    return match.group(0)


__all__ = ["ALI", "ANNE", "Site", "has_cpr", "main_of", "section", "state_of", "text_of"]
