"""Compare the sync server's copy of this installation's audit entries with the local chain.

Anyone holding the database key can drop the audit triggers, delete entries and rebuild
the chain, its head and the anchor outside the file: everything on this computer can be
rewritten. The entries already on the clinic's server cannot be, from here, so after
every push the run checks the two against each other:

- every local entry up to the last one the server acknowledged is on the server, with
  the same hash and revision (so the same content);
- the server holds no entry of this installation that the local chain lacks (a local
  truncation or rollback after they were pushed), and none it changed or deleted.

Cheap on every run, never a full download: the server keeps a witness (`_local`
document, one per installation) of the last entry checked and its hash. Because each
entry's hash covers the one before it, a local chain that still has that entry with
that hash, and every id up to it, matches everything the server checked before; only
the entries pushed since (a few per run) are fetched by id and compared by hash and
content. Entries changed on the
server show in its changes feed, which the pull reads anyway (`note_changes`); only
those whose revision differs from ours are fetched. Only when something is wrong does
a binary search over the chain (one document per step) find the first entry that
differs, so the reason can name it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from medassist_desktop.core.sync import local_state
from medassist_desktop.core.sync.couchdb import CouchDBClient
from medassist_desktop.core.sync.db import DBConnection, TransactionProvider, utc_now
from medassist_desktop.core.sync.outbox import content_hash

# `_local/<WITNESS_PREFIX><node id>`: the last entry the server's copy was checked through.
WITNESS_PREFIX = "medassist-audit-"
# sync_state key: the last comparison's result (JSON), for status and health in any process.
STATE_KEY = "audit_copy"
# Server changes to our entries seen but not yet resolved (JSON list of entry ids).
FLAGGED_KEY = "audit_copy_flagged"
PAGE = 200


class AuditCopyState(StrEnum):
    UNCHECKED = "unchecked"  # no comparison yet (sync never reached the server)
    MATCHES = "matches"
    GAP = "gap"  # an entry missing or different on one side: see the reason


@dataclass(frozen=True)
class AuditCopyResult:
    """One comparison: the state, the highest entry known to match, the first bad one."""

    state: AuditCopyState
    verified_through: int | None = None
    first_bad_id: int | None = None
    reason: str | None = None
    checked_at: str | None = None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["state"] = self.state.value
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AuditCopyResult:
        return cls(
            state=AuditCopyState(str(data.get("state", AuditCopyState.UNCHECKED.value))),
            verified_through=_int_or_none(data.get("verified_through")),
            first_bad_id=_int_or_none(data.get("first_bad_id")),
            reason=str(data["reason"]) if data.get("reason") else None,
            checked_at=str(data["checked_at"]) if data.get("checked_at") else None,
        )


def stored_result(conn: DBConnection) -> AuditCopyResult:
    """The last comparison saved in the sync state (UNCHECKED when there was none)."""
    text = local_state.get_state(conn, STATE_KEY)
    if not text:
        return AuditCopyResult(AuditCopyState.UNCHECKED)
    try:
        return AuditCopyResult.from_dict(json.loads(text))
    except (ValueError, TypeError):
        return AuditCopyResult(AuditCopyState.UNCHECKED)


@dataclass(frozen=True)
class _Problem:
    entry_id: int
    reason: str


@dataclass(frozen=True)
class _Local:
    node: str
    prefix: str
    local_max: int
    acked: int  # the highest entry whose outbox row (and every earlier one) left the outbox
    flagged: list[int]


class AuditCopyCheck:
    """The comparison for one clinic's entries written on this installation."""

    def __init__(self, clinic_id: str) -> None:
        self.clinic_id = clinic_id
        self._seen: dict[str, str] = {}  # doc id -> revision, from the server's changes feed

    def note_changes(self, results: Iterable[Mapping[str, Any]]) -> None:
        """Remember the revisions the server's changes feed shows for our audit entries."""
        clinic_prefix = f"audit:{self.clinic_id}:"
        for result in results:
            doc_id = str(result.get("id", ""))
            changes = result.get("changes") or []
            if doc_id.startswith(clinic_prefix) and changes:
                rev = str(changes[0].get("rev", ""))
                self._seen[doc_id] = "deleted" if result.get("deleted") else rev

    def compare(self, client: CouchDBClient, store: TransactionProvider) -> AuditCopyResult:
        """Compare, save the result in the sync state, and move the server's witness up to
        the last entry that matched (only when everything matched)."""
        seen, self._seen = self._seen, {}
        run = _Comparison(client, store, _read_local(store, self.clinic_id))
        result = run.compare(seen)
        with store.transaction() as conn:
            local_state.set_state(conn, STATE_KEY, json.dumps(result.as_dict(), sort_keys=True))
            local_state.set_state(conn, FLAGGED_KEY, json.dumps(run.flagged))
        return result


