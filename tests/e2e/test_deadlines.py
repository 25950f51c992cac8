"""The thirteen scenarios of DEADLINES.md through the gateway over real mock registers: a young
person's `deadlines` (a category like any other) and a team leader's `deadlineCompliance` (an
AGGREGATE), with the report checked against a recount of the per-person deadlines."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from gateway.audit.memory import MemoryAuditStore
from gateway.audit.records import AuditFilter
from mocks.codes import add_months
from mocks.runner import MockConfig, MocksThread
from tests.conftest import REFERENCE_DATE as T
from tests.e2e.conftest import ALI, ANNE, FREJA, JONAS, NOBODY, Client, errors_by_path

DEADLINE_FIELDS = """rule state reason municipality startsOn dueOn fulfilledOn daysOverdue
  legalReference { reference mark effectiveFrom effectiveTo } evidence { register event date }"""

YOUTH = (
    "query($cpr: CPR!, $purpose: Purpose!, $asOf: Date) { youth(cpr: $cpr, purpose: $purpose) "
    "{ cpr deadlines(asOf: $asOf) { " + DEADLINE_FIELDS + " } } }"
)
ME = "query($asOf: Date) { me { deadlines(asOf: $asOf) { " + DEADLINE_FIELDS + " } } }"

REPORT = """query($municipality: String!, $from: YearMonth!, $to: YearMonth!,
                  $rules: [DeadlineRule!]) {
  deadlineCompliance(municipality: $municipality, from: $from, to: $to, rules: $rules) {
    municipality from to asOf rulesVersion
    cells { rule month due met metLate overdue exempt unknown notApplicable pending
            shareMet suppressed }
  }
}"""


def d(offset: int) -> str:
    return (T + timedelta(days=offset)).isoformat()


def month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def by_rule(deadlines: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """One deadline per rule (the personas' scenarios each have one case)."""
    found: dict[str, dict[str, Any]] = {}
    for deadline in deadlines:
        assert deadline["rule"] not in found, deadline["rule"]
        found[deadline["rule"]] = deadline
    return found


async def deadlines_of(
    client: Client, who: str, cpr: str, purpose: str = "PLANNING", as_of: str | None = None
) -> list[dict[str, Any]]:
    body = await client.query(who, YOUTH, {"cpr": cpr, "purpose": purpose, "asOf": as_of})
    assert "errors" not in body, body["errors"]
    found: list[dict[str, Any]] = body["data"]["youth"]["deadlines"]
    return found


class Rewriting(httpx.AsyncBaseTransport):
    """Real HTTP to the mock registers, with one register's batch answers changed on the way
    back: the same young person in another situation, for the scenarios' variations."""

    def __init__(self, path: str, change: Callable[[dict[str, Any]], None]) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self._path = path
        self._change = change

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        if not request.url.path.endswith(self._path):
            return response
        body = json.loads(await response.aread())
        for document in body.get("personer", []):
            self._change(document)
        return httpx.Response(response.status_code, json=body)

    async def aclose(self) -> None:
        await self._inner.aclose()


# --- 1-7: the personas ----------------------------------------------------------------------


async def test_ali_next_offer_is_overdue_and_his_mentor_is_no_evidence(client: Client) -> None:
    signal = by_rule(await deadlines_of(client, "jette", ALI))["NEXT_OFFER"]
    assert (signal["state"], signal["dueOn"], signal["daysOverdue"]) == ("OVERDUE", d(-7), 7)
    assert signal["evidence"] == [
        {"register": "DFDG", "event": "offer VEJLEDNING_OPKVALIFICERING ended", "date": d(-35)}
    ]
    assert signal["municipality"] == "0101"
    assert signal["legalReference"]["mark"] == "UNVERIFIED"


async def test_anne_met_her_first_deadlines(client: Client) -> None:
    anne = by_rule(await deadlines_of(client, "jette", ANNE))
    first_contact = add_months(T, -8)
    for rule, fulfilled in (
        ("FIRST_CONVERSATION", 2),
        ("EDUCATION_ORDER", 2),
        ("LITERACY_TEST", 20),
        ("FINAL_VISITATION", 30),
    ):
        assert anne[rule]["state"] == "MET", rule
        assert anne[rule]["fulfilledOn"] == (first_contact + timedelta(fulfilled)).isoformat()
    reference = anne["FIRST_CONVERSATION"]["legalReference"]
    assert reference["reference"].startswith("LAB § 31, stk. 5")
    assert reference["effectiveTo"] == "2026-06-30"


async def test_anne_next_offer_is_pending_while_she_is_in_an_offer(client: Client) -> None:
    signal = by_rule(await deadlines_of(client, "jette", ANNE))["NEXT_OFFER"]
    assert (signal["state"], signal["reason"], signal["dueOn"]) == ("PENDING", "IN_OFFER", d(73))


async def test_anne_school_notified(client: Client, make_client: Any) -> None:
    signal = by_rule(await deadlines_of(client, "jette", ANNE))["INSTITUTION_NOTIFIED"]
    assert (signal["state"], signal["dueOn"], signal["fulfilledOn"]) == ("MET", d(40), d(-5))
    assert {"register": "UDB", "event": "school notified", "date": d(-5)} in signal["evidence"]

    def unnotified(document: dict[str, Any]) -> None:
        support = document.get("stoettebehov")
        if document["cpr"] == ANNE and support is not None:
            support["underrettetInstitution"] = None
            for version in support.get("versioner", []):
                version["underrettetInstitution"] = None

    without = await make_client(transport=Rewriting("/udb/v1/personer/soeg", unnotified))
    for day, state in ((0, "PENDING"), (32, "PENDING"), (33, "DUE_SOON"), (41, "OVERDUE")):
        deadlines = await deadlines_of(without, "jette", ANNE, as_of=d(day))
        signal = by_rule(deadlines)["INSTITUTION_NOTIFIED"]
        assert (signal["state"], signal["dueOn"]) == (state, d(40)), day


async def test_jonas_dropout_reaction(client: Client, make_client: Any) -> None:
    signal = by_rule(await deadlines_of(client, "jette", JONAS, "RETENTION"))["DROPOUT_REACTION"]
    assert (signal["state"], signal["dueOn"]) == ("PENDING", d(9))

    def talked(document: dict[str, Any]) -> None:
        casework = document.get("sagsforloeb")
        if document["cpr"] == JONAS and casework is not None:
            casework["samtaler"] = [
                *casework["samtaler"],
                {"type": "JOBSAMTALE", "dato": d(-2), "form": "TELEFON"},
            ]

    reacted = await make_client(transport=Rewriting("/dfdg/v1/personer/soeg", talked))
    signal = by_rule(await deadlines_of(reacted, "jette", JONAS, "RETENTION"))["DROPOUT_REACTION"]
    assert (signal["state"], signal["fulfilledOn"]) == ("MET", d(-2))
    assert {"register": "DFDG", "event": "conversation", "date": d(-2)} in signal["evidence"]


async def test_jonas_closed_case_closes_his_offers(client: Client) -> None:
    jonas = by_rule(await deadlines_of(client, "jette", JONAS, "RETENTION"))
    for rule in ("FIRST_OFFER", "NEXT_OFFER"):
        assert (jonas[rule]["state"], jonas[rule]["reason"]) == ("NOT_APPLICABLE", "CASE_CLOSED")


async def test_freja_has_a_youth_education_and_an_unknowable_cv(client: Client) -> None:
    freja = by_rule(await deadlines_of(client, "jette", FREJA))
    assert (freja["LITERACY_TEST"]["state"], freja["LITERACY_TEST"]["reason"]) == (
        "NOT_APPLICABLE",
        "HAS_YOUTH_EDUCATION",
    )
    assert (freja["CV_SEARCHABLE"]["state"], freja["CV_SEARCHABLE"]["reason"]) == (
        "UNKNOWN",
        "NOT_IN_REGISTERS",
    )
    assert freja["CV_SEARCHABLE"]["dueOn"] == d(-60 + 21)


# --- 8: a generated young person, ill ------------------------------------------------------


def ill_without_a_test(mocks: Any) -> tuple[str, date]:
    """A generated young person whose open case's first contact was followed by an illness
    from + 10 to + 40 days and who has no test, still open and under 30 well past the due."""
    for person in mocks.population.people.values():
        case = next((c for c in person.cases if c.end is None), None)
        if person.is_persona or case is None or person.literacy_test is not None:
            continue
        first = case.first_contact or case.start
        ill = [
            ((e.start - first).days, None if e.end is None else (e.end - first).days)
            for e in person.exemptions
        ]
        youth_done = any(
            c.kind in ("GYMNASIAL", "EUD") and c.status == "GENNEMFOERT" for c in person.courses
        )
        thirty = person.birth.replace(year=person.birth.year + 30)
        if ill == [(10, 40)] and not youth_done and thirty > add_months(first, 3):
            return person.cpr, first
    raise AssertionError("the generated population has nobody ill without a test")


async def test_an_illness_exempts_the_test_and_moves_its_due_date(
    client: Client, mocks: Any, token: Callable[..., str]
) -> None:
    cpr, first = ill_without_a_test(mocks)
    client.tokens["ill"] = token(sub=cpr, role="youth")
    due = add_months(first, 1) + timedelta(31)
    for as_of, state in (
        (first + timedelta(20), "EXEMPT"),
        (first + timedelta(41), "PENDING"),
        (due, "DUE_SOON"),
        (due + timedelta(1), "OVERDUE"),
    ):
        body = await client.query("ill", ME, {"asOf": as_of.isoformat()})
        assert "errors" not in body, body
        [signal] = [s for s in body["data"]["me"]["deadlines"] if s["rule"] == "LITERACY_TEST"]
        assert (signal["state"], signal["dueOn"]) == (state, due.isoformat()), as_of
        if state == "EXEMPT":
            assert signal["reason"] == "ILLNESS"


# --- 9-12: a rule out of force, and who may see ---------------------------------------------


async def test_guidance_225_applied_until_mid_2025(client: Client) -> None:
    then = by_rule(await deadlines_of(client, "jette", ALI, as_of="2025-06-01"))["GUIDANCE_225"]
    assert (then["state"], then["reason"]) == ("UNKNOWN", "NOT_IN_REGISTERS")
    assert then["legalReference"]["effectiveTo"] == "2025-06-30"
    today = by_rule(await deadlines_of(client, "jette", ALI))["GUIDANCE_225"]
    assert (today["state"], today["reason"]) == ("NOT_APPLICABLE", "RULE_NOT_IN_FORCE")
    assert today["legalReference"] is None


async def test_a_mentor_never_sees_deadlines(client: Client) -> None:
    body = await client.query(
        "mikkel",
        "query($cpr: CPR!) { youth(cpr: $cpr, purpose: MENTORING) "
        "{ plan { educationGoal } deadlines { rule } } }",
        {"cpr": ANNE},
    )
    assert body["data"]["youth"]["plan"]["educationGoal"]
    assert body["data"]["youth"]["deadlines"] is None
    error = errors_by_path(body)["youth.deadlines"]["extensions"]
    assert (error["code"], error["category"]) == ("FORBIDDEN", "deadlines")
    assert error["reason"] == "role mentor may not see deadlines"


async def test_nobody_owes_mads_anything(client: Client) -> None:
    body = await client.query("mads", ME, {})
    assert "errors" not in body, body
    assert body["data"]["me"]["deadlines"] == []


async def test_another_municipality_sees_jonas_as_nobody(client: Client) -> None:
    answers = []
    for cpr in (JONAS, NOBODY):
        body = await client.query("lars", YOUTH, {"cpr": cpr, "purpose": "PLANNING"})
        assert body["data"]["youth"] is None
        [error] = body["errors"]
        answers.append((error["message"], error["extensions"]))
    assert answers[0] == answers[1]
    assert answers[0][1]["code"] == "FORBIDDEN"


# --- 13: the team leader's report -------------------------------------------------------------


@pytest.fixture(scope="module")
def personas_only() -> Iterator[MocksThread]:
    with MocksThread(MockConfig(population=0, reference_date=T, base_port=None)) as running:
        yield running


@pytest.fixture(scope="module")
def default_population() -> Iterator[MocksThread]:
    """The population `ungeprofil demo` serves (2,000 generated people, seed 42)."""
    config = MockConfig(reference_date=T, base_port=None)
    with MocksThread(config) as running:
        yield running


async def test_on_the_personas_alone_every_cell_is_suppressed(
    make_client: Any, personas_only: MocksThread
) -> None:
    store = MemoryAuditStore()
    client = await make_client(register_urls=personas_only.urls, audit=store)
    body = await client.query(
        "birgitte", REPORT, {"municipality": "101", "from": month(T), "to": month(T)}
    )
    assert "errors" not in body, body
    report = body["data"]["deadlineCompliance"]
    assert report["municipality"] == "0101" and report["asOf"] == T.isoformat()
    assert len(report["cells"]) == 11
    for cell in report["cells"]:
        assert cell["suppressed"] is True
        assert cell["shareMet"] is None and cell["due"] is None and cell["met"] is None
    [record] = (await store.query(AuditFilter(), 100)).records
    assert (record.kind, record.category, record.cpr, record.decision) == (
        "aggregate",
        "deadlines_aggregate",
        "",
        "allow",
    )
    assert record.purpose == "MANAGEMENT_SUPERVISION" and record.subject == "birgitte.lund"


async def test_another_municipality_is_forbidden(client: Client) -> None:
    body = await client.query(
        "birgitte", REPORT, {"municipality": "751", "from": month(T), "to": month(T)}
    )
    assert body["data"] is None or body["data"]["deadlineCompliance"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert (
        error["extensions"]["reason"] == "a manager sees aggregates of their own municipality only"
    )
    assert client.register_calls("dfdg", "lookup") == 0


@pytest.mark.parametrize("who", ["jette", "henrik", "fagsystem", "anne"])
async def test_only_a_manager_gets_a_report(client: Client, who: str) -> None:
    body = await client.query(
        who, REPORT, {"municipality": "101", "from": "2026-01", "to": "2026-02"}
    )
    [error] = body["errors"]
    assert error["extensions"]["code"] == "FORBIDDEN"


async def test_a_manager_reads_no_young_person(client: Client) -> None:
    body = await client.query("birgitte", YOUTH, {"cpr": ANNE, "purpose": "MANAGEMENT_SUPERVISION"})
    assert body["data"]["youth"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"municipality": "101", "from": "2026-05", "to": "2026-04"}, "`from` must not be after"),
        ({"municipality": "101", "from": "2020-01", "to": "2026-04"}, "at most 36 months"),
        ({"municipality": "Kbh", "from": "2026-01", "to": "2026-04"}, "municipality code"),
    ],
)
async def test_bad_report_input(client: Client, variables: dict[str, str], message: str) -> None:
    body = await client.query("birgitte", REPORT, variables)
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert message in error["message"]


