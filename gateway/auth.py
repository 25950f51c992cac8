"""Bearer token -> Subject. Nothing else in the gateway knows about JWTs.

Tokens are verified with an explicit algorithm allow-list (never `none`, never HMAC, so a public
key can't be used as a shared secret), and `exp`, `iss`, `aud` and `sub` are required. Keys come
from a JWKS (file or URL) in production, or from the demo key in the state directory.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

ALGORITHMS = ["ES256", "RS256"]
DEMO_KID = "ungeprofil-demo-1"
_VERIFIED_CACHE_SIZE = 4096
_DEMO_KEY_FILE = "demo-signing-key.pem"


class Unauthenticated(Exception):
    """The request carries no valid token. The message is safe to show."""


@dataclass(frozen=True)
class Subject:
    sub: str
    role: str
    org: str | None = None
    municipality: str | None = None
    name: str | None = None

    def policy_input(self) -> dict[str, Any]:
        return {
            "sub": self.sub,
            "role": self.role,
            "org": self.org,
            "municipality": self.municipality,
        }


def normalise_municipality(code: str | None) -> str | None:
    """Municipality codes are 4 digits ("0101"); many contexts write 3 ("101")."""
    if code is None or code == "":
        return None
    if not code.isdigit() or len(code) > 4:
        raise Unauthenticated("the token's municipality is not a municipality code")
    return code.zfill(4)


class TokenVerifier:
    def __init__(self, keys: jwt.PyJWKSet | jwt.PyJWKClient, *, issuer: str, audience: str) -> None:
        self._keys = keys
        self._issuer = issuer
        self._audience = audience
        self._verified: dict[str, tuple[Subject, float, float]] = {}

    def _key_for(self, token: str) -> Any:
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError as exc:
            raise Unauthenticated("the bearer token is malformed") from exc
        if isinstance(self._keys, jwt.PyJWKClient):
            try:
                return self._keys.get_signing_key_from_jwt(token).key
            except jwt.PyJWTError as exc:
                raise Unauthenticated("the token was signed by an unknown key") from exc
        for key in self._keys.keys:
            if key.key_id == kid:
                return key.key
        raise Unauthenticated("the token was signed by an unknown key")

    def verify(self, authorization: str | None) -> Subject:
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
        subject, not_before, expires = self._verify(token)
        if len(self._verified) >= _VERIFIED_CACHE_SIZE:
            self._verified.pop(next(iter(self._verified)))  # drop the oldest
        self._verified[token] = (subject, not_before, expires)
        return subject

    def _verify(self, token: str) -> tuple[Subject, float, float]:
        key = self._key_for(token)
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=ALGORITHMS,
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
        role = claims.get("role")
        if not isinstance(role, str) or not role:
            raise Unauthenticated("the token names no role")
        subject = Subject(
            sub=str(claims["sub"]),
            role=role,
            org=_optional_str(claims.get("org")),
            municipality=normalise_municipality(_optional_str(claims.get("municipality"))),
            name=_optional_str(claims.get("name")),
        )
        return subject, float(claims.get("nbf", 0)), float(claims["exp"])


def _optional_str(value: object) -> str | None:
    return None if value is None else str(value)


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


def demo_jwks(state_dir: Path) -> jwt.PyJWKSet:
    public = demo_private_key(state_dir).public_key()
    jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(public))
    jwk.update({"kid": DEMO_KID, "alg": "ES256", "use": "sig"})
    return jwt.PyJWKSet.from_dict({"keys": [jwk]})


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
    *, jwks_file: str | None, jwks_url: str | None, state_dir: Path, issuer: str, audience: str
) -> TokenVerifier:
    keys: jwt.PyJWKSet | jwt.PyJWKClient
    if jwks_url:
        keys = jwt.PyJWKClient(jwks_url, cache_keys=True)
    elif jwks_file:
        keys = jwt.PyJWKSet.from_json(Path(jwks_file).read_text())
    else:
        keys = demo_jwks(state_dir)
    return TokenVerifier(keys, issuer=issuer, audience=audience)
