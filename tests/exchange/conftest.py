"""The exchange's tests write to the mock registers, so each module gets mock registers of its
own (the suite's shared ones must keep the personas' facts as PERSONAS.md gives them)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from mocks.runner import MockConfig, MocksThread
from tests.conftest import REFERENCE_DATE
from tests.e2e.conftest import make_client  # noqa: F401  (the suite's one app builder)

EMIL = "1403064171"


@pytest.fixture(scope="module")
def mocks() -> Iterator[object]:
    config = MockConfig(population=400, seed=11, reference_date=REFERENCE_DATE, base_port=None)
    with MocksThread(config) as running:
        yield running


def new_key() -> str:
    return str(uuid.uuid4())


def udb_latest_sequence(mocks: Any) -> int:
    """The newest sequence number of UDB's event log, read from the mock over HTTP."""
    answer = httpx.get(f"{mocks.urls['udb'].rstrip('/')}/udb/v1/haendelser", params={"antal": 1})
    answer.raise_for_status()
    return int(answer.json()["senesteSekvens"])
