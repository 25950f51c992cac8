"""Which categories a query selected below a field, read from its syntax tree."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionSetNode,
)
from strawberry.types import Info

from schema.enums import Category


def _selections(
    selection_set: SelectionSetNode | None, fragments: Mapping[str, FragmentDefinitionNode]
) -> Iterator[FieldNode]:
    """The fields of a selection set, through inline fragments and fragment spreads."""
    if selection_set is None:
        return
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _selections(selection.selection_set, fragments)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                yield from _selections(fragment.selection_set, fragments)


def categories_at(
    info: Info[Any, Any], path: tuple[str, ...], fields: Mapping[str, Category]
) -> list[Category]:
    """The categories selected under this field, `path` (e.g. edges > node) below it, by
    `fields` (GraphQL field name -> category).

    Read from the query's syntax tree: strawberry's `selected_fields` builds objects for the
    whole tree on every call, which costs more than the rest of a cached profile's resolvers.
    """
    raw = info._raw_info
    levels: list[FieldNode] = list(raw.field_nodes)
    for name in path:
        levels = [
            child
            for node in levels
            for child in _selections(node.selection_set, raw.fragments)
            if child.name.value == name
        ]
    found = (
        fields.get(child.name.value)
        for node in levels
        for child in _selections(node.selection_set, raw.fragments)
    )
    return list(dict.fromkeys(c for c in found if c is not None))
