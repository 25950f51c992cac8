"""Bodies and a client for the writable mock registers (tests/mocks only)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import httpx

from mocks.faults import Faults
from tests.mocks.conftest import CPR_HEADER

_ids = itertools.count(1)

JETTE_SENDER = {"organisation": "Jobcenter København", "kommunekode": "101", "id": "jette.hansen"}
JETTE_CONTACT = {
    "type": "SELV",
    "id": "jette.hansen",
    "navn": "Jette Hansen",
    "telefon": "+45 31993801",
    "email": "jette.hansen@jobcenterkoebenhavn.dk",
}
MARIA = {
    "institutionsnummer": "851234",
    "navn": "Maria Kristensen",
    "rolle": "STUDIEVEJLEDER",
    "telefon": "+4522334455",
    "email": "maria.kristensen@groenerhvervsskole.dk",
}


def support_need(**changes: Any) -> dict[str, Any]:
    body = {
        "institutionsnummer": "851234",
        "vurdering": "BEHOV",
        "omraader": ["FAGLIGT"],
        "dokumenteret": False,
        "andreStoettepersoner": False,
        "oenskerKontakt": True,
        "kommunalKontakt": JETTE_CONTACT,
        "afsender": JETTE_SENDER,
    }
    return {**body, **changes}


def dropout_risk(**changes: Any) -> dict[str, Any]:
    body = {
        "type": "RISIKO_FOR_FRAFALD",
        "institutionsnummer": "851234",
        "aarsager": ["FRAVAER"],
        "foersteFravaersbrevSendt": False,
    }
    return {**body, **changes}


def headers(cpr: str | None, request_id: str | None = "new") -> dict[str, str]:
    """The CPR header and a fresh x-requestId (`"new"`), a given one, or none (None)."""
    found = {} if cpr is None else {CPR_HEADER: cpr}
    if request_id == "new":
        request_id = f"test-{next(_ids)}"
    if request_id is not None:
        found["x-requestId"] = request_id
    return found


@dataclass
class Mock:
    client: httpx.AsyncClient
    faults: Faults
    live: Any  # the register's live state (`app.state.live`)
    prefix: str

    async def write(
        self, method: str, path: str, cpr: str | None, body: Any, request_id: str | None = "new"
    ) -> httpx.Response:
        return await self.client.request(method, path, headers=headers(cpr, request_id), json=body)

    async def read(self, path: str, cpr: str | None = None, **params: Any) -> httpx.Response:
        return await self.client.get(path, headers=headers(cpr, None), params=params)

    async def person(self, cpr: str, *sections: str) -> dict[str, Any]:
        params = {"sektioner": ",".join(sections)} if sections else {}
        response = await self.read(f"{self.prefix}/person", cpr, **params)
        assert response.status_code == 200, response.text
        return response.json()

    async def events_after(self, cursor: int) -> list[dict[str, Any]]:
        response = await self.read("/udb/v1/haendelser", efter=cursor, antal=1000)
        assert response.status_code == 200, response.text
        return response.json()["haendelser"]
