"""Many decision inputs as few batch queries (`data.ungeprofil.decision.batch`).

A decision input is the request (subject, purpose, date) plus one young person (cpr, facts).
Inputs that share the request are asked in one query, whose input is the request with
`people: [{cpr, facts}, …]`; the answer holds each distinct decision document once
(`documents`, by key) and each young person's key (`people`), in order. The Rego decides both
`result` and `batch` through the same function, so a batch answers exactly what one query per
input would.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from gateway.policies.cache import DecisionCache, input_key
from gateway.policies.decision import Decision

# The parts of a decision input that belong to the young person; the rest is the request.
PERSON_FIELDS = ("cpr", "facts")


@dataclass(slots=True)
class Group:
    """Inputs that share the request: the request, and (position, person) for each input."""

    request: dict[str, Any]
    positions: list[int] = field(default_factory=list)
    people: list[dict[str, Any]] = field(default_factory=list)


def person_of(input: Mapping[str, Any]) -> dict[str, Any]:
    return {name: input[name] for name in PERSON_FIELDS if name in input}


def request_of(input: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in input.items() if name not in PERSON_FIELDS}


def group_by_request(inputs: Sequence[Mapping[str, Any]]) -> list[Group]:
    """The inputs grouped by request (everything but cpr and facts), in first-seen order."""
    groups: dict[bytes, Group] = {}
    for position, input in enumerate(inputs):
        request = request_of(input)
        key = orjson.dumps(request, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(request)
        group.positions.append(position)
        group.people.append(person_of(input))
    return list(groups.values())


def chunks(group: Group, size: int) -> Iterator[Group]:
    """The group in pieces of at most `size` people (rego-cpp's input cost grows faster than
    its size, and pieces can run on several interpreters at once)."""
    size = max(1, size)
    for start in range(0, len(group.people), size):
        yield Group(
            group.request,
            group.positions[start : start + size],
            group.people[start : start + size],
        )


def batch_input(
    request: Mapping[str, Any], people: Sequence[Mapping[str, Any]], known: Sequence[str] = ()
) -> dict[str, Any]:
    """The input of a batch query: the request, its young people, and the keys of the
    documents the caller already has for this request (left out of the answer)."""
    return {**request, "people": list(people), "known": list(known)}


@dataclass(frozen=True, slots=True)
class BatchAnswer:
    """What a batch query answered: each young person's document key, in order (None when
    the answer has none), and the documents it holds by key (not the known ones)."""

    keys: list[str | None]
    documents: dict[str, Any]


def read_answer(answer: Any, count: int) -> BatchAnswer:
    """A batch answer, checked; anything malformed gives no key for anyone (denied)."""
    nobody = BatchAnswer([None] * count, {})
    if not isinstance(answer, Mapping):
        return nobody
    documents = answer.get("documents")
    keys = answer.get("people")
    if not isinstance(documents, Mapping) or not isinstance(keys, list) or len(keys) != count:
        return nobody
    return BatchAnswer(
        [key if isinstance(key, str) else None for key in keys],
        {key: document for key, document in documents.items() if isinstance(key, str)},
    )


def decisions_of(
    answer: BatchAnswer, known: Mapping[str, Decision]
) -> tuple[list[Decision], dict[str, Decision]]:
    """Each young person's decision (from the answer's documents or the known ones; none:
    denied), and the answer's new decisions by key."""
    new = {key: Decision.from_document(document) for key, document in answer.documents.items()}
    undecided = Decision.from_document(None)
    decisions = [
        new.get(key) or known.get(key) or undecided if key is not None else undecided
        for key in answer.keys
    ]
    return decisions, new


async def decide_with_cache(
    cache: DecisionCache,
    inputs: Sequence[Mapping[str, Any]],
    decide_fresh: Callable[[list[Mapping[str, Any]]], Awaitable[list[Decision]]],
) -> list[Decision]:
    """A decision for each input, in order: from the cache where it has one, else from
    `decide_fresh` (asked once, with each distinct uncached input once), then cached."""
    keys = [input_key(input) for input in inputs]
    decisions: list[Decision | None] = [cache.get(key) for key in keys]
    fresh: dict[bytes, list[int]] = {}
    for position, key in enumerate(keys):
        if decisions[position] is None:
            fresh.setdefault(key, []).append(position)
    if fresh:
        decided = await decide_fresh([inputs[positions[0]] for positions in fresh.values()])
        for (key, positions), decision in zip(fresh.items(), decided, strict=True):
            cache.put(key, decision)
            for position in positions:
                decisions[position] = decision
    return [decision for decision in decisions if decision is not None]
