"""A team leader's view: per rule and month, how many deadlines of the municipality fell due
and how many were met — counted from the same per-person signals the youth view shows.

As in the 2022 audit (seed 002): a deadline counts in the month it fell due (as moved by
exemptions); the share met is met ÷ (due − not applicable − exempt − unknown − not yet due),
and met late is not met. A cell with fewer than 5 due, or fewer than 5 in the share's
denominator, is suppressed — every count and the share null — so no young person can be
singled out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from gateway.deadlines.signals import (
    DUE_SOON,
    EXEMPT,
    MET,
    MET_LATE,
    NOT_APPLICABLE,
    OVERDUE,
    PENDING,
    UNKNOWN,
    Signal,
)

SUPPRESS_BELOW = 5

Month = tuple[int, int]


@dataclass(frozen=True)
class Cell:
    rule: str
    month: Month
    suppressed: bool
    due: int | None = None
    met: int | None = None
    met_late: int | None = None
    overdue: int | None = None
    exempt: int | None = None
    unknown: int | None = None
    not_applicable: int | None = None
    pending: int | None = None  # not yet due on the day the report was made
    share_met: float | None = None


def tally(rule: str, month: Month, states: Counter[str]) -> Cell:
    due = sum(states.values())
    met, late, overdue = states[MET], states[MET_LATE], states[OVERDUE]
    denominator = met + late + overdue
    if due < SUPPRESS_BELOW or 0 < denominator < SUPPRESS_BELOW:
        return Cell(rule, month, suppressed=True)
    return Cell(
        rule,
        month,
        suppressed=False,
        due=due,
        met=met,
        met_late=late,
        overdue=overdue,
        exempt=states[EXEMPT],
        unknown=states[UNKNOWN],
        not_applicable=states[NOT_APPLICABLE],
        pending=states[PENDING] + states[DUE_SOON],
        share_met=met / denominator if denominator else None,
    )


def compliance(
    signals: Iterable[Signal], municipality: str, rules: Sequence[str], months: Sequence[Month]
) -> list[Cell]:
    """One cell per (rule, month), rules in the order given, months in order: the signals of
    cases the municipality owns, by the month they fell due."""
    wanted_rules, wanted_months = set(rules), set(months)
    states: dict[tuple[str, Month], Counter[str]] = {}
    for signal in signals:
        month = signal.due_month
        if (
            signal.municipality != municipality
            or month not in wanted_months
            or signal.rule not in wanted_rules
        ):
            continue
        states.setdefault((signal.rule, month), Counter())[signal.state] += 1
    return [
        tally(rule, month, states.get((rule, month), Counter()))
        for rule in rules
        for month in months
    ]
