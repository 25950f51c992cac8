"""The Jobnet pages' figures (a phase of `make bench`, or `python -m bench.pages`): for each
page of Anne's, on the warmed
gateway with default TTLs, the p50 of the page and the p50 of the one persisted GraphQL
operation it runs (the same request a client could make), interleaved so both share the
machine's noise; their difference is what the page itself costs (the in-process hop to
/graphql, reading the answer, rendering the template). And the gateway's CPU per page.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import aiohttp
import orjson

from bench import procs
from bench.procs import Child, Children

ANNE = "1503044112"
COOKIE = "jobnet_session"
#: Each page and the persisted operation it runs (gateway/jobnet/routes.py).
PAGES = {
    "/jobnet": ("JobnetWelcome", {}),
    "/jobnet/oplysninger": ("JobnetAboutYou", {}),
    "/jobnet/fra-dig": ("JobnetFromYou", {}),
    "/jobnet/plan": ("JobnetPlan", {}),
    "/jobnet/adgang": ("JobnetAccessLog", {"first": 20, "after": None}),
}


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(q * len(ordered) + 0.999999) - 1)]


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def _hashes() -> dict[str, str]:
    from gateway.persisted import PersistedOperations

    return PersistedOperations.load(None).by_name("Jobnet")


async def figures(
    session: aiohttp.ClientSession, gateway: Child, state_dir: Path, requests: int
) -> dict[str, Any]:
    from gateway.auth import sign_demo_token
    from gateway.settings import AUDIENCE, DEMO_ISSUER

    token = sign_demo_token(
        state_dir, sub=ANNE, role="youth", issuer=DEMO_ISSUER, audience=AUDIENCE
    )
    hashes = _hashes()

    async def page(path: str) -> float:
        started = time.perf_counter()
        async with session.get(
            gateway.url + path, headers={"cookie": f"{COOKIE}={token}"}, allow_redirects=False
        ) as response:
            await response.read()
        if response.status != 200:
            raise RuntimeError(f"page {path} answered {response.status}")
        return time.perf_counter() - started

    async def operation(name: str, variables: dict[str, Any]) -> float:
        body = {
            "operationName": name,
            "variables": variables,
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": hashes[name]}},
        }
        started = time.perf_counter()
        async with session.post(
            gateway.url + "/graphql",
            data=orjson.dumps(body),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        ) as response:
            payload = orjson.loads(await response.read())
        if response.status != 200 or payload.get("data") is None:
            raise RuntimeError(f"{name} failed: {payload.get('errors')}")
        return time.perf_counter() - started

    out: dict[str, Any] = {"who": "Anne (youth), default TTLs, warmed", "requests": requests}
    for path, (name, variables) in PAGES.items():
        for _ in range(5):  # warm: caches, templates, the in-process client
            await page(path)
            await operation(name, variables)
        pages: list[float] = []
        ops: list[float] = []
        cpu = procs.cpu_seconds(gateway.pid)
        for _ in range(requests):
            pages.append(await page(path))
            ops.append(await operation(name, variables))
        cpu_both = (procs.cpu_seconds(gateway.pid) - cpu) / requests
        cpu = procs.cpu_seconds(gateway.pid)
        for _ in range(requests):
            await operation(name, variables)
        cpu_op = (procs.cpu_seconds(gateway.pid) - cpu) / requests
        out[path] = {
            "operation": name,
            "page_p50_ms": _ms(_pct(pages, 0.5)),
            "page_p99_ms": _ms(_pct(pages, 0.99)),
            "graphql_p50_ms": _ms(_pct(ops, 0.5)),
            "page_over_graphql_p50_ms": _ms(_pct(pages, 0.5) - _pct(ops, 0.5)),
            "cpu_ms_per_page": _ms(cpu_both - cpu_op),
            "cpu_ms_per_graphql": _ms(cpu_op),
        }
    return out


def table(figures: dict[str, Any]) -> list[tuple[str, str]]:
    rows = []
    for path in PAGES:
        f = figures.get(path)
        if f:
            rows.append(
                (
                    f"page {path}",
                    f"p50 {f['page_p50_ms']} ms (its {f['operation']} {f['graphql_p50_ms']} ms, "
                    f"+{f['page_over_graphql_p50_ms']} ms), CPU {f['cpu_ms_per_page']} ms",
                )
            )
    return rows


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.pages", description=__doc__)
    parser.add_argument("--latency-ms", type=int, default=20, help="added by every register")
    parser.add_argument("--requests", type=int, default=40, help="of each page, for the p50")
    parser.add_argument("--population", type=int, default=2000)
    return parser


async def _run(args: argparse.Namespace, workdir: Path, children: Children) -> dict[str, Any]:
    from gateway.auth import demo_jwks_document

    state = workdir / "state"
    state.mkdir(parents=True, exist_ok=True)
    jwks = state / "demo-jwks.json"
    jwks.write_text(json.dumps(demo_jwks_document(state)))
    env = {
        "UNGEPROFIL_STATE_DIR": str(state),
        "AUDIT_URL": f"sqlite:///{workdir / 'audit.sqlite3'}",
        "CACHE_URL": "memory://",
        "JWKS_FILE": str(jwks),
    }
    mocks, urls = procs.start_mocks(
        children, latency_ms=args.latency_ms, population=args.population, seed=42
    )
    procs.wait_until(mocks, [f"{u}/healthz" for u in urls.values()])
    gateway = procs.start_gateway(children, "gw-cached", urls, env)
    procs.wait_until(gateway, [f"{gateway.url}/readyz"])
    async with aiohttp.ClientSession(trust_env=False) as session:
        return await figures(session, gateway, state, args.requests)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return procs.run_standalone(
        "pages",
        lambda workdir, children: _run(args, workdir, children),
        lambda out: procs.aligned(table(out)),
    )


if __name__ == "__main__":
    raise SystemExit(main())
