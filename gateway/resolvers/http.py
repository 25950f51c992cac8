"""One register's endpoint on the shared register transport: call, time, count, translate errors.

Every register call goes through `RegisterEndpoint.call`, so metrics, latency, the register's
guard (deadline, bulkhead, one budgeted retry, circuit breaker: resilience.py) and the
translation of failures into `RegisterUnavailable` happen in exactly one place. Bodies are
encoded and decoded with orjson; the CPR only ever travels in a JSON body.

`ungeprofil_register_requests{outcome}` counts attempts: `ok`, `error` (the call failed),
`retry` (an attempt that failed and was tried once more) and `rejected` (the register refused
the request with a 4xx about its input: the call fails, but it is no circuit-breaker failure —
one caller's bad input must not cut a register off for everyone). Calls an open breaker refused
never reach the register and are counted in `ungeprofil_register_short_circuits` instead.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any, NoReturn, TypeVar

import orjson

from gateway.metrics import Metrics
from gateway.resolvers.errors import RegisterUnavailable
from gateway.resolvers.resilience import RegisterGuard, ResilienceConfig
from gateway.resolvers.wire import WireError
from gateway.tracing import set_attribute, span
from gateway.transport import RegisterTransport, TransportFailure

log = logging.getLogger("gateway.resolvers")

T = TypeVar("T")


class _Retryable(Exception):
    """An attempt failed in a way another attempt might not: connection, timeout, 5xx."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Rejected(Exception):
    """The register answered, and refused the request itself (a 4xx for bad input): the call
    failed, but the register is up — no circuit breaker failure."""


#: 4xx statuses that say something about the register or the gateway's standing with it, not
#: about the request's input: those are failures like a 5xx.
_NOT_ABOUT_THE_INPUT = frozenset({401, 403, 407, 408, 429})


