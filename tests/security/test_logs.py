"""Application logs are JSON lines without CPR numbers — also when requests fail, including an
internal error whose exception text carries CPR numbers (a broken policy engine)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import orjson
import pytest

from gateway.logs import configure_logging
from gateway.policies.decision import Decision
from tests.e2e.conftest import ANNE
from tests.security.conftest import Guarded

CPR_LIKE = re.compile(r"(?<!\d)\d{6}-?\d{4}(?!\d)")
REQUEST_ID = re.compile(r'"requestId":"[a-p]{32}"')
YOUTH = "query($c: CPR!) { youth(cpr: $c, purpose: PLANNING) { identity { age } grades { year } } }"


class BrokenEngine:
    """A policy engine that crashes with the input — CPR numbers included — in its message."""

    policy_version = "broken"

    async def decide(self, input: Mapping[str, Any]) -> Decision:
        raise RuntimeError(f"evaluator crashed on {dict(input)!r} for {ANNE}")

    async def decide_many(self, inputs: Sequence[Mapping[str, Any]]) -> list[Decision]:
        raise RuntimeError(f"evaluator crashed on {list(inputs)!r} for {ANNE}")


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Lets a test call gateway.logs.configure_logging, then puts pytest's handlers back."""
    root = logging.getLogger()
    names = ("httpx", "httpcore", "uvicorn", "uvicorn.error", "uvicorn.access")
    saved = (root.handlers[:], root.level)
    saved_loggers = {
        name: (logging.getLogger(name).level, logging.getLogger(name).handlers[:]) for name in names
    }
    try:
        yield
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
        for name, (lvl, handlers) in saved_loggers.items():
            logging.getLogger(name).setLevel(lvl)
            logging.getLogger(name).handlers[:] = handlers


async def test_logs_are_json_lines_without_cpr_numbers(
    make_guarded: Any, capsys: pytest.CaptureFixture[str], restore_logging: None
) -> None:
    configure_logging()  # here, not in a fixture: it binds the sys.stderr capsys captures
    ok: Guarded = await make_guarded()
    broken: Guarded = await make_guarded(engine=BrokenEngine())
    variables = {"c": ANNE}
    assert (await ok.post({"query": YOUTH, "variables": variables}))[0] == 200
    assert (await ok.post({"query": YOUTH, "variables": variables}, who="lars"))[0] == 200
    assert (await ok.post({"query": YOUTH, "variables": {"c": ANNE + "9"}}))[0] == 400
    assert (await ok.post({"query": "{ youth(cpr: 1503044112 "}))[0] == 400
    assert (await ok.post({"query": YOUTH, "variables": variables}, who=None))[0] == 401
    status, body = await broken.post({"query": YOUTH, "variables": variables})
    assert status == 200 and body["data"]["youth"] is None
    assert body["errors"][0]["extensions"] == {"code": "INTERNAL"}
    assert ANNE not in str(body["errors"]), "the client sees no internal text"
    # A stray CPR in a message is scrubbed as a last line of defence, too.
    logging.getLogger("ungeprofil.test").warning("stray %s", ANNE)

    lines = capsys.readouterr().err.splitlines()
    entries = [orjson.loads(line) for line in lines]  # every line is one JSON object
    assert all({"time", "level", "logger", "message"} <= set(e) for e in entries)
    assert not [line for line in lines if CPR_LIKE.search(line)]
    assert any(REQUEST_ID.search(line) for line in lines), "the access lines name their request"
    assert any(e["message"] == "stray [cpr]" for e in entries)
    # The internal error was logged (with its type) — so the check above saw a real trace.
    assert any(e["level"] == "error" and "exception" in e for e in entries), entries
