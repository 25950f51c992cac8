"""PLAIN_EXECUTION turns the plans of schema/execution.py off: strawberry's own execution."""

from __future__ import annotations

import pytest
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from gateway.settings import Settings, from_environment
from schema.build import make_schema
from schema.execution import PlainDataExecutionContext


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, True),
        ("", True),
        ("1", True),
        ("true", True),
        ("yes", True),
        ("0", False),
        ("false", False),
        ("no", False),
        (" False ", False),
        ("off", False),
    ],
)
def test_plain_execution_is_on_unless_turned_off(value: str | None, expected: bool) -> None:
    env = {} if value is None else {"PLAIN_EXECUTION": value}
    assert from_environment(env).plain_execution is expected
    assert Settings().plain_execution is True


def test_trusted_operations_only_still_reads_as_before() -> None:
    for value, expected in [(None, False), ("", False), ("1", True), ("on", True), ("0", False)]:
        env = {} if value is None else {"TRUSTED_OPERATIONS_ONLY": value}
        assert from_environment(env).trusted_operations_only is expected


def test_make_schema_uses_plans_only_when_asked() -> None:
    assert make_schema().execution_context_class is PlainDataExecutionContext
    assert make_schema(plain_execution=True).execution_context_class is PlainDataExecutionContext
    default = make_schema(plain_execution=False).execution_context_class
    assert default is StrawberryGraphQLCoreExecutionContext
    assert not issubclass(default, PlainDataExecutionContext)
