"""The decision date: today's date in Denmark (POLICY.md), whatever the server's clock zone.

A server in UTC is one or two hours behind Danish midnight; with its own local date, an
assignment that ended yesterday in Denmark would still grant access until midnight UTC. Every
decision, and every register's reference date, takes the date from here.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from zoneinfo import ZoneInfo

#: Denmark's time zone (CET, CEST in summer), from the system's zone database or `tzdata`.
DENMARK = ZoneInfo("Europe/Copenhagen")


def danish_today(now: Callable[[], float] | None = None) -> dt.date:
    """Today's date in Europe/Copenhagen at `now()` (seconds since the epoch; default: the
    system clock, read at each call)."""
    seconds = time.time() if now is None else now()
    return dt.datetime.fromtimestamp(seconds, DENMARK).date()
