"""schema/execution.py uses strawberry's and graphql-core's internals: the suite runs against the
versions requirements.lock pins, or fails saying which one drifted."""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

import pytest

LOCK = Path(__file__).resolve().parents[2] / "requirements.lock"


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, separator, pinned = line.partition("==")
            assert separator, f"requirements.lock: not an exact pin: {line!r}"
            pins[_canonical(name)] = pinned.strip()
    return pins


@pytest.mark.parametrize("package", ["strawberry-graphql", "graphql-core"])
def test_installed_version_is_the_locked_one(package: str) -> None:
    pinned = _pins().get(package)
    assert pinned is not None, f"requirements.lock does not pin {package}"
    installed = version(package)
    assert installed == pinned, (
        f"{package} {installed} is installed, requirements.lock pins {pinned}: reinstall "
        "(`make` installs with the lock as constraints) or refresh the lock (its header says "
        "how) after tests/e2e/test_plain_execution.py passes on the new version"
    )
