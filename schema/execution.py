"""Completing plain data without graphql-core's per-field machinery.

A category's data reaches GraphQL as plain objects: every field below a category is an attribute
(strawberry's "basic" fields: no resolver, no arguments, no extensions). graphql-core still runs
its whole field pipeline for each of them (a resolve-info object, strawberry's resolver wrapper,
an awaitable check, null and list handling), which costs more than everything else on a cached
profile and dominates `youths` (35,000 fields for 200 young people).

`PlainDataExecutionContext` keeps graphql-core for everything that decides or can fail (root
fields, `Youth`'s category resolvers with their access checks, errors, @defer) and completes a
plain object in one step instead: for an object type whose selected fields are all basic, it
builds a *plan* once per selection — (response key, attribute, completer) for each selected
field, nested plans for plain sub-objects — and applies it to the value. Selections come from
graphql-core's own `collect_subfields` (fragments, aliases, @skip/@include as the spec says),
leaves are coerced by the type's own `coerce_output_value` (what graphql-core calls), so the
answer is the one graphql-core would give. Anything a plan does not handle the standard way — a
null in a non-null position, a value that is not a list where a list belongs, a serializer
answering null or raising, an attribute that raises — abandons the plan for that object and lets
graphql-core complete it, errors and all: graphql-core meets the same value again and reports the
error at the field or list item where it belongs, nulling what the spec says it nulls. A plan
that gives up raises a fresh `_Abandon` each time: one shared instance would collect every
traceback it was raised through, and with them the frames and request contexts in them.

Plans are kept across requests (bounded LRU) when the selection depends on nothing but the
document: no directives anywhere below it. The key holds the field nodes themselves, so the ids
in it cannot be reused while the entry lives; documents come from the gateway's parse cache, so
the same query finds the same nodes.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    InlineFragmentNode,
    SelectionSetNode,
    Undefined,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
)
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

Completer = Callable[[Any], Any]

#: Plans kept across requests (per process); a profile needs a few dozen, youths the same.
PLAN_CACHE_SIZE = 2048


class _Abandon(Exception):
    """The plan met a value it does not complete the standard way: graphql-core takes over.

    Raised fresh every time (never a shared instance): an exception keeps its traceback, and a
    traceback keeps its frames, the request's execution context among them."""


