"""The AuditStore contract, run against every backend: memory, SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from gateway.audit import AuditFilter, AuditRecord, AuditStore, AuditUnavailable, InvalidCursor
from gateway.audit.chain import CANONICAL_VERSION, GENESIS_HASH, ChainPoint, record_hash
from gateway.audit.records import LOG_READ, RELATIONSHIP_CONFIRMED

from .conftest import BASE_TIME, DURABLE_BACKENDS, Backend, make_batch, make_record


async def everything(store: AuditStore, filter: AuditFilter | None = None) -> list[AuditRecord]:
    """All matching records, newest first, read page by page."""
    found: list[AuditRecord] = []
    after: str | None = None
    for _ in range(10_000):
        page = await store.query(filter or AuditFilter(), 7, after)
        found.extend(page.records)
        if page.next_cursor is None:
            return found
        after = page.next_cursor
    raise AssertionError("pagination never ended")


async def ten_records(store: AuditStore) -> list[AuditRecord]:
    await store.append([make_record(index) for index in range(10)])
    return list(reversed(await everything(store)))


# -- append and query -------------------------------------------------------------------------


async def test_append_seals_records_into_a_chain(backend: Backend) -> None:
    await backend.store.append([make_record(0), make_record(1)])
    await backend.store.append([make_record(2)])

    stored = list(reversed(await everything(backend.store)))

    assert [record.seq for record in stored] == [1, 2, 3]
    assert stored[0].prev_hash == GENESIS_HASH
    assert [record.prev_hash for record in stored[1:]] == [record.hash for record in stored[:-1]]
    assert all(record.hash == record_hash(record) for record in stored)
    assert [record.request_id for record in stored] == ["req-0", "req-1", "req-2"]


async def test_records_come_back_as_they_went_in(backend: Backend) -> None:
    original = make_record(
        5,
        organisation=None,
        municipality=None,
        subject_name="Søren Æblegård",
        legal_bases=(),
        decision="deny",
        reason="no legal basis in force for grades — «ÆØÅ»",
    )
    await backend.store.append([original])

    (stored,) = await everything(backend.store)

    assert replace(stored, seq=0, prev_hash="", hash="") == original


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": LOG_READ, "category": "", "youth_municipality": "0751"},
        {"kind": RELATIONSHIP_CONFIRMED, "category": "", "municipality": None},
        {"kind": "aggregate", "category": "grades", "youth_municipality": None},
    ],
)
async def test_kind_and_youth_municipality_come_back_as_they_went_in(
    backend: Backend, fields: dict[str, Any]
) -> None:
    original = make_record(3, **fields)
    await backend.store.append([original])

    (stored,) = await everything(backend.store)

    assert stored.hash_version == CANONICAL_VERSION
    assert replace(stored, seq=0, prev_hash="", hash="") == original
    assert (await backend.store.verify()).ok


SCHOOL_CONTACT: dict[str, Any] = {
    "subject": "ida.skov",
    "subject_name": "Ida Skov",
    "role": "school_contact",
    "organisation": "Ørestad Gymnasium",
    "municipality": None,  # a school is no municipality's: only the youth's ties it to one
}
PRIVACY_OFFICER: dict[str, Any] = {
    "subject": "pia.berg",
    "subject_name": "Pia Berg",
    "role": "privacy_officer",
    "purpose": "SUPERVISION",
    "cpr": "",
    "category": "",
    "kind": LOG_READ,
}
VARIED = [
    make_record(0, cpr="1503044112", category="grades", decision="deny", youth_municipality="0101"),
    make_record(
        1,
        cpr="0211014127",
        subject="mikkel.holm",
        role="mentor",
        purpose="MENTORING",
        youth_municipality="0751",  # a 0101 mentor of a 0751 youth: both officers see it
    ),
    make_record(2, cpr="2101054154", subject="lars.pedersen", municipality="0751"),
    make_record(3, cpr="1503044112", purpose="JOB_PLACEMENT", role="business_consultant"),
    make_record(
        4,
        cpr="0211014127",
        category="health",
        decision="deny",
        municipality="0751",
        youth_municipality="0751",
    ),
    make_record(5, cpr="1503044112", category="grades"),
    make_record(6, cpr="0211014127", youth_municipality="0751", **SCHOOL_CONTACT),
    make_record(7, cpr="1503044112", youth_municipality="0101", **SCHOOL_CONTACT),
    make_record(8, municipality="0751", **PRIVACY_OFFICER),
    make_record(9, cpr="2101054154", kind=RELATIONSHIP_CONFIRMED, category=""),
    make_record(10, cpr="2101054154", **{**SCHOOL_CONTACT, "subject": "ole.dam"}),
]

FILTERS: list[tuple[str, dict[str, Any], Any]] = [
    ("cpr", {"cpr": "1503044112"}, lambda r: r.cpr == "1503044112"),
    ("subject", {"subject": "mikkel.holm"}, lambda r: r.subject == "mikkel.holm"),
    ("role", {"role": "contact_person"}, lambda r: r.role == "contact_person"),
    ("purpose", {"purpose": "PLANNING"}, lambda r: r.purpose == "PLANNING"),
    ("category", {"category": "grades"}, lambda r: r.category == "grades"),
    ("decision", {"decision": "deny"}, lambda r: r.decision == "deny"),
    ("municipality", {"municipality": "0751"}, lambda r: r.municipality == "0751"),
    ("kind", {"kind": "log_read"}, lambda r: r.kind == "log_read"),
    ("no category", {"category": ""}, lambda r: r.category == ""),
    (
        "supervised_by",
        {"supervised_by": "0751"},
        lambda r: "0751" in (r.municipality, r.youth_municipality),
    ),
    (
        "supervised_by and kind",
        {"supervised_by": "0101", "kind": "category_read", "decision": "allow"},
        lambda r: (
            "0101" in (r.municipality, r.youth_municipality)
            and (r.kind, r.decision) == ("category_read", "allow")
        ),
    ),
    (
        "since",
        {"since": BASE_TIME + timedelta(minutes=2)},
        lambda r: r.time >= BASE_TIME + timedelta(minutes=2),
    ),
    (
        "until",
        {"until": BASE_TIME + timedelta(minutes=2)},
        lambda r: r.time < BASE_TIME + timedelta(minutes=2),
    ),
    (
        "combined",
        {"cpr": "1503044112", "category": "grades", "decision": "allow"},
        lambda r: (r.cpr, r.category, r.decision) == ("1503044112", "grades", "allow"),
    ),
    ("nothing matches", {"cpr": "3012024163"}, lambda r: False),
]


@pytest.mark.parametrize(("name", "criteria", "expected"), FILTERS, ids=[f[0] for f in FILTERS])
async def test_query_filters(
    backend: Backend, name: str, criteria: dict[str, Any], expected: Any
) -> None:
    await backend.store.append(VARIED)

    found = await everything(backend.store, AuditFilter(**criteria))

    wanted = [record.request_id for record in reversed(VARIED) if expected(record)]
    assert [record.request_id for record in found] == wanted


async def test_supervised_by_finds_the_callers_and_the_young_peoples_municipality(
    backend: Backend,
) -> None:
    await backend.store.append(VARIED)

    found = await everything(backend.store, AuditFilter(supervised_by="0751"))

    # 1: a 0101 mentor, a 0751 youth; 2, 8: 0751 callers; 4: both; 6: a school contact and a
    # 0751 youth. Not 10 (a school contact, no youth municipality) nor the 0101 records.
    assert [record.request_id for record in found] == ["req-8", "req-6", "req-4", "req-2", "req-1"]
    own_only = await everything(backend.store, AuditFilter(municipality="0751"))
    assert [record.request_id for record in own_only] == ["req-8", "req-4", "req-2"]


async def test_supervised_by_pages_with_a_cursor(backend: Backend) -> None:
    await backend.store.append(
        [
            make_record(
                i,
                municipality=("0751", None, "0101")[i % 3],
                youth_municipality=("0101", "0751", "0101")[i % 3],
            )
            for i in range(30)
        ]
    )

    found = await everything(backend.store, AuditFilter(supervised_by="0751", since=BASE_TIME))

    assert [r.request_id for r in found] == [f"req-{i}" for i in range(29, -1, -1) if i % 3 != 2]


async def test_pages_run_newest_first_without_overlap(backend: Backend) -> None:
    await backend.store.append([make_record(index) for index in range(25)])

    first = await backend.store.query(AuditFilter(), 10)
    second = await backend.store.query(AuditFilter(), 10, first.next_cursor)
    last = await backend.store.query(AuditFilter(), 10, second.next_cursor)

    seqs = [r.seq for page in (first, second, last) for r in page.records]
    assert seqs == list(range(25, 0, -1))
    assert first.next_cursor is not None and second.next_cursor is not None
    assert last.next_cursor is None


async def test_a_full_last_page_says_there_is_no_more(backend: Backend) -> None:
    await backend.store.append([make_record(index) for index in range(4)])

    page = await backend.store.query(AuditFilter(), 4)

    assert len(page.records) == 4
    assert page.next_cursor is None


async def test_pages_respect_the_filter(backend: Backend) -> None:
    await backend.store.append(
        [make_record(i, cpr="0211014127" if i % 3 else "1503044112") for i in range(20)]
    )

    found = await everything(backend.store, AuditFilter(cpr="1503044112"))

    assert [r.request_id for r in found] == [f"req-{i}" for i in range(18, -1, -3)]


@pytest.mark.parametrize("cursor", ["nonsense", "YXVkaXQ6eA==", ""])
async def test_a_foreign_cursor_is_refused(backend: Backend, cursor: str) -> None:
    with pytest.raises(InvalidCursor):
        await backend.store.query(AuditFilter(), 5, cursor)


async def test_a_batch_is_all_or_nothing(backend: Backend) -> None:
    await backend.store.append(make_batch("before"))
    batch = make_batch("broken")
    # A lone surrogate cannot be written as UTF-8: the 7th record cannot be serialised.
    batch[6] = replace(batch[6], reason="broken \ud800 text")

    with pytest.raises(AuditUnavailable):
        await backend.store.append(batch)

    stored = await everything(backend.store)
    assert {record.request_id for record in stored} == {"before"}
    assert (await backend.store.verify()).ok
    await backend.store.append(make_batch("after"))
    stored = await everything(backend.store)
    assert len(stored) == 28 and stored[0].seq == 28
    assert (await backend.store.verify()).ok


@pytest.mark.parametrize("backend", DURABLE_BACKENDS, indirect=True)
async def test_a_failure_midway_through_the_transaction_leaves_nothing(backend: Backend) -> None:
    # Durable stores only: the memory store has no constraint to trip.
    await backend.store.append(make_batch("before"))
    # A row squatting on seq 22 makes the 8th insert of the next batch collide, after seven
    # rows of it went in: only a rollback leaves the log as it was.
    await backend.tamper.copy(from_seq=1, to_seq=22)

    with pytest.raises(AuditUnavailable):
        await backend.store.append(make_batch("doomed"))

    await backend.tamper.delete(22)
    assert {record.request_id for record in await everything(backend.store)} == {"before"}
    assert (await backend.store.verify()).ok
    await backend.store.append(make_batch("after"))
    assert (await backend.store.verify()).checked == 28


async def test_a_bad_batch_does_not_sink_the_batches_written_with_it(backend: Backend) -> None:
    bad = make_batch("bad")
    bad[3] = replace(bad[3], reason="\ud800")
    appends = [backend.store.append(make_batch(f"good-{number}")) for number in range(10)]
    appends.insert(5, backend.store.append(bad))

    outcomes = await asyncio.gather(*appends, return_exceptions=True)

    assert isinstance(outcomes[5], AuditUnavailable)
    assert outcomes[:5] + outcomes[6:] == [None] * 10
    stored = await everything(backend.store)
    assert {record.request_id for record in stored} == {f"good-{n}" for n in range(10)}
    assert_batches_contiguous(stored, 10, 14)
    assert (await backend.store.verify()).ok


async def test_an_empty_append_writes_nothing(backend: Backend) -> None:
    await backend.store.append([])

    assert await everything(backend.store) == []
    assert (await backend.store.verify()).ok


# -- verify -----------------------------------------------------------------------------------


async def test_verify_passes_on_an_untouched_chain(backend: Backend) -> None:
    await ten_records(backend.store)

    result = await backend.store.verify()

    assert result.ok and result.checked == 10
    assert result.first_bad_seq is None and result.problem is None


async def test_verify_passes_on_an_empty_log(backend: Backend) -> None:
    result = await backend.store.verify()

    assert result.ok and result.checked == 0


async def test_verify_names_a_changed_record(backend: Backend) -> None:
    await ten_records(backend.store)
    await backend.tamper.update(4, reason="nothing to see here")

    result = await backend.store.verify()

    assert (result.ok, result.first_bad_seq, result.problem) == (False, 4, "changed")
    assert result.checked == 3


async def test_verify_names_a_changed_decision(backend: Backend) -> None:
    await ten_records(backend.store)
    await backend.tamper.update(7, decision="deny")

    result = await backend.store.verify()

    assert (result.ok, result.first_bad_seq, result.problem) == (False, 7, "changed")


@pytest.mark.parametrize(
    "change",
    [
        {"kind": LOG_READ},
        {"kind": RELATIONSHIP_CONFIRMED},
        {"youth_municipality": None},
        {"youth_municipality": "0751"},
        {"hash_version": 1},
        {"hash_version": 3},
    ],
    ids=lambda change: "-".join(f"{key}={value}" for key, value in change.items()),
)
async def test_verify_names_a_changed_kind_youth_municipality_or_hash_version(
    backend: Backend, change: dict[str, Any]
) -> None:
    await backend.store.append([make_record(i, youth_municipality="0101") for i in range(10)])
    await backend.tamper.update(6, **change)

    result = await backend.store.verify()

    assert (result.ok, result.first_bad_seq, result.problem) == (False, 6, "changed")


async def test_verify_names_a_record_relabelled_to_version_1(backend: Backend) -> None:
    # A record that version 1 could have hashed (no youth municipality, a category read):
    # only "v" inside the hashed bytes tells the two forms apart.
    await ten_records(backend.store)
    await backend.tamper.update(5, hash_version=1)

    result = await backend.store.verify()

    assert (result.ok, result.first_bad_seq, result.problem) == (False, 5, "changed")


@pytest.mark.parametrize("backend", DURABLE_BACKENDS, indirect=True)
async def test_verify_names_a_row_with_an_unknown_kind(backend: Backend) -> None:
    # Durable stores only: the memory store cannot even hold such a record.
    await ten_records(backend.store)
    await backend.tamper.update(3, kind="audit_log")

    result = await backend.store.verify()

    assert (result.ok, result.first_bad_seq, result.problem) == (False, 3, "changed")


async def test_verify_names_a_record_rewritten_with_a_fresh_hash(backend: Backend) -> None:
    stored = await ten_records(backend.store)
    forged = replace(stored[3], cpr="0211014127")
    await backend.tamper.update(4, cpr="0211014127", hash=record_hash(forged))

    result = await backend.store.verify()

    assert (result.ok, result.first_bad_seq, result.problem) == (False, 4, "changed")


async def test_verify_names_a_removed_record(backend: Backend) -> None:
    await ten_records(backend.store)
    await backend.tamper.delete(6)

    result = await backend.store.verify()

    assert (result.ok, result.first_bad_seq, result.problem) == (False, 6, "removed")


async def test_verify_names_a_removed_last_record(backend: Backend) -> None:
    await ten_records(backend.store)
    await backend.tamper.delete(10)

    result = await backend.store.verify()

    assert (result.ok, result.first_bad_seq, result.problem) == (False, 10, "removed")


async def test_verify_names_a_raw_insert_after_the_head(backend: Backend) -> None:
    await ten_records(backend.store)
    await backend.tamper.copy(from_seq=3, to_seq=11)

    result = await backend.store.verify()

    assert (result.ok, result.first_bad_seq, result.problem) == (False, 11, "inserted")


async def test_verify_names_a_forged_insert_in_the_middle(backend: Backend) -> None:
    """The careful forger: shifts the later records up, inserts a well-formed record linked to
    its predecessor, and moves the head. The record after it still points past it."""
    stored = await ten_records(backend.store)
    await backend.tamper.shift_up(5)
    placed = replace(make_record(99, cpr="3012024163"), seq=5, prev_hash=stored[3].hash)
    forged = replace(placed, hash=record_hash(placed))
    await backend.tamper.insert(forged)
    await backend.tamper.set_head(ChainPoint(11, stored[-1].hash))

    result = await backend.store.verify()

    assert (result.ok, result.first_bad_seq, result.problem) == (False, 5, "inserted")


# -- purge ------------------------------------------------------------------------------------


async def test_purge_keeps_the_chain_verifiable(backend: Backend) -> None:
    await ten_records(backend.store)

    purged = await backend.store.purge(BASE_TIME + timedelta(minutes=6))

    assert purged == 6
    remaining = await everything(backend.store)
    assert [record.seq for record in remaining] == [10, 9, 8, 7]
    result = await backend.store.verify()
    assert result.ok and result.checked == 4


async def test_tampering_after_a_purge_is_still_found(backend: Backend) -> None:
    await ten_records(backend.store)
    await backend.store.purge(BASE_TIME + timedelta(minutes=6))
    await backend.tamper.update(8, subject="someone.else")

    result = await backend.store.verify()

    assert (result.ok, result.first_bad_seq, result.problem) == (False, 8, "changed")


async def test_removing_the_first_record_after_a_purge_is_found(backend: Backend) -> None:
    await ten_records(backend.store)
    await backend.store.purge(BASE_TIME + timedelta(minutes=6))
    await backend.tamper.delete(7)

    result = await backend.store.verify()

    assert (result.ok, result.first_bad_seq, result.problem) == (False, 7, "removed")


async def test_appends_after_purges_chain_on(backend: Backend) -> None:
    await ten_records(backend.store)
    assert await backend.store.purge(BASE_TIME + timedelta(minutes=3)) == 3
    assert await backend.store.purge(BASE_TIME + timedelta(minutes=3)) == 0
    await backend.store.append([make_record(20), make_record(21)])
    assert await backend.store.purge(BASE_TIME + timedelta(minutes=8)) == 5

    result = await backend.store.verify()

    assert result.ok and result.checked == 4


async def test_purge_of_everything_leaves_a_verifiable_empty_log(backend: Backend) -> None:
    await ten_records(backend.store)

    assert await backend.store.purge(BASE_TIME + timedelta(days=1)) == 10

    assert await everything(backend.store) == []
    assert (await backend.store.verify()).ok
    await backend.store.append([make_record(0)])
    assert (await backend.store.verify()).ok


async def test_purge_stops_at_the_first_younger_record(backend: Backend) -> None:
    # Two workers' clocks: seq 3 was written with a time later than seq 4's.
    times = [0, 1, 9, 2, 3]
    await backend.store.append([make_record(minute) for minute in times])

    purged = await backend.store.purge(BASE_TIME + timedelta(minutes=5))

    assert purged == 2
    assert [record.seq for record in await everything(backend.store)] == [5, 4, 3]
    assert (await backend.store.verify()).ok


# -- concurrency ------------------------------------------------------------------------------


def assert_batches_contiguous(stored: list[AuditRecord], batches: int, size: int) -> None:
    """Every batch landed whole and uninterrupted: one transaction per append."""
    oldest_first = sorted(stored, key=lambda record: record.seq)
    assert len(oldest_first) == batches * size
    for start in range(0, len(oldest_first), size):
        run = oldest_first[start : start + size]
        assert len({record.request_id for record in run}) == 1, run[0].request_id


async def test_concurrent_appends_keep_one_chain(backend: Backend) -> None:
    async def writer(task: int) -> None:
        for round_ in range(4):
            await backend.store.append(make_batch(f"task{task}-round{round_}"))

    await asyncio.gather(*(writer(task) for task in range(16)))

    result = await backend.store.verify()
    assert result.ok and result.checked == 16 * 4 * 14
    assert_batches_contiguous(await everything(backend.store), 16 * 4, 14)


@pytest.mark.parametrize("backend", DURABLE_BACKENDS, indirect=True)
async def test_two_workers_on_one_log_keep_one_chain(backend: Backend) -> None:
    # Durable stores only: the memory store lives in one process.
    assert backend.open_worker is not None
    other = await backend.open_worker()

    async def writer(store: AuditStore, worker: str) -> None:
        for round_ in range(10):
            await store.append(make_batch(f"{worker}-{round_}"))

    await asyncio.gather(
        *(writer(backend.store, f"a{task}") for task in range(4)),
        *(writer(other, f"b{task}") for task in range(4)),
    )

    for store in (backend.store, other):
        result = await store.verify()
        assert result.ok and result.checked == 8 * 10 * 14
    assert_batches_contiguous(await everything(other), 80, 14)


# -- lifecycle --------------------------------------------------------------------------------


async def test_ping_and_close(backend: Backend) -> None:
    assert await backend.store.ping()

    await backend.store.close()

    assert not await backend.store.ping()
    with pytest.raises(AuditUnavailable):
        await backend.store.append([make_record(0)])
