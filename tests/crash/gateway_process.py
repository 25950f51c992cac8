"""`ungeprofil serve` as a real subprocess: started from the environment, polled until ready,
and killed with SIGKILL (no lifespan shutdown, no flush, no goodbye)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import httpx

from gateway.auth import demo_jwks_document

ROOT = Path(__file__).resolve().parents[2]
#: The console script next to the interpreter running the tests (.venv/bin/ungeprofil).
UNGEPROFIL = str(Path(sys.executable).parent / "ungeprofil")
READY_DEADLINE = 30.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def gateway_env(
    register_urls: Mapping[str, str], audit_url: str, state_dir: Path
) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("REGISTER_URL_", "OPA_URL", "CACHE_URL", "JWKS_", "TOKEN_"))
    }
    env.update({f"REGISTER_URL_{label.upper()}": url for label, url in register_urls.items()})
    env["AUDIT_URL"] = audit_url
    env["UNGEPROFIL_STATE_DIR"] = str(state_dir)
    # Production mode needs production keys: the demo key's public half, as a JWKS file, so
    # the suite's demo tokens are accepted the way an identity provider's would be.
    jwks = state_dir / "demo-jwks.json"
    jwks.write_text(json.dumps(demo_jwks_document(state_dir)))
    env["JWKS_FILE"] = str(jwks)
    return env


class GatewayProcess:
    """One gateway process in its own session, so a kill reaches it and nothing else."""

    def __init__(self, env: Mapping[str, str], log_path: Path, args: Sequence[str] = ()) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = log_path.open("ab")
        self.process = subprocess.Popen(
            [UNGEPROFIL, "serve", "--port", str(self.port), *args],
            cwd=ROOT,
            env=dict(env),
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def log_tail(self, lines: int = 30) -> str:
        self._log.flush()
        text = self.log_path.read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    async def wait_ready(self, http: httpx.AsyncClient, deadline: float = READY_DEADLINE) -> float:
        """Polls /readyz until it answers 200; returns the seconds it took."""
        started = time.monotonic()
        last = "no answer"
        while time.monotonic() - started < deadline:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"the gateway exited with {self.process.returncode}:\n{self.log_tail()}"
                )
            try:
                response = await http.get(f"{self.url}/readyz", timeout=2.0)
                if response.status_code == 200:
                    return time.monotonic() - started
                last = response.text
            except httpx.TransportError as error:
                last = type(error).__name__
            await asyncio.sleep(0.05)  # a polling interval, bounded by the deadline
        raise AssertionError(
            f"the gateway was not ready in {deadline}s ({last}):\n{self.log_tail()}"
        )

    def kill(self) -> int:
        """SIGKILL, then reap. Returns the exit status (-9)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        return self.process.wait(timeout=10)

    def stop(self) -> None:
        """A graceful stop (SIGTERM), falling back to SIGKILL."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log.close()
