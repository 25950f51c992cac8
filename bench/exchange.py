"""The retention exchange's figures (`make bench`, or `python -m bench.exchange`):

- a write's latency: `dropoutRiskReport` through a gateway whose registers answer after
  `--latency-ms`; the target is p50 ≤ register latency + 5 ms (one UDB call, an intent and an
  outcome record, the idempotency key claimed and completed in the audit database);
- the feed: `--streams` GraphQL-over-SSE streams open on worker B, writes made through worker
  A (both over one Redis and one PostgreSQL when those run here, else SQLite); the time from
  a write's answer to each stream's event, p50 and p95 (target p95 ≤ 2 s), and the memory an
  open stream costs worker B (its RSS before and after opening them, per stream).

Prints a table on stderr and one JSON line on stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

from bench import procs
from bench.procs import Children
from bench.run import _reachable, pct

JONAS, EMIL = "0909034145", "1403064171"
PEOPLE: dict[str, dict[str, Any]] = {
    "jette": {"sub": "jette.hansen", "role": "contact_person", "municipality": "101",
              "org": "Jobcenter København", "name": "Jette Hansen"},
    "maria": {"sub": "maria.kristensen", "role": "institution_contact", "org": "851234",
              "name": "Maria Kristensen"},
}  # fmt: skip
REPORT = """mutation($input: DropoutRiskReportInput!) { dropoutRiskReport(input: $input) {
  changed dropoutRisk { id } userErrors { code } } }"""
STREAM = """subscription($after: String) { exchangeEventAdded(purpose: RETENTION, after: $after)
  { id cursor } }"""
FEED_END = """query($a: String) { exchangeEvents(purpose: RETENTION, after: $a, first: 500)
  { pageInfo { hasNextPage endCursor } } }"""
POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
REDIS = "redis://127.0.0.1:6379/6"


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _children_rss(pid: int) -> int:
    """The RSS of the serve process and its workers (uvicorn forks them)."""
    total = _rss_kib(pid)
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        total += _children_rss(int(child))
    return total


class Run:
    def __init__(self, args: argparse.Namespace, workdir: Path, children: Children) -> None:
        self.args = args
        self.workdir = workdir
        self.children = children
        self.out: dict[str, Any] = {"setup": {"latency_ms": args.latency_ms,
                                              "streams": args.streams}}  # fmt: skip

    def env(self, shared: bool) -> dict[str, str]:
        from gateway.auth import demo_jwks_document

        state = self.workdir / "state"
        jwks = state / "demo-jwks.json"
        if not jwks.exists():
            jwks.write_text(json.dumps(demo_jwks_document(state)))
        env = {"UNGEPROFIL_STATE_DIR": str(state), "JWKS_FILE": str(jwks)}
        if shared:
            schema = f"bench_exchange_{uuid.uuid4().hex[:10]}"
            env |= {"AUDIT_URL": f"{POSTGRES}?schema={schema}", "CACHE_URL": REDIS,
                    "CACHE_KEY_SECRET": uuid.uuid4().hex}  # fmt: skip
        else:
            env |= {"AUDIT_URL": f"sqlite:///{self.workdir / 'audit.sqlite3'}"}
        return env

    async def run(self) -> dict[str, Any]:
        from gateway.auth import sign_demo_token
        from gateway.settings import AUDIENCE, DEMO_ISSUER

        state = self.workdir / "state"
        state.mkdir(parents=True, exist_ok=True)
        tokens = {
            who: sign_demo_token(state, issuer=DEMO_ISSUER, audience=AUDIENCE, **p)
            for who, p in PEOPLE.items()
        }
        mocks, urls = procs.start_mocks(
            self.children, latency_ms=self.args.latency_ms, population=self.args.population,
            seed=42,
        )  # fmt: skip
        procs.wait_until(mocks, [f"{u}/healthz" for u in urls.values()])
        shared = _reachable("127.0.0.1", 5432) and _reachable("127.0.0.1", 6379)
        env = self.env(shared)
        self.out["setup"]["backends"] = "redis+postgresql" if shared else "memory+sqlite"
        a = procs.start_gateway(self.children, "gw-a", urls, env)
        b = procs.start_gateway(self.children, "gw-b", urls, env)
        procs.wait_until(a, [f"{a.url}/readyz"])
        procs.wait_until(b, [f"{b.url}/readyz"])
        async with httpx.AsyncClient(timeout=60) as http:
            await self.writes(http, a.url, tokens)
            await self.feed(http, a.url, b, tokens)
        return self.out

    async def post(
        self, http: httpx.AsyncClient, url: str, token: str, query: str, variables: dict[str, Any]
    ) -> dict[str, Any]:
        response = await http.post(
            f"{url}/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {token}"},
        )
        body: dict[str, Any] = response.json()
        if body.get("errors"):
            raise RuntimeError(f"unexpected errors: {body['errors']}")
        return body

    def report(self, cpr: str) -> dict[str, Any]:
        return {"input": {"cpr": cpr, "purpose": "RETENTION", "idempotencyKey": str(uuid.uuid4()),
                          "reasons": ["ABSENCE"], "firstAbsenceLetterSent": False}}  # fmt: skip

    async def writes(self, http: httpx.AsyncClient, url: str, tokens: dict[str, str]) -> None:
        for cpr in (JONAS, EMIL) * 3:  # warm: connections, the facts cache, the audit schema
            await self.post(http, url, tokens["maria"], REPORT, self.report(cpr))
        times = []
        for n in range(self.args.writes):
            started = time.perf_counter()
            await self.post(http, url, tokens["maria"], REPORT, self.report((JONAS, EMIL)[n % 2]))
            times.append(time.perf_counter() - started)
        replay_input = self.report(JONAS)
        await self.post(http, url, tokens["maria"], REPORT, replay_input)
        replays = []
        for _ in range(self.args.writes // 2):
            started = time.perf_counter()
            await self.post(http, url, tokens["maria"], REPORT, replay_input)
            replays.append(time.perf_counter() - started)
        self.out["write"] = {
            "p50_ms": round(pct(times, 0.5) * 1000, 1),
            "p95_ms": round(pct(times, 0.95) * 1000, 1),
            "replay_p50_ms": round(pct(replays, 0.5) * 1000, 1),
            "target_p50_ms": self.args.latency_ms + 5,
            "writes": len(times),
        }

    async def feed(
        self, http: httpx.AsyncClient, writer: str, reader: procs.Child, tokens: dict[str, str]
    ) -> None:
        cursor = None
        while True:
            page = (await self.post(http, reader.url, tokens["jette"], FEED_END, {"a": cursor}))[
                "data"]["exchangeEvents"]["pageInfo"]  # fmt: skip
            cursor = page["endCursor"]
            if not page["hasNextPage"]:
                break
        before = _children_rss(reader.pid)
        arrivals: dict[str, list[float]] = {}
        expected = self.args.streams * self.args.events
        delivered = asyncio.Event()
        ready = [asyncio.Event() for _ in range(self.args.streams)]
        streams_client = httpx.AsyncClient(
            timeout=None, limits=httpx.Limits(max_connections=self.args.streams + 10)
        )

        async def listen(n: int) -> None:
            async with streams_client.stream(
                "POST", f"{reader.url}/graphql",
                json={"query": STREAM, "variables": {"after": cursor}},
                headers={"Authorization": f"Bearer {tokens['jette']}",
                         "Accept": "text/event-stream"},
            ) as response:  # fmt: skip
                ready[n].set()
                async for line in response.aiter_lines():
                    if line.startswith("data: ") and '"exchangeEventAdded"' in line:
                        event = json.loads(line[6:])["data"]["exchangeEventAdded"]
                        arrivals.setdefault(event["id"], []).append(time.perf_counter())
                        if sum(map(len, arrivals.values())) >= expected:
                            delivered.set()

        tasks = [asyncio.create_task(listen(n)) for n in range(self.args.streams)]
        for event in ready:
            await event.wait()
        opened = _children_rss(reader.pid)
        sent: dict[str, float] = {}
        for _ in range(self.args.events):
            body = await self.post(http, writer, tokens["maria"], REPORT, self.report(JONAS))
            sent[body["data"]["dropoutRiskReport"]["dropoutRisk"]["id"]] = time.perf_counter()
            await asyncio.sleep(0.2)  # events spaced as a school's reports would be
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(delivered.wait(), timeout=10)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await streams_client.aclose()
        delays = [t - sent[i] for i in sent for t in arrivals.get(i, [])]
        missing = self.args.streams * len(sent) - len(delays)
        self.out["feed"] = {
            "streams": self.args.streams,
            "events": len(sent),
            "deliveries": len(delays),
            "missing": missing,
            "p50_ms": round(pct(delays, 0.5) * 1000, 1) if delays else None,
            "p95_ms": round(pct(delays, 0.95) * 1000, 1) if delays else None,
            "target_p95_ms": 2000,
            "memory_per_stream_kib": round((opened - before) / self.args.streams, 1),
        }


def table(out: dict[str, Any]) -> str:
    w, f = out.get("write", {}), out.get("feed", {})
    return "\n".join([
        f"exchange bench ({out['setup'].get('backends')}, "
        f"registers +{out['setup']['latency_ms']} ms)",
        f"  write p50 {w.get('p50_ms')} ms (target ≤ {w.get('target_p50_ms')}), "
        f"p95 {w.get('p95_ms')} ms; replayed p50 {w.get('replay_p50_ms')} ms",
        f"  feed: {f.get('streams')} streams × {f.get('events')} events, write → stream "
        f"p50 {f.get('p50_ms')} ms, p95 {f.get('p95_ms')} ms (target ≤ 2000), "
        f"missing {f.get('missing')}, {f.get('memory_per_stream_kib')} KiB per open stream",
    ])  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.exchange", description=__doc__)
    parser.add_argument("--latency-ms", type=int, default=20)
    parser.add_argument("--population", type=int, default=2000)
    parser.add_argument("--writes", type=int, default=60)
    parser.add_argument("--streams", type=int, default=100)
    parser.add_argument("--events", type=int, default=20)
    args = parser.parse_args()

    async def run(workdir: Path, children: Children) -> dict[str, Any]:
        return await Run(args, workdir, children).run()

    return procs.run_standalone("exchange", run, table)


if __name__ == "__main__":
    raise SystemExit(main())
