"""The daily metrics document on the app's real encrypted database: counts, labels that
are only tokens, one revision per change, nothing when nothing changed."""

from __future__ import annotations

import json
import os
from pathlib import Path

from medassist_desktop.config import load_settings
from medassist_desktop.core.degradation import CLOUD_SYNC, DegradationRegistry
from medassist_desktop.core.health.metrics import AppMetrics
from medassist_desktop.core.security.audit import AuditLog, Outcome
from medassist_desktop.core.sync import outbox
from medassist_desktop.services.daily_metrics import DailyMetrics
from tests.support.databases import open_app_db

NOON = 1_800_000_000.0  # 2027-01-15 08:00 UTC
CLINIC = "kh-01"


def test_today_s_document_is_queued_once_per_change(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "MEDASSIST_DATA_DIR": str(tmp_path),
            "CLINIC_ID": CLINIC,
            "MODEL_NAME": "/home/sokha/models/my-model.gguf",
        }
    ).settings
    registry = DegradationRegistry()
    registry.mark_degraded(CLOUD_SYNC, "server sync.example.org for Dr Sokha is down")
    metrics = AppMetrics()
    metrics.observe_error("KnownError")
    with open_app_db(tmp_path / "medassist.db") as db:
        audit = AuditLog(db, os.urandom(32), clock=lambda: NOON, share_with_clinic=CLINIC)
        audit.append(
            None,
            "consult.ask",
            "consult:1",
            Outcome.SUCCESS,
            details={"engine": "local", "outcome": "answered", "latency_ms": 1200},
        )
        audit.append(
            None,
            "consult.ask",
            "consult:2",
            Outcome.SUCCESS,
            details={"engine": "Sokha Chanthy asked", "latency_ms": 800},
        )
        audit.append(None, "case.create", "case:1", Outcome.SUCCESS, details={"level": "urgent"})
        daily = DailyMetrics(settings, registry, metrics=metrics, clock=lambda: NOON)

        entry = daily.queue(db)
        assert entry is not None
        assert entry.doc_id.startswith(f"metrics:{CLINIC}:") and entry.doc_id.endswith(
            ".2027-01-15"
        )
        body = entry.body
        assert body["consults"]["total"] == 2
        assert body["consults"]["by_engine"] == {"local": 1, "other": 1}  # free text: "other"
        assert body["consults"]["latency_ms"] == {
            "count": 2,
            "p50": 1000.0,
            "p95": 1200.0,
            "max": 1200.0,
        }
        assert body["triage"] == {"urgent": 1}
        assert body["activity"]["consult.ask"] == {"success": 2}
        assert body["capabilities"] == {"cloud_sync": "degraded"}  # the name, not the reason
        assert body["model"] == "custom"  # a path may name a user's folder
        assert body["process"]["medassist_errors_total{type=KnownError}"] == 1.0
        assert "sokha" not in json.dumps(body).lower()

        assert daily.queue(db) is None  # nothing changed: nothing queued
        audit.append(None, "case.view", "case:1", Outcome.SUCCESS)
        newer = daily.queue(db)
        assert newer is not None and newer.doc_id == entry.doc_id
        assert newer.rev.startswith("2-") and newer.body["activity"]["case.view"] == {"success": 1}
        with db.transaction() as conn:
            pending = [e.doc_id for e in outbox.read_pending(conn, 100)]
            superseded = outbox.supersede_older(conn)
        assert pending.count(entry.doc_id) == 2 and superseded >= 1  # one goes up


def test_entries_of_other_days_are_not_counted(tmp_path: Path) -> None:
    settings = load_settings({"MEDASSIST_DATA_DIR": str(tmp_path), "CLINIC_ID": CLINIC}).settings
    with open_app_db(tmp_path / "medassist.db") as db:
        now = [NOON - 86_400]
        audit = AuditLog(db, os.urandom(32), clock=lambda: now[0], share_with_clinic=CLINIC)
        audit.append(None, "case.view", "case:1", Outcome.SUCCESS)
        now[0] = NOON
        audit.append(None, "case.create", "case:2", Outcome.SUCCESS, details={"level": "routine"})
        body = DailyMetrics(settings, DegradationRegistry(), clock=lambda: NOON).queue(db)
        assert body is not None
        assert set(body.body["activity"]) == {"case.create"}
        assert body.body["process"] == {}  # a command has no process counters
