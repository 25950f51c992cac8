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
    facts_ttl: float = 10.0
    # Audit store: "sqlite:///path", "postgresql://…" or "memory://".
    audit_url: str = "sqlite:///.ungeprofil/audit.sqlite3"
    # Tokens: demo keys live in state_dir; production keys come from a JWKS file or URL.
    state_dir: Path = Path(".ungeprofil")
    token_issuer: str = DEMO_ISSUER
    token_audience: str = AUDIENCE
    jwks_file: str | None = None
    jwks_url: str | None = None
    # Register calls: connect and read timeouts, and the deadline for one register call.
    connect_timeout: float = 0.5
    read_timeout: float = 2.5
    register_deadline: float = 3.0
    max_connections: int = 200

    @property
    def uses_demo_keys(self) -> bool:
        return self.jwks_file is None and self.jwks_url is None

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
        facts_ttl=float(env.get("FACTS_TTL", base.facts_ttl)),
        audit_url=env.get("AUDIT_URL", base.audit_url),
        state_dir=Path(env.get("UNGEPROFIL_STATE_DIR", str(base.state_dir))),
        token_issuer=env.get("TOKEN_ISSUER", base.token_issuer),
        token_audience=env.get("TOKEN_AUDIENCE", base.token_audience),
        jwks_file=env.get("JWKS_FILE") or None,
        jwks_url=env.get("JWKS_URL") or None,
        connect_timeout=float(env.get("REGISTER_CONNECT_TIMEOUT", base.connect_timeout)),
        read_timeout=float(env.get("REGISTER_READ_TIMEOUT", base.read_timeout)),
        register_deadline=float(env.get("REGISTER_DEADLINE", base.register_deadline)),
    )
