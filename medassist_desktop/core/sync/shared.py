"""What the app shares with the clinic's server, queued in the caller's transaction.

The issue's list: cases, consult records, audit entries, and opt-in usage telemetry.
Each writer calls these inside the transaction that saves its own change, so the
change and its outbox row are committed together or not at all.

Document ids are `<type>:<clinic>:<local id>`. Local ids must be unique across every
installation of a clinic (two laptops of one clinic share one server database), so
cases and consults use random ids, and numbered records (audit entries, telemetry
days) are prefixed with this installation's random node id.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from medassist_desktop.core.sync import local_state
from medassist_desktop.core.sync.db import DBConnection
from medassist_desktop.core.sync.outbox import OutboxEntry, enqueue_change, make_doc_id

CASE = "case"
CONSULT = "consult"
AUDIT = "audit"
TELEMETRY = "telemetry"
METRICS = "metrics"  # the opt-in daily metrics document (services/daily_metrics.py)


def share(
    conn: DBConnection, doc_type: str, clinic_id: str, local_id: str, body: Mapping[str, Any]
) -> OutboxEntry | None:
    """Queue the new state of one document (None when it is unchanged)."""
    document = {"clinic": clinic_id, **body}
    return enqueue_change(conn, make_doc_id(doc_type, clinic_id, local_id), doc_type, document)


def doc_id(doc_type: str, clinic_id: str, local_id: str) -> str:
    return make_doc_id(doc_type, clinic_id, local_id)


def node_scoped(conn: DBConnection, local_id: str | int) -> str:
    """`<node id>.<local id>`: a per-installation number made unique within the clinic."""
    return f"{local_state.node_id(conn)}.{local_id}"


def count_usage(conn: DBConnection, clinic_id: str, event: str, day: str) -> OutboxEntry | None:
    """Add one to today's count of `event` and queue the day's counts (opt-in telemetry).

    Only event names and counts leave the clinic: no patient, user or free text.
    Intermediate counts of a day are superseded in the outbox, so a day costs one
    document per sync, not one per event.
    """
    key = f"telemetry:{day}"
    counts: dict[str, int] = {}
    stored = local_state.get_state(conn, key)
    if stored is not None:
        counts = {str(k): int(v) for k, v in _loads(stored).items()}
    counts[event] = counts.get(event, 0) + 1
    local_state.set_state(conn, key, _dumps(counts))
    return share(
        conn,
        TELEMETRY,
        clinic_id,
        node_scoped(conn, day),
        {"day": day, "node": local_state.node_id(conn), "counts": counts},
    )


def _loads(text: str) -> dict[str, Any]:
    value = json.loads(text)
    return value if isinstance(value, dict) else {}


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True)
