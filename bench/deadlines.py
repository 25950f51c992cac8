"""The deadline signals' figures (a phase of `make bench`, or `python -m bench.deadlines`):

- `deadlines` on one profile (jette.hansen → Anne): the rules' own CPU per profile, judged in
  this process on facts mapped once from the registers' answers; and through an uncached
  gateway, p50 and the gateway's CPU per request of `youth { deadlines }`;
- `deadlineCompliance` for municipality 101 over the last 12 months (birgitte.lund): wall
  time, the gateway's CPU and its register calls per report, on the default population (2,000
  generated people) and on 100,000 (mocks and a gateway of their own).

Prints a table on stderr and one JSON line on stdout when run on its own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from pathlib import Path
from typing import Any

import aiohttp
import orjson

from bench import procs
from bench.procs import Child, Children

ANNE = "1503044112"
PEOPLE: dict[str, dict[str, Any]] = {
    "jette": {"sub": "jette.hansen", "role": "contact_person", "municipality": "101"},
    "birgitte": {"sub": "birgitte.lund", "role": "manager", "municipality": "101"},
}
PROFILE = """query($cpr: CPR!) { youth(cpr: $cpr, purpose: PLANNING) { deadlines {
  rule state reason dueOn fulfilledOn daysOverdue legalReference { reference }
  evidence { register event date } } } }"""
REPORT = """query($from: YearMonth!, $to: YearMonth!) {
  deadlineCompliance(municipality: "101", from: $from, to: $to) {
    cells { rule month due met metLate overdue shareMet suppressed } } }"""
#: A report over 100,000 people asks each register for 1,000 people a call, and a single mock
#: process answers them one after another: more than a profile's deadline allows.
LARGE_REPORT_ENV = {"REGISTER_DEADLINE": "120", "REGISTER_READ_TIMEOUT": "120"}


def months(today: dt.date) -> dict[str, str]:
    """The 12 months ending with this one, as the report's `from` and `to`."""
    index = today.year * 12 + today.month - 1 - 11
    return {"from": f"{index // 12:04d}-{index % 12 + 1:02d}", "to": f"{today:%Y-%m}"}


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