async def test_a_month_is_written_yyyy_mm(client: Client) -> None:
    body = await client.query(
        "birgitte", REPORT, {"municipality": "101", "from": "2026-13", "to": "2026-12"}
    )
    assert body["errors"] and body.get("data") is None


def recount(deadlines: list[dict[str, Any]], months: list[str], rules: list[str]) -> dict:
    """The cells, counted again from per-person deadlines by the rule of DEADLINES.md."""
    states: dict[tuple[str, str], Counter[str]] = {}
    for deadline in deadlines:
        due = deadline["dueOn"] or deadline["_unmoved"]
        if deadline["municipality"] != "0101" or due is None or due[:7] not in months:
            continue
        states.setdefault((deadline["rule"], due[:7]), Counter())[deadline["state"]] += 1
    cells = {}
    for rule in rules:
        for m in months:
            c = states.get((rule, m), Counter())
            due = sum(c.values())
            counted = c["MET"] + c["MET_LATE"] + c["OVERDUE"]
            suppressed = due < 5 or 0 < counted < 5
            cells[(rule, m)] = (
                suppressed,
                None if suppressed else due,
                None if suppressed or counted == 0 else c["MET"] / counted,
            )
    return cells


async def test_the_report_is_a_recount_of_the_per_person_deadlines(
    make_client: Any, default_population: MocksThread, token: Callable[..., str]
) -> None:
    client = await make_client(register_urls=default_population.urls)
    first, last = add_months(T, -11), T
    months = [month(add_months(first, i)) for i in range(12)]
    before = {kind: client.register_calls("dfdg", kind) for kind in ("lookup", "data")}
    udb_before = client.register_calls("udb", "data")
    body = await client.query(
        "birgitte", REPORT, {"municipality": "101", "from": month(first), "to": month(last)}
    )
    assert "errors" not in body, body
    cells = body["data"]["deadlineCompliance"]["cells"]
    rules = list(dict.fromkeys(c["rule"] for c in cells))
    assert len(cells) == len(rules) * 12 == 132
    # One lookup, then batch calls: never a request per young person.
    people = [
        p
        for p in default_population.population.people.values()
        if any(c.municipality == "0101" for c in p.cases)
    ]
    assert len(people) > 150
    assert client.register_calls("dfdg", "lookup") - before["lookup"] == 1
    assert client.register_calls("dfdg", "data") - before["data"] == 1
    assert client.register_calls("udb", "data") - udb_before == 1

    # Every one of them, asked on their own (as themself): the same deadlines, recounted.
    everyone: list[dict[str, Any]] = []
    for person in people:
        client.tokens[person.cpr] = token(sub=person.cpr, role="youth")
        answer = await client.query(person.cpr, ME, {})
        assert "errors" not in answer, answer
        for deadline in answer["data"]["me"]["deadlines"]:
            # An open-ended exemption has no due date: the report counts it in the month it
            # would have fallen due, which the per-person view shows as the clock's start
            # plus the rule's duration; none of those lasts in this population.
            deadline["_unmoved"] = None
            everyone.append(deadline)
    expected = recount(everyone, months, rules)
    got = {(c["rule"], c["month"]): (c["suppressed"], c["due"], c["shareMet"]) for c in cells}
    assert got == expected
    shown = [c for c in cells if not c["suppressed"] and c["shareMet"] is not None]
    assert len(shown) > 30, "the default population fills most cells"
    assert any(c["shareMet"] < 1 for c in shown) and any(c["overdue"] for c in shown)