class RegisterEndpoint:
    def __init__(
        self,
        label: str,
        base_url: str | None,
        http: RegisterTransport,
        metrics: Metrics,
        guard: RegisterGuard | None = None,
    ) -> None:
        self.label = label
        self._base_url = base_url
        self._http = http
        self._metrics = metrics
        self.guard = (
            guard if guard is not None else RegisterGuard(label, ResilienceConfig(), metrics)
        )

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

        One span per call (retries included), named by register and kind: never the path or
        the body (a CPR list), so no CPR reaches a trace.
        """
        attributes = {"register": self.label, "register.kind": kind, "http.request.method": method}
        with span(f"register {self.label} {kind}", attributes) as current:
            answer = await self._call(method, path, kind, parse, body, absent_on_404)
            set_attribute(current, "register.found", answer is not None)
            return answer

    async def _call(
        self,
        method: str,
        path: str,
        kind: str,
        parse: Callable[[Any], T],
        body: Any,
        absent_on_404: bool,
    ) -> T | None:
        if self._base_url is None:
            self._failed(kind, "no URL configured")
        guard = self.guard
        ticket = guard.breaker.admit()
        if ticket is None:  # open: fail fast, quietly (the breaker logged when it opened)
            self._metrics.register_short_circuits.labels(self.label).inc()
            raise RegisterUnavailable(self.label)
        guard.budget.record_call()
        ok: bool | None = None  # None: cancelled from outside, which says nothing of the register
        try:
            answer = await self._within_deadline(
                method, f"{self._base_url}{path}", kind, parse, body, absent_on_404
            )
            ok = True
            return answer
        except _Rejected:
            # A bad request (one caller's input) must not open the breaker for everyone.
            ok = True
            raise RegisterUnavailable(self.label) from None
        except RegisterUnavailable:
            ok = False
            raise
        finally:
            guard.breaker.settle(ticket, ok)

    async def _within_deadline(
        self,
        method: str,
        url: str,
        kind: str,
        parse: Callable[[Any], T],
        body: Any,
        absent_on_404: bool,
    ) -> T | None:
        config = self.guard.config
        content = None if body is None else orjson.dumps(body)
        loop = asyncio.get_running_loop()
        retried = False
        try:
            async with asyncio.timeout(config.deadline) as deadline:
                while True:
                    try:
                        return await self._attempt(method, url, content, kind, parse, absent_on_404)
                    except _Retryable as failure:
                        left = (deadline.when() or loop.time()) - loop.time()
                        if (
                            retried
                            or left < config.retry_min_remaining * config.deadline
                            or not self.guard.budget.try_spend()
                        ):
                            self._failed(kind, failure.reason)
                        retried = True
                        self._count(kind, "retry")
                        log.info(
                            "register %s: retrying a %s call (%s)", self.label, kind, failure.reason
                        )
        except TimeoutError:
            self._failed(kind, f"no answer within the {config.deadline:g} s deadline")

    async def _attempt(
        self,
        method: str,
        url: str,
        content: bytes | None,
        kind: str,
        parse: Callable[[Any], T],
        absent_on_404: bool,
    ) -> T | None:
        async with self.guard.bulkhead:
            start = time.perf_counter()
            try:
                status, raw = await self._http.send(method, url, content)
            except TransportFailure as failure:
                if failure.retryable:
                    raise _Retryable(failure.reason) from None
                self._failed(kind, failure.reason)
            finally:
                self._observe(start)
        if status == 404 and absent_on_404:
            self._count(kind, "ok")
            return None
        if status >= 500:
            raise _Retryable(f"status {status}")
        if 400 <= status < 500 and status not in _NOT_ABOUT_THE_INPUT:
            self._count(kind, "rejected")
            log.warning("register %s refused a %s call: status %d", self.label, kind, status)
            raise _Rejected
        if status != 200:
            self._failed(kind, f"status {status}")
        try:
            answer = parse(orjson.loads(raw))
        except orjson.JSONDecodeError:
            self._failed(kind, "body is not JSON")
        except WireError as exc:
            self._failed(kind, f"wrong shape: {exc}")
        self._count(kind, "ok")
        return answer

    async def exchange(
        self,
        method: str,
        path: str,
        kind: str,
        *,
        headers: Mapping[str, str],
        body: Any = None,
        deadline: float | None = None,
    ) -> tuple[int, Any]:
        """A write or a long poll: (status, decoded JSON body) of any answer below 500 — a
        write's business refusals (4xx with the register's code) and its 412 (already applied)
        are answers to the caller, not failures of the register. One retry on a transport
        failure or a 5xx, which is safe because every write carries its request id (a repeat
        answers 412). RegisterUnavailable otherwise. `deadline` replaces the register's own
        (a long poll waits longer than a read may). `path` and `headers` are never logged."""
        if self._base_url is None:
            self._failed(kind, "no URL configured")
        guard = self.guard
        ticket = guard.breaker.admit()
        if ticket is None:
            self._metrics.register_short_circuits.labels(self.label).inc()
            raise RegisterUnavailable(self.label)
        content = None if body is None else orjson.dumps(body)
        url = f"{self._base_url}{path}"
        ok: bool | None = None
        attributes = {"register": self.label, "register.kind": kind, "http.request.method": method}
        try:
            with span(f"register {self.label} {kind}", attributes):
                async with asyncio.timeout(deadline or guard.config.deadline):
                    for attempt in (1, 2):
                        start = time.perf_counter()
                        try:
                            status, raw = await self._http.send(method, url, content, headers)
                        except TransportFailure as failure:
                            if attempt == 2 or not failure.retryable:
                                self._failed(kind, failure.reason)
                            continue
                        finally:
                            self._observe(start)
                        if status >= 500:
                            if attempt == 2:
                                self._failed(kind, f"status {status}")
                            continue
                        try:
                            answer = orjson.loads(raw) if raw else None
                        except orjson.JSONDecodeError:
                            self._failed(kind, "body is not JSON")
                        ok = True
                        self._count(kind, "ok" if status < 400 else f"status_{status}")
                        return status, answer
        except TimeoutError:
            self._failed(kind, "no answer within the deadline")
        except RegisterUnavailable:
            ok = False
            raise
        finally:
            guard.breaker.settle(ticket, ok)
        raise AssertionError("unreachable")  # pragma: no cover

    def _observe(self, start: float) -> None:
        self._metrics.register_latency.labels(self.label).observe(time.perf_counter() - start)

    def _count(self, kind: str, outcome: str) -> None:
        self._metrics.register_requests.labels(self.label, kind, outcome).inc()

    def _failed(self, kind: str, reason: str) -> NoReturn:
        self._count(kind, "error")
        log.warning("register %s failed a %s call: %s", self.label, kind, reason)
        raise RegisterUnavailable(self.label) from None
