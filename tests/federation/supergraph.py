"""The Node side of the federation tests and `make bench`: the pinned npm packages (installed
with `npm ci` once per lockfile), the composer, and the router's command line."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

ROUTER_DIR = Path(__file__).resolve().parent / "router"


class NodeMissing(Exception):
    """Node.js or npm is not installed."""


def node_modules() -> Path:
    """The router's node_modules, installed with `npm ci` when missing or older than the
    lockfile. Raises NodeMissing without node/npm, RuntimeError when npm fails."""
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        raise NodeMissing("Node.js and npm are needed for the router and the composer")
    marker = ROUTER_DIR / "node_modules" / ".package-lock.json"
    lock = ROUTER_DIR / "package-lock.json"
    if not marker.exists() or marker.stat().st_mtime < lock.stat().st_mtime:
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=ROUTER_DIR,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode != 0:
            raise RuntimeError(f"npm ci failed:\n{done.stderr[-2000:]}")
    return ROUTER_DIR / "node_modules"


def compose(
    services: list[dict[str, str]], composer: str = "guild"
) -> subprocess.CompletedProcess[str]:
    """The supergraph of `services` ({name, url, sdl}) on stdout, or the composer's errors on
    stderr (exit 1). `composer`: "guild" (@theguild/federation-composition) or "apollo"
    (@apollo/composition)."""
    return subprocess.run(
        ["node", "compose.mjs", composer],
        cwd=ROUTER_DIR,
        input=json.dumps(services),
        capture_output=True,
        text=True,
        timeout=120,
    )


def router_argv(modules: Path, supergraph: Path, port: int) -> list[str]:
    """Hive Gateway serving `supergraph` on loopback, with our gateway.config.ts."""
    return [
        str(modules / ".bin" / "hive-gateway"),
        "--config-path",
        str(ROUTER_DIR / "gateway.config.ts"),
        "supergraph",
        str(supergraph),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
