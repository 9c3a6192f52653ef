"""The opt-in daily metrics document a clinic's sync sends, so a district sees its
clinics' health in CouchDB without scraping each one (`sync_metrics_daily`).

One document per installation per day, `metrics:<clinic>:<node>.<day>`, rebuilt before
each sync's push and queued through the outbox like any shared change: the same id all
day, a new revision only when a number changed (queueing equal content is a no-op).

Counts only. Everything comes from what the app already keeps: the audit trail's
actions and outcomes of the day (consult engines, outcomes and latencies, triage levels,
read from the few fields the metrics already count), table totals, the sync state, the
degradation registry's capability names (never their reasons, which may name a file),
the process counters of `AppMetrics` when the window runs, and versions. No name, no
question, no free text: every label is checked against a short token pattern and
anything else is counted as "other".
"""

from __future__ import annotations

import json
import platform
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from loguru import logger

from medassist_desktop import __version__
from medassist_desktop.config import Settings
from medassist_desktop.core.degradation import AUDIT, DegradationRegistry
from medassist_desktop.core.sync import local_state, outbox, shared
from medassist_desktop.core.sync.audit_copy import AuditCopyState, stored_result
from medassist_desktop.core.sync.db import DBConnection, TransactionProvider
from medassist_desktop.core.sync.outbox import OutboxEntry

if TYPE_CHECKING:
    from medassist_desktop.core.health.metrics import AppMetrics

log = logger.bind(area="sync")

FORMAT = 1
# A label that may leave the clinic: an identifier the code chose, never typed text.
_TOKEN = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]{0,63}$")
_METRIC_KEY = re.compile(r"^[a-z_]{1,80}(\{[A-Za-z0-9_=,.\-]{0,200}\})?$")
# sync_state key: the first audit entry id of a day, so later builds read only that day.
_DAY_START_KEY = "metrics_day_first_entry"
_TOTALS = {
    "cases": "SELECT COUNT(*) FROM cases",
    "consults": "SELECT COUNT(*) FROM consults",
    "users": "SELECT COUNT(*) FROM users WHERE active = 1",
    "audit_entries": "SELECT COUNT(*) FROM audit_log",
}


def _token(value: Any) -> str:
    text = str(value) if value is not None else "none"
    return text if _TOKEN.match(text) else "other"


