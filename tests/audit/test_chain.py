"""The hash chain on its own: canonical form, sealing, and what verify names for each break."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from gateway.audit import AuditFilter, AuditRecord
from gateway.audit.chain import (
    CANONICAL_VERSION,
    GENESIS,
    GENESIS_HASH,
    ChainPoint,
    canonical_bytes,
    record_hash,
    record_hash_or_none,
    seal_all,
    verify_records,
)
from gateway.audit.records import (
    AGGREGATE,
    CATEGORY_READ,
    KINDS,
    LOG_READ,
    POLICY_READ,
    RELATIONSHIP_CONFIRMED,
    REQUEST_REFUSED,
    WRITE_INTENT,
    WRITE_OUTCOME,
    InvalidCursor,
    decode_cursor,
    encode_cursor,
)

from .conftest import make_record


def _by_hand(version: int, **extra: object) -> str:
    """sha256 of the canonical JSON of make_record(0) at seq 1, written out here by hand."""
    by_hand = {
        "v": version,
        "seq": 1,
        "prev_hash": GENESIS_HASH,
        "time": "2026-11-23T09:00:00.000000+00:00",
        "request_id": "req-0",
        "subject": "jette.hansen",
        "subject_name": "Jette Hansen",
        "role": "contact_person",
        "organisation": "Jobcenter København",
        "municipality": "0101",
        "purpose": "PLANNING",
        "cpr": "1503044112",
        "category": "identity",
        "decision": "allow",
        "reason": "contact person assigned in DFDG, municipality 0101",
        "legal_bases": ["LOU-DFDG", "KUI-15D-2-1"],
        "policy_version": "2026-11-23.1",
        **extra,
    }
    text = json.dumps(by_hand, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def test_the_hash_covers_every_field_in_a_stable_form() -> None:
    """Recomputed here by hand, so a change to the canonical form (which would break every
    stored chain) cannot slip through unnoticed."""
    (sealed,) = seal_all([make_record(0, youth_municipality="0147")], GENESIS)
    assert sealed.hash_version == CANONICAL_VERSION == 2
    assert sealed.hash == _by_hand(2, kind="category_read", youth_municipality="0147")
    (no_youth,) = seal_all([make_record(0, kind="log_read", category="")], GENESIS)
    assert no_youth.hash == _by_hand(2, kind="log_read", youth_municipality=None, category="")


def test_a_record_sealed_in_version_1_still_hashes_in_version_1() -> None:
    """The form before kind and youth_municipality, byte for byte: records stored under it
    must verify after the upgrade."""
    old = replace(make_record(0), seq=1, prev_hash=GENESIS_HASH, hash_version=1)
    assert record_hash(old) == _by_hand(1)
    # The chain seals in the current form only, whatever version a record was built with.
    (sealed,) = seal_all([replace(make_record(0), hash_version=1)], GENESIS)
    assert sealed.hash_version == 2 and sealed.hash == _by_hand(
        2, kind="category_read", youth_municipality=None
    )


def test_a_version_1_record_has_only_the_kinds_version_1_could_give_it() -> None:
    """Version 1 did not hash kind or youth_municipality, so they must be what migration 2
    (or an old worker, through the column defaults) gave it; anything else was set outside
    the chain and cannot match the hash."""
    old = replace(make_record(0), seq=1, prev_hash=GENESIS_HASH, hash_version=1)
    log_read = replace(old, category="audit_log")
    assert record_hash_or_none(replace(log_read, kind=LOG_READ)) == record_hash(log_read)
    for forged in (
        replace(old, kind=LOG_READ),
        replace(old, kind=POLICY_READ),
        replace(log_read, kind=POLICY_READ),
        replace(old, youth_municipality="0101"),
    ):
        assert record_hash_or_none(forged) is None, forged
    with pytest.raises(ValueError):
        record_hash(replace(old, hash_version=3))


@pytest.mark.parametrize(
    "change",
    [
        {"request_id": "other"},
        {"subject_name": "Jette Hanse"},
        {"organisation": None},
        {"municipality": "0751"},
        {"legal_bases": ("LOU-DFDG",)},
        {"legal_bases": ("KUI-15D-2-1", "LOU-DFDG")},
        {"time": datetime(2026, 11, 23, 9, 0, 0, 1, tzinfo=UTC)},
        {"seq": 2},
        {"prev_hash": "f" * 64},
        {"kind": "log_read"},
        {"category": ""},
        {"youth_municipality": "0101"},
        {"hash_version": 1},
    ],
)
def test_any_change_changes_the_hash(change: dict[str, object]) -> None:
    record = make_record(0)
    assert record_hash(replace(record, **change)) != record_hash(record)


def test_time_is_hashed_in_utc_whatever_zone_it_was_given_in() -> None:
    copenhagen = timezone(timedelta(hours=1))
    local = make_record(0, time=datetime(2026, 11, 23, 10, 0, tzinfo=copenhagen))
    assert local.time.tzinfo == UTC
    assert canonical_bytes(local) == canonical_bytes(make_record(0))


def test_naive_times_and_unknown_decisions_are_refused() -> None:
    with pytest.raises(ValueError):
        make_record(0, time=datetime(2026, 11, 23, 9, 0))
    with pytest.raises(ValueError):
        make_record(0, decision="maybe")
    with pytest.raises(ValueError):
        make_record(0, municipality="101")
    with pytest.raises(ValueError):
        AuditFilter(since=datetime(2026, 1, 1))


def test_kinds_are_a_closed_list() -> None:
    assert KINDS == (
        CATEGORY_READ,
        RELATIONSHIP_CONFIRMED,
        LOG_READ,
        POLICY_READ,
        REQUEST_REFUSED,
        WRITE_INTENT,
        WRITE_OUTCOME,
        AGGREGATE,
    )
    assert KINDS[0] == "category_read" and KINDS[-1] == "aggregate"
    assert make_record(0).kind == CATEGORY_READ
    for kind in KINDS:
        assert make_record(0, kind=kind, category="").kind == kind
    for unknown in ("audit_log", "", "CATEGORY_READ", None):
        with pytest.raises(ValueError):
            make_record(0, kind=unknown)
    with pytest.raises(ValueError):
        AuditFilter(kind="audit_log")


def test_the_young_persons_municipality_is_a_code_like_the_callers() -> None:
    assert make_record(0).youth_municipality is None
    assert make_record(0, youth_municipality="0751").youth_municipality == "0751"
    for bad in ("751", "07510", "Aarhus", ""):
        with pytest.raises(ValueError):
            make_record(0, youth_municipality=bad)
        with pytest.raises(ValueError):
            AuditFilter(supervised_by=bad)


def test_placing_a_record_keeps_every_field_and_sets_the_chain_fields() -> None:
    record = make_record(0, kind=RELATIONSHIP_CONFIRMED, category="", youth_municipality="0751")
    placed = record.placed(7, "a" * 64, "b" * 64, 1)
    assert replace(placed, seq=0, prev_hash="", hash="", hash_version=2) == record
    assert (placed.seq, placed.prev_hash, placed.hash, placed.hash_version) == (
        7,
        "a" * 64,
        "b" * 64,
        1,
    )


def test_a_string_that_is_not_unicode_text_cannot_be_serialised() -> None:
    with pytest.raises((TypeError, UnicodeError)):
        canonical_bytes(make_record(0, reason="\udfff"))


def test_sealing_links_each_record_to_the_one_before() -> None:
    head = ChainPoint(41, "a" * 64)
    sealed = seal_all([make_record(i) for i in range(3)], head)
    assert [r.seq for r in sealed] == [42, 43, 44]
    assert [r.prev_hash for r in sealed] == ["a" * 64, sealed[0].hash, sealed[1].hash]


def _chain(size: int) -> tuple[list[AuditRecord], ChainPoint]:
    sealed = seal_all([make_record(i) for i in range(size)], GENESIS)
    return sealed, ChainPoint(sealed[-1].seq, sealed[-1].hash)


def test_a_duplicate_seq_is_an_insertion() -> None:
    sealed, head = _chain(5)
    tampered = [*sealed[:3], replace(sealed[1], seq=3), *sealed[3:]]
    result = verify_records(sorted(tampered, key=lambda r: r.seq), GENESIS, head)
    assert (result.ok, result.first_bad_seq, result.problem) == (False, 3, "inserted")


def test_deleting_and_renumbering_is_a_removal() -> None:
    sealed, _ = _chain(6)
    renumbered = [*sealed[:2], *(replace(r, seq=r.seq - 1) for r in sealed[3:])]
    head = ChainPoint(5, renumbered[-1].hash)
    result = verify_records(renumbered, GENESIS, head)
    assert (result.ok, result.first_bad_seq, result.problem) == (False, 3, "removed")


def test_a_head_that_does_not_match_the_last_record_is_a_change() -> None:
    sealed, head = _chain(3)
    result = verify_records(sealed, GENESIS, ChainPoint(3, "b" * 64))
    assert (result.ok, result.first_bad_seq, result.problem) == (False, 3, "changed")
    assert verify_records(sealed, GENESIS, head).ok


def test_a_record_before_the_anchor_is_an_insertion() -> None:
    sealed, head = _chain(6)
    anchor = ChainPoint(3, sealed[2].hash)
    assert verify_records(sealed[3:], anchor, head).ok
    result = verify_records(sealed[2:], anchor, head)
    assert (result.ok, result.first_bad_seq, result.problem) == (False, 3, "inserted")


def test_cursors_round_trip_and_foreign_ones_are_refused() -> None:
    assert decode_cursor(encode_cursor(12345)) == 12345
    for foreign in ("", "!!!", encode_cursor(1)[:-2], "c2VxOjE="):
        with pytest.raises(InvalidCursor):
            decode_cursor(foreign)
