"""Deadline signals (DEADLINES.md): what the municipality owes each young person, and when.

- `data/rules.json` the rules as dated data: parameters, applicability, legal references with
                    `from`/`to`, suspensions (a law that moves is a change of data)
- `rulebook.py`     that catalogue as values; `source.py` reads the file (the only I/O here)
- `calendar.py`     the calendar conventions: days, weeks, clamped months, pauses that move a
                    due date
- `facts.py`        the dated facts of one young person the rules read (from DFDG and UDB)
- `rules.py`        one function per rule, and `evaluate`: every deadline of every case
- `signals.py`      the shared conventions that judge a deadline's state on a day
- `compliance.py`   a municipality's share met per rule and month, small cells suppressed

Pure functions of values: no register, no policy, no clock of their own (an import-linter
contract keeps it so). Who may see a young person's deadlines, or a municipality's report, is
the policy's answer, asked by the core (gateway/core/deadlines.py).
"""
