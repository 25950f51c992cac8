"""Tokens: every way a bearer token can be wrong is refused as UNAUTHENTICATED."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import hmac
import json
import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from gateway.auth import (
    DEMO_KID,
    RemoteKeys,
    Subject,
    TokenVerifier,
    Unauthenticated,
    demo_jwks,
    demo_jwks_document,
    demo_private_key,
    normalise_municipality,
    sign_demo_token,
)
from tests.conftest import Clock

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


async def test_a_good_token_becomes_a_subject(keys: Path) -> None:
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
    assert await verifier(keys).verify(f"Bearer {token}") == Subject(
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


def _rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


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
        # `"²".isdigit()` is True, and so is `"١٠١".isdigit()`: no municipality code either.
        "superscript municipality": "Bearer " + signed(state, municipality="10²"),
        "arabic-indic municipality": "Bearer " + signed(state, municipality="١٠١"),
        "RS256 under the EC key's kid": "Bearer "
        + jwt.encode(claims(), _rsa_key(), algorithm="RS256", headers={"kid": DEMO_KID}),
        "ES384 under the ES256 key's kid": "Bearer "
        + jwt.encode(
            claims(),
            ec.generate_private_key(ec.SECP384R1()),
            algorithm="ES384",
            headers={"kid": DEMO_KID},
        ),
        "youth whose sub is no CPR": "Bearer " + signed(state, sub="anne", role="youth"),
        "youth whose sub is no date": "Bearer " + signed(state, sub="3213044112", role="youth"),
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
    "superscript municipality",
    "arabic-indic municipality",
    "RS256 under the EC key's kid",
    "ES384 under the ES256 key's kid",
    "youth whose sub is no CPR",
    "youth whose sub is no date",
    "tampered payload",
]


@pytest.mark.parametrize("case", BAD_CASES)
async def test_bad_tokens_are_refused(keys: Path, case: str) -> None:
    authorization = bad_tokens(keys)[case]
    with pytest.raises(Unauthenticated):
        await verifier(keys).verify(authorization)


async def test_a_production_key_set_refuses_demo_tokens(keys: Path, tmp_path: Path) -> None:
    production_key = _other_key()
    jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(production_key.public_key()))
    jwk.update({"kid": "prod-1", "alg": "ES256"})
    production = TokenVerifier(jwt.PyJWKSet.from_dict({"keys": [jwk]}), issuer=ISS, audience=AUD)
    demo = sign_demo_token(keys, sub="x", role="youth", issuer=ISS, audience=AUD)
    with pytest.raises(Unauthenticated):
        await production.verify(f"Bearer {demo}")


def test_every_bad_token_case_is_tested(keys: Path) -> None:
    assert set(BAD_CASES) == set(bad_tokens(keys))


async def test_a_cached_token_is_still_refused_once_it_expires(
    keys: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    check = verifier(keys)
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
    authorization = "Bearer " + signed(keys, exp=soon)
    assert (await check.verify(authorization)).sub == "jette.hansen"  # verified, then cached
    assert (await check.verify(authorization)).sub == "jette.hansen"  # from the cache
    later = soon.timestamp() + 1
    monkeypatch.setattr("gateway.auth.time.time", lambda: later)

    def verify_again(token: str, key: Any) -> Any:  # what PyJWT says of an expired token
        raise Unauthenticated("the token has expired")

    monkeypatch.setattr(check, "_verify", verify_again)
    with pytest.raises(Unauthenticated):
        await check.verify(authorization)  # past `exp`, the cache no longer answers


async def test_a_youth_sub_is_normalised_to_ten_digits(keys: Path) -> None:
    subject = await verifier(keys).verify("Bearer " + signed(keys, sub="150304-4112", role="youth"))
    assert subject.sub == "1503044112"
    # A professional's sub is a user name: left as it is.
    subject = await verifier(keys).verify("Bearer " + signed(keys, sub="150304-4112"))
    assert subject.sub == "150304-4112"


def test_a_municipality_is_up_to_four_ascii_digits() -> None:
    assert normalise_municipality("101") == "0101"
    assert normalise_municipality("0751") == "0751"
    for bad in ("²", "10²", "١٠١", "01010", "+101", " 101", "101\n"):
        with pytest.raises(Unauthenticated):
            normalise_municipality(bad)


async def test_an_algorithm_mismatch_is_logged_without_a_traceback(
    keys: Path, caplog: pytest.LogCaptureFixture
) -> None:
    token = jwt.encode(claims(), _rsa_key(), algorithm="RS256", headers={"kid": DEMO_KID})
    with pytest.raises(Unauthenticated):
        await verifier(keys).verify(f"Bearer {token}")
    assert all(record.exc_info is None for record in caplog.records)


# --- keys from a JWKS URL ---------------------------------------------------------------------


class KeyServerDouble:
    """A key server for RemoteKeys: answers `document` after `delay` seconds (or raises)."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.delay = 0.0
        self.fail: Exception | None = None
        self.calls = 0

    async def __call__(self, url: str, seconds: float) -> dict[str, Any]:
        self.calls += 1
        if self.delay:
            await asyncio.sleep(self.delay)  # a slow key server, bounded by RemoteKeys' timeout
        if self.fail is not None:
            raise self.fail
        return self.document


