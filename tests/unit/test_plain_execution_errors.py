"""A plan that meets an error hands the object to graphql-core, which reports the error where
graphql-core reports it (a serializer or an attribute that raises: at that leaf), and a plan that
gives up keeps nothing of the request alive."""

from __future__ import annotations

import enum
import gc
import weakref
from typing import Any, NewType

import pytest
import strawberry
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema.execution import PlainDataExecutionContext

Code = NewType("Code", str)
BAD = Code("bad")


def _serialize_code(value: str) -> str:
    if value == BAD:
        raise ValueError(f"not a code: {value}")
    return value.upper()


@strawberry.enum
class Colour(enum.Enum):
    RED = "red"


@strawberry.type
class Item:
    name: str
    code: Code | None  # nullable: the error nulls this leaf only
    codes: list[Code | None] | None = None
    colour: Colour | None = None


@strawberry.type
class Strict:
    code: Code  # non-null: the null goes up to the nearest nullable parent


@strawberry.type
class Holder:
    label: str
    items: list[Item]
    strict: Strict | None = None


class Broken:
    """Duck-typed source whose attribute raises, as graphql-core's getattr would meet it."""

    name = "broken"
    codes = None
    colour = None

    @property
    def code(self) -> str:
        raise RuntimeError("attribute failed")


HOLDER: list[Holder] = []


@strawberry.type
class Query:
    @strawberry.field
    def holder(self) -> Holder | None:
        return HOLDER[0]


SCALARS: dict[object, Any] = {Code: strawberry.scalar(name="Code", serialize=_serialize_code)}


class QuietSchema(strawberry.Schema):
    """Strawberry logs each error with its traceback; pytest's log capture would keep those
    (and the frames in them) alive. The gateway's schema does not log either (schema/build.py)."""

    def process_errors(self, errors: Any, execution_context: Any = None) -> None:
        return None


def _schema(context: type) -> strawberry.Schema:
    return QuietSchema(
        query=Query,
        config=StrawberryConfig(scalar_map=SCALARS),
        execution_context_class=context,
    )


PLANNED = _schema(PlainDataExecutionContext)
STANDARD = _schema(StrawberryGraphQLCoreExecutionContext)

QUERY = "{ holder { label items { name code codes colour } strict { code } } }"


def _answer(schema: strawberry.Schema, holder: Holder, context: Any = None) -> Any:
    HOLDER[:] = [holder]
    result = schema.execute_sync(QUERY, context_value=context)
    errors = [(error.message, error.path, error.locations) for error in result.errors or []]
    return result.data, errors


def _same(holder: Holder) -> Any:
    planned = _answer(PLANNED, holder)
    assert planned == _answer(STANDARD, holder)
    assert _answer(PLANNED, holder) == planned  # the cached plan, too
    data, errors = planned
    return data, [(message, path) for message, path, _ in errors]


def test_a_raising_serializer_nulls_only_its_nullable_leaf() -> None:
    holder = Holder(label="h", items=[Item(name="a", code=Code("x")), Item(name="b", code=BAD)])
    data, errors = _same(holder)
    assert errors == [("not a code: bad", ["holder", "items", 1, "code"])]
    assert data == {
        "holder": {
            "label": "h",
            "items": [
                {"name": "a", "code": "X", "codes": None, "colour": None},
                {"name": "b", "code": None, "codes": None, "colour": None},
            ],
            "strict": None,
        }
    }


def test_a_raising_serializer_in_a_list_nulls_only_its_item() -> None:
    holder = Holder(label="h", items=[Item(name="a", code=None, codes=[Code("x"), BAD, None])])
    data, errors = _same(holder)
    assert errors == [("not a code: bad", ["holder", "items", 0, "codes", 1])]
    assert data["holder"]["items"][0]["codes"] == ["X", None, None]


def test_a_raising_serializer_in_a_non_null_leaf_nulls_the_nearest_nullable_parent() -> None:
    holder = Holder(label="h", items=[], strict=Strict(code=BAD))
    data, errors = _same(holder)
    assert errors == [("not a code: bad", ["holder", "strict", "code"])]
    assert data == {"holder": {"label": "h", "items": [], "strict": None}}


def test_an_attribute_that_raises_nulls_only_its_leaf() -> None:
    holder = Holder(label="h", items=[Broken()])  # type: ignore[list-item]
    data, errors = _same(holder)
    assert errors == [("attribute failed", ["holder", "items", 0, "code"])]
    assert data["holder"]["items"] == [
        {"name": "broken", "code": None, "codes": None, "colour": None}
    ]


def test_an_enum_value_it_cannot_represent_nulls_only_its_leaf() -> None:
    unknown: Any = 7
    items = [
        Item(name="a", code=None, colour=Colour.RED),
        Item(name="b", code=None, colour=unknown),
    ]
    data, errors = _same(Holder(label="h", items=items))
    assert errors == [("Enum 'Colour' cannot represent value: 7", ["holder", "items", 1, "colour"])]
    assert [item["colour"] for item in data["holder"]["items"]] == ["RED", None]


class RequestContext:
    """Stands for the gateway's per-request context: nothing may keep it alive."""


@pytest.mark.parametrize(
    "holder",
    [
        Holder(label="h", items=[Item(name="b", code=BAD)]),  # a serializer raises
        Holder(label="h", items=[Item(name=None, code=None)]),  # type: ignore[arg-type]
    ],
    ids=["serializer-raises", "null-in-non-null"],
)
def test_giving_up_a_plan_keeps_no_request_alive(holder: Holder) -> None:
    alive: list[weakref.ref[RequestContext]] = []
    for _ in range(50):
        context = RequestContext()
        alive.append(weakref.ref(context))
        _, errors = _answer(PLANNED, holder, context)
        assert errors  # graphql-core took over each time
        del context
    gc.collect()
    kept = sum(ref() is not None for ref in alive)
    assert kept == 0, f"{kept} of {len(alive)} request contexts outlived their request"
