"""The error codes of CONTRACT.md and the exceptions that carry them.

An exception with an `extensions` dict becomes a GraphQL error with those extensions (graphql-core
copies them from the original error), so raising one of these in a resolver is the whole
translation. Messages are written for the client: never a CPR, URL or internal detail.
"""

from __future__ import annotations

from typing import Any

UNAUTHENTICATED = "UNAUTHENTICATED"
FORBIDDEN = "FORBIDDEN"
REGISTER_UNAVAILABLE = "REGISTER_UNAVAILABLE"
AUDIT_UNAVAILABLE = "AUDIT_UNAVAILABLE"
BAD_USER_INPUT = "BAD_USER_INPUT"
QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
INTERNAL = "INTERNAL"


class ClientError(Exception):
    """An error whose message and extensions are meant for the client."""

    code = INTERNAL

    def __init__(self, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.extensions: dict[str, Any] = {"code": self.code, **extra}


class Forbidden(ClientError):
    code = FORBIDDEN

    def __init__(self, reason: str, category: str | None = None) -> None:
        extra: dict[str, Any] = {"reason": reason}
        if category is not None:
            extra["category"] = category
        super().__init__(f"Forbidden: {reason}", **extra)


class RegisterDown(ClientError):
    code = REGISTER_UNAVAILABLE

    def __init__(self, register: str) -> None:
        super().__init__(f"The register {register} is unavailable right now", register=register)


class AuditDown(ClientError):
    code = AUDIT_UNAVAILABLE

    def __init__(self) -> None:
        super().__init__("The audit log could not record this access, so the data was withheld")


class BadUserInput(ClientError):
    code = BAD_USER_INPUT


class QueryTooComplex(ClientError):
    code = QUERY_TOO_COMPLEX

    def __init__(self, message: str, limit: str) -> None:
        super().__init__(message, limit=limit)


CURSOR_EXPIRED = "CURSOR_EXPIRED"


class CursorExpired(ClientError):
    code = CURSOR_EXPIRED

    def __init__(self) -> None:
        super().__init__(
            "The cursor is older than the event feed keeps (400 days): start again without one"
        )


class StreamUnauthenticated(ClientError):
    """A stream outlived its token: it ends, and the client reconnects with a new one."""

    code = UNAUTHENTICATED

    def __init__(self) -> None:
        super().__init__("the token has expired; reconnect with a new token from the last cursor")
