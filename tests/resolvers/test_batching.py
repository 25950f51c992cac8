"""Least data, few calls: sections per category, DataLoader batching, grouping, caching."""

from __future__ import annotations

import asyncio
import hashlib
import re

import pytest

from gateway.resolvers.batching import MAX_CPRS_PER_CALL
from schema.enums import Category
from tests.resolvers.conftest import World
from tests.resolvers.wire_documents import ALI, ANNE, FREJA, UNKNOWN

CPR_IN_TEXT = re.compile(r"\d{6}-?\d{4}")


@pytest.mark.parametrize(
    ("category", "register", "sections"),
    [
        (Category.IDENTITY, "dfdg", ["stamdata"]),
        (Category.BENEFITS, "dfdg", ["forsoergelse"]),
        (Category.PLAN, "dfdg", ["plan"]),
        (Category.CASEWORK, "dfdg", ["sagsforloeb"]),
        (Category.SCHOOLING, "udb", ["uddannelser"]),
        (Category.SUPPORT_NEEDS, "udb", ["stoettebehov"]),
        (Category.DROPOUT_RISK, "udb", ["frafald"]),
        (Category.EMPLOYMENT, "eindkomst", ["timer"]),
        (Category.INCOME, "eindkomst", ["beloeb"]),
        (Category.QUESTIONNAIRE, "questionnaire", ["svar"]),
        (Category.HEALTH, "questionnaire", ["helbred"]),
        (Category.GRADES, "grades", None),
        (Category.ADMISSIONS, "admissions", None),
        (Category.SOCIAL_PLANS, "social", None),
    ],
)
async def test_a_category_asks_only_its_sections(
    world: World, category: Category, register: str, sections: list[str] | None
) -> None:
    await world.registers.session().category(ANNE, category)
    bodies = world.fake.calls(register)
    assert len(bodies) == 1
    assert bodies[0]["cprListe"] == [ANNE]
    assert bodies[0].get("sektioner") == sections
    others = {r.url.host for r in world.fake.requests} - {f"{register}.test"}
    assert others == set()


async def test_contacts_ask_dfdg_and_udb_for_kontakt_only(world: World) -> None:
    await world.registers.session().category(ANNE, Category.CONTACTS)
    assert [b["sektioner"] for b in world.fake.calls("dfdg")] == [["kontakt"]]
    assert [b["sektioner"] for b in world.fake.calls("udb")] == [["kontakt"]]


async def test_eindkomst_periods(world: World) -> None:
    session = world.registers.session()
    await session.category(ANNE, Category.INCOME)
    await session.category(FREJA, Category.EMPLOYMENT)
    income, employment = world.fake.calls("eindkomst")
    assert (income["fra"], income["til"]) == ("2023-12", "2026-11")  # 36 months
    assert (employment["fra"], employment["til"]) == ("2011-12", "2026-11")  # 180 months


async def test_employment_payload_never_carries_amounts(world: World) -> None:
    """Asked together, both sections share one call; each category still sees only its part."""
    session = world.registers.session()
    employment, income = await asyncio.gather(
        session.category(ANNE, Category.EMPLOYMENT), session.category(ANNE, Category.INCOME)
    )
    assert [sorted(b["sektioner"]) for b in world.fake.calls("eindkomst")] == [["beloeb", "timer"]]
    cached = await world.cache.multi_get(
        [
            world.registers.cache.key("eindkomst", "timer", ANNE),
            world.registers.cache.key("eindkomst", "beloeb", ANNE),
        ]
    )
    hours_payload, amounts_payload = (entry["v"] for entry in cached)
    assert all("felter" not in line for line in hours_payload["linjer"])
    assert all("timer" not in line for line in amounts_payload["linjer"])
    assert employment is not None and income is not None


async def test_ten_people_three_dfdg_categories_one_call(world: World) -> None:
    cprs = world.fake.add_people(10)
    session = world.registers.session()
    results = await asyncio.gather(
        *(
            session.category(cpr, category)
            for cpr in cprs
            for category in (Category.IDENTITY, Category.BENEFITS, Category.PLAN)
        )
    )
    assert all(result is not None for result in results)
    (body,) = world.fake.calls("dfdg")
    assert sorted(body["cprListe"]) == sorted(cprs)
    assert sorted(body["sektioner"]) == ["forsoergelse", "plan", "stamdata"]
    assert world.count("dfdg", "data", "ok") == 1


async def test_grouping_by_section_sets(world: World) -> None:
    """Nobody's register is asked for a section not requested for that person."""
    session = world.registers.session()
    await asyncio.gather(
        session.category(ANNE, Category.IDENTITY),
        session.category(ANNE, Category.PLAN),
        session.category(ALI, Category.IDENTITY),
        session.category(FREJA, Category.IDENTITY),
        session.category(FREJA, Category.PLAN),
        session.category(UNKNOWN, Category.BENEFITS),
    )
    calls = {
        tuple(sorted(body["sektioner"])): sorted(body["cprListe"])
        for body in world.fake.calls("dfdg")
    }
    assert calls == {
        ("plan", "stamdata"): sorted([ANNE, FREJA]),
        ("stamdata",): [ALI],
        ("forsoergelse",): [UNKNOWN],
    }


async def test_large_batches_are_split(world: World) -> None:
    cprs = [f"0101{n:06d}" for n in range(MAX_CPRS_PER_CALL + 5)]
    session = world.registers.session()
    results = await asyncio.gather(*(session.category(c, Category.SOCIAL_PLANS) for c in cprs))
    assert results == [[]] * len(cprs)  # nobody known: no plans
    assert sorted(len(b["cprListe"]) for b in world.fake.calls("social")) == [5, MAX_CPRS_PER_CALL]


async def test_one_session_loads_a_key_once(world: World) -> None:
    session = world.registers.session()
    first = await session.category(ANNE, Category.IDENTITY)
    second = await session.category(ANNE, Category.IDENTITY)
    assert first == second
    assert len(world.fake.calls("dfdg")) == 1


async def test_a_second_session_is_served_from_the_cache(world: World) -> None:
    first = await world.registers.session().category(ANNE, Category.PLAN)
    unknown_first = await world.registers.session().category(UNKNOWN, Category.PLAN)
    assert world.cache_lookups("dfdg", "miss") == 2
    again = await world.registers.session().category(ANNE, Category.PLAN)
    unknown_again = await world.registers.session().category(UNKNOWN, Category.PLAN)
    assert again == first and unknown_first is None and unknown_again is None
    assert len(world.fake.calls("dfdg")) == 2  # the unknown person is cached too
    assert world.cache_lookups("dfdg", "hit") == 2
    # Another section of the same person is another key: the register is asked.
    await world.registers.session().category(ANNE, Category.IDENTITY)
    assert len(world.fake.calls("dfdg")) == 3


async def test_cache_keys_hold_no_cpr(world: World) -> None:
    await world.registers.session().category(ANNE, Category.PLAN)
    await world.registers.session().facts(ANNE)
    keys = list(world.cache._cache)  # the in-memory backend's store
    plain_hash = hashlib.sha256(ANNE.encode()).hexdigest()
    for key in keys:
        digest = key.rsplit(":", 1)[1]
        assert ANNE not in key and re.fullmatch(r"[0-9a-f]{40}", digest)
        assert not plain_hash.startswith(digest)  # keyed: not reversible by hashing all CPRs
    assert any(key.startswith("ungeprofil:dfdg:plan:") for key in keys)
    assert any(key.startswith("ungeprofil:udb:relationer:") for key in keys)


async def test_no_request_url_contains_a_cpr(world: World) -> None:
    session = world.registers.session()
    await asyncio.gather(*(session.category(ANNE, category) for category in Category))
    await session.facts(ANNE)
    for role in ("contact_person", "institution_contact", "case_system"):
        await session.related_cprs(role, "jette.hansen", "851234", "0101")
    assert len(world.fake.requests) > 10
    for request in world.fake.requests:
        assert not CPR_IN_TEXT.search(str(request.url)), request.url
        assert "x-civilregistrationidentifier" not in request.headers


async def test_a_cached_answer_is_mapped_once_and_a_new_answer_is_mapped_anew(
    world: World,
) -> None:
    """While the cache hands out the same answer, every request gets the category built from
    it the first time; an answer fetched again is mapped again."""
    first = await world.registers.session().category(ANNE, Category.CONTACTS)
    again = await world.registers.session().category(ANNE, Category.CONTACTS)
    assert first is not None and again is first
    await world.cache.delete(world.registers.cache.key("udb", "kontakt", ANNE))
    refetched = await world.registers.session().category(ANNE, Category.CONTACTS)
    assert refetched is not first and refetched == first
    assert len(world.fake.calls("udb")) == 2 and len(world.fake.calls("dfdg")) == 1
    other = await world.registers.session().category(ALI, Category.CONTACTS)
    assert other != first


async def test_an_entry_without_its_fetch_time_is_a_miss(world: World) -> None:
    """An entry in another shape (an older gateway's, or anything foreign) is never served:
    without a fetch time nobody can say it is fresh."""
    key = world.registers.cache.key("dfdg", "plan", ANNE)
    await world.cache.set(key, {"plan": {"maal": "foreign"}})
    await world.cache.set(world.registers.cache.key("dfdg", "plan", ALI), {"t": "0", "v": {}})
    plan = await world.registers.session().category(ANNE, Category.PLAN)
    await world.registers.session().category(ALI, Category.PLAN)
    assert plan is not None and len(world.fake.calls("dfdg")) == 2
    assert set((await world.cache.get(key)) or {}) == {"t", "v"}  # replaced by a real entry
