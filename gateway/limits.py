"""Query limits: an expensive operation is refused before it runs, and before any register call.

Every refusal is a GraphQL error with code `QUERY_TOO_COMPLEX` and `extensions.limit` naming the
limit (`tokens`, `depth`, `aliases`, `directives`, `repeatedFields`, `cost`).

The work is done by one long-lived `QueryGuard` per app, plugged into Strawberry as a schema
extension (`QueryGuard.extension`). For each query text it parses once (with a token limit),
runs the limit rules, then graphql-core's validation (plus, in production, no introspection
and no "Did you mean …" suggestions), and keeps the outcome in an LRU keyed by the query text:
a repeated query skips parse and validation. The one limit that depends on variables — the
cost, which counts list sizes — is computed on every request, cached document or not.

Order matters: the limit rules run in a pass of their own before graphql-core's rules, because
some of those (overlapping fields) are quadratic in the number of repeated fields.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLSyntaxError,
    GraphQLUnionType,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    Node,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    parse,
    specified_rules,
    validate,
    value_from_ast_untyped,
)
from graphql.validation import (
    ASTValidationRule,
    NoSchemaIntrospectionCustomRule,
    ValidationContext,
    ValidationRule,
)
from strawberry.extensions import SchemaExtension
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from gateway.settings import Settings
from schema.errors import BAD_USER_INPUT, QUERY_TOO_COMPLEX
from schema.query import MAX_BATCH, MAX_PAGE
from schema.youth import FIELD_CATEGORIES

#: Names of the limits as they appear in `extensions.limit`.
TOKENS, DEPTH, ALIASES, DIRECTIVES, REPEATED_FIELDS, COST = (
    "tokens",
    "depth",
    "aliases",
    "directives",
    "repeatedFields",
    "cost",
)

YOUTH_TYPE = "Youth"


@dataclass(frozen=True)
class QueryLimits:
    """The limits of one gateway. The defaults let every query of schema/operations.json and
    GraphiQL's introspection through with room to spare, and refuse what no client needs."""

    #: Lexical tokens (and, separately, comments) of the query text; the parser stops there.
    tokens: int = 2000
    #: Nesting of fields (fragments expanded); caseload → edges → node → plan → offers →
    #: period → start is 7. Introspection (`__schema`, `__type`) is not counted (demo only).
    depth: int = 10
    #: Aliased fields in the whole document.
    aliases: int = 15
    #: Directives in the whole document.
    directives: int = 20
    #: How often one response key may be selected in one selection set (through fragments).
    repeated_fields: int = 5
    #: Young people × (1 + categories selected for them), plus items of other lists. A full
    #: batch of 500 with all 15 categories costs 8,000.
    cost: int = 10_000

    @classmethod
    def from_settings(cls, settings: Settings) -> QueryLimits:
        return cls(
            tokens=settings.max_query_tokens,
            depth=settings.max_query_depth,
            aliases=settings.max_query_aliases,
            directives=settings.max_query_directives,
            repeated_fields=settings.max_repeated_fields,
            cost=settings.max_query_cost,
        )


def too_complex(
    message: str, limit: str, nodes: Node | Sequence[Node] | None = None
) -> GraphQLError:
    return GraphQLError(message, nodes, extensions={"code": QUERY_TOO_COMPLEX, "limit": limit})


# --- the limit rules (graphql-core validation rules, usable on their own) -----------------------