def remote(keys: Path, server: KeyServerDouble, clock: Clock, **over: Any) -> RemoteKeys:
    settings: dict[str, Any] = {"timeout": 0.2, "refresh_after": 300.0, "min_interval": 30.0}
    settings.update(over)
    return RemoteKeys("http://127.0.0.1:1/jwks", clock=clock, fetch=server, **settings)


async def test_remote_keys_are_fetched_once_and_cached(keys: Path) -> None:
    server, clock = KeyServerDouble(demo_jwks_document(keys)), Clock()
    source = remote(keys, server, clock)
    await source.start()
    check = TokenVerifier(source, issuer=ISS, audience=AUD)
    for _ in range(3):
        assert (await check.verify("Bearer " + signed(keys, sub=f"u{_}"))).role
    assert server.calls == 1


async def test_an_unknown_kid_refetches_at_most_once_per_interval(keys: Path) -> None:
    server, clock = KeyServerDouble(demo_jwks_document(keys)), Clock()
    source = remote(keys, server, clock)
    await source.start()
    for kid in ("a", "b", "c"):
        with pytest.raises(Unauthenticated):
            await source.key_for(kid)
    assert server.calls == 2  # start-up, and one refetch for the first unknown kid
    clock.now += 30
    with pytest.raises(Unauthenticated):
        await source.key_for("d")
    assert server.calls == 3


async def test_a_rotated_key_is_found_by_the_refetch(keys: Path) -> None:
    document = demo_jwks_document(keys)
    server, clock = KeyServerDouble({"keys": []}), Clock()
    source = remote(keys, server, clock)
    await source.start()  # no usable key: nothing loaded, nothing crashed
    assert not source.loaded()
    server.document = document
    assert (await source.key_for(DEMO_KID)).key_id == DEMO_KID
    assert source.loaded()


async def test_a_slow_or_failing_key_server_keeps_the_known_keys(keys: Path) -> None:
    server, clock = KeyServerDouble(demo_jwks_document(keys)), Clock()
    source = remote(keys, server, clock, refresh_after=10.0)
    await source.start()
    server.delay = 5.0  # far beyond the 0.2 s timeout
    clock.now += 31
    started = time.monotonic()
    with pytest.raises(Unauthenticated):
        await source.key_for("rotated")
    assert time.monotonic() - started < 2.0  # bounded by the timeout, not by the server
    assert (await source.key_for(DEMO_KID)).key_id == DEMO_KID
    server.delay, server.fail = 0.0, ValueError("not JSON")
    clock.now += 31
    with pytest.raises(Unauthenticated):
        await source.key_for("rotated")
    assert (await source.key_for(DEMO_KID)).key_id == DEMO_KID


async def test_concurrent_unknown_kids_share_one_fetch(keys: Path) -> None:
    server, clock = KeyServerDouble(demo_jwks_document(keys)), Clock()
    source = remote(keys, server, clock, timeout=2.0)
    server.delay = 0.05
    found = await asyncio.gather(*(source.key_for(DEMO_KID) for _ in range(20)))
    assert {key.key_id for key in found} == {DEMO_KID}
    assert server.calls == 1


async def test_old_keys_are_refreshed_in_the_background(keys: Path) -> None:
    server, clock = KeyServerDouble(demo_jwks_document(keys)), Clock()
    source = remote(keys, server, clock, refresh_after=60.0)
    await source.start()
    clock.now += 61
    server.delay = 0.05
    started = time.monotonic()
    assert (await source.key_for(DEMO_KID)).key_id == DEMO_KID  # answered with the known key
    assert time.monotonic() - started < 0.04
    await source.refresh()  # joins the background fetch
    assert server.calls == 2
