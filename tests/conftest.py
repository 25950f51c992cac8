"""Fixtures shared by the whole suite: the mock registers over real loopback HTTP, tokens."""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from gateway.auth import sign_demo_token
from gateway.settings import AUDIENCE, DEMO_ISSUER

#: The mocks and the gateway agree on "today" for the whole run, so a test never straddles midnight.
REFERENCE_DATE = dt.date.today()

IN_CI = os.environ.get("CI", "").lower() == "true"


def service_reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def require_service(name: str, host: str, port: int) -> None:
    """Skip on a laptop without the server; in CI a missing server is a failure, never a skip."""
    if service_reachable(host, port):
        return
    if IN_CI:
        pytest.fail(f"{name} at {host}:{port} is required when CI=true")
    pytest.skip(f"{name} at {host}:{port} is not running")


class Clock:
    """A clock a test moves by hand (`clock.now += 5`), for code that takes a `clock`."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="session")
def mocks() -> Iterator[object]:
    from mocks.runner import MockConfig, MocksThread

    config = MockConfig(population=1500, seed=7, reference_date=REFERENCE_DATE, base_port=None)
    with MocksThread(config) as running:
        yield running


@pytest.fixture(scope="session")
def state_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("state")


@pytest.fixture(scope="session")
def token(state_dir: Path):  # type: ignore[no-untyped-def]
    def make(
        sub: str,
        role: str,
        *,
        org: str | None = None,
        municipality: str | None = None,
        name: str | None = None,
    ) -> str:
        return sign_demo_token(
            state_dir,
            sub=sub,
            role=role,
            org=org,
            municipality=municipality,
            name=name,
            issuer=DEMO_ISSUER,
            audience=AUDIENCE,
        )

    return make
