"""End-to-end: the ASGI app in process, the mock registers over real loopback HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from gateway.app import create_app
from gateway.audit.memory import MemoryAuditStore
from gateway.settings import Settings
from tests.conftest import REFERENCE_DATE

ANNE, ALI, FREJA, JONAS, SOFIE, MADS = (
    "1503044112",
    "0211014127",
    "2706064136",
    "0909034145",
    "2101054154",
    "3012024163",
)
EMIL = "1403064171"  # enrolled at Grøn Erhvervsskole T−200d: past the school's read window
NOBODY = "0101010101"  # a valid CPR that no register knows

PEOPLE: dict[str, dict[str, Any]] = {
    "jette": {
        "sub": "jette.hansen",
        "role": "contact_person",
        "municipality": "101",
        "org": "Jobcenter København",
        "name": "Jette Hansen",
    },
    "mikkel": {
        "sub": "mikkel.holm",
        "role": "mentor",
        "municipality": "101",
        "org": "Københavns Kommune",
        "name": "Mikkel Holm",
    },
    "sara": {
        "sub": "sara.nielsen",
        "role": "business_consultant",
        "municipality": "101",
        "org": "Københavns Kommune",
        "name": "Sara Nielsen",
    },
    "lars": {
        "sub": "lars.pedersen",
        "role": "contact_person",
        "municipality": "751",
        "org": "Jobcenter Aarhus",
        "name": "Lars Pedersen",
    },
    "maria": {
        "sub": "maria.kristensen",
        "role": "institution_contact",
        "org": "851234",
        "name": "Maria Kristensen",
    },
    "henrik": {
        "sub": "henrik.soerensen",
        "role": "privacy_officer",
        "municipality": "101",
        "org": "Københavns Kommune",
        "name": "Henrik Sørensen",
    },
    "fagsystem": {
        "sub": "fagsystem-101",
        "role": "case_system",
        "municipality": "101",
        "org": "Københavns Kommune",
    },
    "birgitte": {
        "sub": "birgitte.lund",
        "role": "manager",
        "municipality": "101",
        "org": "Jobcenter København",
        "name": "Birgitte Lund",
    },
    "anne": {"sub": ANNE, "role": "youth", "name": "Anne Jensen"},
    "ali": {"sub": ALI, "role": "youth", "name": "Ali Hassan"},
    "mads": {"sub": MADS, "role": "youth", "name": "Mads Olsen"},
}


@dataclass
class Client:
    http: httpx.AsyncClient
    app: Any
    tokens: dict[str, str]

    async def query(
        self, who: str, query: str, variables: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        response = await self.http.post(
            "/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {self.tokens[who]}"},
        )
        body: dict[str, Any] = response.json()
        body["_status"] = response.status_code
        return body

    def register_calls(self, register: str, kind: str | None = None) -> float:
        registry = self.app.state.gateway.metrics.registry
        total = 0.0
        for metric in registry.collect():
            if metric.name != "ungeprofil_register_requests":
                continue
            for sample in metric.samples:
                if not sample.name.endswith("_total"):
                    continue
                if sample.labels["register"] == register and kind in (None, sample.labels["kind"]):
                    total += sample.value
        return total


def errors_by_path(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {".".join(str(p) for p in e.get("path", [])): e for e in body.get("errors", [])}


#: What `make_client` hands to create_app instead of Settings.
APP_PARTS = ("engine", "transport", "tracer_provider")


@pytest.fixture
async def make_client(
    mocks: Any, token: Callable[..., str], state_dir: Path
) -> AsyncIterator[Callable[..., Any]]:
    """`await make_client(**overrides)`: the app over ASGI against the mock registers, no answer
    cache, a memory audit store (or `audit=`), the suite's reference date (or `today=`), and
    `engine=`, `transport=`, `tracer_provider=` passed to create_app; any other keyword is a
    Settings override. The one way the suite builds an app in process."""
    opened: list[tuple[Any, httpx.AsyncClient]] = []

    async def make(**overrides: Any) -> Client:
        settings = Settings(
            register_urls=mocks.urls,
            state_dir=state_dir,
            audit_url="memory://",
            cache_ttl=0.0,
            facts_ttl=0.0,
        )
        audit = overrides.pop("audit", None) or MemoryAuditStore()
        day = overrides.pop("today", REFERENCE_DATE)
        parts = {name: overrides.pop(name) for name in APP_PARTS if name in overrides}
        app = create_app(settings.with_(**overrides), audit=audit, today=lambda: day, **parts)
        lifespan = app.router.lifespan_context(app)
        await lifespan.__aenter__()
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw")
        opened.append((lifespan, http))
        tokens = {who: token(**p) for who, p in PEOPLE.items()}
        return Client(http=http, app=app, tokens=tokens)

    yield make
    for lifespan, http in opened:
        await http.aclose()
        await lifespan.__aexit__(None, None, None)


@pytest.fixture
async def client(make_client: Callable[..., Any]) -> Client:
    result: Client = await make_client()
    return result
