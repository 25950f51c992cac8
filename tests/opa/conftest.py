"""An OPA-compatible server on a loopback port, fed the bundle the gateway is built with.

The server (tests/policies/opa_test_server.py) evaluates with the real OPA Go engine when
tools/real-opa.sh provides it, else with rego-cpp. A thin ASGI front lets a test swap
the policy the server runs (as an OPA server does when its bundle service hands it a new
bundle) and counts the Data API calls, so a test can tell the gateway really asked it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.applications import Starlette

from gateway.policies.bundle import build_bundle
from gateway.policies.sources import load_catalogue
from tests.e2e.conftest import make_client  # noqa: F401  (the e2e gateway fixture, reused)
from tests.policies.conftest import load_real_opa
from tests.policies.opa_test_server import RunningServer, create_app

OTHER_VERSION = "1999-01-01.0"


class SwappableFront:
    """ASGI: passes every call to the policy app it currently serves."""

    def __init__(self, app: Starlette) -> None:
        self.app = app
        self.data_calls = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/v1/data/"):
            self.data_calls += 1
        await self.app(scope, receive, send)


class OpaServer:
    def __init__(self, app: Starlette) -> None:
        self.front = SwappableFront(app)
        self._running = RunningServer(self.front).start()  # type: ignore[arg-type]
        self.url = self._running.url
        self.up = True

    def serve(self, app: Starlette) -> None:
        self.front.app = app

    def stop(self) -> None:
        if self.up:
            self._running.stop()
            self.up = False


@pytest.fixture(scope="session")
def policy_apps() -> dict[str, Starlette]:
    """The policy the gateway expects ("current") and one with another version ("other")."""
    load_real_opa()
    other = {**load_catalogue(), "policy_version": OTHER_VERSION}
    return {
        "current": create_app(build_bundle()),
        "other": create_app(build_bundle(catalogue=other)),
    }


@pytest.fixture
def opa(policy_apps: dict[str, Starlette]) -> Iterator[OpaServer]:
    server = OpaServer(policy_apps["current"])
    yield server
    server.stop()