async def rules_cpu(
    session: aiohttp.ClientSession, urls: dict[str, str], rounds: int = 2000
) -> dict[str, Any]:
    """Anne's facts mapped once from the registers' answers (as the gateway maps them), then
    her deadlines judged `rounds` times: the rules' CPU per profile, with no I/O."""
    from gateway.core.deadlines import judged
    from gateway.deadlines.source import load_rulebook
    from gateway.resolvers import deadline_facts
    from gateway.resolvers.base import MapContext
    from gateway.resolvers.dfdg import SPEC as DFDG
    from gateway.resolvers.udb import SPEC as UDB

    documents = {}
    for label, spec in (("dfdg", DFDG), ("udb", UDB)):
        sections = [s for reg, s in deadline_facts.READS if reg == label]
        body = {"cprListe": [ANNE], "sektioner": sections}
        async with session.post(f"{urls[label]}{spec.prefix}/personer/soeg", json=body) as answer:
            [document] = (await answer.json())["personer"]
        documents[label] = {s: spec.project(s, document) for s in sections}
    today = dt.date.today()
    context = MapContext(cpr=ANNE, today=today)
    rulebook = load_rulebook()
    started = time.process_time()
    for _ in range(rounds // 10):
        facts = deadline_facts.youth_facts(
            context,
            deadline_facts.employment_side(
                documents["dfdg"]["sagsforloeb"], documents["dfdg"]["plan"]
            ),
            deadline_facts.education_side(
                documents["udb"]["uddannelser"],
                documents["udb"]["stoettebehov"],
                documents["udb"]["frafald"],
            ),
        )
    mapping = (time.process_time() - started) / (rounds // 10)
    started = time.process_time()
    for _ in range(rounds):
        deadlines = judged(facts, rulebook, today)
    judging = (time.process_time() - started) / rounds
    return {
        "deadlines": len(deadlines),
        "facts_mapping_ms": ms(mapping),
        "rules_ms_per_profile": ms(judging),
    }


async def post(
    session: aiohttp.ClientSession, url: str, token: str, query: str, variables: dict[str, Any]
) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    async with session.post(
        f"{url}/graphql",
        data=orjson.dumps({"query": query, "variables": variables}),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        timeout=aiohttp.ClientTimeout(total=600),
    ) as response:
        payload = orjson.loads(await response.read())
    elapsed = time.perf_counter() - started
    if response.status != 200 or payload.get("errors"):
        raise RuntimeError(f"HTTP {response.status}: {payload.get('errors')}")
    return elapsed, payload


async def profile_through(
    session: aiohttp.ClientSession, gateway: Child, token: str, requests: int
) -> dict[str, Any]:
    """`youth { deadlines }` (jette → Anne), uncached: p50 and the gateway's CPU per request."""
    for _ in range(5):
        await post(session, gateway.url, token, PROFILE, {"cpr": ANNE})
    cpu = procs.cpu_seconds(gateway.pid)
    times = [
        (await post(session, gateway.url, token, PROFILE, {"cpr": ANNE}))[0]
        for _ in range(requests)
    ]
    return {
        "p50_ms": ms(sorted(times)[len(times) // 2]),
        "gateway_cpu_ms_per_request": ms((procs.cpu_seconds(gateway.pid) - cpu) / requests),
    }


async def report_through(
    session: aiohttp.ClientSession,
    gateway: Child,
    token: str,
    dfdg_url: str,
    rounds: int,
) -> dict[str, Any]:
    """The report for 101 over 12 months: wall time, gateway CPU and register calls a report
    (from the gateway's /metrics), and how many young people it read."""
    from bench.run import parse_metrics

    async with session.get(f"{dfdg_url}/dfdg/v1/kommuner/0101/sagshistorik") as answer:
        people = len((await answer.json())["cprListe"])
    variables = months(dt.date.today())
    await post(session, gateway.url, token, REPORT, variables)  # warm: imports, connections
    async with session.get(f"{gateway.url}/metrics") as answer:
        before = parse_metrics(await answer.text())
    cpu = procs.cpu_seconds(gateway.pid)
    times: list[float] = []
    cells: list[dict[str, Any]] = []
    for _ in range(rounds):
        elapsed, payload = await post(session, gateway.url, token, REPORT, variables)
        times.append(elapsed)
        cells = payload["data"]["deadlineCompliance"]["cells"]
    cpu_per = (procs.cpu_seconds(gateway.pid) - cpu) / rounds
    async with session.get(f"{gateway.url}/metrics") as answer:
        calls = parse_metrics(await answer.text())
    calls.subtract(before)
    return {
        "young_people": people,
        "months": 12,
        "cells": len(cells),
        "cells_shown": sum(1 for c in cells if not c["suppressed"]),
        "p50_s": round(sorted(times)[len(times) // 2], 3),
        "gateway_cpu_s_per_report": round(cpu_per, 3),
        "register_calls_per_report": {
            k: round(v / rounds, 2) for k, v in sorted(calls.items()) if v
        },
    }


async def figures(
    children: Children,
    session: aiohttp.ClientSession,
    tokens: dict[str, str],
    gateway: Child,
    urls: dict[str, str],
    env: dict[str, str],
    *,
    latency_ms: int,
    requests: int,
    large: int,
) -> dict[str, Any]:
    """Every figure of this module against a running uncached gateway and its mocks, then on
    `large` people with mocks and a gateway of their own (stopped afterwards)."""
    out: dict[str, Any] = {
        "profile": {
            **await rules_cpu(session, urls),
            **await profile_through(session, gateway, tokens["jette"], requests),
        },
        "report_default": await report_through(
            session, gateway, tokens["birgitte"], urls["dfdg"], rounds=3
        ),
    }
    if large:
        mocks, big_urls = procs.start_mocks(
            children, latency_ms=latency_ms, population=large, seed=42, name="mocks-large"
        )
        procs.wait_until(mocks, [f"{u}/healthz" for u in big_urls.values()], timeout=600)
        big = procs.start_gateway(children, "gw-large", big_urls, {**env, **LARGE_REPORT_ENV})
        procs.wait_until(big, [f"{big.url}/readyz"])
        try:
            out["report_large"] = {
                "population": large,
                **await report_through(
                    session, big, tokens["birgitte"], big_urls["dfdg"], rounds=2
                ),
                "settings": dict(LARGE_REPORT_ENV),
            }
        finally:
            children.stop(big)
            children.stop(mocks)
    return out


def table(out: dict[str, Any]) -> list[tuple[str, str]]:
    rows = []
    p = out["profile"]
    rows.append(
        (
            "deadlines, one profile",
            f"{p['deadlines']} deadlines: rules {p['rules_ms_per_profile']} ms CPU, facts "
            f"{p['facts_mapping_ms']} ms; through the gateway p50 {p['p50_ms']} ms, "
            f"{p['gateway_cpu_ms_per_request']} ms CPU",
        )
    )
    for key in ("report_default", "report_large"):
        r = out.get(key)
        if r:
            calls = ", ".join(f"{k}={v}" for k, v in r["register_calls_per_report"].items())
            rows.append(
                (
                    f"deadlineCompliance 101 x12 ({r['young_people']} people)",
                    f"{r['p50_s']} s, gateway CPU {r['gateway_cpu_s_per_report']} s, "
                    f"{r['cells_shown']}/{r['cells']} cells shown; calls {calls}",
                )
            )
    return rows


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.deadlines", description=__doc__)
    parser.add_argument("--latency-ms", type=int, default=20, help="added by every register")
    parser.add_argument("--requests", type=int, default=40, help="profiles for the p50")
    parser.add_argument("--population", type=int, default=2000)
    parser.add_argument("--large", type=int, default=100_000, help="0: skip the large report")
    return parser


async def _run(args: argparse.Namespace, workdir: Path, children: Children) -> dict[str, Any]:
    from gateway.auth import demo_jwks_document, sign_demo_token
    from gateway.settings import AUDIENCE, DEMO_ISSUER

    state = workdir / "state"
    tokens = {
        who: sign_demo_token(state, issuer=DEMO_ISSUER, audience=AUDIENCE, org=None, name=None, **p)
        for who, p in PEOPLE.items()
    }
    jwks = state / "demo-jwks.json"
    jwks.write_text(json.dumps(demo_jwks_document(state)))
    env = {
        "UNGEPROFIL_STATE_DIR": str(state),
        "AUDIT_URL": f"sqlite:///{workdir / 'audit.sqlite3'}",
        "CACHE_URL": "memory://",
        "CACHE_TTL": "0",
        "FACTS_TTL": "0",
        "JWKS_FILE": str(jwks),
    }
    mocks, urls = procs.start_mocks(
        children, latency_ms=args.latency_ms, population=args.population, seed=42
    )
    procs.wait_until(mocks, [f"{u}/healthz" for u in urls.values()])
    gateway = procs.start_gateway(children, "gw-uncached", urls, env)
    procs.wait_until(gateway, [f"{gateway.url}/readyz"])
    async with aiohttp.ClientSession(trust_env=False) as session:
        return await figures(
            children,
            session,
            tokens,
            gateway,
            urls,
            env,
            latency_ms=args.latency_ms,
            requests=args.requests,
            large=args.large,
        )


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return procs.run_standalone(
        "deadlines",
        lambda workdir, children: _run(args, workdir, children),
        lambda out: procs.aligned(table(out)),
    )


if __name__ == "__main__":
    raise SystemExit(main())
