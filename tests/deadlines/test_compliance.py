"""The report's cells from signals: what counts in the share met, and suppression."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from gateway.deadlines.compliance import compliance, tally
from gateway.deadlines.signals import Signal

MONTH = (2026, 11)


def signal(state: str, municipality: str = "0101", due: date | None = date(2026, 11, 10)) -> Signal:
    return Signal(
        rule="FIRST_CONVERSATION",
        state=state,
        reason=None,
        case_id="c",
        municipality=municipality,
        starts_on=None,
        due_on=due,
        fulfilled_on=None,
        days_overdue=None,
        reference=None,
        evidence=(),
        unmoved_due_on=due,
    )


@pytest.mark.parametrize(
    ("states", "suppressed", "share"),
    [
        ({"MET": 4}, True, None),  # fewer than 5 due
        ({"MET": 3, "MET_LATE": 1, "OVERDUE": 1}, False, 0.6),
        ({"MET": 6, "MET_LATE": 2, "OVERDUE": 2, "NOT_APPLICABLE": 3, "EXEMPT": 1}, False, 0.6),
        # 5 due, but 1 in the denominator: that one young person could be singled out.
        ({"MET": 1, "NOT_APPLICABLE": 4}, True, None),
        # Nothing to share: not suppressed, no share.
        ({"UNKNOWN": 7}, False, None),
        # Not yet due on the day of the report: out of the denominator.
        ({"MET": 5, "PENDING": 3, "DUE_SOON": 2}, False, 1.0),
    ],
)
def test_tally(states: dict[str, int], suppressed: bool, share: float | None) -> None:
    cell = tally("FIRST_CONVERSATION", MONTH, Counter(states))
    assert cell.suppressed is suppressed
    assert cell.share_met == share
    if suppressed:
        assert (cell.due, cell.met, cell.overdue) == (None, None, None)
    else:
        assert cell.due == sum(states.values())
        assert cell.met_late == states.get("MET_LATE", 0)
        assert cell.pending == states.get("PENDING", 0) + states.get("DUE_SOON", 0)


def test_cells_count_only_the_municipality_and_the_due_month() -> None:
    signals = [signal("MET")] * 5 + [signal("OVERDUE", municipality="0751")] * 9
    signals += [signal("OVERDUE", due=date(2026, 12, 1))] * 5 + [signal("EXEMPT", due=None)]
    cells = compliance(signals, "0101", ["FIRST_CONVERSATION"], [(2026, 11), (2026, 12), (2027, 1)])
    assert [(c.month, c.due, c.share_met) for c in cells] == [
        ((2026, 11), 5, 1.0),
        ((2026, 12), 5, 0.0),
        ((2027, 1), None, None),
    ]
    assert cells[2].suppressed
