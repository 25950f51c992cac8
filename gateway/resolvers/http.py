"""One register's endpoint on the shared httpx client: call, time, count, translate errors.

Every register call goes through `RegisterEndpoint.call`, so metrics, latency and the
translation of failures into `RegisterUnavailable` happen in exactly one place. Bodies are
encoded and decoded with orjson; the CPR only ever travels in a JSON body.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

import httpx
import orjson

from gateway.metrics import Metrics
from gateway.resolvers.errors import RegisterUnavailable
from gateway.resolvers.wire import WireError

log = logging.getLogger("gateway.resolvers")

T = TypeVar("T")

_JSON = {"content-type": "application/json", "accept": "application/json"}


class RegisterEndpoint:
    def __init__(
        self, label: str, base_url: str | None, http: httpx.AsyncClient, metrics: Metrics
    ) -> None:
        self.label = label
        self._base_url = base_url
        self._http = http
        self._metrics = metrics

    async def call(
        self,
        method: str,
        path: str,
        kind: str,
        parse: Callable[[Any], T],
        body: Any = None,
        *,
        absent_on_404: bool = False,
    ) -> T | None:
        """`parse` applied to the decoded JSON answer of a 200; with `absent_on_404`, a 404
        answers None. `parse` raises WireError for a wrong shape, which fails the call.

        `path` is relative to the register's prefix and must never contain a CPR.
        """
        if self._base_url is None:
            self._failed(kind, "no URL configured")
        start = time.perf_counter()
        try:
            response = await self._http.request(
                method,
                f"{self._base_url}{path}",
                content=None if body is None else orjson.dumps(body),
                headers=_JSON,
            )
        except httpx.HTTPError as exc:
            self._observe(start)
            self._failed(kind, type(exc).__name__)
        self._observe(start)
        if response.status_code == 404 and absent_on_404:
            self._count(kind, "ok")
            return None
        if response.status_code != 200:
            self._failed(kind, f"status {response.status_code}")
        try:
            answer = parse(orjson.loads(response.content))
        except orjson.JSONDecodeError:
            self._failed(kind, "body is not JSON")
        except WireError as exc:
            self._failed(kind, f"wrong shape: {exc}")
        self._count(kind, "ok")
        return answer

    def _observe(self, start: float) -> None:
        self._metrics.register_latency.labels(self.label).observe(time.perf_counter() - start)

    def _count(self, kind: str, outcome: str) -> None:
        self._metrics.register_requests.labels(self.label, kind, outcome).inc()

    def _failed(self, kind: str, reason: str) -> NoReturn:
        self._count(kind, "error")
        log.warning("register %s failed a %s call: %s", self.label, kind, reason)
        raise RegisterUnavailable(self.label) from None