# --- the rules as data, for the privacy officer ------------------------------------------------

RULES = """{ policy { deadlineRules { version dueSoonDays rules { id inForce closedByCase
  parameters { name months weeks days } suspensions { reason effectiveFrom effectiveTo }
  references { reference mark effectiveFrom effectiveTo reviewBy } auditedShare2022 } } } }"""


async def test_the_privacy_officer_reads_the_rules_catalogue(client: Client) -> None:
    body = await client.query("henrik", RULES)
    assert "errors" not in body, body
    catalogue = body["data"]["policy"]["deadlineRules"]
    assert catalogue["dueSoonDays"] == 7
    rules = {r["id"]: r for r in catalogue["rules"]}
    assert len(rules) == 11
    assert rules["GUIDANCE_225"]["inForce"] is False
    assert rules["GUIDANCE_225"]["references"][0]["effectiveTo"] == "2025-06-30"
    assert rules["NEXT_OFFER"]["parameters"] == [
        {"name": "within", "months": 0, "weeks": 4, "days": 0}
    ]
    # Lov 1750 of 2025 touches the offers: the old reference ends, an unverified successor.
    references = rules["FIRST_OFFER"]["references"]
    assert [(r["effectiveTo"], r["mark"]) for r in references] == [
        ("2026-06-30", "UNVERIFIED"),
        (None, "UNVERIFIED"),
    ]
    assert rules["LITERACY_TEST"]["auditedShare2022"] == 0.29
    assert rules["DROPOUT_REACTION"]["closedByCase"] is False


