"""The benchmark's child processes: the mock registers and gateways, each its own process.

Every child runs in a session of its own (so a Ctrl-C in the terminal reaches only the
benchmark, which then stops them in order) and is stopped by process group: uvicorn's worker
processes go with their parent.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

REGISTER_LABELS = ("udb", "dfdg", "grades", "eindkomst", "admissions", "questionnaire", "social")
CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def free_port_block(count: int) -> int:
    """A base port with `count` free ports after it (the mocks take base … base+6)."""
    for _ in range(200):
        base = free_port()
        if base + count >= 65535:
            continue
        sockets = []
        try:
            for offset in range(count):
                sock = socket.socket()
                sockets.append(sock)
                sock.bind(("127.0.0.1", base + offset))
            return base
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise RuntimeError("no block of free loopback ports")


def cpu_seconds(pid: int) -> float:
    """utime + stime of one process (not its children), from /proc/<pid>/stat."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]
    log: Path
    url: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def pid(self) -> int:
        return self.process.pid

    def tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def alive(self) -> bool:
        return self.process.poll() is None


class Children:
    """Starts children and stops every one of them, whatever happens."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.children: list[Child] = []

    def start(self, name: str, argv: Sequence[str], env: Mapping[str, str] | None = None) -> Child:
        log = self.workdir / f"{name}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                list(argv),
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env={**os.environ, **(env or {})},
                start_new_session=True,
            )
        child = Child(name, process, log)
        self.children.append(child)
        return child

    def stop(self, child: Child, timeout: float = 10.0) -> None:
        if child.alive():
            _signal_group(child.pid, signal.SIGTERM)
            try:
                child.process.wait(timeout)
            except subprocess.TimeoutExpired:
                _signal_group(child.pid, signal.SIGKILL)
                child.process.wait(5)
        # Workers or a profiled gateway may outlive their leader for a moment.
        _signal_group(child.pid, signal.SIGKILL)
        if child in self.children:
            self.children.remove(child)

    def stop_all(self) -> None:
        for child in reversed(list(self.children)):
            try:
                self.stop(child)
            except Exception as exc:  # keep stopping the others
                print(f"bench: could not stop {child.name}: {exc}", file=sys.stderr)


def _signal_group(pid: int, sig: signal.Signals) -> None:
    # The child leads its own session, so its group id is its pid.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


def wait_until(child: Child, urls: Sequence[str], timeout: float = 60.0) -> None:
    """Polls until every URL answers 200; fails early if the child died."""
    deadline = time.monotonic() + timeout
    pending = list(urls)
    with httpx.Client(timeout=2.0, trust_env=False) as http:
        while pending:
            if not child.alive():
                raise RuntimeError(f"{child.name} exited:\n{child.tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{child.name} not ready after {timeout:.0f} s:\n{child.tail()}")
            try:
                if http.get(pending[0]).status_code == 200:
                    pending.pop(0)
                    continue
            except httpx.HTTPError:
                pass
            time.sleep(0.05)


def start_mocks(
    children: Children, *, latency_ms: int, population: int, seed: int, name: str = "mocks"
) -> tuple[Child, dict[str, str]]:
    base = free_port_block(len(REGISTER_LABELS))
    child = children.start(
        name,
        [
            sys.executable,
            "-m",
            "gateway.cli",
            "mocks",
            "--latency-ms",
            str(latency_ms),
            "--base-port",
            str(base),
            "--population",
            str(population),
            "--seed",
            str(seed),
        ],
    )
    urls = {label: f"http://127.0.0.1:{base + i}" for i, label in enumerate(REGISTER_LABELS)}
    child.url = urls["udb"]
    return child, urls


def gateway_argv(port: int, workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gateway.cli",
        "serve",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]


def start_gateway(
    children: Children,
    name: str,
    register_urls: Mapping[str, str],
    env: Mapping[str, str],
    *,
    workers: int = 1,
) -> Child:
    """`ungeprofil serve` with the registers' URLs and `env`."""
    port = free_port()
    settings = {f"REGISTER_URL_{label.upper()}": url for label, url in register_urls.items()}
    child = children.start(
        name, gateway_argv(port, workers), {**settings, **env, "PYTHONUNBUFFERED": "1"}
    )
    child.url = f"http://127.0.0.1:{port}"
    child.extra = dict(env)
    return child


def run_standalone(
    name: str,
    run: Callable[[Path, Children], Awaitable[dict[str, Any]]],
    render: Callable[[dict[str, Any]], str],
) -> int:
    """A bench section run on its own (`python -m bench.<name>`): a work directory, its child
    processes stopped and the directory removed whatever happens; the table on stderr and one
    JSON line on stdout."""
    workdir = Path(tempfile.mkdtemp(prefix=f"ungeprofil-bench-{name}-"))
    children = Children(workdir)
    try:
        out = asyncio.run(run(workdir, children))
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        print(f"bench.{name}: failed: {exc}", file=sys.stderr)
        return 1
    finally:
        children.stop_all()
        shutil.rmtree(workdir, ignore_errors=True)
    print(render(out), file=sys.stderr)
    print(json.dumps(out, ensure_ascii=False, separators=(",", ":")))
    return 0


def aligned(rows: Sequence[tuple[str, str]]) -> str:
    """`label  value` rows, the values in one column."""
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"{label.ljust(width)}  {value}" for label, value in rows)
