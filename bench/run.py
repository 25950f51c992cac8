"""`make bench`: start the mocks and gateways as separate processes, drive them, print figures.

One JSON line on stdout (the figures), a readable table on stderr. Everything on loopback,
bounded in requests and seconds; every child process is stopped on the way out, also on
Ctrl-C or failure. See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import math
import os
import re
import secrets
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import orjson

from bench import procs
from bench.procs import Child, Children
from bench.profile import buckets, top_frames
from tests.e2e.queries import FULL_PROFILE, PROFILE_FIELDS, YOUTH

ANNE, ALI, FREJA, JONAS = "1503044112", "0211014127", "2706064136", "0909034145"

PEOPLE: dict[str, dict[str, Any]] = {
    "jette": {"sub": "jette.hansen", "role": "contact_person", "municipality": "101"},
    "mikkel": {"sub": "mikkel.holm", "role": "mentor", "municipality": "101"},
    "fagsystem": {"sub": "fagsystem-101", "role": "case_system", "municipality": "101"},
    "birgitte": {"sub": "birgitte.lund", "role": "manager", "municipality": "101"},
}

YOUTHS = (
    "query($cprs: [CPR!]!, $purpose: Purpose!) { youths(cprs: $cprs, purpose: $purpose) { %s } }"
)

TARGETS = {
    "uncached_p50_over_floor": 1.1,
    "cached_p50_ms": 3.0,
    "policy_ms_per_decision": 0.3,
    "profiles_per_s_c32": 500.0,
    "youths_calls_per_register": 1.0,
    "youths_over_one_profile": 2.0,
}


# --- small helpers -------------------------------------------------------------------------------


def pct(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def bad_errors(payload: dict[str, Any]) -> list[str]:
    """Errors that are not the policy saying no (a FORBIDDEN field is an answer, not a failure)."""
    codes = [e.get("extensions", {}).get("code", "?") for e in payload.get("errors", [])]
    return [c for c in codes if c != "FORBIDDEN"]


def selections(fields: str) -> list[tuple[str, str]]:
    """The top-level selections of a selection-set text, as (field name, text)."""
    out: list[list[str]] = []
    depth = 0
    for token in re.findall(r"[{}]|[^\s{}]+", fields):
        if depth == 0 and token not in "{}":
            out.append([token, token])
            continue
        out[-1][1] += " " + token
        depth += 1 if token == "{" else -1 if token == "}" else 0
    return [(name, text) for name, text in out]


def fields_for(allowed: set[str]) -> str:
    """PROFILE_FIELDS with only the categories in `allowed` (and `cpr`)."""
    return " ".join(t for n, t in selections(PROFILE_FIELDS) if n in allowed or n == "cpr")


def metric_total(text: str, name: str) -> float:
    """The sum of every series of one metric (e.g. a histogram's `_sum` over all labels)."""
    total = 0.0
    for line in text.splitlines():
        if line.startswith((name + "{", name + " ")):
            total += float(line.rsplit(" ", 1)[1])
    return total


def parse_metrics(text: str, name: str = "ungeprofil_register_requests_total") -> Counter[str]:
    """`register:kind` → count, from one worker's /metrics."""
    counts: Counter[str] = Counter()
    for line in text.splitlines():
        if not line.startswith(name + "{"):
            continue
        labels_text, value = line[len(name) + 1 :].rsplit("} ", 1)
        labels = dict(part.split("=", 1) for part in labels_text.split(",") if "=" in part)
        labels = {k: v.strip('"') for k, v in labels.items()}
        counts[f"{labels.get('register')}:{labels.get('kind')}"] += int(float(value))
    return counts


# --- the client side -----------------------------------------------------------------------------


@dataclass
class Gql:
    session: aiohttp.ClientSession
    tokens: dict[str, str]

    async def post(
        self, url: str, who: str, query: str, variables: dict[str, Any]
    ) -> tuple[float, int, dict[str, Any]]:
        started = time.perf_counter()
        async with self.session.post(
            f"{url}/graphql",
            data=orjson.dumps({"query": query, "variables": variables}),
            headers={
                "Authorization": f"Bearer {self.tokens[who]}",
                "Content-Type": "application/json",
            },
        ) as response:
            body = await response.read()
        elapsed = time.perf_counter() - started
        try:
            payload = orjson.loads(body)
        except orjson.JSONDecodeError:
            payload = {"errors": [{"extensions": {"code": "NOT_JSON"}}]}
        return elapsed, response.status, payload

    async def metrics(self, url: str) -> Counter[str]:
        return parse_metrics(await self.metrics_text(url))

    async def metrics_text(self, url: str) -> str:
        async with self.session.get(f"{url}/metrics") as response:
            return await response.text()


@dataclass
class Recorded:
    """The register calls one uncached full profile makes, as the gateway made them."""

    facts: list[tuple[str, str, bytes]] = field(default_factory=list)
    data: list[tuple[str, str, bytes]] = field(default_factory=list)
    policy_inputs: list[dict[str, Any]] = field(default_factory=list)


async def record_profile(
    urls: dict[str, str], state_dir: Path, token: str, query: str, variables: dict[str, Any]
) -> Recorded:
    """Runs the gateway in this process once, over a transport that writes down each register
    call, so the floor replays exactly the calls the gateway makes (and the policy input)."""
    from gateway.app import create_app
    from gateway.audit.memory import MemoryAuditStore
    from gateway.policies.engine import create_engine
    from gateway.settings import Settings

    recorded = Recorded()
    inner = create_engine()

    class Engine:
        policy_version = getattr(inner, "policy_version", "")

        async def decide(self, input: Any) -> Any:
            recorded.policy_inputs.append(dict(input))
            return await inner.decide(input)

        async def decide_many(self, inputs: Any) -> Any:
            recorded.policy_inputs.extend(dict(i) for i in inputs)
            return await inner.decide_many(inputs)

    class Recorder(httpx.AsyncBaseTransport):
        def __init__(self) -> None:
            self.inner = httpx.AsyncHTTPTransport()

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            body = bytes(await request.aread())
            call = (request.method, str(request.url), body)
            if "/relationer/" in request.url.path:
                recorded.facts.append(call)
            elif not request.url.path.endswith("/healthz"):
                recorded.data.append(call)
            return await self.inner.handle_async_request(request)

        async def aclose(self) -> None:
            await self.inner.aclose()

    settings = Settings(
        register_urls=urls,
        state_dir=state_dir,
        audit_url="memory://",
        cache_ttl=0.0,
        facts_ttl=0.0,
    )
    app = create_app(settings, engine=Engine(), audit=MemoryAuditStore(), transport=Recorder())  # type: ignore[arg-type]
    lifespan = app.router.lifespan_context(app)
    await lifespan.__aenter__()
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://gw"
        ) as http:
            response = await http.post(
                "/graphql",
                json={"query": query, "variables": variables},
                headers={"Authorization": f"Bearer {token}"},
            )
            payload = response.json()
            if bad_errors(payload):
                raise RuntimeError(f"recording run failed: {payload.get('errors')}")
    finally:
        await lifespan.__aexit__(None, None, None)
    return recorded


