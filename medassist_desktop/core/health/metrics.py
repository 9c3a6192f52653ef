"""The app's metrics, in Prometheus' format, for a district that watches its clinics.

One `AppMetrics` per run, on its own registry (no process-wide default registry: two
apps in one test process must not share counters). The parts that do the work report
to it through small `observe_*` calls; resource gauges (memory, CPU, disk) are read
with psutil when scraped, so they cost nothing between scrapes.

Only counts, durations and states: never a question, a name or any other patient data.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

# Circuit breaker states as numbers (a gauge needs one).
BREAKER_STATES = {"closed": 0, "half_open": 1, "open": 2}


class AppMetrics:
    """Counters, histograms and gauges of one run of the app."""

    def __init__(self, data_dir: Path | None = None) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.consults = Counter(
            "medassist_consults", "Consults answered", ["engine", "outcome"], registry=r
        )
        self.answer_seconds = Histogram(
            "medassist_answer_seconds",
            "Time from question to the whole answer",
            buckets=(0.5, 1, 2, 5, 10, 20, 40, 80, 160),
            registry=r,
        )
        self.first_token_seconds = Histogram(
            "medassist_first_token_seconds",
            "Time from question to the first token of the answer",
            buckets=(0.1, 0.25, 0.5, 1, 2, 5, 10, 30),
            registry=r,
        )
        self.tokens_per_second = Histogram(
            "medassist_tokens_per_second",
            "Decode speed of each generated answer",
            buckets=(1, 2, 5, 10, 20, 50, 100, 200, 500),
            registry=r,
        )
        self.retrieval_seconds = Histogram(
            "medassist_retrieval_seconds",
            "Knowledge search latency (question to passages)",
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1),
            registry=r,
        )
        self.triage = Counter("medassist_triage", "Cases triaged, by level", ["level"], registry=r)
        self.sync_runs = Counter(
            "medassist_sync_runs", "Sync runs, by how they ended", ["state"], registry=r
        )
        self.sync_pushed = Counter(
            "medassist_sync_pushed_documents", "Documents the sync server stored", registry=r
        )
        self.breaker = Gauge(
            "medassist_circuit_breaker_state",
            "Circuit breaker state (0 closed, 1 half-open, 2 open)",
            ["name"],
            registry=r,
        )
        self.lockouts = Counter(
            "medassist_lockouts", "Accounts locked after failed sign-ins", registry=r
        )
        self.errors = Counter(
            "medassist_errors", "Errors shown to a person, by type", ["type"], registry=r
        )
        r.register(_ResourceCollector(data_dir))

    # --- what the app reports -------------------------------------------------------------

    def observe_consult(
        self,
        *,
        engine: str,
        outcome: str,
        answer_s: float | None = None,
        first_token_s: float | None = None,
        tokens_per_s: float | None = None,
    ) -> None:
        self.consults.labels(engine=engine, outcome=outcome).inc()
        if answer_s is not None:
            self.answer_seconds.observe(answer_s)
        if first_token_s is not None:
            self.first_token_seconds.observe(first_token_s)
        if tokens_per_s:
            self.tokens_per_second.observe(tokens_per_s)

    def observe_retrieval(self, seconds: float) -> None:
        self.retrieval_seconds.observe(seconds)

    def observe_triage(self, level: str) -> None:
        self.triage.labels(level=level).inc()

    def observe_sync(self, state: str, pushed: int) -> None:
        self.sync_runs.labels(state=state).inc()
        if pushed:
            self.sync_pushed.inc(pushed)

    def observe_breaker(self, name: str, state: str) -> None:
        self.breaker.labels(name=name).set(BREAKER_STATES.get(state, -1))

    def observe_lockout(self) -> None:
        self.lockouts.inc()

    def observe_error(self, error_type: str) -> None:
        self.errors.labels(type=error_type).inc()

    def observe_audit(self, action: str, outcome: str, details: dict[str, Any]) -> None:
        """What the audit trail records, counted (an `AuditLog` observer): every consult
        with its engine, outcome and time, every case's triage level, every lockout."""
        if action == "consult.ask":
            latency_ms = details.get("latency_ms")
            speed = details.get("tokens_per_second")
            self.observe_consult(
                engine=str(details.get("engine") or "none"),
                outcome=str(details.get("outcome") or outcome),
                answer_s=float(latency_ms) / 1000 if isinstance(latency_ms, int | float) else None,
                tokens_per_s=float(speed) if isinstance(speed, int | float) else None,
            )
        elif action in ("case.create", "case.update") and details.get("level"):
            self.observe_triage(str(details["level"]))
        elif action == "auth.lockout":
            self.observe_lockout()

    # --- what a scraper reads ---------------------------------------------------------------

    def render(self) -> bytes:
        """The Prometheus text exposition of every metric."""
        return generate_latest(self.registry)

    def counts(self) -> dict[str, float]:
        """Every counter's current total by name and labels: the daily document for sync."""
        totals: dict[str, float] = {}
        for family in self.registry.collect():
            if family.type != "counter":
                continue
            for sample in family.samples:
                if sample.name.endswith("_total"):
                    labels = ",".join(f"{k}={v}" for k, v in sorted(sample.labels.items()))
                    totals[sample.name + (f"{{{labels}}}" if labels else "")] = sample.value
        return totals


class _ResourceCollector(Collector):
    """Process memory and CPU, machine memory, and free disk under the data folder."""

    def __init__(self, data_dir: Path | None) -> None:
        self._data_dir = data_dir
        self._process = psutil.Process()

    def collect(self) -> Iterator[GaugeMetricFamily]:
        with self._process.oneshot():
            rss = self._process.memory_info().rss
            cpu = self._process.cpu_percent(interval=None)
        yield GaugeMetricFamily("medassist_process_resident_bytes", "Resident memory", value=rss)
        yield GaugeMetricFamily(
            "medassist_process_cpu_percent", "CPU use since last scrape", value=cpu
        )
        yield GaugeMetricFamily(
            "medassist_memory_available_bytes",
            "Memory available to new work on this computer",
            value=psutil.virtual_memory().available,
        )
        if self._data_dir is not None and self._data_dir.exists():
            yield GaugeMetricFamily(
                "medassist_data_disk_free_bytes",
                "Free space on the disk of the data folder",
                value=shutil.disk_usage(self._data_dir).free,
            )