def _fragments(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def _flatten(
    selection_set: SelectionSetNode | None,
    fragments: Mapping[str, FragmentDefinitionNode],
    seen: set[str] | None = None,
) -> Iterator[FieldNode]:
    """The fields of one selection set, through inline fragments and fragment spreads (each
    named fragment once: the executor merges repeated spreads, and a cycle must not loop)."""
    if selection_set is None:
        return
    seen = set() if seen is None else seen
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _flatten(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is not None and name not in seen:
                seen.add(name)
                yield from _flatten(fragment.selection_set, fragments, seen)


def _depth(
    selection_set: SelectionSetNode | None,
    fragments: Mapping[str, FragmentDefinitionNode],
    memo: dict[int, int],
    active: set[int],
) -> int:
    """Deepest field nesting below a selection set; memoised per selection set so that
    fragments spreading fragments cannot make this exponential."""
    if selection_set is None:
        return 0
    key = id(selection_set)
    if key in memo:
        return memo[key]
    if key in active:  # a fragment cycle: graphql-core's own rule reports it
        return 0
    active.add(key)
    deepest = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.name.value.startswith("__") and selection.name.value != "__typename":
                continue  # introspection has its own depth rule in graphql-core
            deepest = max(deepest, 1 + _depth(selection.selection_set, fragments, memo, active))
        elif isinstance(selection, InlineFragmentNode):
            deepest = max(deepest, _depth(selection.selection_set, fragments, memo, active))
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                deepest = max(deepest, _depth(fragment.selection_set, fragments, memo, active))
    active.discard(key)
    memo[key] = deepest
    return deepest


def limit_rules(limits: QueryLimits) -> tuple[type[ValidationRule], ...]:
    """Validation rules for the static limits: depth, aliases, directives, repeated fields."""

    class DepthLimit(ValidationRule):
        def enter_document(self, node: DocumentNode, *_: Any) -> None:
            fragments = _fragments(node)
            memo: dict[int, int] = {}
            for definition in node.definitions:
                if isinstance(definition, OperationDefinitionNode):
                    depth = _depth(definition.selection_set, fragments, memo, set())
                    if depth > limits.depth:
                        self.report_error(
                            too_complex(
                                f"The query is nested {depth} levels deep; "
                                f"at most {limits.depth} are allowed",
                                DEPTH,
                                definition,
                            )
                        )
                        return

    class AliasLimit(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self.count = 0

        def enter_field(self, node: FieldNode, *_: Any) -> None:
            if node.alias is not None:
                self.count += 1

        def leave_document(self, node: DocumentNode, *_: Any) -> None:
            if self.count > limits.aliases:
                self.report_error(
                    too_complex(
                        f"The query uses {self.count} aliases; at most {limits.aliases} "
                        "are allowed",
                        ALIASES,
                    )
                )

    class DirectiveLimit(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self.count = 0

        def enter_directive(self, *_: Any) -> None:
            self.count += 1

        def leave_document(self, node: DocumentNode, *_: Any) -> None:
            if self.count > limits.directives:
                self.report_error(
                    too_complex(
                        f"The query uses {self.count} directives; at most {limits.directives} "
                        "are allowed",
                        DIRECTIVES,
                    )
                )

    class RepeatedFieldLimit(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self.fragments = _fragments(context.document)
            self.reported = False

        def enter_selection_set(self, node: SelectionSetNode, *_: Any) -> None:
            if self.reported:
                return
            counts: dict[str, int] = {}
            for field in _flatten(node, self.fragments):
                key = (field.alias or field.name).value
                counts[key] = counts.get(key, 0) + 1
                if counts[key] > limits.repeated_fields:
                    self.reported = True
                    self.report_error(
                        too_complex(
                            f"The field `{key}` is selected more than {limits.repeated_fields} "
                            "times in one selection set",
                            REPEATED_FIELDS,
                            field,
                        )
                    )
                    return

    return (DepthLimit, AliasLimit, DirectiveLimit, RepeatedFieldLimit)


# --- the cost (variable-dependent, computed per request) -----------------------------------------


def _list_size(field: FieldNode, variables: Mapping[str, Any]) -> int | None:
    """How many items a field's arguments ask for: `cprs` by its length, `first` by its value.
    Sizes beyond the per-field caps count as the cap: the resolver refuses those itself with
    BAD_USER_INPUT (before any register call), which tells the client more than a cost does."""
    arguments = field.arguments or ()
    for argument in arguments:
        name, value = argument.name.value, argument.value
        if isinstance(value, VariableNode):
            resolved: Any = variables.get(value.name.value)
        elif isinstance(value, ListValueNode):
            resolved = value.values
        elif isinstance(value, IntValueNode):
            resolved = int(value.value)
        else:
            resolved = None
        if name in ("cprs", "representations"):  # youths' CPRs, a router's references
            if isinstance(resolved, list | tuple):
                return min(len(resolved), MAX_BATCH)
            return 1 if resolved is not None else 0  # a single value coerces to a list of one
        if name == "first":
            if isinstance(resolved, int) and not isinstance(resolved, bool):
                return max(0, min(resolved, MAX_PAGE))
            return MAX_PAGE
    if any(a.name.value == "after" for a in arguments) or field.name.value in _PAGED:
        return MAX_PAGE  # a page whose size was left to the default
    return None


_PAGED = frozenset({"caseload", "myAccessLog", "auditLog"})


def query_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
) -> int:
    """Young people × (1 + distinct categories selected for them), plus one per item of every
    other sized list (audit entries). `youths(cprs:)` counts its CPRs, `first` its page size
    (the default page when left out); a variable the request leaves out counts its default."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1 or schema.query_type is None:
        return 0  # graphql-core refuses the request itself
    fragments = _fragments(document)
    effective = _with_defaults(operations[0], variables or {})
    return _cost(operations[0].selection_set, schema.query_type, 1, fragments, effective)


def _with_defaults(
    operation: OperationDefinitionNode, variables: Mapping[str, Any]
) -> Mapping[str, Any]:
    """The variables as the executor will see them: a variable the request leaves out takes
    its default from the document (`query($c: [CPR!]! = [...])`), and that list costs what the
    same list sent as a variable or written inline costs."""
    defaults = {
        definition.variable.name.value: value_from_ast_untyped(definition.default_value)
        for definition in operation.variable_definitions or ()
        if definition.default_value is not None and definition.variable.name.value not in variables
    }
    return {**defaults, **variables} if defaults else variables


def _cost(
    selection_set: SelectionSetNode | None,
    parent: GraphQLObjectType,
    multiplier: int,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
) -> int:
    total = 0
    for field in _flatten(selection_set, fragments):
        definition = parent.fields.get(field.name.value)
        if definition is None:
            continue  # __typename, or a field validation already refused
        size = _list_size(field, variables)
        times = multiplier * (size if size is not None else 1)
        named = get_named_type(definition.type)
        if named.name == YOUTH_TYPE or _may_be_youth(named):
            categories = {
                f.name.value
                for f in _flatten(field.selection_set, fragments)
                if f.name.value in FIELD_CATEGORIES
            }
            total += times * (1 + len(categories))
            continue
        below = 0
        if isinstance(named, GraphQLObjectType):
            below = _cost(field.selection_set, named, times, fragments, variables)
        # A sized list costs its items, or what its items cost when they are young people.
        total += below if below or size is None else times
    return total


def _may_be_youth(named: Any) -> bool:
    """A union a young person is one of (federation's `_Entity`, what `_entities` returns)."""
    return isinstance(named, GraphQLUnionType) and any(t.name == YOUTH_TYPE for t in named.types)


# --- the guard: parse, validate, cache; cost per request -----------------------------------------


@dataclass(frozen=True)
class Prepared:
    """The outcome of parsing and validating one query text: the document and its validation
    errors (none: it may run, subject to the cost)."""

    document: DocumentNode
    errors: tuple[GraphQLError, ...]


def _syntax_limit(error: GraphQLSyntaxError) -> GraphQLError:
    message = error.message
    if "Document contains more than" in message:
        return too_complex("The query has too many tokens", TOKENS)
    if "nested too deeply" in message:
        return too_complex("The query is nested too deeply", DEPTH)
    return error


class QueryGuard:
    """Parses and validates each query text once (an LRU keyed by the text) and applies the
    limits; the cost is checked per request because it depends on the variables."""

    def __init__(self, limits: QueryLimits, *, production: bool, cache_size: int = 512) -> None:
        self.limits = limits
        self.production = production
        self._limit_rules = limit_rules(limits)
        self._rules: tuple[type[ASTValidationRule], ...] = (
            *specified_rules,
            MaybeNullValidationRule,
            OneOfInputValidationRule,
            *((NoSchemaIntrospectionCustomRule,) if production else ()),
        )
        self._cache: OrderedDict[str, Prepared] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def prepare(self, query: str, schema: GraphQLSchema) -> Prepared:
        """The document and validation errors of a query text, or raise the (fresh) syntax or
        token-limit error. Syntax errors are not cached: an exception instance raised again
        and again would grow its traceback, and re-parsing stops at the token limit anyway."""
        with self._lock:
            cached = self._cache.get(query)
            if cached is not None:
                self._cache.move_to_end(query)
                self.hits += 1
                return cached
        prepared = self._prepare(query, schema)
        with self._lock:
            self.misses += 1
            self._cache[query] = prepared
            self._cache.move_to_end(query)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return prepared

    def _prepare(self, query: str, schema: GraphQLSchema) -> Prepared:
        try:
            document = parse(
                query,
                max_lexical_tokens=self.limits.tokens,
                max_comments=self.limits.tokens,
                no_location=False,
            )
        except GraphQLSyntaxError as error:
            raise _syntax_limit(error) from None
        errors = validate(schema, document, self._limit_rules, hide_suggestions=self.production)
        if not errors:
            errors = validate(schema, document, self._rules, hide_suggestions=self.production)
        return Prepared(document, tuple(errors))

    def peek(self, query: str) -> Prepared | None:
        """The cached outcome of a query text, if any, without counting a hit or moving it."""
        with self._lock:
            return self._cache.get(query)

    def check_cost(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation_name: str | None,
        variables: Mapping[str, Any],
    ) -> GraphQLError | None:
        cost = query_cost(schema, document, operation_name, variables)
        if cost > self.limits.cost:
            return too_complex(
                f"The query would cost {cost}; at most {self.limits.cost} is allowed "
                "(young people × categories, and page sizes)",
                COST,
            )
        return None

    def extension(self) -> SchemaExtension:
        """A fresh per-request Strawberry extension bound to this guard."""
        return GuardExtension(self)


class GuardExtension(SchemaExtension):
    """Plugs a `QueryGuard` into Strawberry's parse and validate steps."""

    def __init__(self, guard: QueryGuard) -> None:
        super().__init__()
        self.guard = guard
        self.prepared: Prepared | None = None

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query is not None and context.graphql_document is None:
            # A syntax or token-limit error raised here becomes the request's only error.
            self.prepared = self.guard.prepare(context.query, context.schema._schema)
            context.graphql_document = self.prepared.document
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        prepared = self.prepared
        if prepared is not None:
            errors: list[GraphQLError] = list(prepared.errors)
            # Strawberry keeps the requested name private (an InitVar); None means none sent.
            provided = getattr(context, "_provided_operation_name", None)
            if not errors and provided is None and _several(prepared):
                # Strawberry would run the first; the GraphQL spec says the client must choose.
                errors.append(
                    GraphQLError(
                        "The document has several operations: name the one to run in operationName",
                        extensions={"code": BAD_USER_INPUT},
                    )
                )
            if not errors:
                cost = self.guard.check_cost(
                    context.schema._schema,
                    prepared.document,
                    context.operation_name,
                    context.variables or {},
                )
                if cost is not None:
                    errors.append(cost)
            # Setting the errors (even an empty list) tells Strawberry validation has run.
            context.pre_execution_errors = errors
        yield


def operation_of(
    document: DocumentNode, operation_name: str | None
) -> OperationDefinitionNode | None:
    """The operation a request runs: the one named, or the only one."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    return operations[0] if len(operations) == 1 else None


def root_field_name(document: DocumentNode, operation_name: str | None) -> str | None:
    """The schema name (never the alias) of the first root field the operation selects."""
    operation = operation_of(document, operation_name)
    if operation is None:
        return None
    first = next(_flatten(operation.selection_set, _fragments(document)), None)
    return first.name.value if first is not None else None


def _several(prepared: Prepared) -> bool:
    operations = (
        d for d in prepared.document.definitions if isinstance(d, OperationDefinitionNode)
    )
    return next(operations, None) is not None and next(operations, None) is not None
