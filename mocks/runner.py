"""Run the seven mock registers on loopback ports, in this event loop or in a thread of its own.

async with running_mocks(MockConfig(base_port=None)) as mocks:
    mocks.urls["udb"]            # "http://127.0.0.1:40123"
    mocks.faults["udb"].fail = True
    await mocks.refuse("dfdg")   # stop listening: connections are refused
    await mocks.restore("dfdg")

with MocksThread(MockConfig(base_port=None)) as mocks:   # the test suite's way
    ...
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
import sys
import threading
from collections.abc import AsyncIterator, Coroutine, Generator
from dataclasses import dataclass, field
from datetime import date
from types import TracebackType
from typing import Any

import uvicorn
from starlette.applications import Starlette

from mocks.app import create_register_app
from mocks.faults import Faults
from mocks.population import Population, build_population
from mocks.registers import REGISTERS

READY_POLLS = 1000  # x 10 ms: how long a server may take to start listening
THREAD_START_TIMEOUT = 120.0  # seconds; building 100,000 people takes a while


@dataclass(frozen=True)
class MockConfig:
    population: int = 2000
    seed: int = 42
    reference_date: date | None = None
    latency_ms: int = 0
    fail: frozenset[str] = frozenset()
    hang: frozenset[str] = frozenset()
    host: str = "127.0.0.1"
    base_port: int | None = 8101
    """Register i (README order) listens on base_port + i; None = free ephemeral ports."""

    def __post_init__(self) -> None:
        unknown = (self.fail | self.hang) - set(REGISTERS)
        if unknown:
            raise ValueError(f"unknown registers: {sorted(unknown)}")


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: seven servers share one process, and the
    runner (or the CLI) decides when they stop."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


@dataclass
class _Serving:
    app: Starlette
    port: int
    server: _Server | None = None
    task: asyncio.Task[None] | None = None


@dataclass
class RunningMocks:
    population: Population
    host: str
    urls: dict[str, str] = field(default_factory=dict)
    faults: dict[str, Faults] = field(default_factory=dict)
    _serving: dict[str, _Serving] = field(default_factory=dict, repr=False)

    async def refuse(self, label: str) -> None:
        """Stop listening, so connections to this register are refused until `restore`."""
        await _stop(self._serving[label], self.faults[label])

    async def restore(self, label: str) -> None:
        serving = self._serving[label]
        if serving.server is None:
            await _start(serving, self.host)


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not the default 0: asyncio only sets TCP_NODELAY on accepted sockets whose
    # protocol says TCP. Without it, a keep-alive answer written as headers + body waits for
    # the client's delayed ACK (Nagle), adding ~40 ms to every call after a connection's first.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    return sock


async def _start(serving: _Serving, host: str) -> None:
    sock = _bind(host, serving.port)
    serving.port = sock.getsockname()[1]
    config = uvicorn.Config(serving.app, lifespan="off", log_level="warning", access_log=False)
    server = _Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    for _ in range(READY_POLLS):
        if server.started:
            break
        if task.done():
            task.result()  # raises what went wrong
            raise RuntimeError("mock register stopped while starting")
        await asyncio.sleep(0.01)
    else:
        server.should_exit = True
        raise RuntimeError("mock register did not start listening")
    serving.server, serving.task = server, task


async def _stop(serving: _Serving, faults: Faults) -> None:
    if serving.server is None or serving.task is None:
        return
    faults.release_hung()  # a hung request would otherwise hold the shutdown
    serving.server.should_exit = True
    await serving.task
    serving.server, serving.task = None, None


@contextlib.asynccontextmanager
async def running_mocks(config: MockConfig) -> AsyncIterator[RunningMocks]:
    population = build_population(config.population, config.seed, config.reference_date)
    mocks = RunningMocks(population, config.host)
    for index, label in enumerate(REGISTERS):
        faults = Faults(
            latency_ms=config.latency_ms, fail=label in config.fail, hang=label in config.hang
        )
        port = 0 if config.base_port is None else config.base_port + index
        mocks.faults[label] = faults
        mocks._serving[label] = _Serving(create_register_app(label, population, faults), port)
    try:
        for label, serving in mocks._serving.items():
            await _start(serving, config.host)
            host = f"[{config.host}]" if ":" in config.host else config.host
            mocks.urls[label] = f"http://{host}:{serving.port}"
        yield mocks
    finally:
        await asyncio.gather(
            *(_stop(serving, mocks.faults[label]) for label, serving in mocks._serving.items())
        )


class MocksThread:
    """`running_mocks` in a thread with its own event loop, so the mocks never share a loop
    with the code under test. Entering blocks until every register listens."""

    def __init__(self, config: MockConfig) -> None:
        self.config = config
        self._ready = threading.Event()
        self._mocks: RunningMocks | None = None
        self._error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, name="mock-registers", daemon=True)

    @property
    def urls(self) -> dict[str, str]:
        return self._running.urls

    @property
    def faults(self) -> dict[str, Faults]:
        return self._running.faults

    @property
    def population(self) -> Population:
        return self._running.population

    @property
    def _running(self) -> RunningMocks:
        if self._mocks is None:
            raise RuntimeError("the mocks are not running")
        return self._mocks

    def refuse(self, label: str) -> None:
        self._call(self._running.refuse(label))

    def restore(self, label: str) -> None:
        self._call(self._running.restore(label))

    def reset_faults(self) -> None:
        """Every register back to its starting knobs, hung requests let go."""

        async def reset() -> None:
            for faults in self._running.faults.values():
                faults.reset()

        self._call(reset())

    def _call(self, coroutine: Coroutine[Any, Any, None]) -> None:
        assert self._loop is not None
        asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=30)

    def start(self) -> MocksThread:
        self._thread.start()
        if not self._ready.wait(THREAD_START_TIMEOUT):
            raise RuntimeError("mock registers did not start in time")
        if self._error is not None:
            raise RuntimeError("mock registers failed to start") from self._error
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=30)

    def __enter__(self) -> MocksThread:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as error:  # handed to the starting thread
            self._error = error
            self._ready.set()

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        async with running_mocks(self.config) as mocks:
            self._mocks = mocks
            self._ready.set()
            await self._stop.wait()
        self._mocks = None


async def serve_forever(config: MockConfig) -> None:
    """`ungeprofil mocks`: serve until SIGINT or SIGTERM, one line per register on stdout."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, stop.set)
    async with running_mocks(config) as mocks:
        for label, url in mocks.urls.items():
            print(f"{label:<14} {url}{REGISTERS[label].prefix}", flush=True)
        await stop.wait()
    print("mock registers stopped", file=sys.stderr, flush=True)
