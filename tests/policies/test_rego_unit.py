"""The Rego unit tests beside the policy (`*_test.rego`), each run as a pytest case.

They run on the real OPA engine, as `opa test` would: rego-cpp 1.5 crashes compiling some of
these test modules (the policy itself compiles and agrees with OPA, see test_engines_agree)."""

from __future__ import annotations

import re

import pytest

from gateway.policies.sources import data_document, load_catalogue, policy_modules, rego_unit_tests

PACKAGE = re.compile(r"^package (\S+)", re.MULTILINE)
TEST_RULE = re.compile(r"^(test_\w+)", re.MULTILINE)

CASES = [
    (PACKAGE.findall(source)[0], rule)
    for source in rego_unit_tests().values()
    for rule in TEST_RULE.findall(source)
]


def test_there_are_rego_unit_tests() -> None:
    assert len(CASES) >= 20


@pytest.fixture(scope="module")
def opa_with_tests(require_real_opa: None) -> object:
    import opa_bindings

    engine = opa_bindings.OpaEngine()
    for name, source in {**policy_modules(), **rego_unit_tests()}.items():
        engine.add_policy(name, source)
    engine.add_data(data_document(load_catalogue()))
    return engine


@pytest.mark.parametrize(("package", "rule"), CASES)
def test_rego(opa_with_tests: object, package: str, rule: str) -> None:
    answers = opa_with_tests.eval_query(f"x := data.{package}.{rule}")  # type: ignore[attr-defined]
    assert answers == [{"x": True}], f"{package}.{rule} failed"
