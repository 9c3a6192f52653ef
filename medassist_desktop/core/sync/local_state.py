"""The sync's local bookkeeping: checkpoints, small facts, pulled heads and conflicts.

All functions take a DB-API connection inside the caller's transaction and never
commit, so a pulled batch, its head revisions and its checkpoint are saved together.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from medassist_desktop.core.sync.db import DBConnection, utc_now
from medassist_desktop.core.sync.outbox import MAX_HISTORY, canonical_json, content_hash

NODE_ID_KEY = "node_id"


# --- small facts -------------------------------------------------------------------------


def get_state(conn: DBConnection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def set_state(conn: DBConnection, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO sync_state (key, value) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def delete_state(conn: DBConnection, key: str) -> None:
    conn.execute("DELETE FROM sync_state WHERE key = ?", (key,))


def node_id(conn: DBConnection) -> str:
    """This installation's random id, made once: part of every replication id."""
    existing = get_state(conn, NODE_ID_KEY)
    if existing is not None:
        return existing
    created = uuid.uuid4().hex
    set_state(conn, NODE_ID_KEY, created)
    return created


# --- checkpoints -------------------------------------------------------------------------


def get_checkpoint(conn: DBConnection, replication_id: str) -> Any | None:
    row = conn.execute(
        "SELECT last_seq FROM sync_checkpoints WHERE replication_id = ?", (replication_id,)
    ).fetchone()
    return None if row is None else json.loads(row[0])


def set_checkpoint(conn: DBConnection, replication_id: str, direction: str, last_seq: Any) -> None:
    conn.execute(
        "INSERT INTO sync_checkpoints (replication_id, direction, last_seq, updated_at)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (replication_id) DO UPDATE SET"
        " last_seq = excluded.last_seq, updated_at = excluded.updated_at",
        (replication_id, direction, json.dumps(last_seq), utc_now()),
    )


# --- pulled documents --------------------------------------------------------------------


class PullDecision(StrEnum):
    APPLY = "apply"  # new to us, or a descendant of our head: take it
    SKIP = "skip"  # we have it, or our head already descends from it
    CONFLICT = "conflict"  # both sides edited: keep ours, report theirs


@dataclass(frozen=True)
class RemoteDoc:
    """One document revision brought by a pull."""

    doc_id: str
    rev: str
    history: list[str]  # revision hashes, newest first (from `_revisions`)
    body: dict[str, Any]  # without the underscore fields
    deleted: bool

    @property
    def doc_type(self) -> str | None:
        value = self.body.get("type")
        return value if isinstance(value, str) else None

    @classmethod
    def from_couch(cls, doc: dict[str, Any]) -> RemoteDoc:
        rev = str(doc["_rev"])
        revisions = doc.get("_revisions") or {}
        ids = [str(i) for i in revisions.get("ids", [])] or [rev.partition("-")[2]]
        body = {k: v for k, v in doc.items() if not k.startswith("_")}
        return cls(
            doc_id=str(doc["_id"]),
            rev=rev,
            history=ids,
            body=body,
            deleted=bool(doc.get("_deleted", False)),
        )


def decide_pull(conn: DBConnection, doc: RemoteDoc) -> tuple[PullDecision, str | None]:
    """Compare a pulled revision with our head; returns the decision and our head rev."""
    row = conn.execute(
        "SELECT rev, history, origin FROM sync_revisions WHERE doc_id = ?", (doc.doc_id,)
    ).fetchone()
    if row is None:
        return PullDecision.APPLY, None
    local_rev = str(row[0])
    local_history: list[str] = json.loads(row[1])
    local_edit = row[2] == "local"
    if local_rev == doc.rev:
        return PullDecision.SKIP, local_rev
    local_digest = local_rev.partition("-")[2]
    remote_digest = doc.rev.partition("-")[2]
    if local_digest in doc.history:  # theirs descends from ours: fast-forward
        return PullDecision.APPLY, local_rev
    if remote_digest in local_history:  # ours descends from theirs: ours goes up on push
        return PullDecision.SKIP, local_rev
    if not local_edit:  # the server switched branches; we hold no edit of our own to lose
        return PullDecision.APPLY, local_rev
    return PullDecision.CONFLICT, local_rev


def record_remote_head(conn: DBConnection, doc: RemoteDoc) -> None:
    conn.execute(
        "INSERT INTO sync_revisions (doc_id, rev, history, content_hash, origin, updated_at)"
        " VALUES (?, ?, ?, ?, 'remote', ?)"
        " ON CONFLICT (doc_id) DO UPDATE SET rev = excluded.rev, history = excluded.history,"
        " content_hash = excluded.content_hash, origin = 'remote',"
        " updated_at = excluded.updated_at",
        (
            doc.doc_id,
            doc.rev,
            canonical_json(doc.history[:MAX_HISTORY]),
            content_hash(doc.body, doc.deleted),
            utc_now(),
        ),
    )


def record_conflict(conn: DBConnection, doc: RemoteDoc, local_rev: str) -> bool:
    """Keep our revision, remember theirs for a person to look at. False if already known."""
    cursor = conn.execute(
        "INSERT INTO sync_conflicts (doc_id, local_rev, remote_rev, remote_body, detected_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (doc_id, remote_rev) DO NOTHING",
        (doc.doc_id, local_rev, doc.rev, canonical_json(doc.body), utc_now()),
    )
    return cursor.rowcount > 0


def open_conflicts(conn: DBConnection, limit: int = 100) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT doc_id, local_rev, remote_rev, detected_at FROM sync_conflicts"
        " WHERE resolved_at IS NULL ORDER BY detected_at LIMIT ?",
        (limit,),
    ).fetchall()
    return [
        {"doc_id": r[0], "local_rev": r[1], "remote_rev": r[2], "detected_at": r[3]} for r in rows
    ]


def open_conflict_count(conn: DBConnection) -> int:
    row = conn.execute("SELECT COUNT(*) FROM sync_conflicts WHERE resolved_at IS NULL").fetchone()
    return int(row[0])


def store_received(conn: DBConnection, docs: list[RemoteDoc]) -> None:
    """The default pull handler: keep pulled documents in `sync_received` for importers."""
    now = utc_now()
    for doc in docs:
        conn.execute(
            "INSERT INTO sync_received (doc_id, rev, doc_type, body, deleted, received_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (doc_id) DO UPDATE SET rev = excluded.rev,"
            " doc_type = excluded.doc_type, body = excluded.body, deleted = excluded.deleted,"
            " received_at = excluded.received_at",
            (doc.doc_id, doc.rev, doc.doc_type, canonical_json(doc.body), int(doc.deleted), now),
        )