class Floor:
    """The same register calls, made directly from here with a lean client: no gateway."""

    def __init__(self, session: aiohttp.ClientSession, recorded: Recorded) -> None:
        self.session = session
        self.recorded = recorded

    async def _call(self, method: str, url: str, body: bytes) -> None:
        async with self.session.request(
            method,
            url,
            data=body or None,
            headers={"content-type": "application/json", "accept": "application/json"},
        ) as response:
            orjson.loads(await response.read())
            if response.status not in (200, 404):
                raise RuntimeError(f"floor call answered {response.status}")

    async def two_stage(self) -> float:
        """Relationship facts in parallel, then the data calls in parallel (policy before fetch)."""
        started = time.perf_counter()
        await asyncio.gather(*(self._call(*c) for c in self.recorded.facts))
        await asyncio.gather(*(self._call(*c) for c in self.recorded.data))
        return time.perf_counter() - started

    async def one_stage(self) -> float:
        started = time.perf_counter()
        await asyncio.gather(*(self._call(*c) for c in self.recorded.facts + self.recorded.data))
        return time.perf_counter() - started


async def client_cpu_per_call(
    recorded: Recorded, calls: int = 300, concurrency: int = 8
) -> dict[str, float]:
    """CPU ms per register call in this process, on each of the gateway's register transports:
    httpx's own client vs aiohttp called directly (gateway/transport.py)."""
    from gateway.transport import (
        AiohttpRegisterTransport,
        HttpxRegisterTransport,
        RegisterTransport,
    )

    method, url, body = recorded.data[0]
    out: dict[str, float] = {}
    for name in ("httpx", "aiohttp"):
        transport: RegisterTransport = (
            AiohttpRegisterTransport(max_connections=200)
            if name == "aiohttp"
            else HttpxRegisterTransport(
                httpx.AsyncClient(
                    timeout=httpx.Timeout(3.0, connect=0.5, read=2.5),
                    limits=httpx.Limits(max_connections=200, max_keepalive_connections=200),
                )
            )
        )

        async def one(
            transport: RegisterTransport = transport,
            gate: asyncio.Semaphore = asyncio.Semaphore(concurrency),
        ) -> None:
            async with gate:
                _, answer = await transport.send(method, url, body)
                orjson.loads(answer)

        await asyncio.gather(*(one() for _ in range(20)))  # connections, warm paths
        cpu = time.process_time()
        await asyncio.gather(*(one() for _ in range(calls)))
        out[name] = round((time.process_time() - cpu) / calls * 1000, 3)
        await transport.aclose()
    return out


async def policy_ms(policy_input: dict[str, Any], rounds: int = 50) -> dict[str, float]:
    """One policy evaluation (no decision cache) and one decision-cache hit, in this process."""
    from gateway.policies.engine import embedded_engine
    from gateway.policies.regopy_evaluator import RegopyEvaluator
    from gateway.policies.sources import load_catalogue

    evaluator = RegopyEvaluator(load_catalogue())
    evaluator.evaluate(policy_input)
    started = time.perf_counter()
    for _ in range(rounds):
        evaluator.evaluate(policy_input)
    evaluate = (time.perf_counter() - started) / rounds
    engine = embedded_engine()
    await engine.decide(policy_input)
    started = time.perf_counter()
    for _ in range(rounds):
        await engine.decide(policy_input)
    hit = (time.perf_counter() - started) / rounds
    # A case system's batch: 200 young people never decided before, one request (caller,
    # purpose, date), the same relationship: what `youths` pays per young person.
    people = [dict(policy_input, cpr=policy_input["cpr"][:6] + f"{i:04d}") for i in range(200)]
    engine = embedded_engine()
    started = time.perf_counter()
    await engine.decide_many(people)
    batch = (time.perf_counter() - started) / len(people)
    return {
        "evaluate_ms": round(evaluate * 1000, 3),
        "cache_hit_ms": round(hit * 1000, 3),
        "batch_of_200_ms_per_person": round(batch * 1000, 3),
    }


