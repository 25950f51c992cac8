"""py-spy's raw (collapsed-stack) output, summarised into the buckets issue 7 asks about.

Each sample is one stack, root first: `frame;frame;… count`, a frame being
`function (path:line)`. A sample goes to the bucket of its innermost frame that belongs to
one (generic frames — asyncio, typing, functools … — are looked through), so the policy
engine called from a resolver counts as policy, and httpx called from a batch function counts
as HTTP client. Samples taken while importing (start-up) are left out; py-spy leaves out idle
threads on its own, so what remains is CPU spent on serving.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

#: (bucket, substrings of a frame's path or function) — the first bucket matching wins per frame.
RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("audit", ("/gateway/audit/", "asyncpg", "sqlite3", "aiosqlite")),
    ("policy", ("/gateway/policies/", "/gateway/core/", "regopy", "opa_client")),
    (
        "http client",
        (
            "/httpx/",
            "/httpcore/",
            "/aiohttp/",
            "/yarl/",
            "/multidict/",
            "/h11/",
            "/anyio/",
            "/gateway/transport.py",
            "/gateway/resolvers/http.py",
            "/gateway/resolvers/resilience.py",
        ),
    ),
    ("register cache", ("/aiocache/", "/gateway/resolvers/cache.py", "/redis/")),
    (
        "parsing+validation",
        (
            "/graphql/language/",
            "/graphql/validation/",
            "validate_document",
            "parse_document",
            "/gateway/persisted.py",
            "/gateway/limits.py",
        ),
    ),
    (
        "serialisation",
        ("orjson", "_json (", "format_error", "complete_", "serialize", "/gateway/errors.py"),
    ),
    ("register mapping", ("/gateway/resolvers/", "/schema/")),
    ("graphql execution", ("/graphql/", "/strawberry/")),
    ("auth", ("/jwt/", "/cryptography/", "/gateway/auth.py")),
    ("metrics", ("prometheus_client", "/gateway/metrics.py")),
    ("server", ("/uvicorn/", "/starlette/", "httptools", "uvloop", "/gateway/app.py")),
)

#: Frames that say nothing about whose work it is: look further out.
GENERIC = (
    "/asyncio/",
    "/typing.py",
    "/functools.py",
    "/enum.py",
    "/abc.py",
    "/contextlib.py",
    "/dataclasses.py",
    "/re/",
    "/copy.py",
    "/inspect.py",
    "/logging/",
    "/threading.py",
    "/concurrent/",
    "/weakref.py",
    "/_weakrefset.py",
    "<frozen",
    "/collections/",
)

STARTUP = ("_find_and_load",)

#: Innermost frames of a thread that waits (py-spy's own idle detection misses these here):
#: a thread-pool worker on its queue, the event loop in epoll (uvloop's C code shows no frame).
IDLE_LEAVES = (
    "_worker (concurrent/futures/thread.py",
    "Runner.run (asyncio/runners.py",
    "run_until_complete (asyncio/base_events.py",
    "wait (threading.py",
)

_LINE = re.compile(r"^(?P<stack>.*) (?P<count>\d+)$")


def classify(frames: list[str]) -> str:
    for raw in reversed(frames):
        frame = raw.replace(" (", " (/", 1)  # py-spy writes paths relative to sys.path
        if any(g in frame for g in GENERIC):
            continue
        for bucket, marks in RULES:
            if any(mark in frame for mark in marks):
                return bucket
    return "other"


def buckets(raw: Path) -> tuple[Counter[str], int]:
    """Sample counts per bucket (start-up and idle excluded), and the number left out."""
    counts: Counter[str] = Counter()
    left_out = 0
    for line in raw.read_text(errors="replace").splitlines():
        match = _LINE.match(line.strip())
        if not match:
            continue
        count = int(match["count"])
        frames = match["stack"].split(";")
        if _left_out(frames):
            left_out += count
            continue
        counts[classify(frames)] += count
    return counts, left_out


def _left_out(frames: list[str]) -> bool:
    if any(mark in frame for frame in frames for mark in STARTUP):
        return True
    return frames[-1].startswith(IDLE_LEAVES)


def top_frames(raw: Path, bucket: str, limit: int = 5) -> list[tuple[str, int]]:
    """The innermost own frames that fill one bucket: where to look next."""
    found: Counter[str] = Counter()
    for line in raw.read_text(errors="replace").splitlines():
        match = _LINE.match(line.strip())
        if not match:
            continue
        frames = match["stack"].split(";")
        if _left_out(frames) or classify(frames) != bucket:
            continue
        leaf = next((f for f in reversed(frames) if not any(g in f for g in GENERIC)), frames[-1])
        found[re.sub(r":\d+\)$", ")", leaf)] += int(match["count"])
    return found.most_common(limit)
