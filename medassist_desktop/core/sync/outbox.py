"""The outbox: every change to share is written here in the same transaction as the change.

So a change is either saved and queued, or neither: a crash between "saved" and
"queued" cannot happen. The sync run reads the outbox in batches and marks rows sent
only after the server confirmed them.

Documents get deterministic ids (`<type>:<clinic>:<local id>`) and deterministic
revisions, `<generation>-<first 32 hex of sha256(canonical JSON of parent rev and
content)>`, so the same change always has the same revision: a retried push, or a
push repeated after a crash, stores nothing twice (CouchDB keys documents by id and
revision), and queueing the same content again is a no-op. The revision history
(`_revisions`) travels with each document, so the server links our edits into one
branch instead of inventing conflicts.

`SYNC_MIGRATION` is the SQL of all of the sync's local tables; it lives in
`storage/schema.py` (migration 30), so these tables are in the one encrypted database.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from medassist_desktop.core.sync.db import DBConnection, utc_now
from medassist_desktop.storage.schema import SYNC_TABLES_SQL

SYNC_MIGRATION = SYNC_TABLES_SQL  # registered as version 30 in `storage/schema.py`

# How many ancestor hashes travel with a document (CouchDB keeps 1000 by default).
MAX_HISTORY = 100

_DOC_ID_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+-]{0,127}$")


@dataclass(frozen=True)
class OutboxEntry:
    seq: int
    doc_id: str
    rev: str
    doc_type: str
    body: dict[str, Any]
    deleted: bool
    revisions: dict[str, Any]

    def to_couch(self) -> dict[str, Any]:
        """The document as `_bulk_docs` with `new_edits: false` expects it."""
        doc: dict[str, Any] = dict(self.body)
        doc["_id"] = self.doc_id
        doc["_rev"] = self.rev
        doc["_revisions"] = self.revisions
        if self.deleted:
            doc["_deleted"] = True
        return doc


def canonical_json(value: Any) -> str:
    """One spelling per value: sorted keys, no spaces, UTF-8 kept, no NaN."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def content_hash(body: Mapping[str, Any], deleted: bool) -> str:
    return hashlib.sha256(
        canonical_json({"deleted": deleted, "doc": body}).encode("utf-8")
    ).hexdigest()


def revision_hash(parent_rev: str | None, body: Mapping[str, Any], deleted: bool) -> str:
    """The 32 hex characters after `<generation>-`: a function of parent and content only."""
    payload = canonical_json({"parent": parent_rev, "deleted": deleted, "doc": body})
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def make_doc_id(doc_type: str, clinic_id: str, local_id: str) -> str:
    """`<type>:<clinic>:<local id>`: stable across retries and reinstalls of one clinic."""
    for name, part in (("doc_type", doc_type), ("clinic_id", clinic_id), ("local_id", local_id)):
        if not _DOC_ID_PART.match(part):
            raise ValueError(f"{name} {part!r} cannot be part of a document id")
    return f"{doc_type}:{clinic_id}:{local_id}"


def split_rev(rev: str) -> tuple[int, str]:
    generation, _, digest = rev.partition("-")
    if not generation.isdigit() or not digest:
        raise ValueError(f"not a revision: {rev!r}")
    return int(generation), digest


def _check_document(doc_id: str, doc_type: str, body: Mapping[str, Any]) -> dict[str, Any]:
    if not doc_id or doc_id.startswith("_") or len(doc_id) > 512:
        raise ValueError(f"invalid document id {doc_id!r}")
    reserved = sorted(key for key in body if key.startswith("_"))
    if reserved:
        raise ValueError(f"fields starting with '_' are reserved by CouchDB: {reserved}")
    document = dict(body)
    if document.setdefault("type", doc_type) != doc_type:
        raise ValueError(f"body type {document['type']!r} differs from doc_type {doc_type!r}")
    canonical_json(document)  # proves it is JSON (raises TypeError/ValueError otherwise)
    return document


def enqueue_change(
    conn: DBConnection,
    doc_id: str,
    doc_type: str,
    body: Mapping[str, Any],
    *,
    deleted: bool = False,
) -> OutboxEntry | None:
    """Queue a document's new state, inside the caller's open transaction.

    Returns the queued entry, or None when the content equals the current head (queueing
    the same state twice is a no-op). Does not commit: the caller's transaction saves
    the change and its outbox row together, or neither.
    """
    document = _check_document(doc_id, doc_type, body)
    new_content = content_hash(document, deleted)
    head = conn.execute(
        "SELECT rev, history, content_hash FROM sync_revisions WHERE doc_id = ?", (doc_id,)
    ).fetchone()
    if head is not None and head[2] == new_content:
        return None
    parent_rev = head[0] if head is not None else None
    history: list[str] = json.loads(head[1]) if head is not None else []
    generation = split_rev(parent_rev)[0] + 1 if parent_rev else 1
    digest = revision_hash(parent_rev, document, deleted)
    rev = f"{generation}-{digest}"
    history = [digest, *history][:MAX_HISTORY]
    revisions = {"start": generation, "ids": history}
    now = utc_now()
    cursor = conn.execute(
        "INSERT INTO sync_outbox (doc_id, rev, doc_type, body, deleted, revisions, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING seq",
        (
            doc_id,
            rev,
            doc_type,
            canonical_json(document),
            int(deleted),
            canonical_json(revisions),
            now,
        ),
    )
    seq = int(cursor.fetchone()[0])
    conn.execute(
        "INSERT INTO sync_revisions (doc_id, rev, history, content_hash, origin, updated_at)"
        " VALUES (?, ?, ?, ?, 'local', ?)"
        " ON CONFLICT (doc_id) DO UPDATE SET rev = excluded.rev, history = excluded.history,"
        " content_hash = excluded.content_hash, origin = 'local', updated_at = excluded.updated_at",
        (doc_id, rev, canonical_json(history), new_content, now),
    )
    return OutboxEntry(
        seq=seq,
        doc_id=doc_id,
        rev=rev,
        doc_type=doc_type,
        body=document,
        deleted=deleted,
        revisions=revisions,
    )