@dataclass
class Load:
    requests: int = 0
    errors: int = 0
    latencies: list[float] = field(default_factory=list)
    error_codes: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def summary(self) -> dict[str, Any]:
        return {
            "profiles_per_s": round(self.requests / self.seconds, 1) if self.seconds else 0.0,
            "requests": self.requests,
            "errors": self.errors,
            "error_codes": dict(self.error_codes.most_common(5)),
            "p50_ms": ms(pct(self.latencies, 0.5)),
            "p99_ms": ms(pct(self.latencies, 0.99)),
        }


async def drive(
    gql: Gql,
    url: str,
    mix: Sequence[tuple[str, str, str]],
    *,
    concurrency: int,
    seconds: float,
    warmup: float,
) -> Load:
    """`concurrency` loops each sending the next (who, cpr, purpose) of the mix; counted after
    `warmup` seconds for `seconds` seconds."""
    gate = asyncio.Semaphore(concurrency)

    async def prime(who: str, cpr: str, purpose: str) -> None:
        async with gate:
            await gql.post(url, who, FULL_PROFILE, {"cpr": cpr, "purpose": purpose})

    await asyncio.gather(*(prime(*item) for item in mix))  # every person once: a warm cache
    items = itertools.cycle(mix)
    load = Load()
    start = time.perf_counter()
    counting_from = start + warmup
    end = counting_from + seconds

    async def loop() -> None:
        while (now := time.perf_counter()) < end:
            who, cpr, purpose = next(items)
            try:
                elapsed, status, payload = await gql.post(
                    url, who, FULL_PROFILE, {"cpr": cpr, "purpose": purpose}
                )
                problems = bad_errors(payload) if status == 200 else [f"HTTP {status}"]
            except (aiohttp.ClientError, TimeoutError) as exc:
                elapsed, problems = time.perf_counter() - now, [type(exc).__name__]
            if now >= counting_from:
                load.requests += 1
                load.latencies.append(elapsed)
                if problems:
                    load.errors += 1
                    load.error_codes.update(problems)

    await asyncio.gather(*(loop() for _ in range(concurrency)))
    load.seconds = time.perf_counter() - counting_from
    return load


async def sequential(
    gql: Gql,
    url: str,
    who: str,
    query: str,
    variables: dict[str, Any],
    n: int,
    *,
    between: Callable[[], Awaitable[None]] | None = None,
) -> list[float]:
    times: list[float] = []
    for _ in range(n):
        elapsed, status, payload = await gql.post(url, who, query, variables)
        if status != 200 or bad_errors(payload):
            raise RuntimeError(f"profile failed: HTTP {status} {payload.get('errors')}")
        times.append(elapsed)
        if between is not None:
            await between()
    return times


# --- the run -------------------------------------------------------------------------------------


#: The phases of a run, in order: one progress line each on stderr (`Bench.phase`), so a long
#: wait always says what it is waiting for and how far the run has got.
PHASES = (
    "mocks",
    "gateways",
    "probe",
    "uncached",
    "httpx",
    "memory audit",
    "youths",
    "deadlines",
    "cached",
    "pages",
    "throughput",
    "router",
    "workers",
    "profile",
)


