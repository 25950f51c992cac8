"""What every register module declares: its label, path prefix, sections and projection.

A *payload* is the part of a register's document one section contributes (for a register
without sections: the whole document). Payloads are what the loaders batch, what the cache
stores, and what the category mappers read. `None` means the register does not know the
person, or has nothing in that section.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

Payload = Mapping[str, Any]

#: The section name a register without sections is loaded and cached under.
WHOLE = "alle"


def _no_extras(sections: frozenset[str], today: dt.date) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class RegisterSpec:
    label: str
    prefix: str
    #: The sections the register knows; empty = the register has no sections (asked as WHOLE).
    sections: tuple[str, ...]
    #: The payload of one section, cut from a document that may carry more sections.
    project: Callable[[str, Payload], Payload | None]
    #: Extra keys for the batch body, e.g. eIndkomst's period, given the sections asked.
    batch_extras: Callable[[frozenset[str], dt.date], dict[str, Any]] = field(default=_no_extras)

    @property
    def sectioned(self) -> bool:
        return bool(self.sections)


def section_projection(*shared: str) -> Callable[[str, Payload], Payload | None]:
    """Projection for registers whose sections are top-level keys; `shared` keys (e.g. an
    answered date) travel with every section. A missing or null section means no data."""

    def project(section: str, document: Payload) -> Payload | None:
        value = document.get(section)
        if value is None:
            return None
        payload = {key: document[key] for key in shared if key in document}
        payload[section] = value
        return payload

    return project


def whole_document(section: str, document: Payload) -> Payload | None:
    return document


@dataclass(frozen=True)
class MapContext:
    """What a mapper may know besides the payload: whose it is, and the reference date."""

    cpr: str
    today: dt.date