def _entry(row: Sequence[Any]) -> OutboxEntry:
    return OutboxEntry(
        seq=int(row[0]),
        doc_id=str(row[1]),
        rev=str(row[2]),
        doc_type=str(row[3]),
        body=json.loads(row[4]),
        deleted=bool(row[5]),
        revisions=json.loads(row[6]),
    )


_ENTRY_COLUMNS = "seq, doc_id, rev, doc_type, body, deleted, revisions"


def supersede_older(conn: DBConnection) -> int:
    """Retire pending rows that a newer pending row of the same document replaces.

    The newer row carries the older hashes in its `_revisions`, so the server still
    learns the whole history; only the intermediate bodies are not sent (as CouchDB's
    own replicator does). Returns how many rows were retired.
    """
    cursor = conn.execute(
        "UPDATE sync_outbox SET status = 'superseded', done_at = ?, note = 'a newer revision"
        " of this document is queued' WHERE status = 'pending' AND EXISTS (SELECT 1 FROM"
        " sync_outbox AS newer WHERE newer.doc_id = sync_outbox.doc_id AND newer.seq >"
        " sync_outbox.seq AND newer.status = 'pending')",
        (utc_now(),),
    )
    return max(cursor.rowcount, 0)


def read_pending(conn: DBConnection, limit: int, *, after_seq: int = 0) -> list[OutboxEntry]:
    """The oldest pending rows after `after_seq`, at most `limit`, in queue order."""
    rows = conn.execute(
        f"SELECT {_ENTRY_COLUMNS} FROM sync_outbox WHERE status = 'pending' AND seq > ?"
        " ORDER BY seq LIMIT ?",
        (after_seq, limit),
    ).fetchall()
    return [_entry(row) for row in rows]


def mark_sent(conn: DBConnection, seqs: Sequence[int]) -> int:
    """Mark rows the server confirmed (or already had). Only pending rows change."""
    now = utc_now()
    changed = 0
    for seq in seqs:
        cursor = conn.execute(
            "UPDATE sync_outbox SET status = 'sent', done_at = ? WHERE seq = ? AND"
            " status = 'pending'",
            (now, seq),
        )
        changed += max(cursor.rowcount, 0)
    return changed


def mark_rejected(conn: DBConnection, seq: int, reason: str) -> None:
    """The server refused this row for good (validation, too large): keep it, stop sending."""
    conn.execute(
        "UPDATE sync_outbox SET status = 'rejected', done_at = ?, note = ? WHERE seq = ?",
        (utc_now(), reason, seq),
    )


def requeue_sent_after(conn: DBConnection, seq: int) -> int:
    """Send again what was confirmed after `seq`: the server lost it (restored backup)."""
    cursor = conn.execute(
        "UPDATE sync_outbox SET status = 'pending', done_at = NULL WHERE status = 'sent'"
        " AND seq > ?",
        (seq,),
    )
    return max(cursor.rowcount, 0)


def prune_acknowledged(conn: DBConnection, *, done_before: str, through_seq: int) -> int:
    """Delete rows the server acknowledged (sent, or superseded by a sent newer row) that
    were done before `done_before` (an ISO timestamp) and lie at or below `through_seq`,
    the push checkpoint the server has confirmed. Returns how many rows went.

    Pending and rejected rows are never pruned: the first still have to go, the second
    are shown to the admin. `seq` is AUTOINCREMENT, so numbers are never reused and the
    checkpoints stay meaningful after the rows below them are gone.
    """
    cursor = conn.execute(
        "DELETE FROM sync_outbox WHERE status IN ('sent', 'superseded') AND done_at < ?"
        " AND seq <= ?",
        (done_before, through_seq),
    )
    return max(cursor.rowcount, 0)


def count_by_status(conn: DBConnection) -> dict[str, int]:
    counts = dict.fromkeys(("pending", "sent", "superseded", "rejected"), 0)
    for status, count in conn.execute(
        "SELECT status, COUNT(*) FROM sync_outbox GROUP BY status"
    ).fetchall():
        counts[str(status)] = int(count)
    return counts


def pending_count(conn: DBConnection) -> int:
    row = conn.execute("SELECT COUNT(*) FROM sync_outbox WHERE status = 'pending'").fetchone()
    return int(row[0])


def rejected_entries(conn: DBConnection, limit: int = 50) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT seq, doc_id, rev, note, done_at FROM sync_outbox WHERE status = 'rejected'"
        " ORDER BY seq DESC LIMIT ?",
        (limit,),
    ).fetchall()
    return [
        {"seq": int(r[0]), "doc_id": r[1], "rev": r[2], "reason": r[3], "at": r[4]} for r in rows
    ]
