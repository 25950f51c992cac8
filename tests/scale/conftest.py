"""The OPA test server (loaded from build_bundle()) of tests/opa, reused."""

from tests.opa.conftest import opa, policy_apps  # noqa: F401
