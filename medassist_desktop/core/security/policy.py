"""Clinic policy kept in the encrypted database: it wins over the settings file and the
environment.

The settings file and environment variables belong to whoever runs the program: a
local user could raise their own lockout limit, or point sync at their own server and
receive every case. The values that protect accounts and decide where clinical data
goes are therefore set by an admin through the services (audited, in the same
transaction as the change) and stored here, inside the encrypted file; at every open
they replace what the file or the environment say.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from medassist_desktop.storage.database import Connection, Database

POLICY_SETTINGS = (
    "max_login_attempts",
    "session_timeout_minutes",
    "sync_enabled",
    "sync_url",
    "sync_db",
    "sync_user",
    "cloud_inference_enabled",
    "cloud_url",
    "cloud_model",
)
POLICY_SOURCE = "clinic policy (database)"


class ClinicPolicy:
    """The admin-set values of `POLICY_SETTINGS` in this database."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def values(self) -> dict[str, Any]:
        rows = self._db.query_all("SELECT name, value FROM clinic_policy ORDER BY name")
        return {
            str(row["name"]): json.loads(row["value"])
            for row in rows
            if row["name"] in POLICY_SETTINGS
        }

    def write(self, conn: Connection, values: dict[str, Any], actor_id: int | None) -> None:
        """Store `values` inside the caller's transaction (the audit entry joins it)."""
        unknown = set(values) - set(POLICY_SETTINGS)
        if unknown:
            raise ValueError(f"not clinic policy: {sorted(unknown)}")
        now = datetime.now(UTC).isoformat(timespec="seconds")
        for name, value in values.items():
            conn.execute(
                "INSERT INTO clinic_policy (name, value, updated_at, updated_by) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value, "
                "updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                (name, json.dumps(value), now, actor_id),
            )
