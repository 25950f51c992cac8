"""Prometheus metrics. One registry per app, so two apps in one test process never share counts.

Every label takes values from a set fixed by the code or the deployment (registers, routes,
statuses, root fields, persisted operations), never a client's free text, so the number of
series stays bounded whatever the traffic. The registry also carries the process's own figures
(`process_*`: CPU, memory, open files; `python_info`; `python_gc_*`).
"""

from __future__ import annotations

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)

REGISTERS = ("udb", "dfdg", "grades", "eindkomst", "admissions", "questionnaire", "social")


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        GCCollector(registry=self.registry)
        self.http_requests = Counter(
            "ungeprofil_http_requests",
            "HTTP requests answered, by route (a gateway route, else other), status and operation "
            "(a persisted operation's name; other for any other GraphQL operation; none when no "
            "operation ran).",
            ["route", "status", "operation"],
            registry=self.registry,
        )
        self.register_requests = Counter(
            "ungeprofil_register_requests",
            "Calls the gateway made to a register, by register, kind (data/facts/lookup), outcome.",
            ["register", "kind", "outcome"],
            registry=self.registry,
        )
        self.register_latency = Histogram(
            "ungeprofil_register_request_seconds",
            "Latency of register calls, by register.",
            ["register"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        )
        self.cache_lookups = Counter(
            "ungeprofil_register_cache_lookups",
            "Register-answer cache lookups, by register and result (hit, miss).",
            ["register", "result"],
            registry=self.registry,
        )
        self.register_circuit_open = Gauge(
            "ungeprofil_register_circuit_open",
            "1 while a register's circuit breaker is open or half-open (failing fast), else 0.",
            ["register"],
            registry=self.registry,
        )
        self.register_short_circuits = Counter(
            "ungeprofil_register_short_circuits",
            "Register calls failed fast by an open circuit breaker, without reaching it.",
            ["register"],
            registry=self.registry,
        )
        self.register_stale_answers = Counter(
            "ungeprofil_register_stale_answers",
            "Register answers served stale from the cache because the register was down.",
            ["register", "kind"],
            registry=self.registry,
        )
        self.operation_latency = Histogram(
            "ungeprofil_graphql_operation_seconds",
            "Time to execute one GraphQL operation, by root field.",
            ["operation"],
            registry=self.registry,
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        )
        self.policy_decisions = Counter(
            "ungeprofil_policy_decisions",
            "Policy decisions per category, by decision.",
            ["category", "decision"],
            registry=self.registry,
        )
        self.audit_failures = Counter(
            "ungeprofil_audit_write_failures",
            "Audit writes that failed; the data of those requests was withheld.",
            registry=self.registry,
        )
        self.audit_healthy = Gauge(
            "ungeprofil_audit_store_up",
            "1 when the last audit write or readiness probe succeeded, else 0.",
            registry=self.registry,
        )
        self.audit_healthy.set(1)
        for name in REGISTERS:  # show every register at zero from the start
            self.register_requests.labels(name, "data", "ok")

    def render(self) -> bytes:
        return generate_latest(self.registry)
