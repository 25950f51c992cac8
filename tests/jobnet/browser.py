"""The browser side of the Jobnet tests: `ungeprofil demo` as a subprocess on free ports, Debian's
Chromium driven by Python Playwright (never `playwright install`: it downloads a browser), and
axe-core from the pages' pinned npm packages (gateway/jobnet/package-lock.json).

Without Chromium, Playwright or axe-core the browser tests skip, saying which is missing; with
CI=true they fail instead (.ci/run installs Chromium and npm, and `make` runs `npm ci`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import httpx
import pytest

from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parents[2]
UNGEPROFIL = str(Path(sys.executable).parent / "ungeprofil")
AXE = ROOT / "gateway" / "jobnet" / "node_modules" / "axe-core" / "axe.min.js"
DKFDS = ROOT / "gateway" / "jobnet" / "static" / "dkfds" / "css" / "dkfds.min.css"
#: Where the screenshots go for a person to look at (build/ is ignored by git).
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR") or ROOT / "build" / "screenshots" / "jobnet")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
#: WCAG 2.1 A and AA, as the public-sector accessibility act presumes (EN 301 549).
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
READY_DEADLINE = 60.0


def missing() -> str | None:
    """What the browser tests lack on this machine, or None."""
    if shutil.which("chromium") is None:
        return "no `chromium` on PATH (apt-get install -y chromium)"
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "Python Playwright is not installed (pip install -c requirements.lock -e '.[dev]')"
    if not AXE.is_file() or not DKFDS.is_file():
        return "the pages' npm packages are not installed (make assets: needs Node.js and npm)"
    return None


def require_browser() -> None:
    problem = missing()
    if problem is None:
        return
    if IN_CI:
        pytest.fail(f"the browser tests need what CI installs: {problem}")
    pytest.skip(problem)


def _free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_ports(count: int) -> int:
    """The first of `count` consecutive free loopback ports (the demo's mocks need seven)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        start: int = probe.getsockname()[1]
    for base in range(start, start + 2000, count):
        if base + count < 65535 and all(_free(base + i) for i in range(count)):
            return base
    raise RuntimeError("no run of free ports")


class Demo:
    """`ungeprofil demo` in its own process group, with its own state directory (so its demo
    key and audit log are the test's), stopped by its PID."""

    def __init__(self, state_dir: Path, args: Sequence[str] = ()) -> None:
        self.state_dir = state_dir
        state_dir.mkdir(parents=True, exist_ok=True)
        self.port = free_ports(1)
        mock_base = free_ports(7)
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = state_dir / "demo.log"
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("REGISTER_URL_", "OPA_URL", "CACHE_URL", "JWKS_", "AUDIT_URL"))
        }
        env["UNGEPROFIL_STATE_DIR"] = str(state_dir)
        env["AUDIT_URL"] = f"sqlite:///{state_dir / 'audit.sqlite3'}"
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                UNGEPROFIL,
                "demo",
                "--port",
                str(self.port),
                "--mock-base-port",
                str(mock_base),
                "--population",
                "200",
                *args,
            ],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self) -> None:
        started = time.monotonic()
        while time.monotonic() - started < READY_DEADLINE:
            if self.process.poll() is not None:
                raise AssertionError(f"`ungeprofil demo` exited:\n{self.log_tail()}")
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{self.url}/healthz", timeout=1.0).status_code == 200:
                    return
            time.sleep(0.1)  # polling, bounded by the deadline
        raise AssertionError(f"`ungeprofil demo` was not up in {READY_DEADLINE}s")

    def log_tail(self, lines: int = 40) -> str:
        self._log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._log.close()


@contextlib.contextmanager
def running_demo(state_dir: Path, args: Sequence[str] = ()) -> Iterator[Demo]:
    demo = Demo(state_dir, args)
    try:
        demo.wait_ready()
        yield demo
    finally:
        demo.stop()