def _read_local(store: TransactionProvider, clinic_id: str) -> _Local:
    """One snapshot: an entry and its outbox row are committed together, so with no
    pending row at or below an id, every entry up to it has left the outbox."""
    with store.transaction() as conn:
        node = local_state.node_id(conn)
        prefix = f"audit:{clinic_id}:{node}."
        local_max = int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM audit_log").fetchone()[0])
        low, high = _id_range(prefix)
        row = conn.execute(
            "SELECT MIN(CAST(substr(doc_id, ?) AS INTEGER)) FROM sync_outbox"
            " WHERE status = 'pending' AND doc_id >= ? AND doc_id < ?",
            (len(prefix) + 1, low, high),
        ).fetchone()
        first_pending = _int_or_none(row[0])
        flagged_text = local_state.get_state(conn, FLAGGED_KEY)
    acked = first_pending - 1 if first_pending is not None else local_max
    flagged = [int(i) for i in json.loads(flagged_text)] if flagged_text else []
    return _Local(node, prefix, local_max, acked, flagged)


class _Comparison:
    """One run's comparison: the server's client, the local database, the local facts."""

    def __init__(self, client: CouchDBClient, store: TransactionProvider, local: _Local) -> None:
        self.client = client
        self.store = store
        self.local = local
        self.flagged: list[int] = []
        # Server documents already fetched in this run (the id after the last local entry
        # rides along with the last page of new entries: one request fewer per run).
        self._fetched: dict[str, dict[str, Any] | None] = {}

    def compare(self, seen: Mapping[str, str]) -> AuditCopyResult:
        local = self.local
        witness_name = WITNESS_PREFIX + local.node
        witness = self.client.get_local(witness_name)
        problems: list[_Problem] = []
        start = _int_or_none(witness.get("last_id")) if witness else None
        first = _int_or_none(witness.get("first_id")) if witness else None
        if witness is not None and start is not None and first is not None:
            problems += self._check_witnessed(first, start, str(witness.get("last_hash", "")))
        else:
            first = _first_shared(self.store, local.prefix)
            start = first - 1 if first is not None else None
        if start is not None and not problems:
            problems += self._check_range(start, local.acked)
        if start is not None and not problems and local.acked == local.local_max:
            problems += self._check_beyond(local.acked + 1)
        changed = self._check_server_changes(seen)
        self.flagged = sorted(p.entry_id for p in changed)
        problems += changed
        now = utc_now()
        if problems:
            worst = min(problems, key=lambda p: p.entry_id)
            return AuditCopyResult(
                AuditCopyState.GAP,
                verified_through=start if start is not None and start >= 0 else None,
                first_bad_id=worst.entry_id,
                reason=worst.reason,
                checked_at=now,
            )
        checked = local.acked if start is not None else None
        if checked is not None and first is not None and checked >= first:
            self._move_witness(witness_name, witness, first, checked)
        return AuditCopyResult(AuditCopyState.MATCHES, verified_through=checked, checked_at=now)

    # --- the checks -----------------------------------------------------------------------

    def _check_witnessed(self, first: int, last: int, last_hash: str) -> list[_Problem]:
        """The local chain still holds every entry the server checked, ending in its hash."""
        with self.store.transaction() as conn:
            count = int(
                conn.execute(
                    "SELECT COUNT(*) FROM audit_log WHERE id BETWEEN ? AND ?", (first, last)
                ).fetchone()[0]
            )
            missing = None
            if count != last - first + 1:
                expected = first
                for (entry_id,) in conn.execute(
                    "SELECT id FROM audit_log WHERE id BETWEEN ? AND ? ORDER BY id", (first, last)
                ).fetchall():
                    if int(entry_id) != expected:
                        break
                    expected += 1
                missing = expected
            row = conn.execute("SELECT hash FROM audit_log WHERE id = ?", (last,)).fetchone()
        if missing is not None:
            return [
                _Problem(
                    missing,
                    f"audit entry {missing} is on the sync server but missing from this "
                    "computer's audit trail: entries were deleted or the trail rolled back",
                )
            ]
        if row is not None and str(row[0]) == last_hash:
            return []
        bad = self._first_difference(first, last)
        return [
            _Problem(
                bad,
                f"audit entry {bad} on this computer differs from the sync server's copy: "
                "the trail was rewritten or rolled back",
            )
        ]

    def _first_difference(self, low: int, high: int) -> int:
        """The first entry whose local hash differs from the server's (`high` differs).
        Each hash covers the one before it, so the entries match up to a point and differ
        after it: a binary search, one document per step."""
        while low < high:
            middle = (low + high) // 2
            doc_id = self.local.prefix + str(middle)
            server = self.client.docs_by_id([doc_id]).get(doc_id)
            with self.store.transaction() as conn:
                row = conn.execute("SELECT hash FROM audit_log WHERE id = ?", (middle,)).fetchone()
            if server is not None and row is not None and _same_entry(server, str(row[0])):
                low = middle + 1
            else:
                high = middle
        return high

    def _check_range(self, after: int, through: int) -> list[_Problem]:
        """Entries pushed since the last check: each on the server as it is here."""
        probe = [self.local.prefix + str(through + 1)] if through == self.local.local_max else []
        for page_start in range(after + 1, through + 1, PAGE):
            last_page = page_start + PAGE > through
            problem = self._compare_ids(
                range(page_start, min(page_start + PAGE, through + 1)),
                also=probe if last_page else (),
            )
            if problem is not None:
                return [problem]
        return []

    def _check_beyond(self, entry_id: int) -> list[_Problem]:
        """Everything here was pushed: the server must not hold the entry after the last."""
        doc_id = self.local.prefix + str(entry_id)
        if doc_id not in self._fetched:
            self._fetched.update(self.client.docs_by_id([doc_id]))
        if self._fetched[doc_id] is None:
            return []
        return [
            _Problem(
                entry_id,
                f"audit entry {entry_id} is on the sync server but not in this computer's "
                "audit trail: the trail was truncated or rolled back",
            )
        ]

    def _compare_ids(self, ids: Sequence[int], also: Sequence[str] = ()) -> _Problem | None:
        doc_ids = [self.local.prefix + str(i) for i in ids]
        server = self.client.docs_by_id([*doc_ids, *also])
        self._fetched.update({doc_id: server.get(doc_id) for doc_id in also})
        mine = self._local_entries(ids)
        for entry_id, doc_id in zip(ids, doc_ids, strict=True):
            here = mine.get(entry_id)
            there = server.get(doc_id)
            if here is None:
                return _Problem(
                    entry_id,
                    f"audit entry {entry_id} is missing from this computer's audit trail",
                )
            if there is None:
                return _Problem(
                    entry_id, f"audit entry {entry_id} is not on the sync server (or deleted there)"
                )
            body = {k: v for k, v in there.items() if not k.startswith("_")}
            same_content = not here[1] or content_hash(body, False) == here[1]
            if not (_same_entry(there, here[0]) and same_content):
                return _Problem(
                    entry_id, f"audit entry {entry_id} differs on the sync server from this copy"
                )
        return None

    def _local_entries(self, ids: Sequence[int]) -> dict[int, tuple[str, str | None]]:
        """id -> (hash, the content hash of the document we pushed) for the given entries."""
        marks = ",".join("?" * len(ids))
        doc_ids = tuple(self.local.prefix + str(i) for i in ids)
        with self.store.transaction() as conn:
            hashes = {
                int(r[0]): str(r[1])
                for r in conn.execute(
                    f"SELECT id, hash FROM audit_log WHERE id IN ({marks})",  # noqa: S608 - marks
                    tuple(ids),
                ).fetchall()
            }
            contents = _pushed_revisions(conn, doc_ids, column="content_hash")
        return {i: (h, contents.get(self.local.prefix + str(i))) for i, h in hashes.items()}

    def _check_server_changes(self, seen: Mapping[str, str]) -> list[_Problem]:
        """Entries the changes feed shows at a revision other than ours, and those found so
        before: fetched and compared; the ones that still differ are returned."""
        prefix = self.local.prefix
        suspects = set(self.local.flagged)
        ours = {doc_id: rev for doc_id, rev in seen.items() if doc_id.startswith(prefix)}
        if ours:
            with self.store.transaction() as conn:
                pushed = _pushed_revisions(conn, tuple(ours))
            for doc_id, rev in ours.items():
                entry = _int_or_none(doc_id[len(prefix) :])
                if entry is not None and doc_id in pushed and pushed[doc_id] != rev:
                    suspects.add(entry)
        still_bad: list[_Problem] = []
        for entry_id in sorted(suspects):
            problem = self._compare_ids([entry_id])
            if problem is not None:
                still_bad.append(problem)
        return still_bad

    def _move_witness(
        self, name: str, witness: Mapping[str, Any] | None, first: int, last: int
    ) -> None:
        if witness is not None and (witness.get("first_id"), witness.get("last_id")) == (
            first,
            last,
        ):
            return
        with self.store.transaction() as conn:
            row = conn.execute("SELECT hash FROM audit_log WHERE id = ?", (last,)).fetchone()
        if row is None:
            return
        body = {
            "first_id": first,
            "last_id": last,
            "last_hash": str(row[0]),
            "updated_at": utc_now(),
        }
        rev = witness.get("_rev") if witness is not None else None
        self.client.put_local(name, body, str(rev) if rev else None)


