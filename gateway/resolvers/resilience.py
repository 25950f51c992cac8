"""What keeps a failing register from costing more than its own categories.

Each register gets a `RegisterGuard`, built once per app, that `RegisterEndpoint.call` goes
through on every call:

- a **deadline** for the whole call (`asyncio.timeout`), bulkhead waiting and a retry included;
  the transport's connect and read timeouts bound each attempt inside it;
- a **bulkhead**: at most `concurrency` calls in flight to the register, so a hanging register
  holds only its own share of the connection pool;
- at most **one retry**, only of a connection error, a timeout of the attempt (not of the
  deadline) or a 5xx, only while time is left, and only inside a **retry budget**: retries
  stay under `retry_ratio` of the calls over a sliding window (plus a small floor), so a
  register that keeps failing gets at most ~1.1 upstream calls per call;
- a **circuit breaker**: closed → open after `breaker_failures` failures in a row, or a
  failure rate of `breaker_failure_rate` over the last `breaker_window` calls; while open,
  calls fail at once without reaching the register; after `breaker_cooldown` one probe is let
  through (half-open): its success closes the breaker, its failure opens it again.

Every register call ends in an answer or in `RegisterUnavailable`; the stale-answer fallback
sits one level up, in the batchers (`batching.py`), where the cache is.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from gateway.metrics import Metrics

log = logging.getLogger("gateway.resolvers")

Clock = Callable[[], float]


@dataclass(frozen=True)
class ResilienceConfig:
    #: Seconds one register call may take in all: waiting for the bulkhead, attempts, retry.
    deadline: float = 3.0
    #: Calls in flight to one register at a time; more wait (inside the deadline).
    concurrency: int = 32
    #: Retries allowed as a share of calls over `retry_window` seconds, per register.
    retry_ratio: float = 0.1
    #: Retries always allowed per window, so a quiet register still gets its one retry.
    retry_floor: int = 3
    retry_window: float = 10.0
    #: A retry starts only while at least this share of the deadline is left.
    retry_min_remaining: float = 0.2
    #: Open after this many failed calls in a row (0: no breaker) …
    breaker_failures: int = 5
    #: … or when this share of the last `breaker_window` calls failed.
    breaker_failure_rate: float = 0.5
    breaker_window: int = 20
    #: Seconds an open breaker fails fast before it lets one probe through.
    breaker_cooldown: float = 5.0
    #: Seconds a register answer may be served stale while its register is down (0 = never).
    stale_ttl: float = 600.0
    #: Relationship facts may be served stale only up to facts_ttl + this grace: a stale
    #: relationship could grant access that has ended, so this stays short.
    facts_stale_grace: float = 5.0


class RetryBudget:
    """Retries ≤ max(floor, ratio × calls) over a sliding window of one-second buckets."""

    def __init__(self, ratio: float, floor: int, window: float, clock: Clock) -> None:
        self._ratio = ratio
        self._floor = floor
        self._slots = max(1, math.ceil(window))
        self._clock = clock
        self._calls = [0] * self._slots
        self._retries = [0] * self._slots
        self._stamp = [-1] * self._slots

    def _slot(self) -> int:
        second = int(self._clock())
        index = second % self._slots
        if self._stamp[index] != second:  # a bucket from an earlier lap: empty it
            self._stamp[index] = second
            self._calls[index] = self._retries[index] = 0
        return index

    def _totals(self) -> tuple[int, int]:
        oldest = int(self._clock()) - self._slots + 1
        calls = retries = 0
        for index in range(self._slots):
            if self._stamp[index] >= oldest:
                calls += self._calls[index]
                retries += self._retries[index]
        return calls, retries

    def record_call(self) -> None:
        self._calls[self._slot()] += 1

    def try_spend(self) -> bool:
        """Take one retry from the budget; False when the budget is spent."""
        calls, retries = self._totals()
        if retries >= max(self._floor, self._ratio * calls):
            return False
        self._retries[self._slot()] += 1
        return True


class State(enum.Enum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class Ticket(enum.Enum):
    """What `CircuitBreaker.admit` hands a call it lets through."""

    NORMAL = "normal"
    PROBE = "probe"


class CircuitBreaker:
    def __init__(
        self,
        label: str,
        config: ResilienceConfig,
        clock: Clock,
        on_change: Callable[[State], None],
    ) -> None:
        self.label = label
        self.enabled = config.breaker_failures > 0
        self._failures_to_open = config.breaker_failures
        self._rate = config.breaker_failure_rate
        self._cooldown = config.breaker_cooldown
        self._recent: deque[bool] = deque(maxlen=max(1, config.breaker_window))
        self._clock = clock
        self._on_change = on_change
        self.state = State.CLOSED
        self._in_a_row = 0
        self._opened_at = 0.0
        self._probing = False

    def admit(self) -> Ticket | None:
        """A ticket for a call that may go ahead; None = fail fast, the breaker is open."""
        if self.state is State.CLOSED or not self.enabled:
            return Ticket.NORMAL
        if self.state is State.OPEN:
            if self._clock() - self._opened_at < self._cooldown:
                return None
            self._set(State.HALF_OPEN)
        if self._probing:  # half-open: one probe at a time
            return None
        self._probing = True
        return Ticket.PROBE

    def settle(self, ticket: Ticket, ok: bool | None) -> None:
        """How an admitted call ended: True, False, or None when it was cancelled from outside
        (it says nothing about the register)."""
        if ticket is Ticket.PROBE:
            self._probing = False
            if ok is True:
                self._close()
            elif ok is False:
                self._open()
            return
        if ok is None or self.state is not State.CLOSED or not self.enabled:
            return  # a late answer to a call admitted before the breaker opened
        self._recent.append(ok)
        self._in_a_row = 0 if ok else self._in_a_row + 1
        failed = self._recent.count(False)
        too_many_in_a_row = self._in_a_row >= self._failures_to_open
        window_full = len(self._recent) == self._recent.maxlen
        too_high_a_rate = window_full and failed >= self._rate * len(self._recent)
        if too_many_in_a_row or too_high_a_rate:
            self._open()

    def _open(self) -> None:
        self._opened_at = self._clock()
        self._set(State.OPEN)

    def _close(self) -> None:
        self._recent.clear()
        self._in_a_row = 0
        self._set(State.CLOSED)

    def _set(self, state: State) -> None:
        if state is self.state:
            return
        self.state = state
        if state is State.OPEN:
            log.warning("circuit for register %s opened: failing fast", self.label)
        else:
            log.info("circuit for register %s is %s", self.label, state.value)
        self._on_change(state)


class RegisterGuard:
    """The deadline, bulkhead, retry budget and circuit breaker of one register."""

    def __init__(
        self,
        label: str,
        config: ResilienceConfig,
        metrics: Metrics,
        clock: Clock = time.monotonic,
    ) -> None:
        self.label = label
        self.config = config
        self.bulkhead = asyncio.Semaphore(max(1, config.concurrency))
        self.budget = RetryBudget(
            config.retry_ratio, config.retry_floor, config.retry_window, clock
        )
        gauge = metrics.register_circuit_open.labels(label)
        gauge.set(0)
        self.breaker = CircuitBreaker(
            label, config, clock, lambda state: gauge.set(0 if state is State.CLOSED else 1)
        )
