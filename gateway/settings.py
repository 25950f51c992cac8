"""One frozen settings object, read from the environment once, by the composition root only."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

REGISTER_LABELS = ("udb", "dfdg", "grades", "eindkomst", "admissions", "questionnaire", "social")
DEMO_ISSUER = "ungeprofil-demo"
AUDIENCE = "ungeprofil"


@dataclass(frozen=True)
class Settings:
    register_urls: Mapping[str, str] = field(default_factory=dict)
    demo: bool = False
    # Policy engine: None = in process; else the OPA server's base URL.
    opa_url: str | None = None
    # Register-answer cache: "memory://" or "redis://host:port/db".
    cache_url: str = "memory://"
    cache_ttl: float = 30.0
    # Keys register answers by a keyed hash of the CPR; workers sharing one Redis must share it.
    cache_key_secret: str | None = None
    facts_ttl: float = 10.0
    # Audit store: "sqlite:///path", "postgresql://…" or "memory://".
    audit_url: str = "sqlite:///.ungeprofil/audit.sqlite3"
    # Tokens: demo keys live in state_dir; production keys come from a JWKS file or URL.
    state_dir: Path = Path(".ungeprofil")
    token_issuer: str = DEMO_ISSUER
    token_audience: str = AUDIENCE
    jwks_file: str | None = None
    jwks_url: str | None = None
    # A JWKS URL: seconds one fetch may take; keys older than `jwks_refresh` are refetched in
    # the background; an unknown `kid` refetches at most once per `jwks_min_interval`.
    jwks_timeout: float = 2.0
    jwks_refresh: float = 300.0
    jwks_min_interval: float = 30.0
    # Register calls: connect and read timeouts, and the deadline for one register call.
    connect_timeout: float = 0.5
    read_timeout: float = 2.5
    register_deadline: float = 3.0
    max_connections: int = 200
    # Register resilience (gateway/resolvers/resilience.py): calls in flight per register, the
    # share of calls that may be retried, the circuit breaker, and stale answers.
    register_concurrency: int = 32
    register_retry_ratio: float = 0.1
    breaker_failures: int = 5
    breaker_cooldown: float = 5.0
    stale_ttl: float = 600.0
    facts_stale_grace: float = 5.0
    # Fresh answers each process keeps near, in front of a shared cache (Redis); 0: none.
    near_cache_entries: int = 20_000
    # "aiohttp": aiohttp called directly (gateway/transport.py, leaner); "httpx": httpx's own.
    http_transport: str = "aiohttp"
    # The collector's first-generation threshold for a serving process (None: Python's 700).
    # A request allocates tens of thousands of short-lived objects; at 700 the collector runs
    # dozens of times per request, and a `youths` batch keeps hundreds of thousands alive at
    # once, each young collection walking them again. `ungeprofil serve` sets 200,000
    # (GC_GEN0_THRESHOLD): `make bench`'s youths x 200 takes ~18 % less time than at 20,000.
    gc_gen0_threshold: int | None = None
    # Hostile input (gateway/limits.py, gateway/security.py, gateway/persisted.py).
    max_body_bytes: int = 64 * 1024
    max_query_tokens: int = 2000
    max_query_depth: int = 10
    max_query_aliases: int = 15
    max_query_directives: int = 20
    max_repeated_fields: int = 5
    max_query_cost: int = 10_000
    query_cache_size: int = 512
    hsts_max_age: int | None = None  # seconds; None = no Strict-Transport-Security header
    # The HTTP server's edge (gateway/edge.py): a request's head (request line and headers) at
    # most this many bytes and header lines, else 431; seconds a client has to send its head
    # (from connecting, or from a request's first byte) and its body, else 408 and closed;
    # seconds an idle keep-alive connection stays open.
    max_header_bytes: int = 32 * 1024
    max_header_count: int = 100
    header_timeout: float = 10.0
    body_timeout: float = 30.0
    idle_timeout: float = 5.0
    persisted_operations_file: str | None = None  # None = schema/operations.json
    trusted_operations_only: bool = False
    # Plain objects completed by cached plans instead of field by field (schema/execution.py);
    # off: graphql-core's own completion, the same answers, slower (PLAIN_EXECUTION=0).
    plain_execution: bool = True
    # Observability (gateway/access_log.py, gateway/tracing.py). Peers (IP addresses or CIDR
    # networks) whose `X-Request-Id` and `traceparent` are taken over; from anyone else they
    # are ignored and the gateway makes its own request id and trace.
    trusted_proxies: tuple[str, ...] = ()
    # OTLP/HTTP base URL of a trace collector (spans go to `<endpoint>/v1/traces`); None: no
    # tracing at all, and it costs nothing.
    otel_endpoint: str | None = None
    otel_service_name: str = "ungeprofil"

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]


def from_environment(env: Mapping[str, str] | None = None, *, demo: bool = False) -> Settings:
    env = os.environ if env is None else env
    urls = {
        label: env[f"REGISTER_URL_{label.upper()}"]
        for label in REGISTER_LABELS
        if f"REGISTER_URL_{label.upper()}" in env
    }
    base = Settings()
    return Settings(
        register_urls=urls,
        demo=demo,
        opa_url=env.get("OPA_URL") or None,
        cache_url=env.get("CACHE_URL", base.cache_url),
        cache_ttl=float(env.get("CACHE_TTL", base.cache_ttl)),
        cache_key_secret=env.get("CACHE_KEY_SECRET") or None,
        facts_ttl=float(env.get("FACTS_TTL", base.facts_ttl)),
        audit_url=env.get("AUDIT_URL", base.audit_url),
        state_dir=Path(env.get("UNGEPROFIL_STATE_DIR", str(base.state_dir))),
        token_issuer=env.get("TOKEN_ISSUER", base.token_issuer),
        token_audience=env.get("TOKEN_AUDIENCE", base.token_audience),
        jwks_file=env.get("JWKS_FILE") or None,
        jwks_url=env.get("JWKS_URL") or None,
        jwks_timeout=float(env.get("JWKS_TIMEOUT", base.jwks_timeout)),
        jwks_refresh=float(env.get("JWKS_REFRESH", base.jwks_refresh)),
        jwks_min_interval=float(env.get("JWKS_MIN_INTERVAL", base.jwks_min_interval)),
        connect_timeout=float(env.get("REGISTER_CONNECT_TIMEOUT", base.connect_timeout)),
        read_timeout=float(env.get("REGISTER_READ_TIMEOUT", base.read_timeout)),
        register_deadline=float(env.get("REGISTER_DEADLINE", base.register_deadline)),
        register_concurrency=int(env.get("REGISTER_CONCURRENCY", base.register_concurrency)),
        register_retry_ratio=float(env.get("REGISTER_RETRY_RATIO", base.register_retry_ratio)),
        breaker_failures=int(env.get("REGISTER_BREAKER_FAILURES", base.breaker_failures)),
        breaker_cooldown=float(env.get("REGISTER_BREAKER_COOLDOWN", base.breaker_cooldown)),
        stale_ttl=float(env.get("STALE_TTL", base.stale_ttl)),
        facts_stale_grace=float(env.get("FACTS_STALE_GRACE", base.facts_stale_grace)),
        near_cache_entries=int(env.get("NEAR_CACHE_ENTRIES", base.near_cache_entries)),
        max_body_bytes=int(env.get("MAX_BODY_BYTES", base.max_body_bytes)),
        max_query_tokens=int(env.get("MAX_QUERY_TOKENS", base.max_query_tokens)),
        max_query_depth=int(env.get("MAX_QUERY_DEPTH", base.max_query_depth)),
        max_query_aliases=int(env.get("MAX_QUERY_ALIASES", base.max_query_aliases)),
        max_query_directives=int(env.get("MAX_QUERY_DIRECTIVES", base.max_query_directives)),
        max_repeated_fields=int(env.get("MAX_REPEATED_FIELDS", base.max_repeated_fields)),
        max_query_cost=int(env.get("MAX_QUERY_COST", base.max_query_cost)),
        query_cache_size=int(env.get("QUERY_CACHE_SIZE", base.query_cache_size)),
        hsts_max_age=int(env["HSTS_MAX_AGE"]) if env.get("HSTS_MAX_AGE") else None,
        max_header_bytes=int(env.get("MAX_HEADER_BYTES", base.max_header_bytes)),
        max_header_count=int(env.get("MAX_HEADER_COUNT", base.max_header_count)),
        header_timeout=float(env.get("HEADER_TIMEOUT", base.header_timeout)),
        body_timeout=float(env.get("BODY_TIMEOUT", base.body_timeout)),
        idle_timeout=float(env.get("IDLE_TIMEOUT", base.idle_timeout)),
        persisted_operations_file=env.get("PERSISTED_OPERATIONS_FILE") or None,
        trusted_operations_only=_flag(env.get("TRUSTED_OPERATIONS_ONLY")),
        plain_execution=_flag(env.get("PLAIN_EXECUTION"), default=base.plain_execution),
        http_transport=env.get("REGISTER_HTTP_TRANSPORT", base.http_transport),
        gc_gen0_threshold=int(env.get("GC_GEN0_THRESHOLD", "200000")) or None,
        trusted_proxies=tuple(
            part.strip() for part in env.get("TRUSTED_PROXY_IPS", "").split(",") if part.strip()
        ),
        otel_endpoint=env.get("OTEL_EXPORTER_OTLP_ENDPOINT") or None,
        otel_service_name=env.get("OTEL_SERVICE_NAME") or base.otel_service_name,
    )


def production_problem(settings: Settings) -> str | None:
    """Why these settings cannot serve in production mode, or None. The demo key lives next to
    the code and anyone with the working directory can sign with it: outside demo mode, tokens
    must be checked against the identity provider's keys."""
    if settings.demo or settings.jwks_file or settings.jwks_url:
        return None
    return (
        "production mode needs the token keys: set JWKS_FILE or JWKS_URL "
        "(demo keys only with `ungeprofil serve --demo` or `ungeprofil demo`)"
    )


def _flag(value: str | None, default: bool = False) -> bool:
    """Unset or blank: the default. Only the opposite's words ("1"/"true"/"yes"/"on" for a flag
    that is off by default, "0"/"false"/"no"/"off" for one that is on) change it."""
    text = (value or "").strip().lower()
    if default:
        return text not in ("0", "false", "no", "off")
    return text in ("1", "true", "yes", "on")