def _pushed_revisions(
    conn: DBConnection, doc_ids: Sequence[str], *, column: str = "rev"
) -> dict[str, str]:
    """doc id -> the revision (or `content_hash`) this installation queued for it."""
    if column not in ("rev", "content_hash"):
        raise ValueError(column)
    found: dict[str, str] = {}
    for start in range(0, len(doc_ids), PAGE):
        chunk = doc_ids[start : start + PAGE]
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(
            f"SELECT doc_id, {column} FROM sync_revisions WHERE doc_id IN ({marks})",  # noqa: S608
            tuple(chunk),
        ).fetchall():
            found[str(row[0])] = str(row[1])
    return found


def _same_entry(doc: Mapping[str, Any], entry_hash: str) -> bool:
    """The server's document is this entry as first pushed. An audit entry is written once:
    a later generation (an edit, or another entry pushed under the same id after a
    rollback) or a conflicting revision means the server's copy was overwritten."""
    return (
        doc.get("hash") == entry_hash
        and str(doc.get("_rev", "")).startswith("1-")
        and not doc.get("_conflicts")
    )


def _first_shared(store: TransactionProvider, prefix: str) -> int | None:
    """The first entry this installation queued for the server (older databases have
    entries from before the audit was shared): where a first comparison starts. A scan
    of the audit documents' revisions, so only done while the server keeps no witness."""
    low, high = _id_range(prefix)
    with store.transaction() as conn:
        row = conn.execute(
            "SELECT MIN(CAST(substr(doc_id, ?) AS INTEGER)) FROM sync_revisions"
            " WHERE origin = 'local' AND doc_id >= ? AND doc_id < ?",
            (len(prefix) + 1, low, high),
        ).fetchone()
    return _int_or_none(row[0])


def _id_range(prefix: str) -> tuple[str, str]:
    """Bounds of the ids that start with `prefix`, for an index range scan."""
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _int_or_none(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None
