"""Sync conflicts: finding them on the server, showing both versions, settling them there.

A conflict is a document with two live branches: our edit and another one. It arises
in two ways. A pulled document (knowledge or configuration) that we edited too is
caught by the pull (`local_state.decide_pull`). A document we push (a case) that was
also edited on the server, or by another laptop of the clinic, is stored by the server
as a second branch (we push with `new_edits: false`, as CouchDB's replicator does), and
the server picks a winner by revision number alone. `scan_feed` finds those: the
changes feed with `style=all_docs` names every leaf of every changed document; a
document of ours with a second live leaf is recorded in `sync_conflicts` with that
leaf's body, so the admin can compare both versions even offline.

Settling follows CouchDB's rule: the losing branch is ended with a deletion on the
server (a tombstone child of its leaf), so exactly one live branch is left. Keeping
the server's version also makes it our head, so the next local edit descends from it.
The network part (`settle_on_server`) and the database part (`adopt_remote_head`,
`mark_resolved`) are separate steps: no transaction is held while the network is slow.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from medassist_desktop.core.sync import local_state
from medassist_desktop.core.sync.couchdb import CouchDBClient
from medassist_desktop.core.sync.db import DBConnection, TransactionProvider, utc_now
from medassist_desktop.core.sync.errors import SyncError
from medassist_desktop.core.sync.local_state import RemoteDoc
from medassist_desktop.i18n.catalogue import N_

# Where the conflict scan of the changes feed stopped (sync_state key, per replication).
SCAN_KEY_PREFIX = "conflict_scan:"
# Fields of a document that say what it is, not what it holds: not compared.
_META_FIELDS = frozenset({"type", "clinic"})


class Keep(StrEnum):
    LOCAL = "local"  # this computer's version stays; the server's branch is ended
    SERVER = "server"  # the server's version replaces ours here and there


class ConflictNotFoundError(SyncError):
    """No open conflict with that document (and revision)."""


class ConflictAmbiguousError(SyncError):
    """The document has more than one open conflict: name the server revision."""


class ServerVersionGoneError(SyncError):
    """The server no longer holds the revision the conflict names."""


@dataclass(frozen=True)
class Conflict:
    """One open conflict with both versions' bodies (without the underscore fields)."""

    doc_id: str
    local_rev: str  # our revision when the conflict was found
    head_rev: str  # our head now (later local edits extend our branch)
    remote_rev: str
    detected_at: str
    local_body: dict[str, Any] | None  # None: no longer kept here (pruned)
    remote_body: dict[str, Any]

    @property
    def doc_type(self) -> str:
        return self.doc_id.split(":", 1)[0]

    def fields(self) -> list[FieldPair]:
        """Both versions field by field, nested fields as `details.age_months`."""
        ours = flatten(self.local_body or {})
        theirs = flatten(self.remote_body)
        names = sorted(set(ours) | set(theirs), key=_field_order)
        return [FieldPair(name, ours.get(name), theirs.get(name)) for name in names]

    def as_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "doc_type": self.doc_type,
            "local_rev": self.local_rev,
            "head_rev": self.head_rev,
            "remote_rev": self.remote_rev,
            "detected_at": self.detected_at,
            "fields": [pair.as_dict() for pair in self.fields()],
            "local": self.local_body,
            "server": self.remote_body,
        }


@dataclass(frozen=True)
class FieldPair:
    name: str
    local: str | None  # None: the field is absent in that version
    server: str | None

    @property
    def differs(self) -> bool:
        return self.local != self.server

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.name,
            "local": self.local,
            "server": self.server,
            "differs": self.differs,
        }