@dataclass
class Bench:
    args: argparse.Namespace
    workdir: Path
    children: Children
    out: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    pg_schema: str | None = None
    started: float = field(default_factory=time.perf_counter)

    def phase(self, name: str, doing: str) -> None:
        """`bench: [step/steps, elapsed] phase — what it does` on stderr, as the phase starts."""
        step = PHASES.index(name) + 1
        elapsed = time.perf_counter() - self.started
        print(
            f"bench: [{step}/{len(PHASES)}, {elapsed:.0f} s] {name} — {doing}",
            file=sys.stderr,
            flush=True,
        )

    @property
    def state_dir(self) -> Path:
        return self.workdir / "state"

    def env(self, name: str, *, uncached: bool, transport: str = "aiohttp") -> dict[str, str]:
        env = {
            "UNGEPROFIL_STATE_DIR": str(self.state_dir),
            "AUDIT_URL": f"sqlite:///{self.workdir / (name + '-audit.sqlite3')}",
            "CACHE_URL": "memory://",
            "REGISTER_HTTP_TRANSPORT": transport,
        }
        if uncached:
            env |= {"CACHE_TTL": "0", "FACTS_TTL": "0"}
        # `serve` in production mode takes its token keys from a JWKS: the demo key's public
        # half, so the demo tokens signed above are what an identity provider's would be.
        env["JWKS_FILE"] = str(self.jwks_file())
        return env

    def jwks_file(self) -> Path:
        from gateway.auth import demo_jwks_document

        path = self.state_dir / "demo-jwks.json"
        if not path.exists():
            path.write_text(json.dumps(demo_jwks_document(self.state_dir)))
        return path

    def gateway(self, name: str, env: dict[str, str], **kw: Any) -> Child:
        return procs.start_gateway(self.children, name, self.urls, env, **kw)

    def ready(self, *gateways: Child) -> None:
        for child in gateways:
            procs.wait_until(child, [f"{child.url}/readyz"])

    async def run(self) -> dict[str, Any]:
        args = self.args
        t0 = time.perf_counter()
        from gateway.auth import sign_demo_token
        from gateway.settings import AUDIENCE, DEMO_ISSUER

        tokens = {
            who: sign_demo_token(
                self.state_dir, issuer=DEMO_ISSUER, audience=AUDIENCE, org=None, name=None, **p
            )
            for who, p in PEOPLE.items()
        }
        self.phase(
            "mocks", f"start the mock registers ({args.population} people), wait for /healthz"
        )
        mocks, self.urls = procs.start_mocks(
            self.children,
            latency_ms=args.latency_ms,
            population=args.population,
            seed=args.seed,
        )
        procs.wait_until(mocks, [f"{u}/healthz" for u in self.urls.values()])
        self.phase("gateways", "start 4 gateways (uncached, httpx, cached, memory audit)")
        g_unc = self.gateway("gw-uncached", self.env("unc", uncached=True))
        g_httpx = self.gateway(
            "gw-uncached-httpx", self.env("unh", uncached=True, transport="httpx")
        )
        g_cached = self.gateway("gw-cached", self.env("cached", uncached=False))
        g_memaudit = self.gateway(
            "gw-uncached-memory-audit", self.env("mem", uncached=True) | {"AUDIT_URL": "memory://"}
        )
        self.out["setup"] = {
            "latency_ms": args.latency_ms,
            "population": args.population,
            "cpus": os.cpu_count(),
            "requests_per_latency_figure": args.requests,
        }
        connector = aiohttp.TCPConnector(limit=max(64, args.concurrency * 2))
        async with aiohttp.ClientSession(connector=connector, trust_env=False) as session:
            gql = Gql(session, tokens)

            # What Jette may see of Anne (the profile every latency figure uses).
            variables = {"cpr": ANNE, "purpose": "PLANNING"}
            self.ready(g_unc, g_httpx, g_cached, g_memaudit)
            self.phase("probe", "record one profile's register calls and policy inputs")
            _, _, probe = await gql.post(g_unc.url, "jette", FULL_PROFILE, variables)
            denied = {e["path"][1] for e in probe.get("errors", []) if len(e.get("path", [])) > 1}
            youth = probe["data"]["youth"]
            allowed = {k for k, v in youth.items() if v is not None and k != "cpr"} - denied
            profile = YOUTH % fields_for(allowed)
            recorded = await record_profile(
                self.urls, self.state_dir, tokens["jette"], profile, variables
            )
            self.out["profile"] = {
                "who": "jette.hansen → Anne, PLANNING",
                "categories": sorted(allowed),
                "register_calls": {
                    "facts": [c[1].split("/", 3)[3] for c in recorded.facts],
                    "data": [c[1].split("/", 3)[3] for c in recorded.data],
                },
            }

            # In this process: policy and client costs.
            if recorded.policy_inputs:
                self.out["policy_ms_per_decision"] = await policy_ms(recorded.policy_inputs[0])
            client_cpu = await client_cpu_per_call(recorded)

            # Uncached profile vs the floor, interleaved so they share the machine's noise.
            floor = Floor(session, recorded)
            self.phase(
                "uncached", f"{args.requests} profiles interleaved with the floor (no gateway)"
            )
            await sequential(gql, g_unc.url, "jette", profile, variables, 5)
            for _ in range(5):
                await floor.two_stage()
            two: list[float] = []
            one: list[float] = []

            async def floors() -> None:
                two.append(await floor.two_stage())
                one.append(await floor.one_stage())

            pid = g_unc.pid
            before_text = await gql.metrics_text(g_unc.url)
            before_calls = parse_metrics(before_text)
            cpu = procs.cpu_seconds(pid)
            unc = await sequential(
                gql, g_unc.url, "jette", profile, variables, args.requests, between=floors
            )
            cpu_unc = (procs.cpu_seconds(pid) - cpu) / args.requests
            after_text = await gql.metrics_text(g_unc.url)
            calls = parse_metrics(after_text)
            calls.subtract(before_calls)

            def mean_ms(metric: str) -> float:
                total = metric_total(after_text, metric + "_sum")
                total -= metric_total(before_text, metric + "_sum")
                count = metric_total(after_text, metric + "_count")
                count -= metric_total(before_text, metric + "_count")
                return ms(total / count) if count else float("nan")

            self.out["uncached"] = {
                "p50_ms": ms(pct(unc, 0.5)),
                "p99_ms": ms(pct(unc, 0.99)),
                "cpu_ms_per_profile": ms(cpu_unc),
                # From the gateway's /metrics: GraphQL execution alone (auth, audit write and
                # the response are outside it), and one register call as the gateway saw it.
                "execute_mean_ms": mean_ms("ungeprofil_graphql_operation_seconds"),
                "register_call_mean_ms": mean_ms("ungeprofil_register_request_seconds"),
                "register_calls_per_profile": {
                    k: round(v / args.requests, 2) for k, v in sorted(calls.items()) if v
                },
            }
            self.out["floor"] = {
                "two_stage_p50_ms": ms(pct(two, 0.5)),
                "two_stage_p99_ms": ms(pct(two, 0.99)),
                "one_stage_p50_ms": ms(pct(one, 0.5)),
                "one_stage_p99_ms": ms(pct(one, 0.99)),
                "ratio_two_stage": round(pct(unc, 0.5) / pct(two, 0.5), 3),
                "ratio_one_stage": round(pct(unc, 0.5) / pct(one, 0.5), 3),
            }

            # The same on httpx's own transport (REGISTER_HTTP_TRANSPORT=httpx).
            self.phase("httpx", f"{args.requests} uncached profiles on httpx's transport")
            await sequential(gql, g_httpx.url, "jette", profile, variables, 5)
            cpu = procs.cpu_seconds(g_httpx.pid)
            unh = await sequential(gql, g_httpx.url, "jette", profile, variables, args.requests)
            cpu_unh = (procs.cpu_seconds(g_httpx.pid) - cpu) / args.requests
            self.children.stop(g_httpx)

            # The same with the audit in memory: what the durable (fsynced) audit write costs.
            self.phase("memory audit", f"{args.requests} uncached profiles, audit in memory")
            await sequential(gql, g_memaudit.url, "jette", profile, variables, 5)
            mem = await sequential(gql, g_memaudit.url, "jette", profile, variables, args.requests)
            self.children.stop(g_memaudit)
            self.out["uncached"]["p50_ms_with_memory_audit"] = ms(pct(mem, 0.5))
            self.out["transport"] = {
                "default": "aiohttp",
                "client_cpu_ms_per_register_call": client_cpu,
                "aiohttp": {
                    "uncached_p50_ms": ms(pct(unc, 0.5)),
                    "cpu_ms_per_profile": ms(cpu_unc),
                },
                "httpx": {"uncached_p50_ms": ms(pct(unh, 0.5)), "cpu_ms_per_profile": ms(cpu_unh)},
            }

            # youths with 200 CPRs, uncached, calls read from the gateway's /metrics.
            self.phase("youths", "youths with 200 CPRs, uncached")
            await self.youths(gql, g_unc, session, pct(unc, 0.5))

            # Deadline signals: one profile's, and a team leader's report (bench/deadlines.py).
            self.phase(
                "deadlines",
                f"deadlines of one profile; deadlineCompliance on {args.population} and "
                f"{args.deadlines_population} people",
            )
            from bench import deadlines

            self.out["deadlines"] = await deadlines.figures(
                self.children,
                session,
                tokens,
                g_unc,
                self.urls,
                self.env("large", uncached=True),
                latency_ms=args.latency_ms,
                requests=args.requests,
                large=args.deadlines_population,
            )
            self.children.stop(g_unc)

            # Cached: default TTLs, warmed.
            self.phase("cached", f"{args.cached_requests} profiles, default TTLs, warmed")
            await sequential(gql, g_cached.url, "jette", profile, variables, 10)
            cpu = procs.cpu_seconds(g_cached.pid)
            cached = await sequential(
                gql, g_cached.url, "jette", profile, variables, args.cached_requests
            )
            cpu_cached = (procs.cpu_seconds(g_cached.pid) - cpu) / args.cached_requests
            self.out["cached"] = {
                "p50_ms": ms(pct(cached, 0.5)),
                "p99_ms": ms(pct(cached, 0.99)),
                "cpu_ms_per_profile": ms(cpu_cached),
            }

            # The Jobnet pages of Anne's, each against the GraphQL request it makes.
            self.phase("pages", f"{args.requests} of each Jobnet page and of its operation")
            from bench import pages

            self.out["pages"] = await pages.figures(
                session, g_cached, self.state_dir, args.requests
            )

            # Throughput at concurrency 32: one worker, then N workers.
            self.phase(
                "throughput",
                f"{args.duration:g} s at concurrency {args.concurrency}, one worker",
            )
            mix = await self.mix(session)
            one_worker = await drive(
                gql,
                g_cached.url,
                mix,
                concurrency=args.concurrency,
                seconds=args.duration,
                warmup=args.warmup,
            )
            # Through a real router (Hive Gateway) in front of the same warmed gateway.
            router = await self.router(gql, g_cached, profile, variables, mix)
            if router is not None:
                self.out["router"] = router
            self.children.stop(g_cached)
            self.out["throughput"] = {
                "concurrency": args.concurrency,
                "cache": "default TTLs (30 s answers, 10 s facts), warmed",
                "mix": f"jette→Anne/Ali/Freja/Jonas, mikkel→Anne, fagsystem-101→"
                f"{args.generated} generated people with open cases",
                "one_worker": {**one_worker.summary(), "backends": "memory cache, SQLite audit"},
            }
            if args.workers > 1:
                self.phase("workers", f"{args.duration:g} s through {args.workers} workers")
                self.out["throughput"]["n_workers"] = await self.many_workers(gql, mix)
            else:
                self.phase("workers", "skipped (--workers 1)")

        # The profile of the uncached path, in a gateway of its own under py-spy.
        if not args.no_profile:
            self.phase("profile", "the uncached path under py-spy, in a gateway of its own")
            await self.profile(tokens, profile, variables)
        else:
            self.phase("profile", "skipped (--no-profile)")
        self.out["targets"] = self.targets()
        self.out["notes"] = self.notes
        self.out["bench_seconds"] = round(time.perf_counter() - t0, 1)
        return self.out

    async def router(
        self,
        gql: Gql,
        gateway: Child,
        profile: str,
        variables: dict[str, Any],
        mix: list[tuple[str, str, str]],
    ) -> dict[str, Any] | None:
        """The cached profile through Hive Gateway (our gateway and the Jobnet fixture
        subgraph composed into a supergraph) against the same gateway straight, interleaved;
        and throughput at the same concurrency through the router."""
        from schema.build import sdl
        from tests.federation import supergraph as fed
        from tests.federation.jobnet_subgraph import sdl as jobnet_sdl

        self.phase("router", "npm ci (first run only), compose, start Hive Gateway")
        try:
            modules = fed.node_modules()
        except (fed.NodeMissing, RuntimeError) as problem:
            self.notes.append(f"router figures skipped: {problem}")
            return None
        args = self.args
        jobnet_port = procs.free_port()
        jobnet = self.children.start(
            "jobnet-subgraph",
            [sys.executable, "-m", "tests.federation.jobnet_subgraph", "--port", str(jobnet_port)],
        )
        jobnet.url = f"http://127.0.0.1:{jobnet_port}"
        procs.wait_until(jobnet, [f"{jobnet.url}/graphql"])
        composed = fed.compose(
            [
                {"name": "ungeprofil", "url": f"{gateway.url}/graphql", "sdl": sdl()},
                {"name": "jobnet", "url": f"{jobnet.url}/graphql", "sdl": jobnet_sdl()},
            ]
        )
        if composed.returncode != 0:
            self.notes.append(f"router figures skipped: composition failed: {composed.stderr}")
            return None
        supergraph = self.workdir / "supergraph.graphql"
        supergraph.write_text(composed.stdout)
        port = procs.free_port()
        router = self.children.start("hive-gateway", fed.router_argv(modules, supergraph, port))
        router.url = f"http://127.0.0.1:{port}"
        procs.wait_until(router, [f"{router.url}/healthcheck"])

        await sequential(gql, router.url, "jette", profile, variables, 10)
        direct: list[float] = []
        routed: list[float] = []
        for _ in range(args.requests):
            direct += await sequential(gql, gateway.url, "jette", profile, variables, 1)
            routed += await sequential(gql, router.url, "jette", profile, variables, 1)
        load = await drive(
            gql,
            router.url,
            mix,
            concurrency=args.concurrency,
            seconds=args.duration,
            warmup=args.warmup,
        )
        self.children.stop(router)
        self.children.stop(jobnet)
        return {
            "router": "Hive Gateway 2.15.1 (tests/federation/router), supergraph of ungeprofil "
            "and the Jobnet fixture subgraph",
            "cached_profile_p50_ms": {
                "direct": ms(pct(direct, 0.5)),
                "routed": ms(pct(routed, 0.5)),
            },
            "added_p50_ms": ms(pct(routed, 0.5) - pct(direct, 0.5)),
            "throughput_through_router": load.summary(),
        }

    async def youths(
        self, gql: Gql, gateway: Child, session: aiohttp.ClientSession, one_profile: float
    ) -> None:
        async with session.get(f"{self.urls['dfdg']}/dfdg/v1/kommuner/0101/sager") as response:
            cprs = (await response.json())["cprListe"][:200]
        # The categories the case system may see, asked for every young person.
        _, _, probe = await gql.post(
            gateway.url, "fagsystem", FULL_PROFILE, {"cpr": cprs[0], "purpose": "CASE_RECORD"}
        )
        denied = {e["path"][1] for e in probe.get("errors", []) if len(e.get("path", [])) > 1}
        seen = probe["data"]["youth"] or {}
        allowed = {k for k, v in seen.items() if v is not None and k != "cpr"} - denied
        query = YOUTHS % fields_for(allowed)
        variables = {"cprs": cprs, "purpose": "CASE_RECORD"}
        times: list[float] = []
        rounds = 3
        before = await gql.metrics(gateway.url)
        for _ in range(rounds):
            elapsed, status, payload = await gql.post(gateway.url, "fagsystem", query, variables)
            if status != 200 or bad_errors(payload):
                raise RuntimeError(f"youths failed: HTTP {status} {payload.get('errors')}")
            times.append(elapsed)
        calls = await gql.metrics(gateway.url)
        calls.subtract(before)
        per_batch = {k: round(v / rounds, 2) for k, v in sorted(calls.items()) if v}
        self.out["youths"] = {
            "cprs": len(cprs),
            "categories": sorted(allowed),
            "p50_ms": ms(pct(times, 0.5)),
            "max_ms": ms(max(times)),
            "calls_per_register_per_batch": per_batch,
            "ratio_to_one_profile": round(pct(times, 0.5) / one_profile, 2),
        }

    async def mix(self, session: aiohttp.ClientSession) -> list[tuple[str, str, str]]:
        async with session.get(f"{self.urls['dfdg']}/dfdg/v1/kommuner/0101/sager") as response:
            generated = [c for c in (await response.json())["cprListe"] if c not in {ANNE, ALI}]
        generated = generated[: self.args.generated]
        people = [
            ("jette", ANNE, "PLANNING"),
            ("jette", ALI, "PLANNING"),
            ("jette", FREJA, "PLANNING"),
            ("jette", JONAS, "PLANNING"),
            ("mikkel", ANNE, "MENTORING"),
        ]
        mix: list[tuple[str, str, str]] = []
        for i, cpr in enumerate(generated):  # half personas, half generated people
            mix.append(people[i % len(people)])
            mix.append(("fagsystem", cpr, "CASE_RECORD"))
        mix += people
        return mix

    async def many_workers(self, gql: Gql, mix: list[tuple[str, str, str]]) -> dict[str, Any]:
        args = self.args
        redis_ok = _reachable("127.0.0.1", 6379)
        pg_ok = _reachable("127.0.0.1", 5432)
        env = self.env("multi", uncached=False)
        backends = []
        if redis_ok:
            env["CACHE_URL"] = "redis://127.0.0.1:6379/0"
            backends.append("Redis cache")
        else:
            backends.append("memory cache per worker (Redis unreachable)")
        if pg_ok:
            self.pg_schema = f"bench_{secrets.token_hex(4)}"
            env["AUDIT_URL"] = f"postgresql://postgres@127.0.0.1:5432/test?schema={self.pg_schema}"
            backends.append(f"PostgreSQL audit (schema {self.pg_schema}, dropped afterwards)")
        else:
            self.notes.append("PostgreSQL unreachable: N workers share one SQLite audit file")
            backends.append("SQLite audit shared by the workers")
        child = self.gateway("gw-workers", env, workers=args.workers)
        try:
            self.ready(child)
            load = await drive(
                gql,
                child.url,
                mix,
                concurrency=args.concurrency,
                seconds=args.duration,
                warmup=args.warmup,
            )
        finally:
            self.children.stop(child)
        return {**load.summary(), "workers": args.workers, "backends": ", ".join(backends)}

    async def profile(self, tokens: dict[str, str], query: str, variables: dict[str, Any]) -> None:
        """py-spy attached to a warmed gateway (uncached, then cached) while it serves the
        profile: where the CPU of a request goes, without start-up or first-request costs."""
        spy = _py_spy()
        if spy is None:
            self.notes.append("py-spy not installed: no profile (pip install -e '.[dev]')")
            return
        for path, key in (
            ("uncached", "profile_breakdown"),
            ("cached", "profile_breakdown_cached"),
        ):
            child = self.gateway(
                f"gw-profile-{path}", self.env(f"prof-{path}", uncached=path == "uncached")
            )
            try:
                self.ready(child)
                found = await self._profile_one(spy, child, path, tokens, query, variables)
            finally:
                self.children.stop(child)
            if found is not None:
                self.out[key] = found

    async def _profile_one(
        self,
        spy: str,
        child: Child,
        path: str,
        tokens: dict[str, str],
        query: str,
        variables: dict[str, Any],
    ) -> dict[str, Any] | None:
        raw = self.workdir / f"profile-{path}.txt"
        n = min(self.args.requests, 50) if path == "uncached" else self.args.cached_requests
        connector = aiohttp.TCPConnector(limit=8)
        async with aiohttp.ClientSession(connector=connector, trust_env=False) as session:
            gql = Gql(session, tokens)
            await sequential(gql, child.url, "jette", query, variables, 10)  # warm
            recorder = await asyncio.create_subprocess_exec(
                spy,
                *("record", "--pid", str(child.pid), "--rate", "1000", "--gil", "--format", "raw"),
                *("--output", str(raw), "--nonblocking"),
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.PIPE,
            )
            try:
                cpu = procs.cpu_seconds(child.pid)
                await sequential(gql, child.url, "jette", query, variables, n)
                cpu_per = (procs.cpu_seconds(child.pid) - cpu) / n
            finally:
                recorder.send_signal(signal.SIGINT)  # py-spy writes its output and exits
                _, err = await asyncio.wait_for(recorder.communicate(), timeout=30)
        if not raw.exists():
            self.notes.append(f"py-spy wrote no {path} profile: {err.decode()[-300:]}")
            return None
        counts, _ = buckets(raw)
        total = sum(counts.values())
        if not total:
            self.notes.append(f"the {path} profile holds no samples")
            return None
        # The shares are what py-spy saw; scaled to the CPU measured without it.
        cpu_ms = self.out[path]["cpu_ms_per_profile"]
        return {
            "cpu_ms_per_profile_under_profiler": ms(cpu_per),
            "samples": total,
            "pct": {k: round(100 * v / total, 1) for k, v in counts.most_common()},
            "ms_per_profile": {k: round(cpu_ms * v / total, 2) for k, v in counts.most_common()},
            "top_frames": {
                bucket: [f"{frame} {count}" for frame, count in top_frames(raw, bucket, 3)]
                for bucket, _ in counts.most_common(4)
            },
        }

    def targets(self) -> dict[str, Any]:
        out = self.out
        result: dict[str, Any] = {}
        ratio = out["floor"]["ratio_two_stage"]
        result["uncached_p50_le_1.1x_floor"] = {"value": ratio, "met": ratio <= 1.1}
        cached = out["cached"]["p50_ms"]
        result["cached_p50_le_3ms"] = {"value": cached, "met": cached <= 3.0}
        policy = out.get("policy_ms_per_decision", {}).get("evaluate_ms")
        if policy is not None:
            result["policy_le_0.3ms_per_decision"] = {"value": policy, "met": policy <= 0.3}
        best = max(
            (
                v
                for k, v in out["throughput"].items()
                if isinstance(v, dict) and "profiles_per_s" in v
            ),
            key=lambda v: v["profiles_per_s"],
        )
        result["ge_500_profiles_per_s_c32_0_errors"] = {
            "value": best["profiles_per_s"],
            "errors": best["errors"],
            "met": best["profiles_per_s"] >= 500 and best["errors"] == 0,
        }
        youths = out["youths"]
        most = max(youths["calls_per_register_per_batch"].values(), default=0)
        result["youths_le_1_call_per_register_and_2x_profile"] = {
            "calls_max": most,
            "ratio": youths["ratio_to_one_profile"],
            "met": most <= 1 and youths["ratio_to_one_profile"] <= 2,
        }
        return result

    async def cleanup(self) -> None:
        if self.pg_schema is None:
            return
        with contextlib.suppress(Exception):
            import asyncpg

            connection = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/test")
            try:
                await connection.execute(f'DROP SCHEMA IF EXISTS "{self.pg_schema}" CASCADE')
            finally:
                await connection.close()


