"""`python -m bench.faults`: every register x every fault, ~50 full profiles each, p99 and what
answered.

The mock registers run over loopback (in a thread of their own); the gateway is the real app
over ASGITransport, built afresh for every scenario (fresh breaker, budget and cache), with no
answer cache so every request reaches the registers. Jette Hansen asks for Anne's full profile
(PLANNING): `grades` and `socialPlans` are FORBIDDEN to her whatever the registers do.

Columns: p50/p99/max latency of the full profile (ms); `upstream/req` = calls the broken register
served (its own `mock_requests_total`) per request; `answered` = fields with data in the last
answer (of 14; `stale` when they came from stale copies); `unavailable` = fields null with
REGISTER_UNAVAILABLE (`whole youth` when a facts register failed: fail closed).

With `--stale`, each scenario first fetches one healthy profile, so the fault is answered from
stale copies (data up to stale_ttl, relationship facts only within facts_ttl + grace).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import math
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from gateway.app import create_app
from gateway.audit.memory import MemoryAuditStore
from gateway.auth import sign_demo_token
from gateway.settings import AUDIENCE, DEMO_ISSUER, REGISTER_LABELS, Settings
from mocks.runner import MockConfig, MocksThread
from tests.e2e.queries import ALL_FIELDS, FULL_PROFILE

ANNE = "1503044112"
JETTE = {"sub": "jette.hansen", "role": "contact_person", "municipality": "101"}
VARIABLES = {"cpr": ANNE, "purpose": "PLANNING"}


def faults(deadline: float) -> dict[str, dict[str, Any]]:
    beyond = int(deadline * 1000) + 500
    return {
        "none": {},
        "500": {"fail": True},
        "hang": {"hang": True},
        f"slow {beyond} ms": {"latency_ms": beyond},
        "slow 150 ms": {"latency_ms": 150},
        "garbage": {"garbage": True},
        "refused": {},
    }


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


async def upstream(mocks: MocksThread, label: str) -> float:
    async with httpx.AsyncClient() as http:
        text = (await http.get(f"{mocks.urls[label]}/metrics")).text
    return sum(
        float(value)
        for route, value in re.findall(r'^mock_requests_total\{path="([^"]+)"\} (\S+)$', text, re.M)
        if not route.endswith(("/healthz", "/metrics")) and "_admin" not in route
    )


def summarise(body: dict[str, Any]) -> tuple[str, str]:
    errors = {".".join(map(str, e.get("path", []))): e for e in body.get("errors", [])}
    youth = (body.get("data") or {}).get("youth")
    if youth is None:
        return "0", "whole youth (" + errors.get("youth", {}).get("extensions", {}).get(
            "register", "?"
        ) + ")"
    answered = sum(youth.get(name) is not None for name in ALL_FIELDS)
    down = [
        name
        for name in ALL_FIELDS
        if errors.get(f"youth.{name}", {}).get("extensions", {}).get("code")
        == "REGISTER_UNAVAILABLE"
    ]
    stale = body.get("extensions", {}).get("stale")
    mark = " stale " + ",".join(s["register"] for s in stale) if stale else ""
    return f"{answered}{mark}", ",".join(down) or "-"


async def scenario(
    mocks: MocksThread,
    settings: Settings,
    token: str,
    label: str,
    fault: str,
    knobs: dict[str, Any],
    requests: int,
    warm: bool,
) -> dict[str, Any]:
    app = create_app(settings, audit=MemoryAuditStore(), today=dt.date.today)
    lifespan = app.router.lifespan_context(app)
    await lifespan.__aenter__()
    headers = {"Authorization": f"Bearer {token}"}
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://gw", timeout=60
        ) as http:

            async def ask() -> dict[str, Any]:
                response = await http.post(
                    "/graphql",
                    json={"query": FULL_PROFILE, "variables": VARIABLES},
                    headers=headers,
                )
                body: dict[str, Any] = response.json()
                return body

            if warm:
                await ask()
            before = await upstream(mocks, label)
            if fault == "refused":
                mocks.refuse(label)
            elif knobs:
                mocks.faults[label].update(knobs)
            latencies, body = [], {}
            for _ in range(requests):
                started = time.perf_counter()
                body = await ask()
                latencies.append(time.perf_counter() - started)
            mocks.reset_faults()
            mocks.restore(label)
            calls = await upstream(mocks, label) - before
    finally:
        await lifespan.__aexit__(None, None, None)
    answered, down = summarise(body)
    return {
        "register": label,
        "fault": fault,
        "p50_ms": p(latencies, 0.5) * 1000,
        "p99_ms": p(latencies, 0.99) * 1000,
        "max_ms": max(latencies) * 1000,
        "upstream_per_request": calls / requests,
        "answered": answered,
        "unavailable": down,
    }


async def main(args: argparse.Namespace) -> None:
    logging.basicConfig(level=logging.CRITICAL)
    config = MockConfig(population=args.population, seed=7, base_port=None)
    with MocksThread(config) as mocks, tempfile.TemporaryDirectory() as state:
        # The mocks log a traceback for every client that hangs up mid-answer: by design here.
        logging.getLogger("uvicorn.error").addFilter(lambda record: False)
        token = sign_demo_token(
            Path(state), issuer=DEMO_ISSUER, audience=AUDIENCE, name="Jette Hansen", **JETTE
        )
        settings = Settings(
            register_urls=mocks.urls,
            state_dir=Path(state),
            audit_url="memory://",
            cache_ttl=0.0,
            facts_ttl=0.0,
            connect_timeout=args.connect,
            read_timeout=args.read,
            register_deadline=args.deadline,
            stale_ttl=600.0 if args.stale else 0.0,
        )
        print(
            f"# {args.requests} full profiles (Jette -> Anne) per row, one at a time; "
            f"deadline {args.deadline:g} s, read {args.read:g} s, connect {args.connect:g} s, "
            f"breaker {settings.breaker_failures} failures / {settings.breaker_cooldown:g} s, "
            f"stale answers {'on' if args.stale else 'off'}",
            flush=True,
        )
        header = (
            f"{'register':<14}{'fault':<14}{'p50 ms':>8}{'p99 ms':>8}{'max ms':>8}"
            f"{'up/req':>8}  {'answered':<20}unavailable"
        )
        print(header, flush=True)
        print("-" * len(header), flush=True)
        labels = args.registers or list(REGISTER_LABELS)
        for label in labels:
            for fault, knobs in faults(args.deadline).items():
                if args.faults and fault.split()[0] not in args.faults:
                    continue
                row = await scenario(
                    mocks, settings, token, label, fault, knobs, args.requests, args.stale
                )
                print(
                    f"{row['register']:<14}{row['fault']:<14}{row['p50_ms']:>8.0f}"
                    f"{row['p99_ms']:>8.0f}{row['max_ms']:>8.0f}"
                    f"{row['upstream_per_request']:>8.2f}  {row['answered']:<20}"
                    f"{row['unavailable']}",
                    flush=True,
                )


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--deadline", type=float, default=1.0, help="register deadline (s)")
    parser.add_argument("--read", type=float, default=0.8, help="read timeout (s)")
    parser.add_argument("--connect", type=float, default=0.3, help="connect timeout (s)")
    parser.add_argument("--population", type=int, default=1500)
    parser.add_argument("--stale", action="store_true", help="warm up, then serve stale answers")
    parser.add_argument("--registers", nargs="*", choices=REGISTER_LABELS)
    parser.add_argument("--faults", nargs="*", help="none 500 hang slow garbage refused")
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.run(main(parse(sys.argv[1:])))
