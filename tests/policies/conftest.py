"""Engines for the policy tests: rego-cpp (the runtime default), the real OPA Go engine as the
oracle (fetched by the repository's tools/real-opa.sh on first use), and an OPA-compatible
server fed the bundle."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from gateway.policies.bundle import build_bundle
from gateway.policies.engine import EmbeddedEngine, embedded_engine
from gateway.policies.go_opa_evaluator import go_opa_available
from gateway.policies.opa_server import OpaServerEngine
from gateway.policies.sources import load_catalogue, policy_version
from tests.policies.opa_test_server import RunningServer, create_app

REPO = Path(__file__).resolve().parents[2]
REAL_OPA_SCRIPT = Path(os.environ.get("REAL_OPA_SH", REPO / "tools" / "real-opa.sh"))
IN_CI = os.environ.get("CI", "").lower() == "true"


#: Why the real OPA engine is not available, once `load_real_opa` has failed (for the skip).
REAL_OPA_PROBLEM = ""


def load_real_opa() -> bool:
    """Put the real OPA bindings on sys.path (downloading them once); False if that fails, with
    the reason in REAL_OPA_PROBLEM."""
    global REAL_OPA_PROBLEM
    if go_opa_available():
        return True
    if not REAL_OPA_SCRIPT.is_file():
        REAL_OPA_PROBLEM = f"{REAL_OPA_SCRIPT} is missing"
        return False
    try:
        done = subprocess.run(
            ["bash", str(REAL_OPA_SCRIPT)],
            capture_output=True,
            text=True,
            timeout=180,
            # The venv's pip downloads the wheel (the system Python may have none).
            env={**os.environ, "PYTHON": sys.executable},
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        REAL_OPA_PROBLEM = f"{REAL_OPA_SCRIPT.name} did not finish: {error}"
        return False
    directory = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    if done.returncode != 0 or not directory:
        said = done.stderr.strip().splitlines()[-1:] or ["no output"]
        REAL_OPA_PROBLEM = f"{REAL_OPA_SCRIPT.name} failed ({done.returncode}): {said[0]}"
        return False
    sys.path.insert(0, directory)
    if not go_opa_available():
        REAL_OPA_PROBLEM = f"the bindings in {directory} do not load on this machine"
        return False
    return True


@pytest.fixture(scope="session")
def real_opa() -> bool:
    return load_real_opa()


@pytest.fixture(scope="session")
def require_real_opa(real_opa: bool) -> None:
    if not real_opa:
        reason = (
            f"the real OPA engine is not available: {REAL_OPA_PROBLEM}. tools/real-opa.sh "
            "downloads it (the PyPI wheel opa-golib-python-bindings, Linux x86_64) on first "
            "use, so the first run needs PyPI; in CI (CI=true) this is a failure"
        )
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture(scope="session")
def regopy_engine() -> EmbeddedEngine:
    # Cached by input digest, as at run time: the table and the agreement tests ask the same
    # 819 inputs, and an input always gives the same evaluation.
    return embedded_engine(runtime="regopy")


@pytest.fixture(scope="session")
def go_engine(require_real_opa: None) -> EmbeddedEngine:
    return embedded_engine(cache_size=0, runtime="go-opa")


@pytest.fixture(scope="session")
def opa_server(real_opa: bool) -> Iterator[RunningServer]:
    server = RunningServer(create_app(build_bundle())).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
async def server_engine(opa_server: RunningServer) -> AsyncIterator[OpaServerEngine]:
    engine = OpaServerEngine(
        opa_server.url, policy_version=policy_version(load_catalogue()), cache_size=0
    )
    yield engine
    await engine.aclose()
