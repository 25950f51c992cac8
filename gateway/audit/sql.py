"""What the SQL stores share: the column order and the filter as (columns, operator, value)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from gateway.audit.records import AuditFilter

# The order of columns in every INSERT and SELECT of audit_records.
COLUMNS: tuple[str, ...] = (
    "seq",
    "time",
    "request_id",
    "subject",
    "subject_name",
    "role",
    "organisation",
    "municipality",
    "purpose",
    "cpr",
    "category",
    "decision",
    "reason",
    "legal_bases",
    "policy_version",
    "kind",
    "youth_municipality",
    "prev_hash",
    "hash",
    "hash_version",
)
COLUMN_LIST = ", ".join(COLUMNS)


@dataclass(frozen=True, slots=True)
class Condition:
    """`column operator value` for one of `columns` at least (several: their OR)."""

    columns: tuple[str, ...]
    operator: str  # "=", ">=", "<"
    value: str | datetime

    def sql(self, placeholder: str) -> str:
        """The condition with `placeholder` for its value: a numbered one (`?3`, `$3`), so
        every column of an OR refers to the same single parameter."""
        tests = [f"{column} {self.operator} {placeholder}" for column in self.columns]
        return tests[0] if len(tests) == 1 else f"({' OR '.join(tests)})"


def conditions(filter: AuditFilter) -> list[Condition]:
    """The filter's constraints; column names come from this module, never from a caller."""
    equal = (
        ("cpr", filter.cpr),
        ("subject", filter.subject),
        ("role", filter.role),
        ("purpose", filter.purpose),
        ("category", filter.category),
        ("decision", filter.decision),
        ("municipality", filter.municipality),
        ("kind", filter.kind),
    )
    found = [Condition((column,), "=", value) for column, value in equal if value is not None]
    if filter.supervised_by is not None:
        found.append(Condition(("municipality", "youth_municipality"), "=", filter.supervised_by))
    if filter.since is not None:
        found.append(Condition(("time",), ">=", aware_utc(filter.since)))
    if filter.until is not None:
        found.append(Condition(("time",), "<", aware_utc(filter.until)))
    return found


def aware_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("audit time bounds must be timezone-aware")
    return moment.astimezone(UTC)
