"""Errors translated at the boundary, once: GraphQL errors -> what the client may see.

Domain errors (`schema.errors.ClientError`) keep their code and message. Parse and validation
errors are the client's input (`BAD_USER_INPUT`). Anything else is an internal error: logged
with its type for us, shown to the client as a bare code, never a trace or internal text.
"""

from __future__ import annotations

import logging
from typing import Any

from graphql import GraphQLError

from schema.cpr import InvalidCPR
from schema.errors import BAD_USER_INPUT, INTERNAL, ClientError

log = logging.getLogger("ungeprofil.errors")


def _root_cause(error: BaseException | None) -> BaseException | None:
    """graphql-core wraps errors in errors; find what was first raised."""
    seen = 0
    while isinstance(error, GraphQLError) and error.original_error is not None and seen < 10:
        error = error.original_error
        seen += 1
    return error


def format_error(error: GraphQLError) -> dict[str, Any]:
    cause = _root_cause(error.original_error)
    if isinstance(cause, ClientError):
        message, extensions = str(cause), dict(cause.extensions)
    elif isinstance(cause, InvalidCPR):
        # graphql-core's own message repeats the rejected value; ours does not.
        message, extensions = f"Invalid CPR number: {cause}", {"code": BAD_USER_INPUT}
    elif cause is None or isinstance(cause, GraphQLError):
        message = error.message
        extensions = {"code": BAD_USER_INPUT, **(error.extensions or {})}
    else:
        log.error("internal error in %s: %s", _path(error), type(cause).__name__, exc_info=cause)
        message, extensions = "Internal error", {"code": INTERNAL}
    formatted: dict[str, Any] = {"message": message, "extensions": extensions}
    if error.locations:
        formatted["locations"] = [
            {"line": loc.line, "column": loc.column} for loc in error.locations
        ]
    if error.path:
        formatted["path"] = list(error.path)
    return formatted


def _path(error: GraphQLError) -> str:
    return ".".join(str(p) for p in error.path) if error.path else "(operation)"
