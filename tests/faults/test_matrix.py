"""Every register x every fault, through the app: a failing register costs only its own
categories (null + REGISTER_UNAVAILABLE + `register`), a failing facts register costs the whole
young person (fail closed), and no answer takes much longer than the register deadline."""

from __future__ import annotations

import gc
import time
from typing import Any

import pytest

from gateway.resolvers.categories import CATEGORY_SOURCES
from gateway.resolvers.facts import FACT_REGISTERS
from gateway.settings import REGISTER_LABELS
from schema.enums import Category
from tests.e2e.conftest import ANNE, errors_by_path
from tests.e2e.queries import ALL_FIELDS, FULL_PROFILE, ME
from tests.faults.conftest import FAST, FAULTS, break_register

#: Seconds a response may take beyond the deadline (the healthy registers, the policy, audit).
SLACK = 0.7

JETTE_ON_ANNE = {"cpr": ANNE, "purpose": "PLANNING"}


def field_of(category: Category) -> str:
    head, *rest = category.value.split("_")
    name = head + "".join(part.title() for part in rest)
    return "dropoutRisks" if name == "dropoutRisk" else name


#: The GraphQL fields each register answers (contacts: DFDG and UDB).
FIELDS_OF: dict[str, set[str]] = {label: set() for label in REGISTER_LABELS}
for _category, _source in CATEGORY_SOURCES.items():
    for _label, _section in _source.reads:
        FIELDS_OF[_label].add(field_of(_category))


def test_every_field_has_a_register() -> None:
    assert set().union(*FIELDS_OF.values()) == set(ALL_FIELDS)


def unavailable(body: dict[str, Any], path: str) -> str | None:
    """The register named by a REGISTER_UNAVAILABLE error at `path`, else None."""
    error = errors_by_path(body).get(path)
    if error is None or error["extensions"]["code"] != "REGISTER_UNAVAILABLE":
        return None
    register: str = error["extensions"]["register"]
    return register


#: The healthy answers, fetched once (the mocks are deterministic): who -> body.
_HEALTHY: dict[str, dict[str, Any]] = {}


async def healthy_answer(client: Any, who: str, query: str, variables: Any = None) -> Any:
    if who not in _HEALTHY:
        body = await client.query(who, query, variables)
        assert body["data"] is not None and body["data"][next(iter(body["data"]))], body
        _HEALTHY[who] = body
    return _HEALTHY[who]


async def timed(client: Any, who: str, query: str, variables: Any = None) -> tuple[Any, float]:
    """The request's wall time, without a collection of the whole suite's heap in it: late in
    `make test` this process holds several mock populations, and a full collection landing in
    the timed request (seen: +1 s) is the test process's cost, not the gateway's."""
    gc.collect()
    gc.disable()
    try:
        started = time.perf_counter()
        body = await client.query(who, query, variables)
        return body, time.perf_counter() - started
    finally:
        gc.enable()


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("label", REGISTER_LABELS)
async def test_a_failing_register_costs_only_its_own_fields(
    gateway_client: Any, mocks: Any, label: str, fault: str
) -> None:
    client = await gateway_client(stale_ttl=0.0)  # no stale copies: the fault must show
    healthy = await healthy_answer(client, "jette", FULL_PROFILE, JETTE_ON_ANNE)
    forbidden = set(errors_by_path(healthy))  # what Jette may not see, register or not
    assert forbidden == {"youth.grades", "youth.socialPlans"}
    calls_before = client.register_calls(label)

    break_register(mocks, label, fault)
    body, elapsed = await timed(client, "jette", FULL_PROFILE, JETTE_ON_ANNE)

    assert body["_status"] == 200
    assert elapsed < FAST["register_deadline"] + SLACK
    assert ANNE not in str(body.get("errors", "")) and "http" not in str(body.get("errors", ""))
    if fault == "slow_within_deadline":  # slow is not failed: everything answers
        assert body["data"] == healthy["data"] and errors_by_path(body).keys() == forbidden
        return
    if label in FACT_REGISTERS:
        # No facts, no decision, nothing released: the whole young person is unavailable.
        assert body["data"]["youth"] is None
        assert unavailable(body, "youth") == label
        return
    youth = body["data"]["youth"]
    own = {f"youth.{name}" for name in FIELDS_OF[label]}
    for name in ALL_FIELDS:
        path = f"youth.{name}"
        if path in forbidden:  # the policy ran first: never fetched, so never unavailable
            assert youth[name] is None and errors_by_path(body)[path]["extensions"]["code"] == (
                "FORBIDDEN"
            )
        elif path in own:
            assert youth[name] is None and unavailable(body, path) == label, name
        else:
            assert youth[name] == healthy["data"]["youth"][name], name
    if own <= forbidden:  # e.g. grades for Jette: the failing register was never even asked
        assert client.register_calls(label) == calls_before


@pytest.mark.parametrize("fault", [f for f in FAULTS if f != "slow_within_deadline"])
@pytest.mark.parametrize("label", ["grades", "social"])
async def test_registers_only_the_youth_may_see_fail_alone_too(
    gateway_client: Any, mocks: Any, label: str, fault: str
) -> None:
    """Grades and social plans are forbidden to Jette; Ali sees his own, so they are asked."""
    client = await gateway_client(stale_ttl=0.0)
    healthy = await healthy_answer(client, "ali", ME)
    assert "errors" not in healthy and healthy["data"]["me"]["grades"] is not None
    break_register(mocks, label, fault)
    body, elapsed = await timed(client, "ali", ME)
    assert elapsed < FAST["register_deadline"] + SLACK
    for name in ALL_FIELDS:
        if name in FIELDS_OF[label]:
            assert body["data"]["me"][name] is None and unavailable(body, f"me.{name}") == label
        else:
            assert body["data"]["me"][name] == healthy["data"]["me"][name], name
