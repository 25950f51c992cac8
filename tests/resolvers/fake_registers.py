"""A tiny slice of the register wire contract (mocks/README.md) for httpx.MockTransport.

Each register answers on its own host (`http://udb.test`, …) under its path prefix. The fake
records every request, enforces the contract's section rules (unknown section: 400; a
sectionless register given `sektioner`: 400, so a client that sends them is caught), and
can be told to misbehave per register.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import httpx
import orjson

from tests.resolvers import wire_documents as w

PREFIXES = {
    "udb": "/udb/v1",
    "dfdg": "/dfdg/v1",
    "grades": "/karakterer/v1",
    "eindkomst": "/eindkomst/v1",
    "admissions": "/optagelse/v1",
    "questionnaire": "/spoergeskema/v1",
    "social": "/social/v1",
}
SECTIONS = {
    "udb": {"uddannelser", "stoettebehov", "frafald", "kontakt"},
    "dfdg": {"stamdata", "forsoergelse", "plan", "sagsforloeb", "kontakt"},
    "eindkomst": {"timer", "beloeb"},
    "questionnaire": {"svar", "helbred"},
}
URLS = {label: f"http://{label}.test" for label in PREFIXES}

#: Fault names: "500", "garbage" (not JSON), "not_object" (a JSON list), "wrong_person"
#: (a document for someone not asked), "missing_person" (an asked CPR left out), "timeout".
FAULTS = ("500", "garbage", "not_object", "wrong_person", "missing_person", "timeout")


def _json(status: int, body: Any) -> httpx.Response:
    return httpx.Response(
        status, content=orjson.dumps(body), headers={"content-type": "application/json"}
    )


class FakeRegisters:
    def __init__(self) -> None:
        self.data: dict[str, dict[str, Any]] = {
            "udb": copy.deepcopy(w.UDB),
            "dfdg": copy.deepcopy(w.DFDG),
            "grades": copy.deepcopy(w.GRADES),
            "eindkomst": copy.deepcopy(w.EINDKOMST),
            "admissions": copy.deepcopy(w.ADMISSIONS),
            "questionnaire": copy.deepcopy(w.QUESTIONNAIRE),
            "social": copy.deepcopy(w.SOCIAL),
        }
        self.relations: dict[str, dict[str, Any]] = {
            "udb": copy.deepcopy(w.UDB_RELATIONS),
            "dfdg": copy.deepcopy(w.DFDG_RELATIONS),
            "questionnaire": copy.deepcopy(w.QUESTIONNAIRE_RELATIONS),
        }
        self.lookups = dict(w.LOOKUPS)
        self.faults: dict[str, str] = {}
        self.requests: list[httpx.Request] = []

    # --- what tests read ----------------------------------------------------------------

    def calls(self, label: str, endpoint: str = "/personer/soeg") -> list[dict[str, Any]]:
        """Bodies of the POSTs to one register endpoint, in order."""
        path = PREFIXES[label] + endpoint
        return [
            orjson.loads(r.content)
            for r in self.requests
            if r.url.host == f"{label}.test" and r.url.path == path
        ]

    def add_people(self, count: int) -> list[str]:
        """`count` synthetic people (born 2005) with Anne's DFDG document."""
        cprs = []
        for n in range(count):
            cpr = f"{n % 28 + 1:02d}{n // 28 % 12 + 1:02d}05{4000 + n % 6000:04d}"
            self.data["dfdg"][cpr] = dict(copy.deepcopy(w.DFDG[w.ANNE]), cpr=cpr)
            cprs.append(cpr)
        return cprs

    # --- the wire -----------------------------------------------------------------------

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        label = request.url.host.removesuffix(".test")
        prefix = PREFIXES[label]
        path = request.url.path
        if not path.startswith(prefix):
            return _json(404, {"fejlkode": 404, "fejltekst": "Not found"})
        endpoint = path.removeprefix(prefix)
        fault = self.faults.get(label)
        if fault == "timeout":
            raise httpx.ReadTimeout("the register did not answer", request=request)
        if fault == "500":
            return _json(500, {"fejlkode": 9999, "fejltekst": "Internal error"})
        if fault == "garbage":
            return httpx.Response(200, content=b"<html>Service Unavailable</html>")
        if fault == "not_object":
            return _json(200, ["personer"])
        if request.method == "GET":
            if path in self.lookups:
                return _json(200, {"cprListe": self.lookups[path]})
            return _json(404, {"fejlkode": 1010, "fejltekst": "Unknown"})
        body = orjson.loads(request.content)
        cprs = body.get("cprListe")
        if not isinstance(cprs, list) or len(cprs) > 1000:
            return _json(400, {"fejlkode": 1014, "fejltekst": "Validation failed"})
        if endpoint == "/relationer/soeg":
            answer = self._batch(cprs, self.relations.get(label, {}), None, label, body)
        elif endpoint == "/personer/soeg":
            sections = body.get("sektioner")
            if sections is not None and not set(sections) <= SECTIONS.get(label, set()):
                return _json(400, {"fejlkode": 1014, "fejltekst": "Validation failed"})
            answer = self._batch(cprs, self.data[label], sections, label, body)
        else:
            return _json(404, {"fejlkode": 404, "fejltekst": "Not found"})
        if fault == "wrong_person":
            answer["personer"].append({"cpr": "0101011234"})
        if fault == "missing_person" and answer["personer"]:
            answer["personer"].pop()
        return _json(200, answer)

    def _batch(
        self,
        cprs: list[str],
        store: Mapping[str, Any],
        sections: list[str] | None,
        label: str,
        body: Mapping[str, Any],
    ) -> dict[str, Any]:
        found, unknown = [], []
        for cpr in cprs:
            document = store.get(cpr)
            if document is None:
                unknown.append(cpr)
            else:
                found.append(self._cut(label, document, sections, body))
        found.reverse()  # order is not guaranteed by the contract
        return {"personer": found, "ukendte": unknown}

    @staticmethod
    def _cut(
        label: str, document: dict[str, Any], sections: list[str] | None, body: Mapping[str, Any]
    ) -> dict[str, Any]:
        if label == "eindkomst":
            wanted = set(sections or ("timer", "beloeb"))
            first, last = body.get("fra", "0000-00"), body.get("til", "9999-99")
            lines = []
            for line in document["linjer"]:
                if not first <= line["loenperiode"]["start"][:7] <= last:
                    continue
                line = dict(line)
                if "timer" not in wanted:
                    line.pop("timer")
                if "beloeb" not in wanted:
                    line.pop("felter")
                    line.pop("dispositionsdato")
                lines.append(line)
            return {"cpr": document["cpr"], "linjer": lines}
        if sections is None or label not in SECTIONS:
            return copy.deepcopy(document)
        kept = {key: value for key, value in document.items() if key not in SECTIONS[label]}
        kept.update({s: copy.deepcopy(document[s]) for s in sections if s in document})
        return kept
