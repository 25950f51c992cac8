"""`x-requestId` on every write, as at STAR: a repeated id answers `412`.

The ledger remembers the answer of every write that succeeded, so the `412` carries it
(`oprindeligtSvar`) and the caller can treat the repeat as a replay. A write that failed (4xx)
does not use up its id. Ids are global to one register process, across endpoints and callers.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request

from mocks.wire import MISSING_REQUEST_ID, REQUEST_REPEATED, StarError

REQUEST_ID_HEADER = "x-requestId"
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,100}")
MAX_REMEMBERED = 200_000  # a bound, so a long-running demo cannot grow without end

Document = dict[str, Any]
Apply = Callable[[Request, bytes], Document]


class RequestLedger:
    def __init__(self) -> None:
        self._answers: dict[str, Document] = {}

    def __contains__(self, request_id: str) -> bool:
        return request_id in self._answers

    def endpoint(self, apply: Apply) -> Callable[[Request], Awaitable[Document]]:
        """A write endpoint: the body is read first and everything after runs without
        awaiting, so two writes never interleave (one use per id, a gap-free event log)."""

        async def handler(request: Request) -> Document:
            raw = await request.body()
            request_id = request.headers.get(REQUEST_ID_HEADER, "")
            if not REQUEST_ID.fullmatch(request_id):
                raise StarError(MISSING_REQUEST_ID)
            if request_id in self._answers:
                raise StarError(REQUEST_REPEATED, {"oprindeligtSvar": self._answers[request_id]})
            answer = apply(request, raw)
            self._remember(request_id, answer)
            return answer

        return handler

    def _remember(self, request_id: str, answer: Document) -> None:
        if len(self._answers) >= MAX_REMEMBERED:
            del self._answers[next(iter(self._answers))]  # the oldest first
        self._answers[request_id] = answer
