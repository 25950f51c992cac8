"""The SDL in git is the contract clients build against: the code must match it exactly."""

from __future__ import annotations

from pathlib import Path

from schema.build import sdl

SDL_FILE = Path(__file__).resolve().parents[2] / "schema" / "schema.graphql"


def test_schema_graphql_matches_the_code() -> None:
    assert SDL_FILE.read_text() == sdl(), "run `make schema` and review the diff"


def test_contract_root_fields_exist() -> None:
    text = sdl()
    for field in (
        "youth(cpr: CPR!, purpose: Purpose!): Youth",
        "youths(cprs: [CPR!]!, purpose: Purpose!): [Youth]!",
        "caseload(purpose: Purpose!, first: Int = null, after: String = null): YouthConnection!",
        "me: Youth",
    ):
        assert field in text, field
