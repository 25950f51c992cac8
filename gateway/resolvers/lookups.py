"""Reverse lookups: which young people a professional or system may have a relationship to.

These find *candidates* for `caseload`; the policy still decides on each one. The URLs carry
a staff id, an institution number or a municipality code, never a CPR; the answer lists CPRs
in its body.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from gateway.resolvers import wire
from gateway.resolvers.http import RegisterEndpoint

_STAFF_ROLES = {"contact_person", "mentor", "business_consultant"}


def _cpr_list(answer: Any) -> list[str]:
    return wire.texts(wire.obj(answer).get("cprListe"))


def lookup_path(
    role: str, subject: str, organisation: str | None, municipality: str | None
) -> tuple[str, str] | None:
    """(register label, path) of the reverse lookup for a role, or None when it has none."""
    if role in _STAFF_ROLES:
        return "dfdg", f"/medarbejdere/{quote(subject, safe='')}/borgere"
    if role == "institution_contact" and organisation:
        return "udb", f"/institutioner/{quote(organisation, safe='')}/elever"
    if role == "case_system" and municipality:
        return "dfdg", f"/kommuner/{quote(municipality, safe='')}/sager"
    return None


async def related_cprs(
    endpoints: Mapping[str, RegisterEndpoint],
    role: str,
    subject: str,
    organisation: str | None,
    municipality: str | None,
) -> list[str]:
    target = lookup_path(role, subject, organisation, municipality)
    if target is None:
        return []
    label, path = target
    # A staff id, institution or municipality the register does not know has nobody (404).
    found = await endpoints[label].call("GET", path, "lookup", _cpr_list, absent_on_404=True)
    return list(dict.fromkeys(found or []))


async def case_history(endpoints: Mapping[str, RegisterEndpoint], municipality: str) -> list[str]:
    """Everyone with a DFDG case in the municipality, open or closed (a team leader's report
    counts the deadlines of closed cases too). The URL carries the municipality code only."""
    path = f"/kommuner/{quote(municipality, safe='')}/sagshistorik"
    found = await endpoints["dfdg"].call("GET", path, "lookup", _cpr_list, absent_on_404=True)
    return list(dict.fromkeys(found or []))
