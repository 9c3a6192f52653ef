"""The shape of a health report and the runner that times each check.

A check is a small function that looks at one part (the database, the disk, the model
file...) and returns a `CheckOutcome`. The runner times it and turns an unexpected
exception into an `unhealthy` result with an error id, so one broken check cannot hide
the others or crash a probe. The probe's status is its worst check's.

Three probes, as an orchestrator or a district's monitoring would ask them:
- liveness: the process and its threads answer (restart me if not);
- readiness: I can do the job now: the database opens, there is room on the disk, a
  model or the rules-only fallback (with its reason), embeddings, the secrets path;
- startup: I finished starting: migrations are done, the starter library is there.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from loguru import logger

from medassist_desktop.errors import KnownError, new_error_id

log = logger.bind(area="health")


class Probe(StrEnum):
    LIVENESS = "liveness"
    READINESS = "readiness"
    STARTUP = "startup"


class HealthStatus(StrEnum):
    HEALTHY = "healthy"
    DEGRADED = "degraded"  # working on a fallback: answers still come, with less
    UNHEALTHY = "unhealthy"  # this part cannot do its job

    @property
    def severity(self) -> int:
        """0 healthy, 1 degraded, 2 unhealthy: also `medassist health`'s exit status."""
        return list(HealthStatus).index(self)


def worst(statuses: Sequence[HealthStatus]) -> HealthStatus:
    return max(statuses, key=lambda s: s.severity, default=HealthStatus.HEALTHY)


@dataclass(frozen=True)
class CheckOutcome:
    """What a check found: its status, a reason a person can read, and details for support."""

    status: HealthStatus
    reason: str
    details: dict[str, Any] = field(default_factory=dict)


def healthy(reason: str, **details: Any) -> CheckOutcome:
    return CheckOutcome(HealthStatus.HEALTHY, reason, details)


def degraded(reason: str, **details: Any) -> CheckOutcome:
    return CheckOutcome(HealthStatus.DEGRADED, reason, details)


def unhealthy(reason: str, **details: Any) -> CheckOutcome:
    return CheckOutcome(HealthStatus.UNHEALTHY, reason, details)


@dataclass(frozen=True)
class CheckResult:
    name: str
    status: HealthStatus
    reason: str
    duration_ms: float
    checked_at: str
    details: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status.value,
            "reason": self.reason,
            "duration_ms": self.duration_ms,
            "checked_at": self.checked_at,
            "details": self.details,
        }


@dataclass(frozen=True)
class ProbeReport:
    probe: Probe
    status: HealthStatus
    checks: list[CheckResult]
    duration_ms: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "probe": self.probe.value,
            "status": self.status.value,
            "duration_ms": self.duration_ms,
            "checks": [check.as_dict() for check in self.checks],
        }


Check = Callable[[], CheckOutcome]


def run_probe(probe: Probe, checks: Sequence[tuple[str, Check]]) -> ProbeReport:
    """Run each check in order, timed; an exception is that check's `unhealthy` result."""
    started = time.perf_counter()
    results = [_run_check(name, check) for name, check in checks]
    return ProbeReport(
        probe=probe,
        status=worst([r.status for r in results]),
        checks=results,
        duration_ms=_ms_since(started),
    )


def _run_check(name: str, check: Check) -> CheckResult:
    started = time.perf_counter()
    at = datetime.now(UTC).isoformat(timespec="milliseconds")
    try:
        outcome = check()
    except KnownError as exc:
        outcome = unhealthy(exc.message)
    except Exception as exc:
        error_id = new_error_id()
        log.exception("Health check {name} failed: error {error_id}", name=name, error_id=error_id)
        outcome = unhealthy(
            f"The check failed unexpectedly ({type(exc).__name__}, error id {error_id}).",
            error_id=error_id,
        )
    return CheckResult(
        name=name,
        status=outcome.status,
        reason=outcome.reason,
        duration_ms=_ms_since(started),
        checked_at=at,
        details=outcome.details,
    )


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