async def test_the_report_is_in_the_privacy_officers_audit_log(make_client: Any) -> None:
    store = MemoryAuditStore()
    client: Client = await make_client(audit=store)
    body = await client.query(
        "birgitte", REPORT, {"municipality": "101", "from": month(T), "to": month(T)}
    )
    assert "errors" not in body, body
    log = await client.query(
        "henrik",
        """{ auditLog(filter: {kind: AGGREGATE}) { edges { node {
             kind subject role purpose cpr category decision legalBases } } } }""",
    )
    assert "errors" not in log, log
    [entry] = [e["node"] for e in log["data"]["auditLog"]["edges"]]
    assert entry == {
        "kind": "AGGREGATE",
        "subject": "birgitte.lund",
        "role": "manager",
        "purpose": "MANAGEMENT_SUPERVISION",
        "cpr": "",
        "category": "deadlines_aggregate",
        "decision": "ALLOWED",
        "legalBases": ["MANAGEMENT-AGGREGATES"],
    }


async def test_a_report_of_chosen_rules(client: Client) -> None:
    variables = {"municipality": "0101", "from": "2026-01", "to": "2026-03"}
    body = await client.query("birgitte", REPORT, {**variables, "rules": ["NEXT_OFFER"]})
    assert "errors" not in body, body
    cells = body["data"]["deadlineCompliance"]["cells"]
    assert [(c["rule"], c["month"]) for c in cells] == [
        ("NEXT_OFFER", "2026-01"),
        ("NEXT_OFFER", "2026-02"),
        ("NEXT_OFFER", "2026-03"),
    ]
    body = await client.query("birgitte", REPORT, {**variables, "rules": []})
    assert body["data"]["deadlineCompliance"]["cells"] == []
