"""Each persona sees exactly what POLICY.md says, through the whole gateway."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import ALI, ANNE, JONAS, MADS, Client, errors_by_path
from tests.e2e.queries import ALL_FIELDS, FULL_PROFILE, ME


def visible(body: dict[str, Any], root: str = "youth") -> set[str]:
    person = body["data"][root]
    return {f for f in ALL_FIELDS if person is not None and person.get(f) is not None}


def forbidden(body: dict[str, Any], root: str = "youth") -> set[str]:
    return {
        path.split(".")[1]
        for path, e in errors_by_path(body).items()
        if path.startswith(f"{root}.") and e["extensions"]["code"] == "FORBIDDEN"
    }


async def test_mikkel_mentors_anne(client: Client) -> None:
    body = await client.query("mikkel", FULL_PROFILE, {"cpr": ANNE, "purpose": "MENTORING"})
    assert visible(body) == {"identity", "plan", "admissions", "contacts", "dropoutRisks"}
    assert forbidden(body) == set(ALL_FIELDS) - visible(body)
    for register in ("eindkomst", "grades", "social"):
        assert client.register_calls(register) == 0


async def test_mikkel_sees_nothing_of_ali_after_the_mentorship_ended(client: Client) -> None:
    body = await client.query("mikkel", FULL_PROFILE, {"cpr": ALI, "purpose": "MENTORING"})
    assert body["data"]["youth"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_purpose_outside_the_role_is_refused(client: Client) -> None:
    body = await client.query("mikkel", FULL_PROFILE, {"cpr": ANNE, "purpose": "PLANNING"})
    assert body["data"]["youth"] is None
    assert "PLANNING" in body["errors"][0]["extensions"]["reason"]


async def test_sara_places_anne_in_a_job(client: Client) -> None:
    body = await client.query("sara", FULL_PROFILE, {"cpr": ANNE, "purpose": "JOB_PLACEMENT"})
    assert visible(body) == {"identity", "plan", "schooling", "employment", "contacts"}


async def test_maria_at_the_school_sees_the_retention_facts(client: Client) -> None:
    for cpr, purpose in ((ANNE, "EDUCATION_START"), (JONAS, "RETENTION")):
        body = await client.query("maria", FULL_PROFILE, {"cpr": cpr, "purpose": purpose})
        shown = visible(body)
        assert shown <= {"identity", "supportNeeds", "contacts", "dropoutRisks"}, cpr
        assert {"identity", "contacts"} <= shown, cpr


async def test_jonas_dropout_risk_reaches_jette(client: Client) -> None:
    body = await client.query("jette", FULL_PROFILE, {"cpr": JONAS, "purpose": "RETENTION"})
    risks = body["data"]["youth"]["dropoutRisks"]
    assert risks and risks[0]["reason"] == "ABSENCE" and risks[0]["isActive"] is True


async def test_alis_health_is_withheld_without_consent(client: Client) -> None:
    body = await client.query("jette", FULL_PROFILE, {"cpr": ALI, "purpose": "PLANNING"})
    errors = errors_by_path(body)
    assert "consent" in errors["youth.health"]["extensions"]["reason"]
    assert body["data"]["youth"]["questionnaire"] is not None
    assert body["data"]["youth"]["socialPlans"] is None  # exists, but no legal basis


async def test_the_case_system_never_gets_health(client: Client) -> None:
    body = await client.query("fagsystem", FULL_PROFILE, {"cpr": ANNE, "purpose": "CASE_RECORD"})
    assert "health" in forbidden(body)
    assert {"identity", "plan", "benefits"} <= visible(body)


async def test_anne_sees_everything_about_herself(client: Client) -> None:
    body = await client.query("anne", ME)
    assert "errors" not in body, body.get("errors")
    assert visible(body, "me") == set(ALL_FIELDS)  # grades, health and social plans included
    grades = {g["subject"]: g["grade"] for g in body["data"]["me"]["grades"]["yearGrades"]}
    assert grades.get("DANSK") == "7" and grades.get("MATEMATIK") == "4"


@pytest.mark.parametrize("cpr", [ALI, MADS])
async def test_a_young_person_never_sees_anyone_else(client: Client, cpr: str) -> None:
    body = await client.query("anne", FULL_PROFILE, {"cpr": cpr, "purpose": "SELF"})
    assert body["data"]["youth"] is None


async def test_the_privacy_officer_sees_no_personal_data(client: Client) -> None:
    body = await client.query("henrik", FULL_PROFILE, {"cpr": ANNE, "purpose": "SUPERVISION"})
    assert body["data"]["youth"] is None
