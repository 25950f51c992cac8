"""Writes to a register on the wire, STAR's style: UDB's exchange (mocks/README.md "UDB
exchange") and the Jobnet questionnaire's answers and consent.

Every write carries its request id (`x-requestId`, the client's idempotency key) and the CPR in
the `x-civilregistrationIdentifier` header, never in the URL. The answer of a write is
`{"aendret", <record>, "sekvens", "haendelseId"}`; a refusal is `{"fejlkode", "fejltekst"}`
with a 4xx; a repeated request id is `412` carrying the first answer (`oprindeligtSvar`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from gateway.resolvers.errors import RegisterUnavailable
from gateway.resolvers.http import RegisterEndpoint

log = logging.getLogger("ungeprofil.exchange")

CPR_HEADER = "x-civilregistrationIdentifier"
REQUEST_ID_HEADER = "x-requestId"

#: STAR's and UDB's refusal codes, as the exchange's userErrors name them (EXCHANGE.md).
REFUSALS: dict[int, str] = {
    2001: "ADMISSION_NOT_FOUND",
    2002: "NOT_ENROLLED",
    2003: "NO_EDUCATION_ORDER",
    2004: "CONTRADICTORY_ASSESSMENT",
    2005: "NO_SUBSCRIPTION",
    2006: "NOT_ANSWERED",
    8002: "NO_ACTIVE_PLAN",
    8060: "NO_ACTIVE_CONTACT_GROUP",
    8066: "NO_EDUCATION_PLAN",
    8067: "AGE_LIMIT",
    8068: "NO_ACTIVE_CONTACT_GROUP",
}
REPEATED = 412


@dataclass(frozen=True)
class WriteAnswer:
    """A write's answer: what the register now holds (`record`) and whether it changed, or the
    refusal code (`refusal`, one of REFUSALS' values)."""

    changed: bool
    record: dict[str, Any] | None
    sequence: int | None
    refusal: str | None = None


class RegisterWrites:
    def __init__(self, endpoint: RegisterEndpoint) -> None:
        self._endpoint = endpoint

    async def write(
        self, method: str, path: str, kind: str, record: str | None, cpr: str, key: str, body: Any
    ) -> WriteAnswer:
        """`path` is under the endpoint's base (UDB's service root: the exchange spans /udb/v1
        and /v1); `record` names the answer's record (stoettebehov, kontakt, notifikation,
        abonnement), None when the answer is the record."""
        status, answer = await self._endpoint.exchange(
            method,
            path,
            kind,
            headers={CPR_HEADER: cpr, REQUEST_ID_HEADER: key},
            body=body,
        )
        if status == REPEATED and isinstance(answer, dict):
            first = answer.get("oprindeligtSvar")
            if isinstance(first, dict):  # already applied: the first answer, as a replay
                return self._applied(first, record)
        if 200 <= status < 300 and isinstance(answer, dict):
            return self._applied(answer, record)
        code = answer.get("fejlkode") if isinstance(answer, dict) else None
        if 400 <= status < 500 and code in REFUSALS:
            return WriteAnswer(False, None, None, refusal=REFUSALS[code])
        # Anything else is the gateway's bug or the register's: never the caller's business.
        log.error(
            "register %s refused a %s write: status %d, code %s",
            self._endpoint.label,
            kind,
            status,
            code,
        )
        raise RegisterUnavailable(self._endpoint.label)

    def _applied(self, answer: dict[str, Any], record: str | None) -> WriteAnswer:
        written = answer.get(record) if record is not None else answer
        sequence = answer.get("sekvens")
        if not isinstance(written, dict):
            log.error("register %s answered a write without its record", self._endpoint.label)
            raise RegisterUnavailable(self._endpoint.label)
        return WriteAnswer(
            changed=answer.get("aendret") is True,
            record=written,
            sequence=sequence if isinstance(sequence, int) else None,
        )