class DailyMetrics:
    """Builds and queues today's document for one clinic."""

    def __init__(
        self,
        settings: Settings,
        degradation: DegradationRegistry,
        *,
        metrics: AppMetrics | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._settings = settings
        self._degradation = degradation
        self._metrics = metrics
        self._clock = clock

    def queue(self, store: TransactionProvider) -> OutboxEntry | None:
        """Queue today's document (None when nothing changed since the last one)."""
        day = datetime.fromtimestamp(self._clock(), UTC).date().isoformat()
        with store.transaction() as conn:
            body = self.build(conn, day)
            entry = shared.share(
                conn,
                shared.METRICS,
                self._settings.clinic_id,
                shared.node_scoped(conn, day),
                body,
            )
        if entry is not None:
            log.debug("daily metrics for {day} queued ({rev})", day=day, rev=entry.rev)
        return entry

    def build(self, conn: DBConnection, day: str) -> dict[str, Any]:
        """The document's body for `day` (YYYY-MM-DD, UTC)."""
        activity, consults, triage = self._activity(conn, day)
        return {
            "format": FORMAT,
            "day": day,
            "node": local_state.node_id(conn),
            "versions": {
                "app": __version__,
                "schema": int(conn.execute("PRAGMA user_version").fetchone()[0]),
                "python": platform.python_version(),
            },
            "model": self._model_label(),
            "activity": activity,
            "consults": consults,
            "triage": triage,
            "totals": {name: _count(conn, sql) for name, sql in _TOTALS.items()},
            "sync": self._sync(conn),
            "capabilities": self._capabilities(conn),
            "process": self._process_counters(),
        }

    # --- the parts ------------------------------------------------------------------------

    def _model_label(self) -> str:
        """The configured model's name when it is a plain name; a file path may carry a
        user's folder name, so it is reported only as "custom"."""
        name = self._settings.model_name
        return name if _TOKEN.match(name) else "custom"

    def _activity(
        self, conn: DBConnection, day: str
    ) -> tuple[dict[str, dict[str, int]], dict[str, Any], dict[str, int]]:
        start = f"{day}T00:00:00"
        end = (datetime.fromisoformat(day) + timedelta(days=1)).date().isoformat() + "T00:00:00"
        first_id = _first_entry_of(conn, day, start)
        actions: dict[str, Counter[str]] = {}
        engines: Counter[str] = Counter()
        outcomes: Counter[str] = Counter()
        triage: Counter[str] = Counter()
        latencies: list[float] = []
        rows = conn.execute(
            "SELECT action, outcome, details FROM audit_log WHERE id >= ? AND ts >= ? AND ts < ?",
            (first_id, start, end),
        ).fetchall()
        for action, outcome, details_text in rows:
            actions.setdefault(_token(action), Counter())[_token(outcome)] += 1
            if action not in ("consult.ask", "case.create", "case.update"):
                continue
            details = _details(details_text)
            if action == "consult.ask":
                engines[_token(details.get("engine"))] += 1
                outcomes[_token(details.get("outcome") or outcome)] += 1
                latency = details.get("latency_ms")
                if isinstance(latency, int | float) and not isinstance(latency, bool):
                    latencies.append(float(latency))
            elif details.get("level"):
                triage[_token(details["level"])] += 1
        consults = {
            "total": sum(engines.values()),
            "by_engine": dict(sorted(engines.items())),
            "by_outcome": dict(sorted(outcomes.items())),
            "latency_ms": _summary(latencies),
        }
        activity = {name: dict(sorted(c.items())) for name, c in sorted(actions.items())}
        return activity, consults, dict(sorted(triage.items()))

    def _sync(self, conn: DBConnection) -> dict[str, Any]:
        counts = outbox.count_by_status(conn)
        # Without this document's own queued revisions, or each build would change it.
        own = _count(
            conn,
            "SELECT COUNT(*) FROM sync_outbox WHERE status = 'pending' AND doc_type = 'metrics'",
        )
        return {
            "pending": counts["pending"] - own,
            "rejected": counts["rejected"],
            "conflicts": local_state.open_conflict_count(conn),
            "last_success_at": local_state.get_state(conn, "last_success_at"),
            "last_state": _token(local_state.get_state(conn, "last_state")),
            "audit_copy": stored_result(conn).state.value,
        }

    def _capabilities(self, conn: DBConnection) -> dict[str, str]:
        """Each capability on a fallback now, by name ("degraded"); reasons stay here."""
        found = {_token(name): "degraded" for name in self._degradation.snapshot()}
        if stored_result(conn).state is AuditCopyState.GAP:
            found[AUDIT] = "degraded"
        return dict(sorted(found.items()))

    def _process_counters(self) -> dict[str, float]:
        """This process's Prometheus counters (the window's; a command has none)."""
        if self._metrics is None:
            return {}
        counts = self._metrics.counts()
        return {k: v for k, v in sorted(counts.items()) if _METRIC_KEY.match(k)}


def _first_entry_of(conn: DBConnection, day: str, start: str) -> int:
    """The first audit entry id of `day`, found once a day (a scan) and then remembered, so
    each later build reads only that day's entries."""
    stored = local_state.get_state(conn, _DAY_START_KEY)
    if stored:
        remembered = _details(stored)
        if remembered.get("day") == day and isinstance(remembered.get("id"), int):
            return int(remembered["id"])
    row = conn.execute("SELECT MIN(id) FROM audit_log WHERE ts >= ?", (start,)).fetchone()
    if row is None or row[0] is None:
        return 0  # nothing today yet: look again next time
    first = int(row[0])
    local_state.set_state(conn, _DAY_START_KEY, json.dumps({"day": day, "id": first}))
    return first


def _count(conn: DBConnection, sql: str) -> int:
    return int(conn.execute(sql).fetchone()[0])


def _details(text: Any) -> Mapping[str, Any]:
    try:
        value = json.loads(text) if isinstance(text, str) else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _summary(values: list[float]) -> dict[str, float | int | None]:
    if not values:
        return {"count": 0, "p50": None, "p95": None, "max": None}
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "count": len(ordered),
        "p50": round(statistics.median(ordered), 1),
        "p95": round(p95, 1),
        "max": round(ordered[-1], 1),
    }
