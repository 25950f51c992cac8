"""The dated casework of a generated young person that the deadline rules read (DEADLINES.md).

Drawn after the rest of the person's story, from the person's own seed rather than the
population's random stream, so every other fact of every generated person stays what it was.
The shares follow the 2022 audit of the youth effort (seed 002): the first conversation within
a week 92 %, the final visitation within 3 months 94 %, the education order at the first
conversation 79 %, the reading/writing test within a month 29 %, a coordinating case worker
offered at once 14 %; a reaction to a dropout notice was not audited (half within 14 days
here). So a report shows some deadlines met, some late and some overdue.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from mocks.codes import add_months
from mocks.model import Case, Exemption, Person, Visitation

FIRST_CONVERSATION_ON_TIME = 0.92
FINAL_VISITATION_ON_TIME = 0.94
ORDER_AT_FIRST_CONVERSATION = 0.79
TEST_WITHIN_A_MONTH = 0.29
TEST_LATE = 0.40
COORDINATOR_AT_ONCE = 0.14
COORDINATOR_LATER = 0.30
ILL_EARLY = 0.06  # ill from first contact + 10 days to + 40 (the scenario's exemption)
OTHER_EXEMPTION = 0.04
JOB_DIRECTED = 0.3  # of the open cases without an education order
REACTION_IN_TIME = 0.5
REACTION_LATE = 0.2

FORMS = (("FREMMOEDE", "TELEFON", "VIDEO"), (6, 3, 1))


def draw_deadline_facts(person: Person, today: date) -> None:
    """Close reasons, conversations, final visitations, the order's first step, the test,
    exemptions, a coordinating case worker and job-directed efforts, for every case."""
    if not person.cases:
        return
    rng = random.Random(person.seed * 13 + 3)
    cases = sorted(person.cases, key=lambda c: c.start)
    talks: list[dict[str, Any]] = []
    for case in cases:
        _close_reason(person, case)
        first_contact = case.first_contact or case.start
        last = min(today, case.end or today)
        first_talk = _conversations(rng, first_contact, last, talks)
        _final_visitation(rng, person, first_contact, last)
        if case.end is None:
            _order_at_first_conversation(rng, person, first_talk, today)
            _test_and_exemptions(rng, person, first_contact, today)
            if person.order is None and rng.random() < JOB_DIRECTED:
                case.job_directed = True
    _coordinating_case_worker(rng, person, cases[-1], today)
    _reactions(rng, person, today, talks)
    person.conversations = sorted(talks, key=lambda t: t["dato"])


def _close_reason(person: Person, case: Case) -> None:
    if case.end is None:
        return
    if case.municipality != person.municipality:
        case.close_reason = "FRAFLYTNING"
    elif any(c.start == case.end + timedelta(1) for c in person.courses):
        case.close_reason = "UDDANNELSE"
    else:
        case.close_reason = "YDELSE_OPHOERT"


def _conversations(
    rng: random.Random, first_contact: date, last: date, talks: list[dict[str, Any]]
) -> date | None:
    """The case's conversations: the first within a week (mostly), then every 1-3 months."""
    if rng.random() < FIRST_CONVERSATION_ON_TIME:
        day = first_contact + timedelta(rng.randrange(0, 8))
    else:
        day = first_contact + timedelta(rng.randrange(8, 40))
    first = day if day <= last else None
    kind = "FOERSTE_SAMTALE"
    while day <= last and len(talks) < 12:
        talks.append({"type": kind, "dato": day, "form": rng.choices(*FORMS)[0]})
        kind = rng.choice(("JOBSAMTALE", "JOBSAMTALE", "RAADIGHEDSSAMTALE", "CV_SAMTALE"))
        day += timedelta(rng.randrange(25, 90))
    return first


def _final_visitation(rng: random.Random, person: Person, first_contact: date, last: date) -> None:
    """The case's first visitation is final, or a preliminary one with the final one later."""
    in_case = [v for v in person.visitations if first_contact <= v.day <= last]
    if not in_case or rng.random() < FINAL_VISITATION_ON_TIME:
        return
    first = min(in_case, key=lambda v: v.day)
    first.final = False
    final = add_months(first_contact, 3) + timedelta(rng.randrange(1, 120))
    if final <= last:
        person.visitations.append(Visitation(first.category, final, True))
        person.visitations.sort(key=lambda v: v.day)


def _order_at_first_conversation(
    rng: random.Random, person: Person, first_talk: date | None, today: date
) -> None:
    """Step 1 of the education order, given at the first conversation or some days after."""
    if person.order is None or first_talk is None:
        return
    step1 = person.order.steps[0]
    if rng.random() < ORDER_AT_FIRST_CONVERSATION:
        issued = first_talk
    else:
        issued = first_talk + timedelta(rng.randrange(1, 15))
    if issued > today:
        return
    step1.issued, step1.deadline = issued, issued + timedelta(30)
    if step1.fulfilled is not None and step1.fulfilled < issued:
        step1.fulfilled = issued


def _test_and_exemptions(
    rng: random.Random, person: Person, first_contact: date, today: date
) -> None:
    """The open case's reading/writing/maths test, and the exemptions that stop its clocks."""
    ill = rng.random() < ILL_EARLY
    if ill and first_contact + timedelta(10) <= today:
        person.exemptions.append(
            Exemption("SYGDOM", first_contact + timedelta(10), first_contact + timedelta(40))
        )
    elif rng.random() < OTHER_EXEMPTION:
        start = first_contact + timedelta(rng.randrange(0, 60))
        if start <= today:
            reason = rng.choice(("ORLOV", "BEHANDLING", "STU", "SYGDOM"))
            person.exemptions.append(
                Exemption(reason, start, start + timedelta(rng.randrange(7, 90)))
            )
    roll = rng.random()
    if ill and rng.random() < 0.5:
        day = None
    elif roll < TEST_WITHIN_A_MONTH:
        day = first_contact + timedelta(rng.randrange(3, 29))
    elif roll < TEST_WITHIN_A_MONTH + TEST_LATE:
        day = first_contact + timedelta(rng.randrange(32, 150))
    else:
        day = None
    if day is None or day > today:
        person.literacy_test = None
        return
    needs = person.literacy_test or {}
    person.literacy_test = {
        "dato": day,
        "behovDansk": needs.get("behovDansk", rng.random() < 0.3),
        "behovMatematik": needs.get("behovMatematik", rng.random() < 0.4),
    }


def _coordinating_case_worker(rng: random.Random, person: Person, case: Case, today: date) -> None:
    ready = [
        v.day for v in person.visitations if v.category == "AKTIVITETSPARAT" and v.day >= case.start
    ]
    if not ready:
        return
    roll = rng.random()
    if roll < COORDINATOR_AT_ONCE:
        offered = min(ready)
    elif roll < COORDINATOR_AT_ONCE + COORDINATOR_LATER:
        offered = min(ready) + timedelta(rng.randrange(1, 90))
    else:
        return
    person.coordinator_offered = offered if offered <= today else None


def _reactions(
    rng: random.Random, person: Person, today: date, talks: list[dict[str, Any]]
) -> None:
    """A conversation after a dropout-risk notice: mostly within 14 days, sometimes later."""
    for notice in person.dropout_notices:
        roll = rng.random()
        if roll < REACTION_IN_TIME:
            day = notice.day + timedelta(rng.randrange(1, 11))
        elif roll < REACTION_IN_TIME + REACTION_LATE:
            day = notice.day + timedelta(rng.randrange(15, 41))
        else:
            continue
        if day <= today:
            talks.append({"type": "JOBSAMTALE", "dato": day, "form": rng.choices(*FORMS)[0]})
