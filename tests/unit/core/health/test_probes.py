"""The probe runner and the checks that need no installation: statuses, reasons, timing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from medassist_desktop.core.degradation import DegradationRegistry
from medassist_desktop.core.health import checks
from medassist_desktop.core.health.probes import (
    CheckOutcome,
    HealthStatus,
    Probe,
    degraded,
    healthy,
    run_probe,
    worst,
)
from medassist_desktop.errors import KnownError
from tests.support.databases import open_app_db


def test_a_probe_is_as_bad_as_its_worst_check_and_a_crashing_check_is_reported() -> None:
    def broken() -> CheckOutcome:
        raise ZeroDivisionError("bug")

    def known() -> CheckOutcome:
        raise KnownError("The disk is not mounted.")

    report = run_probe(
        Probe.READINESS,
        [
            ("ok", lambda: healthy("fine")),
            ("slow", lambda: degraded("on a fallback")),
            ("known", known),
            ("broken", broken),
        ],
    )
    assert report.status is HealthStatus.UNHEALTHY
    by_name = {c.name: c for c in report.checks}
    assert by_name["ok"].status is HealthStatus.HEALTHY
    assert by_name["known"].reason == "The disk is not mounted."
    assert by_name["broken"].status is HealthStatus.UNHEALTHY
    assert "error id" in by_name["broken"].reason and by_name["broken"].details["error_id"]
    assert all(c.duration_ms >= 0 and c.checked_at for c in report.checks)
    data = report.as_dict()
    assert data["probe"] == "readiness" and data["status"] == "unhealthy"
    assert [c["name"] for c in data["checks"]] == ["ok", "slow", "known", "broken"]


def test_statuses_order_and_exit_codes() -> None:
    assert worst([]) is HealthStatus.HEALTHY
    assert worst([HealthStatus.DEGRADED, HealthStatus.HEALTHY]) is HealthStatus.DEGRADED
    assert [s.severity for s in HealthStatus] == [0, 1, 2]


@pytest.mark.parametrize(
    ("free_mib", "status"),
    [(5000, HealthStatus.HEALTHY), (1023, HealthStatus.DEGRADED), (199, HealthStatus.UNHEALTHY)],
)
def test_disk_space_thresholds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, free_mib: int, status: HealthStatus
) -> None:
    real = shutil.disk_usage(tmp_path)
    monkeypatch.setattr(
        shutil,
        "disk_usage",
        lambda _path: real._replace(free=free_mib * checks.MIB),
    )
    outcome = checks.disk_space(tmp_path / "not" / "created" / "yet")
    assert outcome.status is status and outcome.details["free_mib"] == free_mib


def test_the_real_disk_and_memory_are_measured(tmp_path: Path) -> None:
    disk = checks.disk_space(tmp_path)
    memory = checks.free_memory()
    assert disk.details["free_mib"] > 0 and str(disk.details["free_mib"]) in disk.reason
    assert 0 < memory.details["available_mib"] <= memory.details["total_mib"]


def test_migrations_on_a_real_database(tmp_path: Path) -> None:
    with open_app_db(tmp_path / "medassist.db") as db:
        current = db.user_version
        assert checks.migrations_done(db, current).status is HealthStatus.HEALTHY
        behind = checks.migrations_done(db, current + 1)
        assert behind.status is HealthStatus.DEGRADED and str(current + 1) in behind.reason
        ahead = checks.migrations_done(db, current - 1)
        assert ahead.status is HealthStatus.UNHEALTHY and "newer MedAssist" in ahead.reason
        read = checks.database_reads(db)
        assert read.status is HealthStatus.HEALTHY and read.details["tables"] > 10


def test_degraded_capabilities_are_listed_with_their_reasons() -> None:
    registry = DegradationRegistry()
    assert checks.capabilities(registry.snapshot()).status is HealthStatus.HEALTHY
    registry.mark_degraded("cloud_sync", "The sync server is not reachable.")
    outcome = checks.capabilities(registry.snapshot())
    assert outcome.status is HealthStatus.DEGRADED
    assert outcome.details["capabilities"] == {"cloud_sync": "The sync server is not reachable."}


def test_model_and_package_checks(tmp_path: Path) -> None:
    missing = checks.model_file(tmp_path / "gone.gguf", "medgemma", None)
    assert missing.status is HealthStatus.DEGRADED and missing.reason.startswith("Rules only")
    (tmp_path / "m.gguf").write_bytes(b"GGUF" + bytes(100))
    assert checks.model_file(tmp_path / "m.gguf", "m", None).status is HealthStatus.HEALTHY
    assert checks.package_present("json", "test").status is HealthStatus.HEALTHY
    gone = checks.package_present("no_such_package_here", "embedding model")
    assert gone.status is HealthStatus.UNHEALTHY
