"""The rule's one home: nothing about a young person leaves unless the policy allowed the
action and the decision is in the audit log first.

- `session.py`  the unit of work of one request (or page, event, report): subject, request
                id, decision date, register session, journal and guard; `release()` is the
                only way out — every record written, or nothing leaves.
- `guard.py`    the only caller of the policy engine: decides typed actions (READ of
                categories, READ_LOG, READ_POLICY, and WRITE / AGGREGATE as they arrive) and
                journals each decision with its kind.
- `journal.py`  the audit records of one session, written while the work goes on and waited
                for at release.
- use cases, each a thin layer over the guard: `youth_view.py` (youth, youths, caseload, me),
  `oversight.py` (myAccessLog, auditLog, the policy view) and `deadlines.py` (a young person's
  deadlines, a team leader's deadlineCompliance).

A new door (a mutation, `_entities`, a Jobnet page, an event of the feed, a report) opens a
session, asks its guard, and leaves through `release()`: never a second copy of
decide → audit → release.
"""
