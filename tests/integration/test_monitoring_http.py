"""/metrics and /health/<probe> served on 127.0.0.1 for a set-up clinic, read over HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from medassist_desktop.core.health.metrics import AppMetrics
from medassist_desktop.services.health import HealthService
from medassist_desktop.services.monitoring import MonitoringServer
from tests.support.keyrings import MemoryKeyring
from tests.support.security import open_services, settings_for


@pytest.fixture
def server(tmp_path: Path) -> Iterator[MonitoringServer]:
    services = open_services(tmp_path / "data", MemoryKeyring(), CLINIC_ID="kh-03")
    services.accounts.create_first_admin("admin", "Admin-password-1")
    loaded = settings_for(tmp_path / "data", CLINIC_ID="kh-03")
    metrics = AppMetrics(loaded.paths.data_dir)
    metrics.observe_triage("urgent")
    health = HealthService(loaded, {}, open_database=services.db.open_again)
    monitoring = MonitoringServer(metrics, health, port=0).start()
    yield monitoring
    monitoring.close()
    services.close()


def test_metrics_and_probes_over_http(server: MonitoringServer) -> None:
    base = f"http://127.0.0.1:{server.port}"
    with httpx.Client(trust_env=False, timeout=10) as client:
        scraped = client.get(f"{base}/metrics")
        assert scraped.status_code == 200
        assert scraped.headers["content-type"].startswith("text/plain")
        assert 'medassist_triage_total{level="urgent"} 1.0' in scraped.text

        ready = client.get(f"{base}/health/readiness")
        assert ready.status_code == 200
        report = ready.json()
        assert report["probe"] == "readiness" and report["status"] in ("healthy", "degraded")
        assert {c["name"] for c in report["checks"]} >= {"database", "model", "disk"}
        assert client.get(f"{base}/health/liveness").json()["status"] == "healthy"
        assert client.get(f"{base}/health/startup").json()["checks"][0]["name"] == "migrations"

        missing = client.get(f"{base}/patients")
        assert missing.status_code == 404 and json.loads(missing.text) == {"error": "not found"}


def test_the_server_listens_on_loopback_only(server: MonitoringServer) -> None:
    assert server._server.server_address[0] == "127.0.0.1"
