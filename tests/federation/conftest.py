"""A real supergraph on loopback: Ungeprofil (`ungeprofil serve` over the mock registers), the
Jobnet fixture subgraph, composed by @theguild/federation-composition and served by Hive
Gateway. The npm packages are pinned by tests/federation/router/package-lock.json and installed
once with `npm ci`; without npm these tests skip, except when CI=true."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from schema.build import sdl as ungeprofil_sdl
from tests.conftest import IN_CI
from tests.crash.gateway_process import ROOT, GatewayProcess, free_port, gateway_env
from tests.e2e.conftest import PEOPLE
from tests.federation import supergraph as supergraph_tools
from tests.federation.jobnet_subgraph import sdl as jobnet_sdl

READY_DEADLINE = 60.0


@pytest.fixture(scope="session")
def node_modules() -> Path:
    try:
        return supergraph_tools.node_modules()
    except supergraph_tools.NodeMissing as missing:
        if IN_CI:
            pytest.fail(f"{missing} (required when CI=true)")
        pytest.skip(str(missing))


class Process:
    """A child process in its own session, with its output in a log file."""

    def __init__(self, args: list[str], cwd: Path, log: Path) -> None:
        self.log = log
        self._out = log.open("ab")
        self.process = subprocess.Popen(
            args, cwd=cwd, stdout=self._out, stderr=subprocess.STDOUT, start_new_session=True
        )

    async def wait_for(self, url: str) -> None:
        """Polls `url` until it answers (any status below 500), bounded by READY_DEADLINE."""
        started = time.monotonic()
        async with httpx.AsyncClient() as http:
            while time.monotonic() - started < READY_DEADLINE:
                if self.process.poll() is not None:
                    raise AssertionError(f"{self.process.args[0]} exited:\n{self.tail()}")
                try:
                    if (await http.get(url, timeout=2.0)).status_code < 500:
                        return
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)  # a polling interval, bounded by the deadline
        raise AssertionError(f"{url} did not answer in {READY_DEADLINE}s:\n{self.tail()}")

    def tail(self, lines: int = 30) -> str:
        self._out.flush()
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait(timeout=10)
        self._out.close()


@dataclass
class Supergraph:
    router: str  # the router's /graphql
    ungeprofil: str  # our subgraph's /graphql, straight
    audit_url: str
    tokens: dict[str, str]
    router_log: Path

    async def ask(
        self, url: str, who: str, query: str, purpose: str | None = None
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.tokens[who]}"}
        if purpose is not None:
            headers["X-Purpose"] = purpose
        async with httpx.AsyncClient() as http:
            response = await http.post(url, json={"query": query}, headers=headers, timeout=30)
        body: dict[str, Any] = response.json()
        body["_status"] = response.status_code
        return body


@pytest.fixture(scope="module")
async def supergraph(
    node_modules: Path, mocks: Any, token: Any, state_dir: Path, tmp_path_factory: Any
) -> AsyncIterator[Supergraph]:
    work = tmp_path_factory.mktemp("federation")
    audit_url = f"sqlite:///{work / 'audit.sqlite3'}"
    ours = GatewayProcess(gateway_env(mocks.urls, audit_url, state_dir), work / "gateway.log")
    jobnet_port = free_port()
    jobnet = Process(
        [sys.executable, "-m", "tests.federation.jobnet_subgraph", "--port", str(jobnet_port)],
        ROOT,
        work / "jobnet.log",
    )
    started: list[Any] = [ours, jobnet]
    try:
        async with httpx.AsyncClient() as http:
            await ours.wait_ready(http)
        await jobnet.wait_for(f"http://127.0.0.1:{jobnet_port}/graphql")
        composed = supergraph_tools.compose(
            [
                {"name": "ungeprofil", "url": f"{ours.url}/graphql", "sdl": ungeprofil_sdl()},
                {
                    "name": "jobnet",
                    "url": f"http://127.0.0.1:{jobnet_port}/graphql",
                    "sdl": jobnet_sdl(),
                },
            ]
        )
        assert composed.returncode == 0, composed.stderr
        (work / "supergraph.graphql").write_text(composed.stdout)
        router_port = free_port()
        router = Process(
            supergraph_tools.router_argv(node_modules, work / "supergraph.graphql", router_port),
            ROOT,
            work / "router.log",
        )
        started.append(router)
        await router.wait_for(f"http://127.0.0.1:{router_port}/healthcheck")
        tokens = {who: token(**person) for who, person in PEOPLE.items()}
        yield Supergraph(
            router=f"http://127.0.0.1:{router_port}/graphql",
            ungeprofil=f"{ours.url}/graphql",
            audit_url=audit_url,
            tokens=tokens,
            router_log=work / "router.log",
        )
    finally:
        for process in reversed(started):
            process.stop()


@pytest.fixture(scope="session")
def composer(node_modules: Path) -> Iterator[Any]:
    yield supergraph_tools.compose
