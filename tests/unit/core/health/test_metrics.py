"""The app's metrics on a real prometheus_client registry: what a scraper reads."""

from __future__ import annotations

from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from medassist_desktop.core.health.metrics import AppMetrics


def samples(metrics: AppMetrics) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in text_string_to_metric_families(metrics.render().decode()):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def test_observations_show_in_the_exposition(tmp_path: Path) -> None:
    metrics = AppMetrics(tmp_path)
    metrics.observe_consult(
        engine="local", outcome="answered", answer_s=3.2, first_token_s=0.4, tokens_per_s=22.0
    )
    metrics.observe_consult(engine="rules", outcome="fallback")
    metrics.observe_triage("emergency")
    metrics.observe_triage("emergency")
    metrics.observe_retrieval(0.018)
    metrics.observe_sync("idle", pushed=40)
    metrics.observe_sync("offline", pushed=0)
    metrics.observe_breaker("sync", "open")
    metrics.observe_lockout()
    metrics.observe_error("DatabaseBusyError")

    found = samples(metrics)
    assert found[("medassist_consults_total", (("engine", "local"), ("outcome", "answered")))] == 1
    assert found[("medassist_consults_total", (("engine", "rules"), ("outcome", "fallback")))] == 1
    assert found[("medassist_triage_total", (("level", "emergency"),))] == 2
    assert found[("medassist_answer_seconds_count", ())] == 1
    assert found[("medassist_answer_seconds_bucket", (("le", "5.0"),))] == 1
    assert found[("medassist_answer_seconds_bucket", (("le", "2.0"),))] == 0
    assert found[("medassist_first_token_seconds_sum", ())] == 0.4
    assert found[("medassist_retrieval_seconds_bucket", (("le", "0.025"),))] == 1
    assert found[("medassist_sync_pushed_documents_total", ())] == 40
    assert found[("medassist_sync_runs_total", (("state", "offline"),))] == 1
    assert found[("medassist_circuit_breaker_state", (("name", "sync"),))] == 2
    assert found[("medassist_lockouts_total", ())] == 1
    assert found[("medassist_errors_total", (("type", "DatabaseBusyError"),))] == 1
    assert found[("medassist_process_resident_bytes", ())] > 10_000_000
    assert found[("medassist_data_disk_free_bytes", ())] > 0

    counts = metrics.counts()
    assert counts["medassist_triage_total{level=emergency}"] == 2
    assert not any("seconds" in name for name in counts)  # counters only


def test_two_apps_in_one_process_do_not_share_counters(tmp_path: Path) -> None:
    first, second = AppMetrics(tmp_path), AppMetrics(tmp_path)
    first.observe_lockout()
    assert samples(first)[("medassist_lockouts_total", ())] == 1
    assert samples(second)[("medassist_lockouts_total", ())] == 0


def test_the_audit_trail_feeds_consults_triage_and_lockouts(tmp_path: Path) -> None:
    metrics = AppMetrics(tmp_path)
    metrics.observe_audit(
        "consult.ask",
        "success",
        {
            "engine": "local",
            "outcome": "answered",
            "latency_ms": 2500,
            "tokens_per_second": 17.5,
        },
    )
    metrics.observe_audit("consult.ask", "failure", {"outcome": "cancelled"})
    metrics.observe_audit("case.create", "success", {"level": "urgent"})
    metrics.observe_audit("case.view", "success", {})
    metrics.observe_audit("auth.lockout", "success", {"failed_attempts": 5})
    found = samples(metrics)
    assert found[("medassist_consults_total", (("engine", "local"), ("outcome", "answered")))] == 1
    assert found[("medassist_consults_total", (("engine", "none"), ("outcome", "cancelled")))] == 1
    assert found[("medassist_answer_seconds_sum", ())] == 2.5
    assert found[("medassist_tokens_per_second_sum", ())] == 17.5
    assert found[("medassist_tokens_per_second_count", ())] == 1
    assert found[("medassist_triage_total", (("level", "urgent"),))] == 1
    assert found[("medassist_lockouts_total", ())] == 1