class _Plans:
    """LRU of plans by (schema, type, field nodes); holds the schema and the nodes, so the ids
    in a key stay theirs while the entry lives."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._entries: OrderedDict[tuple[Any, ...], tuple[Any, Completer | None]] = OrderedDict()

    def get(self, key: tuple[Any, ...]) -> tuple[Any, Completer | None] | None:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def put(self, key: tuple[Any, ...], owners: Any, plan: Completer | None) -> None:
        self._entries[key] = (owners, plan)
        while len(self._entries) > self._size:
            self._entries.popitem(last=False)


_PLANS = _Plans(PLAN_CACHE_SIZE)


class PlainDataExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's execution, with plain objects completed by cached plans."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plans: dict[tuple[Any, int], tuple[Any, Completer | None]] = {}

    def complete_object_value(
        self,
        return_type: GraphQLObjectType,
        field_details_list: Any,
        info: Any,
        path: Any,
        result: Any,
        position_context: Any,
    ) -> Any:
        plan = self._plan_for(return_type, field_details_list)
        if plan is not None:
            try:
                return plan(result)
            except _Abandon:
                pass  # graphql-core completes this object, and reports any error where it is
        return super().complete_object_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def _plan_for(
        self, object_type: GraphQLObjectType, field_details_list: Any
    ) -> Completer | None:
        local_key = (object_type, id(field_details_list))
        local = self._plans.get(local_key)
        if local is not None:
            return local[1]
        nodes = tuple(details.node for details in field_details_list)
        shared_key = (id(self.schema), object_type.name, *map(id, nodes))
        shared = _PLANS.get(shared_key)
        if shared is not None:
            plan = shared[1]
        else:
            plan = self._object_plan(object_type, field_details_list)
            if not any(
                _has_directives(node.selection_set, self.fragment_definitions) for node in nodes
            ):
                _PLANS.put(shared_key, (self.schema, nodes), plan)
        # Like graphql-core's own memo: keep the list alive so its id is not reused.
        self._plans[local_key] = (field_details_list, plan)
        return plan

    def _object_plan(
        self, object_type: GraphQLObjectType, field_details_list: Any
    ) -> Completer | None:
        """A completer for `object_type` under this selection, or None if it is not plain."""
        if object_type.is_type_of is not None:
            return None
        grouped, defer_usages, *_ = self.collect_subfields(object_type, field_details_list)
        if defer_usages:
            return None
        steps: list[tuple[str, str | None, Completer | None]] = []
        for response_key, sub_details in grouped.items():
            name = sub_details[0].node.name.value
            if name == "__typename":
                steps.append((response_key, None, None))
                continue
            field = object_type.fields.get(name)
            definition = None if field is None else field.extensions.get("strawberry-definition")
            if field is None or field.args or not getattr(definition, "is_basic_field", False):
                return None
            complete = self._value_plan(field.type, sub_details)
            if complete is None:
                return None
            steps.append((response_key, definition.python_name, complete))  # type: ignore[union-attr]
        return _object_completer(object_type.name, steps)

    def _value_plan(self, type_: GraphQLOutputType, details: Any) -> Completer | None:
        if is_non_null_type(type_):
            assert isinstance(type_, GraphQLNonNull)
            inner = self._value_plan(type_.of_type, details)
            return None if inner is None else _non_null(inner)
        if is_list_type(type_):
            assert isinstance(type_, GraphQLList)
            item = self._value_plan(type_.of_type, details)
            return None if item is None else _list_of(item)
        if is_leaf_type(type_):
            return _leaf(type_.coerce_output_value)
        if is_object_type(type_):
            assert isinstance(type_, GraphQLObjectType)
            nested = self._object_plan(type_, details)
            return None if nested is None else _nullable(nested)
        return None  # interfaces and unions: graphql-core resolves their runtime type


def _object_completer(
    type_name: str, steps: list[tuple[str, str | None, Completer | None]]
) -> Completer:
    def complete(source: Any) -> dict[str, Any]:
        if isinstance(source, Exception):
            raise _Abandon
        out: dict[str, Any] = {}
        try:
            for key, attribute, completer in steps:
                if attribute is None:
                    out[key] = type_name
                else:
                    out[key] = completer(getattr(source, attribute))  # type: ignore[misc]
        except _Abandon:
            raise
        except Exception:
            # An attribute or a leaf's coercion raised. Not this object's error: graphql-core
            # meets it again, field by field, and reports it at the field or item it belongs to.
            raise _Abandon from None
        return out

    return complete


def _nullable(complete: Completer) -> Completer:
    def nullable(value: Any) -> Any:
        return None if value is None else complete(value)

    return nullable


def _non_null(complete: Completer) -> Completer:
    def non_null(value: Any) -> Any:
        completed = complete(value)
        if completed is None:
            raise _Abandon  # graphql-core raises the spec's error and nulls the parent
        return completed

    return non_null


def _list_of(item: Completer) -> Completer:
    def list_of(value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, list | tuple):
            raise _Abandon
        return [item(entry) for entry in value]

    return list_of


def _leaf(coerce: Callable[[Any], Any]) -> Completer:
    def leaf(value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, Exception):
            raise _Abandon
        coerced = coerce(value)  # if it raises, the object's completer gives up (see there)
        if coerced is None or coerced is Undefined:
            raise _Abandon
        return coerced

    return leaf


def _has_directives(selection_set: SelectionSetNode | None, fragments: Any) -> bool:
    """Whether anything below depends on variables through @skip/@include (or any directive)."""
    if selection_set is None:
        return False
    seen: set[str] = set()
    pending: list[Iterable[Any]] = [selection_set.selections]
    while pending:
        for selection in pending.pop():
            if selection.directives:
                return True
            if isinstance(selection, FieldNode | InlineFragmentNode):
                if selection.selection_set is not None:
                    pending.append(selection.selection_set.selections)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name in seen:
                    continue
                seen.add(name)
                fragment = fragments.get(name)
                if fragment is None or fragment.directives:
                    return True
                pending.append(fragment.selection_set.selections)
    return False