def _py_spy() -> str | None:
    beside = Path(sys.executable).parent / "py-spy"  # the venv's, when not on PATH
    return shutil.which("py-spy") or (str(beside) if beside.exists() else None)


def _reachable(host: str, port: int) -> bool:
    import socket

    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def table(out: dict[str, Any]) -> str:
    rows: list[tuple[str, str]] = []
    s = out["setup"]
    rows.append(("setup", f"register latency {s['latency_ms']} ms, {s['cpus']} CPUs"))
    rows.append(("profile", ", ".join(out["profile"]["categories"])))
    u, f, c = out["uncached"], out["floor"], out["cached"]
    rows.append(("uncached p50 / p99", f"{u['p50_ms']} / {u['p99_ms']} ms"))
    rows.append(
        (
            "floor 2-stage / 1-stage p50",
            f"{f['two_stage_p50_ms']} / {f['one_stage_p50_ms']} ms",
        )
    )
    rows.append(
        ("gateway ÷ floor", f"{f['ratio_two_stage']} (2-stage), {f['ratio_one_stage']} (1-stage)")
    )
    rows.append(("cached p50 / p99", f"{c['p50_ms']} / {c['p99_ms']} ms"))
    rows.append(
        (
            "CPU per profile",
            f"{u['cpu_ms_per_profile']} ms uncached, {c['cpu_ms_per_profile']} ms cached",
        )
    )
    t = out["transport"]
    rows.append(
        (
            "CPU per register call",
            ", ".join(f"{k} {v} ms" for k, v in t["client_cpu_ms_per_register_call"].items()),
        )
    )
    rows.append(
        (
            "CPU per uncached profile",
            f"aiohttp {t['aiohttp']['cpu_ms_per_profile']} ms, httpx "
            f"{t['httpx']['cpu_ms_per_profile']} ms",
        )
    )
    if "policy_ms_per_decision" in out:
        p = out["policy_ms_per_decision"]
        rows.append(
            (
                "policy decision",
                f"{p['evaluate_ms']} ms fresh, {p['batch_of_200_ms_per_person']} ms per person"
                f" in a batch of 200, {p['cache_hit_ms']} ms cache hit",
            )
        )
    for key, label in (("one_worker", "1 worker"), ("n_workers", "N workers")):
        v = out["throughput"].get(key)
        if v:
            rows.append(
                (
                    f"c={out['throughput']['concurrency']} {label}",
                    f"{v['profiles_per_s']}/s p99 {v['p99_ms']} ms errors {v['errors']} "
                    f"({v['backends']})",
                )
            )
    r = out.get("router")
    if r:
        p50 = r["cached_profile_p50_ms"]
        load = r["throughput_through_router"]
        rows.append(
            (
                "through Hive Gateway",
                f"cached p50 {p50['routed']} ms vs {p50['direct']} ms direct "
                f"(+{r['added_p50_ms']} ms); c={out['throughput']['concurrency']} "
                f"{load['profiles_per_s']}/s p99 {load['p99_ms']} ms errors {load['errors']}",
            )
        )
    if "deadlines" in out:
        from bench import deadlines

        rows += deadlines.table(out["deadlines"])
    if "pages" in out:
        from bench import pages

        rows += pages.table(out["pages"])
    y = out["youths"]
    rows.append(
        (
            f"youths x{y['cprs']}",
            f"{y['p50_ms']} ms ({y['ratio_to_one_profile']}x one profile), calls "
            + ", ".join(f"{k}={v}" for k, v in y["calls_per_register_per_batch"].items()),
        )
    )
    for key, label in (("profile_breakdown", "uncached"), ("profile_breakdown_cached", "cached")):
        b = out.get(key)
        if b:
            shares = ", ".join(f"{k} {v}%" for k, v in b["pct"].items())
            rows.append((f"where the CPU goes ({label})", shares))
    for name, target in out["targets"].items():
        rows.append((f"target {name}", "met" if target["met"] else "NOT met"))
    width = max(len(r[0]) for r in rows)
    return "\n".join(f"{k.ljust(width)}  {v}" for k, v in rows)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--latency-ms", type=int, default=20, help="added by every register")
    parser.add_argument("--workers", type=int, default=2, help="N for the N-worker throughput")
    parser.add_argument("--requests", type=int, default=80, help="per latency figure")
    parser.add_argument("--cached-requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--duration", type=float, default=8.0, help="s per throughput run")
    parser.add_argument("--warmup", type=float, default=2.0, help="s before counting")
    parser.add_argument("--generated", type=int, default=50, help="generated people in the mix")
    parser.add_argument("--population", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--deadlines-population",
        type=int,
        default=100_000,
        help="people for the large deadlineCompliance figure (0: skip it)",
    )
    parser.add_argument("--no-profile", action="store_true", help="skip the py-spy profile")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (logs)")
    return parser


def _terminate(signum: int, _: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    workdir = Path(tempfile.mkdtemp(prefix="ungeprofil-bench-"))
    children = Children(workdir)
    bench = Bench(args, workdir, children)
    try:
        import uvloop

        out = uvloop.run(bench.run())
    except KeyboardInterrupt:
        print("bench: interrupted; stopping the child processes", file=sys.stderr)
        return 130
    except Exception as exc:
        print(f"bench: failed: {exc}", file=sys.stderr)
        return 1
    finally:
        children.stop_all()
        with contextlib.suppress(Exception):
            asyncio.run(bench.cleanup())
        if args.keep:
            print(f"bench: work directory kept at {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print(table(out), file=sys.stderr)
    print(json.dumps(out, ensure_ascii=False, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
