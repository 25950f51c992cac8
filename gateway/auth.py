"""Bearer token -> Subject. Nothing else in the gateway knows about JWTs.

Tokens are verified with an explicit algorithm allow-list (never `none`, never HMAC, so a public
key can't be used as a shared secret), and `exp`, `iss`, `aud` and `sub` are required. A token is
checked with exactly the algorithm its key names (`alg`, else the key type's): a token whose
header names another algorithm is refused, whatever the key. Keys come from a JWKS (file or URL)
in production, or from the demo key in the state directory.

A JWKS URL is read asynchronously, with a timeout, and cached (`RemoteKeys`): the keys are
fetched at start-up, refreshed in the background once they are older than the refresh interval,
and a token naming an unknown `kid` (a rotated key) causes at most one fetch per minimum
interval — a flood of made-up `kid`s costs the key server one request per interval.

The claims are checked at the door, so nothing behind it sees a malformed one: a municipality is
one to four ASCII digits (normalised to four), and a young person's `sub` is their CPR number
(normalised to ten digits).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from schema.cpr import InvalidCPR, parse_cpr
from schema.enums import Role

log = logging.getLogger("ungeprofil.auth")

ALGORITHMS = ("ES256", "RS256")
DEMO_KID = "ungeprofil-demo-1"
_VERIFIED_CACHE_SIZE = 4096
_DEMO_KEY_FILE = "demo-signing-key.pem"
#: A key set is a few kilobytes; a key server answering more is not read further.
_MAX_JWKS_BYTES = 1 << 20
_MUNICIPALITY = re.compile(r"[0-9]{1,4}")


class Unauthenticated(Exception):
    """The request carries no valid token. The message is safe to show."""


@dataclass(frozen=True)
class Subject:
    sub: str
    role: str
    org: str | None = None
    municipality: str | None = None
    name: str | None = None
    #: When the token ends (epoch seconds): a long-lived stream ends with it. Not part of who.
    expires_at: float | None = field(default=None, compare=False)

    def policy_input(self) -> dict[str, Any]:
        return {
            "sub": self.sub,
            "role": self.role,
            "org": self.org,
            "municipality": self.municipality,
        }


def normalise_municipality(code: str | None) -> str | None:
    """Municipality codes are 4 ASCII digits ("0101"); many contexts write 3 ("101"). Other
    digits (`²`, `١`) pass `str.isdigit` but are no municipality."""
    if code is None or code == "":
        return None
    if not _MUNICIPALITY.fullmatch(code):
        raise Unauthenticated("the token's municipality is not a municipality code")
    return code.zfill(4)


def normalise_subject(sub: str, role: str) -> str:
    """A young person's `sub` is their CPR number, the key of every register: normalised to ten
    digits here (`150304-4112` -> `1503044112`), refused when it is no CPR number."""
    if role != Role.YOUTH.value:
        return sub
    try:
        return parse_cpr(sub)
    except InvalidCPR:
        raise Unauthenticated("the token's subject is not a CPR number") from None


class KeySource(Protocol):
    """Where the verifier gets the public key of a `kid`."""

    async def key_for(self, kid: str | None) -> jwt.PyJWK:
        """The key, or raise Unauthenticated."""
        ...

    async def start(self) -> None:
        """Load what can be loaded before the first request (bounded in time)."""
        ...

    def loaded(self) -> bool:
        """Whether any key is known (a gateway without keys can authenticate no one)."""
        ...


class StaticKeys:
    """A JWKS read once: a file, or the demo key."""

    def __init__(self, keys: jwt.PyJWKSet) -> None:
        self._keys = {key.key_id: key for key in keys.keys}

    async def key_for(self, kid: str | None) -> jwt.PyJWK:
        key = self._keys.get(kid)
        if key is None:
            raise Unauthenticated("the token was signed by an unknown key")
        return key

    async def start(self) -> None:
        pass

    def loaded(self) -> bool:
        return bool(self._keys)


Fetch = Callable[[str, float], Any]  # (url, seconds) -> awaitable JWKS document


class RemoteKeys:
    """A JWKS URL, fetched without blocking the event loop and cached.

    - one fetch at a time: whoever needs keys while a fetch is under way waits for that one;
    - every fetch is bounded by `timeout`; a failed fetch keeps the keys already known;
    - keys older than `refresh_after` are refetched in the background (requests go on with the
      keys they have);
    - an unknown `kid` starts a fetch only if none was started that way in the last
      `min_interval` seconds; otherwise it is refused at once.
    """

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 2.0,
        refresh_after: float = 300.0,
        min_interval: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        fetch: Fetch | None = None,
    ) -> None:
        self.url = url
        self._timeout = timeout
        self._refresh_after = refresh_after
        self._min_interval = min_interval
        self._clock = clock
        self._fetch_document = fetch if fetch is not None else _fetch_jwks
        self._keys: dict[str | None, jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._last_refetch: float | None = None
        self._inflight: asyncio.Task[None] | None = None
        #: Fetches started (for tests and the log).
        self.fetches = 0

    async def key_for(self, kid: str | None) -> jwt.PyJWK:
        key = self._keys.get(kid)
        if key is not None:
            if self._fetched_at is not None and (
                self._clock() - self._fetched_at >= self._refresh_after
            ):
                self._start_fetch()  # in the background; this request goes on
            return key
        if self._inflight is not None and not self._inflight.done():
            await asyncio.shield(self._inflight)  # a fetch is under way: its keys may do
        else:
            now = self._clock()
            if self._last_refetch is not None and now - self._last_refetch < self._min_interval:
                raise Unauthenticated("the token was signed by an unknown key")
            self._last_refetch = now
            await self.refresh()
        key = self._keys.get(kid)
        if key is None:
            raise Unauthenticated("the token was signed by an unknown key")
        return key

    async def start(self) -> None:
        await self.refresh()

    def loaded(self) -> bool:
        return bool(self._keys)

    async def refresh(self) -> None:
        """Fetch the key set (joining a fetch already under way). A request that gives up does
        not cancel the fetch the others wait for."""
        await asyncio.shield(self._start_fetch())

    def _start_fetch(self) -> asyncio.Task[None]:
        if self._inflight is None or self._inflight.done():
            self._inflight = asyncio.get_running_loop().create_task(self._fetch())
        return self._inflight

    async def _fetch(self) -> None:
        self.fetches += 1
        try:
            async with asyncio.timeout(self._timeout):
                document = await self._fetch_document(self.url, self._timeout)
            keys = jwt.PyJWKSet.from_dict(document)
        except Exception as error:  # the key server's answer is input like any other
            log.warning(
                "could not fetch the token keys from JWKS_URL (%s); keeping the %d known",
                type(error).__name__,
                len(self._keys),
            )
            return
        self._keys = {key.key_id: key for key in keys.keys}
        self._fetched_at = self._clock()


async def _fetch_jwks(url: str, seconds: float) -> Any:
    async with (
        httpx.AsyncClient(timeout=seconds, follow_redirects=False) as client,
        client.stream("GET", url, headers={"Accept": "application/json"}) as response,
    ):
        response.raise_for_status()
        body = bytearray()
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > _MAX_JWKS_BYTES:
                raise ValueError("the key set is too large")
    return json.loads(bytes(body))


class TokenVerifier:
    def __init__(self, keys: KeySource | jwt.PyJWKSet, *, issuer: str, audience: str) -> None:
        self.keys: KeySource = StaticKeys(keys) if isinstance(keys, jwt.PyJWKSet) else keys
        self._issuer = issuer
        self._audience = audience
        self._verified: dict[str, tuple[Subject, float, float]] = {}

    async def verify(self, authorization: str | None) -> Subject:
        if not authorization:
            raise Unauthenticated("an Authorization: Bearer token is required")
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("an Authorization: Bearer token is required")
        token = token.strip()
        # A client sends the same token with every request; its signature needs checking once.
        # The exact token string is the key, and its validity window is checked on every hit.
        cached = self._verified.get(token)
        if cached is not None:
            subject, not_before, expires = cached
            if not_before <= time.time() < expires:
                return subject
            del self._verified[token]
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise Unauthenticated("the bearer token is malformed") from exc
        kid = header.get("kid")
        key = await self.keys.key_for(kid if isinstance(kid, str) else None)
        subject, not_before, expires = self._verify(token, key)
        if len(self._verified) >= _VERIFIED_CACHE_SIZE:
            self._verified.pop(next(iter(self._verified)))  # drop the oldest
        self._verified[token] = (subject, not_before, expires)
        return subject

    def _verify(self, token: str, key: jwt.PyJWK) -> tuple[Subject, float, float]:
        algorithm = key.algorithm_name
        if algorithm not in ALGORITHMS:
            raise Unauthenticated("the token was signed by an unknown key")
        try:
            claims = jwt.decode(
                token,
                key.key,
                algorithms=[algorithm],  # the key's own: a token naming another is refused
                issuer=self._issuer,
                audience=self._audience,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthenticated("the token has expired") from exc
        except jwt.ImmatureSignatureError as exc:
            raise Unauthenticated("the token is not yet valid") from exc
        except jwt.PyJWTError as exc:
            raise Unauthenticated("the token is not valid") from exc
        except (TypeError, ValueError) as exc:
            # What a crypto library says of a key and signature that do not fit together.
            log.warning("token refused: %s while checking its signature", type(exc).__name__)
            raise Unauthenticated("the token is not valid") from None
        role = claims.get("role")
        if not isinstance(role, str) or not role:
            raise Unauthenticated("the token names no role")
        sub = claims["sub"]
        if not isinstance(sub, str) or not sub:
            raise Unauthenticated("the token names no subject")
        subject = Subject(
            sub=normalise_subject(sub, role),
            role=role,
            org=_optional_str(claims.get("org")),
            municipality=normalise_municipality(_optional_str(claims.get("municipality"))),
            name=_optional_str(claims.get("name")),
            expires_at=_number(claims["exp"]),
        )
        return subject, _number(claims.get("nbf", 0)), _number(claims["exp"])


def _optional_str(value: object) -> str | None:
    return None if value is None else str(value)


def _number(value: object) -> float:
    # PyJWT has checked `exp` and `nbf` are numbers by now.
    return float(value)  # type: ignore[arg-type]


# --- demo keys ---------------------------------------------------------------------------------


def demo_private_key(state_dir: Path) -> ec.EllipticCurvePrivateKey:
    """The demo signing key of this working directory, created on first use."""
    path = state_dir / _DEMO_KEY_FILE
    if not path.exists():
        state_dir.mkdir(parents=True, exist_ok=True)
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        tmp = path.with_suffix(f".{uuid.uuid4().hex}.tmp")
        tmp.write_bytes(pem)
        tmp.chmod(0o600)
        tmp.replace(path)  # atomic: a concurrent demo and token command agree on one key
    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(loaded, ec.EllipticCurvePrivateKey)
    return loaded


def demo_jwks_document(state_dir: Path) -> dict[str, Any]:
    """The public JWKS of the demo key (what a test or bench writes to a JWKS_FILE to run
    `serve` in production mode with tokens from `ungeprofil token`)."""
    public = demo_private_key(state_dir).public_key()
    jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(public))
    jwk.update({"kid": DEMO_KID, "alg": "ES256", "use": "sig"})
    return {"keys": [jwk]}


def demo_jwks(state_dir: Path) -> jwt.PyJWKSet:
    return jwt.PyJWKSet.from_dict(demo_jwks_document(state_dir))


def sign_demo_token(
    state_dir: Path,
    *,
    sub: str,
    role: str,
    org: str | None = None,
    municipality: str | None = None,
    name: str | None = None,
    issuer: str,
    audience: str,
    lifetime: dt.timedelta = dt.timedelta(hours=8),
) -> str:
    now = dt.datetime.now(dt.UTC)
    claims: dict[str, Any] = {
        "sub": sub,
        "role": role,
        "iss": issuer,
        "aud": audience,
        "iat": now,
        "nbf": now,
        "exp": now + lifetime,
    }
    for claim, value in (("org", org), ("municipality", municipality), ("name", name)):
        if value is not None:
            claims[claim] = value
    return jwt.encode(
        claims, demo_private_key(state_dir), algorithm="ES256", headers={"kid": DEMO_KID}
    )


def verifier_for(
    *,
    jwks_file: str | None,
    jwks_url: str | None,
    state_dir: Path,
    issuer: str,
    audience: str,
    jwks_timeout: float = 2.0,
    jwks_refresh: float = 300.0,
    jwks_min_interval: float = 30.0,
) -> TokenVerifier:
    keys: KeySource
    if jwks_url:
        keys = RemoteKeys(
            jwks_url,
            timeout=jwks_timeout,
            refresh_after=jwks_refresh,
            min_interval=jwks_min_interval,
        )
    elif jwks_file:
        keys = StaticKeys(jwt.PyJWKSet.from_json(Path(jwks_file).read_text()))
    else:
        keys = StaticKeys(demo_jwks(state_dir))
    return TokenVerifier(keys, issuer=issuer, audience=audience)
