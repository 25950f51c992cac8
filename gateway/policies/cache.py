"""Bounded LRUs of decisions.

`DecisionCache` is keyed by a digest of the whole decision input. A decision is a pure
function of (policy, input); the input holds the subject, purpose, CPR, date and facts, so two
requests share an entry only when everything the policy reads is equal. The key is a digest of
canonical JSON, so the cache keeps no CPR in its keys.

`DocumentCache` is keyed by a digest of the request (the input without cpr and facts) and the
policy's key for a young person (their relationship and missing consents, see
decision.rego `batch`): the policy's decision document is a function of those two alone, so a
fresh input whose key is known for its request needs no document from the policy.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

import orjson

from gateway.policies.decision import Decision


def input_key(input: Mapping[str, Any]) -> bytes:
    canonical = orjson.dumps(input, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
    return hashlib.blake2b(canonical, digest_size=16).digest()


class DecisionCache:
    def __init__(self, max_entries: int = 4096) -> None:
        self._max_entries = max_entries
        self._entries: OrderedDict[bytes, Decision] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, key: bytes) -> Decision | None:
        decision = self._entries.get(key)
        if decision is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return decision

    def put(self, key: bytes, decision: Decision) -> None:
        if self._max_entries <= 0:
            return
        self._entries[key] = decision
        self._entries.move_to_end(key)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


class DocumentCache:
    """Decisions by request digest, then by the policy's key for a young person; an LRU over
    requests (each holds a handful of keys: relationships × consents)."""

    def __init__(self, max_requests: int = 1024) -> None:
        self._max_requests = max_requests
        self._requests: OrderedDict[bytes, dict[str, Decision]] = OrderedDict()

    def known(self, request: bytes) -> dict[str, Decision]:
        """The decisions known for this request, by key (a copy)."""
        entry = self._requests.get(request)
        if entry is None:
            return {}
        self._requests.move_to_end(request)
        return dict(entry)

    def put_all(self, request: bytes, decisions: Mapping[str, Decision]) -> None:
        if self._max_requests <= 0 or not decisions:
            return
        self._requests.setdefault(request, {}).update(decisions)
        self._requests.move_to_end(request)
        while len(self._requests) > self._max_requests:
            self._requests.popitem(last=False)

    def clear(self) -> None:
        self._requests.clear()

    def __len__(self) -> int:
        return len(self._requests)
