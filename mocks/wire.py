"""What every register shares on the wire: STAR-shaped errors, an orjson response, the STAR CPR
pattern, and small helpers for deterministic ids, phone numbers and e-mail addresses."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Any

import orjson
from starlette.responses import Response

from mocks.codes import stable_guid
from mocks.model import Person

# The CPR pattern of every STAR schema (REGISTERS.md 1.2): ten digits with a valid day and month;
# 29 February in any year; `0000000000` = "required but unknown". No modulus-11 check.
STAR_CPR = re.compile(
    r"^(?:(?:(?:(?:0[1-9]|1[0-9]|2[0-9]|3[0-1])(?:01|03|05|07|08|10|12))"
    r"|(?:(?:0[1-9]|1[0-9]|2[0-9]|30)(?:04|06|09|11))"
    r"|(?:(?:0[1-9]|1[0-9]|2[0-9])02))[0-9]{6}|0000000000)$"
)

INVALID_CPR = (400, 1001, "Invalid cpr")
UNKNOWN_CPR = (404, 1010, "Unknown cpr")
VALIDATION_FAILED = (400, 1014, "Validation failed")
MISSING_REQUEST_ID = (400, 1015, "Missing or malformed x-requestId")
REQUEST_REPEATED = (412, 1016, "Request id already used")
INTERNAL_ERROR = (500, 9999, "Internal error")


def is_star_cpr(value: object) -> bool:
    return isinstance(value, str) and STAR_CPR.match(value) is not None


class JSONResponse(Response):
    """JSON rendered by orjson; dates become `YYYY-MM-DD` on their own."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def star_error(error: tuple[int, int, str], extra: dict[str, Any] | None = None) -> JSONResponse:
    """`{"fejlkode": …, "fejltekst": …}`; never echoes the request (so never a CPR). `extra`
    adds fields the caller needs to act on (the original answer of a repeated request id, the
    oldest event still kept), never anything from the request."""
    status, code, text = error
    body = {"fejlkode": code, "fejltekst": text, **(extra or {})}
    return JSONResponse(body, status_code=status)


class StarError(Exception):
    def __init__(self, error: tuple[int, int, str], extra: dict[str, Any] | None = None) -> None:
        super().__init__(error[2])
        self.error = error
        self.extra = extra


def ident(person: Person, kind: str, number: int, explicit: str = "") -> str:
    """The GUID of one item of a person's record: the persona's own id, or a stable one."""
    return explicit or stable_guid(person.seed, kind, number)


def noise(*parts: object) -> float:
    """A number in [0, 1) that depends only on its parts (stable across calls and windows)."""
    digest = hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest) / 2**64


def phone(name: str) -> str:
    return f"+45 {20_000_000 + int(noise('tlf', name) * 79_999_999):08d}"


def email(name: str, organisation: str) -> str:
    return f"{_slug(name, '.')}@{_slug(organisation, '')}.dk"


def _slug(text: str, separator: str) -> str:
    folded = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    ascii_text = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    return separator.join(re.findall(r"[a-z0-9]+", ascii_text))