def flatten(body: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """Readable `name -> text` pairs: nested objects joined with dots, lists as JSON."""
    flat: dict[str, str] = {}
    for key, value in body.items():
        if not prefix and key in _META_FIELDS:
            continue
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            flat.update(flatten(value, f"{name}."))
        elif isinstance(value, str):
            flat[name] = value
        else:
            flat[name] = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return flat


def _field_order(name: str) -> tuple[int, str]:
    """What a person compares first: the case details, then the triage, then the rest."""
    for rank, start in enumerate(("details.", "triage.level", "triage.")):
        if name.startswith(start):
            return rank, name
    return 3, name


# --- finding conflicts -------------------------------------------------------------------


def scan_key(replication_id: str) -> str:
    return SCAN_KEY_PREFIX + replication_id


def scan_feed(
    client: CouchDBClient,
    store: TransactionProvider,
    *,
    replication_id: str,
    batch_size: int,
    skip_prefixes: tuple[str, ...],
) -> int:
    """Walk the changes feed since the last scan; record conflicts on our documents.

    Documents under `skip_prefixes` are the pull's to judge. Returns how many new
    conflicts were recorded. The scan's position is saved after each page, so an
    interrupted scan resumes; recording is idempotent, so scanning again is harmless.
    """
    key = scan_key(replication_id)
    with store.transaction() as conn:
        saved = local_state.get_state(conn, key)
    since: Any = json.loads(saved) if saved is not None else 0
    found = 0
    while True:
        results, last_seq = client.changes(since, batch_size, style="all_docs")
        if not results:
            break
        branched = {
            str(r["id"]): [str(c["rev"]) for c in r.get("changes", [])]
            for r in results
            if len(r.get("changes", [])) > 1 and not str(r.get("id", "")).startswith(skip_prefixes)
        }
        if branched:
            found += _record_branches(client, store, branched)
        with store.transaction() as conn:
            local_state.set_state(conn, key, json.dumps(last_seq))
        since = last_seq
        if len(results) < batch_size:
            break
    return found


def _record_branches(
    client: CouchDBClient, store: TransactionProvider, branched: dict[str, list[str]]
) -> int:
    with store.transaction() as conn:
        heads = _local_heads(conn, branched)
    wanted = [
        (doc_id, rev)
        for doc_id, leaves in branched.items()
        if heads.get(doc_id) in leaves
        for rev in leaves
        if rev != heads[doc_id]
    ]
    if not wanted:
        return 0
    docs = [RemoteDoc.from_couch(doc) for doc in client.bulk_get(wanted)]
    found = 0
    with store.transaction() as conn:
        for doc in docs:
            if not doc.deleted and local_state.record_conflict(conn, doc, heads[doc.doc_id]):
                found += 1
    return found


def _local_heads(conn: DBConnection, doc_ids: Iterable[str]) -> dict[str, str]:
    """Our head revision of each document we edited here (pulled-only ones are not ours)."""
    heads: dict[str, str] = {}
    for doc_id in doc_ids:
        row = conn.execute(
            "SELECT rev FROM sync_revisions WHERE doc_id = ? AND origin = 'local'", (doc_id,)
        ).fetchone()
        if row is not None:
            heads[doc_id] = str(row[0])
    return heads


# --- reading them ------------------------------------------------------------------------


def open_conflicts(conn: DBConnection, limit: int = 200) -> list[Conflict]:
    rows = conn.execute(
        "SELECT doc_id, remote_rev FROM sync_conflicts WHERE resolved_at IS NULL"
        " ORDER BY detected_at, doc_id LIMIT ?",
        (limit,),
    ).fetchall()
    return [read_conflict(conn, str(r[0]), str(r[1])) for r in rows]


def find_conflict(conn: DBConnection, doc_id: str, remote_rev: str | None = None) -> Conflict:
    """The open conflict of `doc_id` (with `remote_rev` when the document has several)."""
    rows = conn.execute(
        "SELECT remote_rev FROM sync_conflicts WHERE doc_id = ? AND resolved_at IS NULL"
        " ORDER BY detected_at",
        (doc_id,),
    ).fetchall()
    revs = [str(r[0]) for r in rows]
    if remote_rev is not None:
        revs = [rev for rev in revs if rev == remote_rev]
    if not revs:
        raise ConflictNotFoundError(
            N_(
                "There is no open sync conflict for {doc_id} at the server's revision {rev}.",
                doc_id=doc_id,
                rev=remote_rev,
            )
            if remote_rev
            else N_("There is no open sync conflict for {doc_id}.", doc_id=doc_id),
            hint=N_("`medassist sync conflicts --as ADMIN` lists the open ones."),
        )
    if len(revs) > 1:
        raise ConflictAmbiguousError(
            N_(
                "{doc_id} has {count} open conflicts ({revs}).",
                doc_id=doc_id,
                count=len(revs),
                revs=", ".join(revs),
            ),
            hint=N_("Name the server's revision with --rev."),
        )
    return read_conflict(conn, doc_id, revs[0])


def read_conflict(conn: DBConnection, doc_id: str, remote_rev: str) -> Conflict:
    row = conn.execute(
        "SELECT local_rev, remote_body, detected_at FROM sync_conflicts"
        " WHERE doc_id = ? AND remote_rev = ?",
        (doc_id, remote_rev),
    ).fetchone()
    if row is None:
        raise ConflictNotFoundError(
            N_("There is no sync conflict for {doc_id} at {rev}.", doc_id=doc_id, rev=remote_rev)
        )
    local_rev = str(row[0])
    head = conn.execute("SELECT rev FROM sync_revisions WHERE doc_id = ?", (doc_id,)).fetchone()
    head_rev = str(head[0]) if head is not None else local_rev
    return Conflict(
        doc_id=doc_id,
        local_rev=local_rev,
        head_rev=head_rev,
        remote_rev=remote_rev,
        detected_at=str(row[2]),
        local_body=_outbox_body(conn, doc_id, (head_rev, local_rev)),
        remote_body=json.loads(row[1]),
    )


def _outbox_body(conn: DBConnection, doc_id: str, revs: tuple[str, ...]) -> dict[str, Any] | None:
    for rev in revs:
        row = conn.execute(
            "SELECT body FROM sync_outbox WHERE doc_id = ? AND rev = ?", (doc_id, rev)
        ).fetchone()
        if row is not None:
            body: dict[str, Any] = json.loads(row[0])
            return body
    return None


# --- settling them -----------------------------------------------------------------------


def settle_on_server(client: CouchDBClient, conflict: Conflict, keep: Keep) -> RemoteDoc | None:
    """End the losing branch on the server; returns the server's version when it is kept.

    Keeping ours deletes the server's leaf. Keeping theirs fetches it (with its history,
    to become our head) and deletes our leaves: the one in conflict and, if later edits
    of ours reached the server, our head.
    """
    if keep is Keep.LOCAL:
        client.delete_leaf(conflict.doc_id, conflict.remote_rev)
        return None
    fetched = client.bulk_get([(conflict.doc_id, conflict.remote_rev)])
    if not fetched:
        raise ServerVersionGoneError(
            N_(
                "The server no longer has the version of {doc_id} in conflict ({rev}).",
                doc_id=conflict.doc_id,
                rev=conflict.remote_rev,
            ),
            hint=N_("Sync again: the conflict list is brought up to date."),
        )
    remote = RemoteDoc.from_couch(fetched[0])
    ours = [conflict.head_rev, conflict.local_rev]  # the head descends from the other
    live = client.live_leaves(conflict.doc_id)
    for rev in ours:
        if rev in live:
            client.delete_leaf(conflict.doc_id, rev)
            break
    return remote


def adopt_remote_head(conn: DBConnection, remote: RemoteDoc) -> int:
    """Make the server's version our head; retire our queued edits of the document.

    Returns how many queued rows were retired. The caller then saves the document's
    content locally, which queues a new revision descending from the server's.
    """
    cursor = conn.execute(
        "UPDATE sync_outbox SET status = 'superseded', done_at = ?, note = 'the server''s"
        " version was kept in a sync conflict' WHERE doc_id = ? AND status = 'pending'",
        (utc_now(), remote.doc_id),
    )
    local_state.record_remote_head(conn, remote)
    return max(cursor.rowcount, 0)


def mark_resolved(conn: DBConnection, conflict: Conflict) -> None:
    conn.execute(
        "UPDATE sync_conflicts SET resolved_at = ? WHERE doc_id = ? AND remote_rev = ?",
        (utc_now(), conflict.doc_id, conflict.remote_rev),
    )
