"""Schemathesis fuzzing of the GraphQL schema (schema/schema.graphql) against the app.

Schemathesis (through hypothesis-graphql) generates queries that are valid for the SDL, with
CPR, Date, DateTime and YearMonth values drawn from good and malformed ones; a few raw-text
queries are mixed in. The examples are drawn first (Hypothesis runs synchronously) and then
sent through the app over ASGITransport with real persona tokens. Every answer must be free of
a 500, a stack trace or a register URL, and no captured log line may carry a CPR-looking
number.
Bounded: 120 examples, no deadline, no example database, the same examples on every run;
`FUZZ_RANDOM=1 FUZZ_EXAMPLES=1000` explores further.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Any

import graphql
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.e2e.conftest import ALI, ANNE, FREJA, NOBODY
from tests.security.conftest import Guarded

SDL = Path(__file__).resolve().parents[2] / "schema" / "schema.graphql"
#: The Apollo Federation directives the SDL uses, as the federation spec declares them (a
#: router knows them; a plain GraphQL parser, like schemathesis's, needs them spelled out).
#: Schemathesis leaves out the `_entities`/`_service` fields (tests/federation drives those).
FEDERATION_DECLARATIONS = """
directive @link(url: String!, as: String, import: [link__Import], for: link__Purpose)
  repeatable on SCHEMA
directive @key(fields: FieldSet!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE
scalar link__Import
scalar FieldSet
enum link__Purpose { SECURITY EXECUTION }
"""
CPR_LIKE = re.compile(r"(?<!\d)\d{6}-?\d{4}(?!\d)")
PERSONAS = ("jette", "fagsystem", "henrik", "anne", "maria", "lars", "birgitte")
SCHEMA_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))
TEXT_EXAMPLES = 20
#: The same examples on every run (CI must not flake); FUZZ_RANDOM=1 explores new ones.
DERANDOMIZE = os.environ.get("FUZZ_RANDOM") != "1"


def _string(values: st.SearchStrategy[str]) -> st.SearchStrategy[graphql.ValueNode]:
    return values.map(lambda v: graphql.StringValueNode(value=v))


def _register_scalars() -> None:
    cprs = st.sampled_from([ANNE, ALI, FREJA, NOBODY, "150304-4112"]) | st.text(max_size=12)
    schemathesis.graphql.scalar("CPR", _string(cprs))
    days = st.dates().map(lambda d: d.isoformat()) | st.text(max_size=12)
    schemathesis.graphql.scalar("Date", _string(days))
    times = st.datetimes().map(lambda t: t.isoformat() + "Z") | st.text(max_size=12)
    schemathesis.graphql.scalar("DateTime", _string(times))
    months = st.dates().map(lambda d: f"{d:%Y-%m}") | st.text(max_size=8)
    schemathesis.graphql.scalar("YearMonth", _string(months))


def draw_queries() -> list[str]:
    _register_scalars()
    schema = schemathesis.graphql.from_file(FEDERATION_DECLARATIONS + SDL.read_text())
    operations = [result.ok() for result in schema.get_all_operations()]
    drawn: list[str] = []

    @settings(
        max_examples=SCHEMA_EXAMPLES,
        derandomize=DERANDOMIZE,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.one_of([operation.as_strategy() for operation in operations]))
    def collect(case: Any) -> None:
        drawn.append(case.body if isinstance(case.body, str) else case.body["query"])

    collect()

    @settings(max_examples=TEXT_EXAMPLES, derandomize=DERANDOMIZE, database=None, deadline=None)
    @given(st.text(alphabet="{}()[]:$!@.,\"' \n#abcmeyouthcpr0123456789", max_size=200))
    def collect_text(text: str) -> None:
        drawn.append(text)

    collect_text()
    return drawn


async def test_fuzzed_queries_never_break_the_gateway(
    make_guarded: Any, caplog: pytest.LogCaptureFixture
) -> None:
    # Production log levels (gateway.logs.configure_logging): httpx's request lines are off.
    caplog.set_level(logging.INFO)
    for noisy in ("httpx", "httpcore"):
        caplog.set_level(logging.WARNING, logger=noisy)
    guarded: Guarded = await make_guarded()
    queries = draw_queries()
    assert len(queries) >= SCHEMA_EXAMPLES  # hypothesis may add explicit examples
    statuses: dict[int, int] = {}
    failures: list[str] = []
    for i, query in enumerate(queries):
        who = PERSONAS[i % len(PERSONAS)]
        response = await guarded.client.http.post(
            "/graphql",
            json={"query": query},
            headers={"Authorization": f"Bearer {guarded.client.tokens[who]}"},
        )
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        text = response.text
        if response.status_code >= 500 or any(
            leak in text for leak in ("Traceback", 'File "', "http://", "Exception")
        ):
            failures.append(f"{response.status_code} {query[:200]!r} -> {text[:300]}")
    lines = [r.getMessage() + (r.exc_text or "") for r in caplog.records]
    leaked = [line[:200] for line in lines if CPR_LIKE.search(line)]
    print(f"fuzz: {len(queries)} examples, statuses {statuses}, {len(failures)} failures")
    assert failures == [], "\n".join(failures[:10])
    assert leaked == []
    assert statuses.get(200, 0) > len(queries) // 4, statuses  # most of it really ran
