"""Tokens: every way a bearer token can be wrong is refused as UNAUTHENTICATED."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from gateway.auth import (
    DEMO_KID,
    Subject,
    TokenVerifier,
    Unauthenticated,
    demo_jwks,
    demo_private_key,
    sign_demo_token,
)

ISS, AUD = "ungeprofil-demo", "ungeprofil"


@pytest.fixture
def keys(tmp_path: Path) -> Path:
    demo_private_key(tmp_path)
    return tmp_path


def verifier(state: Path) -> TokenVerifier:
    return TokenVerifier(demo_jwks(state), issuer=ISS, audience=AUD)


def claims(**over: Any) -> dict[str, Any]:
    now = dt.datetime.now(dt.UTC)
    base: dict[str, Any] = {
        "sub": "jette.hansen",
        "role": "contact_person",
        "iss": ISS,
        "aud": AUD,
        "iat": now,
        "nbf": now,
        "exp": now + dt.timedelta(minutes=5),
        "municipality": "101",
    }
    base.update(over)
    return {k: v for k, v in base.items() if v is not None}


def signed(state: Path, **over: Any) -> str:
    return jwt.encode(
        claims(**over), demo_private_key(state), algorithm="ES256", headers={"kid": DEMO_KID}
    )


def test_a_good_token_becomes_a_subject(keys: Path) -> None:
    token = sign_demo_token(
        keys,
        sub="jette.hansen",
        role="contact_person",
        municipality="101",
        org="Jobcenter København",
        name="Jette Hansen",
        issuer=ISS,
        audience=AUD,
    )
    assert verifier(keys).verify(f"Bearer {token}") == Subject(
        sub="jette.hansen",
        role="contact_person",
        org="Jobcenter København",
        municipality="0101",
        name="Jette Hansen",
    )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _other_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def bad_tokens(state: Path) -> dict[str, str | None]:
    good = signed(state)
    header, payload, signature = good.split(".")
    tampered = json.loads(base64.urlsafe_b64decode(payload + "=="))
    tampered["role"] = "privacy_officer"
    public_pem = (
        demo_private_key(state)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    hs_header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": DEMO_KID}).encode())
    hs_body = _b64(json.dumps(claims(iat=None, nbf=None, exp=9999999999)).encode())
    hs_sig = _b64(hmac.new(public_pem, f"{hs_header}.{hs_body}".encode(), hashlib.sha256).digest())
    none_header = _b64(json.dumps({"alg": "none", "typ": "JWT", "kid": DEMO_KID}).encode())
    return {
        "missing": None,
        "empty": "",
        "not bearer": f"Basic {good}",
        "bearer without token": "Bearer ",
        "garbage": "Bearer not.a.token",
        "alg none": f"Bearer {none_header}.{hs_body}.",
        "HS256 with the public key": f"Bearer {hs_header}.{hs_body}.{hs_sig}",
        "another key": "Bearer "
        + jwt.encode(claims(), _other_key(), algorithm="ES256", headers={"kid": DEMO_KID}),
        "unknown kid": "Bearer "
        + jwt.encode(
            claims(), demo_private_key(state), algorithm="ES256", headers={"kid": "someone-else"}
        ),
        "expired": "Bearer " + signed(state, exp=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)),
        "not yet valid": "Bearer "
        + signed(state, nbf=dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)),
        "wrong issuer": "Bearer " + signed(state, iss="https://evil.example"),
        "wrong audience": "Bearer " + signed(state, aud="someone-else"),
        "no exp": "Bearer " + signed(state, exp=None),
        "no role": "Bearer " + signed(state, role=None),
        "bad municipality": "Bearer " + signed(state, municipality="Kbh"),
        "tampered payload": f"Bearer {header}.{_b64(json.dumps(tampered).encode())}.{signature}",
    }


BAD_CASES = [
    "missing",
    "empty",
    "not bearer",
    "bearer without token",
    "garbage",
    "alg none",
    "HS256 with the public key",
    "another key",
    "unknown kid",
    "expired",
    "not yet valid",
    "wrong issuer",
    "wrong audience",
    "no exp",
    "no role",
    "bad municipality",
    "tampered payload",
]


@pytest.mark.parametrize("case", BAD_CASES)
def test_bad_tokens_are_refused(keys: Path, case: str) -> None:
    authorization = bad_tokens(keys)[case]
    with pytest.raises(Unauthenticated):
        verifier(keys).verify(authorization)


def test_a_production_key_set_refuses_demo_tokens(keys: Path, tmp_path: Path) -> None:
    production_key = _other_key()
    jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(production_key.public_key()))
    jwk.update({"kid": "prod-1", "alg": "ES256"})
    production = TokenVerifier(jwt.PyJWKSet.from_dict({"keys": [jwk]}), issuer=ISS, audience=AUD)
    demo = sign_demo_token(keys, sub="x", role="youth", issuer=ISS, audience=AUD)
    with pytest.raises(Unauthenticated):
        production.verify(f"Bearer {demo}")


def test_every_bad_token_case_is_tested(keys: Path) -> None:
    assert set(BAD_CASES) == set(bad_tokens(keys))


def test_a_cached_token_is_still_refused_once_it_expires(
    keys: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    check = verifier(keys)
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
    authorization = "Bearer " + signed(keys, exp=soon)
    assert check.verify(authorization).sub == "jette.hansen"  # verified, then cached
    assert check.verify(authorization).sub == "jette.hansen"  # from the cache
    later = soon.timestamp() + 1
    monkeypatch.setattr("gateway.auth.time.time", lambda: later)

    def verify_again(token: str) -> Any:  # what PyJWT says of an expired token
        raise Unauthenticated("the token has expired")

    monkeypatch.setattr(check, "_verify", verify_again)
    with pytest.raises(Unauthenticated):
        check.verify(authorization)  # past `exp`, the cache no longer answers
