"""Persisted (trusted) operations: a JSON file of `{sha256 of the query text: query text}`.

A client may send `{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "…"}}}`
instead of `query` (Apollo's protocol). With `trusted_only`, any query text not in the file is
refused. Unknown hashes and untrusted texts both answer `PERSISTED_QUERY_NOT_FOUND`: it is the
code Apollo's clients recognise (they then send the full text, which a trusted-only gateway
checks against the same list), and it tells the client developer to register the operation at
deploy time — `BAD_USER_INPUT` would send them looking for a wrong argument. Clients cannot
add operations: a query sent with its hash is run (when allowed) but never stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson
from graphql import OperationDefinitionNode, parse

import schema
from schema.errors import BAD_USER_INPUT

PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"

#: The operations shipped with the gateway: Jobnet's profile and the case systems' batch.
SHIPPED_FILE = Path(schema.__file__).resolve().parent / "operations.json"


def operation_hash(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


class Refused(Exception):
    """The request names no operation the gateway will run. The message is safe to show."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


class PersistedOperations:
    def __init__(self, operations: Mapping[str, str], *, trusted_only: bool = False) -> None:
        for digest, query in operations.items():
            if operation_hash(query) != digest.lower():
                raise ValueError(f"persisted operation {digest[:12]}… does not match its hash")
        self.operations = {digest.lower(): query for digest, query in operations.items()}
        self.trusted_only = trusted_only
        #: The operation names of each persisted document: the only `operation` label values of
        #: `ungeprofil_http_requests` besides "other" and "none" (gateway/access_log.py).
        self.names = {digest: _operation_names(query) for digest, query in self.operations.items()}

    def metric_name(self, query: str, operation_name: str | None) -> str | None:
        """The name of the persisted operation this request runs, or None (not persisted, or a
        name the document does not define)."""
        names = self.names.get(operation_hash(query))
        if not names:
            return None
        if operation_name is None:
            return names[0] if len(names) == 1 else None
        return operation_name if operation_name in names else None

    def by_name(self, prefix: str = "") -> dict[str, str]:
        """`{operation name: sha256}` of the named operations (those starting with `prefix`);
        a name defined by two documents is left out (a client could not say which it means)."""
        found: dict[str, str] = {}
        ambiguous: set[str] = set()
        for digest, names in self.names.items():
            for name in names:
                if not name.startswith(prefix):
                    continue
                if name in found:
                    ambiguous.add(name)
                found[name] = digest
        return {name: digest for name, digest in found.items() if name not in ambiguous}

    @classmethod
    def load(cls, path: Path | str | None, *, trusted_only: bool = False) -> PersistedOperations:
        raw = orjson.loads(Path(path or SHIPPED_FILE).read_bytes())
        if not isinstance(raw, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in raw.items()
        ):
            raise ValueError("the persisted operations file must be a JSON object of strings")
        return cls(raw, trusted_only=trusted_only)

    def query_for(self, query: Any, extensions: Any) -> str:
        """The query text to run for a request body's `query` and `extensions`, or Refused."""
        persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
        if persisted is not None:
            digest = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
            if (
                not isinstance(persisted, dict)
                or persisted.get("version") != 1
                or not isinstance(digest, str)
            ):
                raise Refused("`persistedQuery` needs version 1 and a sha256Hash", BAD_USER_INPUT)
            digest = digest.lower()
            if isinstance(query, str) and query:
                if operation_hash(query) != digest:
                    raise Refused("The query does not match its sha256Hash", BAD_USER_INPUT)
                return self._trusted(query, digest)
            known = self.operations.get(digest)
            if known is None:
                raise Refused("PersistedQueryNotFound", PERSISTED_QUERY_NOT_FOUND)
            return known
        if not isinstance(query, str) or not query.strip():
            raise Refused("The request has no query", BAD_USER_INPUT)
        return self._trusted(query, None)

    def _trusted(self, query: str, digest: str | None) -> str:
        if self.trusted_only and (digest or operation_hash(query)) not in self.operations:
            raise Refused(
                "This gateway runs only its persisted operations", PERSISTED_QUERY_NOT_FOUND
            )
        return query


def _operation_names(query: str) -> tuple[str, ...]:
    try:
        document = parse(query)
    except Exception:  # a persisted text that does not parse is refused when it is run
        return ()
    return tuple(
        node.name.value
        for node in document.definitions
        if isinstance(node, OperationDefinitionNode) and node.name is not None
    )
