"""Fault knobs of one mock register, switchable while it runs.

`latency_ms` delays every data, relationship and lookup answer; `fail` makes them answer 500
(and /healthz 503); `hang` makes them never answer (until the client gives up); `garbage`
makes them answer 200 with a body of the wrong shape. Refusing connections is the runner's
job (`RunningMocks.refuse`), since only it can stop listening.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from dataclasses import dataclass, field, fields
from typing import Any, Literal

from starlette.requests import Request

KNOBS = {"latency_ms": int, "fail": bool, "hang": bool, "garbage": bool}


@dataclass
class Faults:
    latency_ms: int = 0
    fail: bool = False
    hang: bool = False
    garbage: bool = False
    _initial: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    _release: asyncio.Event | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._initial = self.snapshot()

    def snapshot(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if not f.name.startswith("_")}

    def update(self, changes: dict[str, Any]) -> None:
        """Apply a subset of the knobs; raises ValueError (and changes nothing) on a bad one."""
        for name, value in changes.items():
            kind = KNOBS.get(name)
            if kind is None or type(value) is not kind:
                raise ValueError(name)
            if isinstance(value, int) and not isinstance(value, bool) and value < 0:
                raise ValueError(name)
        for name, value in changes.items():
            setattr(self, name, value)
        if not self.hang:
            self.release_hung()

    def reset(self) -> None:
        """Back to the knobs the register started with; hung requests are let go."""
        for name, value in self._initial.items():
            setattr(self, name, value)
        self.release_hung()

    def release_hung(self) -> None:
        """Let hung requests finish (call from the register's event loop)."""
        if self._release is not None:
            self._release.set()
            self._release = None

    async def delay(self) -> None:
        if self.latency_ms > 0:
            await asyncio.sleep(self.latency_ms / 1000)

    def released(self) -> Coroutine[Any, Any, Literal[True]]:
        """Done when the knobs are next reset or the register stops; long-polls wait on it
        too, so a stopping server is never held up by a waiting request. The event is taken
        now, not when the waiting starts, so a reset right after the call is not missed."""
        if self._release is None:
            self._release = asyncio.Event()
        return self._release.wait()

    async def hang_until_released(self, request: Request) -> None:
        """Wait on an event nobody sets, until the client disconnects or the knob is reset."""
        waits = {
            asyncio.ensure_future(self.released()),
            asyncio.ensure_future(disconnected(request)),
        }
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiting in waits:
                waiting.cancel()


async def disconnected(request: Request) -> None:
    """Returns when the client has gone (nothing else arrives on a request whose body was read)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass
