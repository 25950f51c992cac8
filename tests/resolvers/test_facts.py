"""The relationship facts document (gateway/policies/README.md) and the reverse lookups."""

from __future__ import annotations

import asyncio

import pytest

from tests.resolvers.conftest import World
from tests.resolvers.wire_documents import ALI, ANNE, FREJA, MADS, UNKNOWN


async def test_facts_of_a_known_person(world: World) -> None:
    facts = await world.registers.session().facts(ANNE)
    assert facts == {
        "exists": True,
        "municipality": "0101",
        # DFDG's open case, and UDB's open subscription; the closed ones are left out.
        "open_cases": [
            {"municipality": "0101", "from": "2026-03-23", "to": None},
            {"municipality": "0101", "from": "2026-03-23", "to": None},
        ],
        "assignments": [
            {"subject": "jette.hansen", "municipality": "0101", "from": "2026-03-23", "to": None}
        ],
        "offers": [
            {
                "id": "o-mentor",
                "type": "MENTOR",
                "subject": "mikkel.holm",
                "municipality": "0101",
                "from": "2026-09-24",
                "to": "2027-01-22",
            }
        ],
        "education_order": {"active": True, "step": 3},
        "enrolments": [
            {
                "institution": "851234",
                "status": "ADMITTED",
                "admitted_on": "2026-10-01",
                "starts_on": "2027-01-02",
                "ends_on": None,
            },
            {
                "institution": "851234",
                "status": "INTERRUPTED",
                "admitted_on": "2025-01-25",
                "starts_on": "2025-02-01",
                "ends_on": "2025-03-01",
            },
        ],
        "health_consent": True,
    }


async def test_an_unknown_person_has_empty_facts_of_the_same_shape(world: World) -> None:
    session = world.registers.session()
    unknown, known_without_relationship = await asyncio.gather(
        session.facts(UNKNOWN), session.facts(MADS)
    )
    assert unknown == {
        "exists": False,
        "municipality": None,
        "open_cases": [],
        "assignments": [],
        "offers": [],
        "education_order": {"active": False, "step": None},
        "enrolments": [],
        "health_consent": False,
    }
    assert known_without_relationship == dict(unknown, exists=True, municipality="0101")


async def test_facts_batch_across_people_one_call_per_register(world: World) -> None:
    session = world.registers.session()
    await asyncio.gather(*(session.facts(cpr) for cpr in (ANNE, ALI, FREJA, UNKNOWN)))
    for register in ("dfdg", "udb", "questionnaire"):
        (body,) = world.fake.calls(register, "/relationer/soeg")
        assert sorted(body["cprListe"]) == sorted([ANNE, ALI, FREJA, UNKNOWN])
        assert world.count(register, "facts", "ok") == 1


async def test_facts_are_cached(world: World) -> None:
    first = await world.registers.session().facts(ANNE)
    second = await world.registers.session().facts(ANNE)
    assert first == second
    assert len(world.fake.calls("dfdg", "/relationer/soeg")) == 1
    assert world.cache_lookups("dfdg", "hit") == 1


@pytest.mark.parametrize(
    ("role", "subject", "organisation", "municipality", "expected", "path"),
    [
        (
            "contact_person",
            "jette.hansen",
            "Jobcenter København",
            "0101",
            [ANNE, ALI, FREJA],
            "/dfdg/v1/medarbejdere/jette.hansen/borgere",
        ),
        (
            "mentor",
            "mikkel.holm",
            None,
            "0101",
            [ANNE, ALI],
            "/dfdg/v1/medarbejdere/mikkel.holm/borgere",
        ),
        (
            "business_consultant",
            "nobody.known",
            None,
            "0101",
            [],
            "/dfdg/v1/medarbejdere/nobody.known/borgere",
        ),
        (
            "institution_contact",
            "maria.kristensen",
            "851234",
            None,
            [ANNE],
            "/udb/v1/institutioner/851234/elever",
        ),
        (
            "case_system",
            "fagsystem-101",
            None,
            "0101",
            [ANNE, MADS],
            "/dfdg/v1/kommuner/0101/sager",
        ),
    ],
)
async def test_related_cprs_per_role(
    world: World,
    role: str,
    subject: str,
    organisation: str | None,
    municipality: str | None,
    expected: list[str],
    path: str,
) -> None:
    found = await world.registers.session().related_cprs(role, subject, organisation, municipality)
    assert found == expected
    assert [r.url.path for r in world.fake.requests] == [path]
    assert world.count(path.split("/")[1].replace("karakterer", "grades"), "lookup", "ok") == 1


@pytest.mark.parametrize("role", ["youth", "privacy_officer", "institution_contact", "case_system"])
async def test_roles_without_a_lookup_ask_nobody(world: World, role: str) -> None:
    assert await world.registers.session().related_cprs(role, "someone", None, None) == []
    assert world.fake.requests == []


async def test_lookup_path_segments_are_escaped(world: World) -> None:
    await world.registers.session().related_cprs("mentor", "a/b?c", None, None)
    assert world.fake.requests[0].url.raw_path == b"/dfdg/v1/medarbejdere/a%2Fb%3Fc/borgere"
