"""Through a real router (Hive Gateway): the supergraph answers only what Ungeprofil's policy
allowed, with our error extensions intact, no leak of internals, and every routed decision in
our audit log (FEDERATION.md)."""

from __future__ import annotations

import re
from typing import Any

from gateway.audit import AuditFilter, open_audit_store
from tests.e2e.conftest import ANNE, NOBODY
from tests.federation.conftest import Supergraph

APPLICANTS = """{ applicants { cpr identity { firstName } grades { year }
  jobApplications { employer } } }"""

PROFILE = """{ youth(cpr: "%s", purpose: PLANNING) { cpr identity { firstName } grades { year }
  jobApplications { employer position } } }"""


def no_internals(body: dict[str, Any]) -> None:
    text = str(body)
    assert "Traceback" not in text and "stack" not in text.lower()
    assert not re.search(r"https?://127\.0\.0\.1:\d+", text), "an internal URL leaked"


async def test_one_query_crosses_both_subgraphs(supergraph: Supergraph) -> None:
    body = await supergraph.ask(supergraph.router, "jette", PROFILE % ANNE)
    youth = body["data"]["youth"]
    assert youth["identity"]["firstName"] == "Anne"
    assert youth["jobApplications"][0]["employer"] == "Grøn Anlæg ApS"
    assert youth["grades"] is None
    [grades] = [e for e in body["errors"] if e["path"][-1] == "grades"]
    assert grades["extensions"]["code"] == "FORBIDDEN"
    assert grades["extensions"]["category"] == "grades"
    assert grades["extensions"]["reason"] == "no legal basis in force for grades"
    no_internals(body)


async def test_references_from_another_subgraph_pass_our_guard(supergraph: Supergraph) -> None:
    """Jobnet names the applicants; the router asks our `_entities` for the rest, with the
    caller's token and purpose: Anne's allowed categories, nothing of an unknown CPR."""
    body = await supergraph.ask(supergraph.router, "jette", APPLICANTS, purpose="PLANNING")
    anne, nobody = body["data"]["applicants"]
    assert anne["identity"]["firstName"] == "Anne" and anne["grades"] is None
    assert nobody["cpr"] == NOBODY and nobody["identity"] is None
    assert nobody["jobApplications"] == []
    codes = {e["extensions"]["code"] for e in body["errors"]}
    assert codes == {"FORBIDDEN"}
    no_internals(body)


async def test_without_a_purpose_the_router_gets_nothing_of_ours(supergraph: Supergraph) -> None:
    body = await supergraph.ask(supergraph.router, "jette", APPLICANTS)
    assert [a["identity"] for a in body["data"]["applicants"]] == [None, None]
    assert all(e["extensions"]["code"] == "FORBIDDEN" for e in body["errors"])


async def test_no_relationship_looks_like_an_unknown_cpr(supergraph: Supergraph) -> None:
    anne = await supergraph.ask(supergraph.router, "lars", PROFILE % ANNE)
    nobody = await supergraph.ask(supergraph.router, "lars", PROFILE % NOBODY)
    assert anne["data"] == nobody["data"] == {"youth": None}
    assert [e["extensions"] for e in anne["errors"]] == [e["extensions"] for e in nobody["errors"]]
    no_internals(anne)


async def test_the_router_answers_what_the_subgraph_answers(supergraph: Supergraph) -> None:
    query = '{ youth(cpr: "%s", purpose: PLANNING) { identity { firstName } grades { year } } }'
    routed = await supergraph.ask(supergraph.router, "jette", query % ANNE)
    direct = await supergraph.ask(supergraph.ungeprofil, "jette", query % ANNE)
    assert routed["data"] == direct["data"]
    assert [e["extensions"]["code"] for e in routed["errors"]] == [
        e["extensions"]["code"] for e in direct["errors"]
    ]


async def test_the_audit_log_holds_the_routed_requests(supergraph: Supergraph) -> None:
    await supergraph.ask(supergraph.router, "mikkel", APPLICANTS, purpose="MENTORING")
    store = await open_audit_store(supergraph.audit_url)
    try:
        page = await store.query(AuditFilter(subject="mikkel.holm", cpr=ANNE), 100)
        assert {(r.category, r.decision) for r in page.records} >= {
            ("identity", "allow"),
            ("grades", "deny"),
        }
        assert {r.purpose for r in page.records} == {"MENTORING"}
        assert (await store.verify()).ok
    finally:
        await store.close()
