"""The audit trail: append-only, every entry HMAC-chained to the one before it.

Each entry's `hash` is HMAC-SHA256 (keyed from the keyring, or from the passphrase-
derived key) over its own fields and the previous entry's hash. Editing an entry
breaks its own hash; deleting one breaks the link of the next; deleting the newest
ones is caught by `audit_head`, a keyed record of the last id and hash updated in the
same transaction. Triggers refuse UPDATE and DELETE, and the chain still catches
someone who drops them, since forging a hash needs the key.

Two things the database alone cannot show: a chain wiped whole (with its head) and an
older copy of the file put back. The first entry of every new database is a genesis
entry, so an empty chain in a database that has accounts is broken; and an anchor
outside the file (`core.security.audit_anchor`) records the newest entry, so a chain
that no longer reaches it was rolled back or truncated.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Protocol, TextIO

from loguru import logger

from medassist_desktop.core.security.audit_anchor import (
    ANCHOR_INTERVAL_S,
    Anchor,
    AnchorAlteredError,
    AuditAnchor,
)
from medassist_desktop.core.sync import shared
from medassist_desktop.errors import KnownError
from medassist_desktop.storage.database import Connection, Database

GENESIS = "0" * 64
GENESIS_ACTION = "audit.genesis"
# How a chain in a database with accounts begins: its genesis entry, or (a database from
# before genesis entries) the first admin's creation. Anything else was rebuilt after a wipe.
CHAIN_STARTS = frozenset({GENESIS_ACTION, "user.create"})
Clock = Callable[[], float]
AuditObserver = Callable[[str, str, dict[str, Any]], None]
_log = logger.bind(area="security")


class AuditTrailBrokenError(KnownError):
    """The chain does not reach its anchor outside the database: rolled back or cut."""

    exit_code = 3


class Outcome(StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"
    DENIED = "denied"


@dataclass(frozen=True)
class AuditEntry:
    id: int
    ts: str
    actor_id: int | None
    actor: str | None
    action: str
    resource: str
    outcome: str
    ip_address: str | None
    details: str
    prev_hash: str
    hash: str

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["details"] = json.loads(self.details)
        return data


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    entries_checked: int
    first_broken_id: int | None = None
    reason: str | None = None


_COLUMNS = (
    "id, ts, actor_id, actor, action, resource, outcome, ip_address, details, prev_hash, hash"
)


def _digest(key: bytes, fields: list[Any]) -> str:
    message = json.dumps(fields, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


class AuditSink(Protocol):
    """What a writer of audit entries needs: `AuditLog`, or an adapter that appends on
    the database's own thread (`services/on_database_thread.py`)."""

    def append(
        self,
        user_id: int | None,
        action: str,
        resource: str,
        outcome: Outcome,
        *,
        ip_address: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> int: ...


class AuditLog:
    """Appends to and verifies the chain. Writes join the caller's transaction if one is open,
    so an action and its audit entry are committed together or not at all.

    With `share_with_clinic` (the clinic id), every entry is also queued for the clinic's
    sync server in the same transaction (the sync tables must exist: the app's schema).
    """

    def __init__(
        self,
        db: Database,
        key: bytes,
        *,
        clock: Clock = time.time,
        share_with_clinic: str | None = None,
    ) -> None:
        if len(key) < 32:
            raise ValueError("the audit key must be at least 32 bytes")
        self._db = db
        self._key = key
        self._clock = clock
        self._clinic_id = share_with_clinic
        self._observers: list[AuditObserver] = []
        self._anchor: AuditAnchor | None = None
        self._anchor_frozen = False  # a rolled-back chain must not move the anchor
        self._anchored_at = 0.0
        self._monotonic = time.monotonic

    def on_connection(self, db: Database) -> AuditLog:
        """The same chain, written through another connection of the same database (for
        work on a thread of its own): same key, clock, sharing and observers. Entries take
        turns with this log's in write transactions, so the chain stays one chain; the
        anchor stays with this log, which moves it to the newest entry (both logs') at its
        next write, every 30 s and at close."""
        twin = AuditLog(db, self._key, clock=self._clock, share_with_clinic=self._clinic_id)
        twin._observers = self._observers
        return twin

    # -- the operations guide's API ----------------------------------------------------

    def log_access(self, user_id: int | None, action: str, resource: str, success: bool) -> int:
        return self.append(user_id, action, resource, _outcome(success))

    def log_auth_event(
        self,
        user_id: int | None,
        event: str,
        success: bool,
        ip_address: str | None = None,
        **details: Any,
    ) -> int:
        return self.append(
            user_id,
            f"auth.{event}",
            "session",
            _outcome(success),
            ip_address=ip_address,
            details=details,
        )

    def log_case_access(
        self,
        user_id: int,
        case_id: str | int,
        action: str,
        details: dict[str, Any] | None = None,
    ) -> int:
        return self.append(
            user_id, f"case.{action}", f"case:{case_id}", Outcome.SUCCESS, details=details
        )

    def log_config_change(
        self, user_id: int | None, setting: str, old_value: Any, new_value: Any
    ) -> int:
        return self.append(
            user_id,
            "config.change",
            f"setting:{setting}",
            Outcome.SUCCESS,
            details={"old": old_value, "new": new_value},
        )

    def pseudonym(self, text: str) -> str:
        """A keyed hash of `text` (16 hex digits): the same name gives the same value, so
        repeated attempts can be told apart, but what was typed is never written."""
        digest = hmac.new(self._key, b"pseudonym\x00" + text.encode("utf-8"), hashlib.sha256)
        return digest.hexdigest()[:16]

    # -- the chain ---------------------------------------------------------------------

    def append(
        self,
        user_id: int | None,
        action: str,
        resource: str,
        outcome: Outcome,
        *,
        ip_address: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> int:
        ts = datetime.fromtimestamp(self._clock(), UTC).isoformat(timespec="milliseconds")
        details_text = json.dumps(details or {}, sort_keys=True, ensure_ascii=False, default=str)
        top_level = not self._db.in_transaction
        with self._db.transaction() as conn:
            actor = None
            if user_id is not None:
                row = conn.execute("SELECT username FROM users WHERE id = ?", (user_id,)).fetchone()
                actor = row[0] if row else None
            last = conn.execute(
                "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1"
            ).fetchone()
            seq = conn.execute(
                "SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'"
            ).fetchone()
            entry_id = max(int(seq[0]) if seq else 0, int(last[0]) if last else 0) + 1
            prev_hash = str(last[1]) if last else GENESIS
            fields = [
                entry_id,
                ts,
                user_id,
                actor,
                action,
                resource,
                str(outcome),
                ip_address,
                details_text,
                prev_hash,
            ]
            entry_hash = _digest(self._key, fields)
            conn.execute(
                f"INSERT INTO audit_log ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*fields, entry_hash),
            )
            self._write_head(conn, entry_id, entry_hash)
            if self._clinic_id is not None:
                self._share(conn, fields, entry_hash)
        if top_level and self._monotonic() - self._anchored_at >= ANCHOR_INTERVAL_S:
            self.save_anchor()  # committed: the anchor may move up to it
        for observer in self._observers:
            try:
                observer(action, str(outcome), details or {})
            except Exception:  # noqa: BLE001 - a broken observer must never stop the audit
                _log.opt(exception=True).error("Audit observer failed for {}", action)
        return entry_id

    def add_observer(self, observer: AuditObserver) -> None:
        """Told `(action, outcome, details)` after each entry is written: what the app's
        metrics count (consults, lockouts, triage levels) without a hook in every service."""
        self._observers.append(observer)

    # -- genesis and the anchor outside the database ---------------------------------

    def write_genesis(self, details: dict[str, Any] | None = None) -> int | None:
        """The first entry of a new database; nothing once it has entries or accounts."""
        with self._db.transaction() as conn:
            # With accounts but no entries the chain was wiped: never paper over that.
            if conn.execute(
                "SELECT 1 FROM audit_log UNION ALL SELECT 1 FROM users LIMIT 1"
            ).fetchone():
                return None
            entry_id = self.append(
                None, GENESIS_ACTION, "audit_log", Outcome.SUCCESS, details=details
            )
        self.save_anchor()
        return entry_id

    def attach_anchor(self, anchor: AuditAnchor) -> str | None:
        """Use `anchor` from now on; returns why the chain does not match it (None: it does).

        When it does not, the anchor is never moved again in this run, so the rollback
        stays visible to `verify` until an admin deals with it.
        """
        self._anchor = anchor
        problem = self.anchor_problem()
        self._anchor_frozen = problem is not None
        if problem is None:
            self.save_anchor()
        return problem

    def _missing_anchor_problem(self, where: str) -> str | None:
        """No anchor yet: fine for a database from before anchors (anchored from now on),
        not for one that began with a genesis entry (its anchor was written then)."""
        first = self._db.query_one("SELECT action FROM audit_log ORDER BY id LIMIT 1")
        if first is not None and first[0] == GENESIS_ACTION:
            return f"the audit anchor in {where} is missing"
        return None

    def reanchor(self) -> None:
        """Anchor the chain where it ends now, even after a rollback (an admin accepted it)."""
        self._anchor_frozen = False
        self.save_anchor()

    def head(self) -> Anchor | None:
        row = self._db.query_one("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
        return Anchor(int(row[0]), str(row[1])) if row else None

    def save_anchor(self) -> None:
        """Record the newest committed entry outside the database (open, close, every 30 s)."""
        if self._anchor is None or self._anchor_frozen or self._db.in_transaction:
            return
        head = self.head()
        if head is not None:
            self._anchor.save(head)
            self._anchored_at = self._monotonic()

    def anchor_problem(self) -> str | None:
        """Why the chain in the database does not reach the anchor; None when it does."""
        if self._anchor is None:
            return None
        where = self._anchor.location
        try:
            anchor = self._anchor.load()
        except AnchorAlteredError as exc:
            return f"the audit anchor in {where} was altered ({exc})"
        if anchor is None:
            return self._missing_anchor_problem(where)
        row = self._db.query_one("SELECT hash FROM audit_log WHERE id = ?", (anchor.last_id,))
        if row is None:
            head = self.head()
            return (
                f"the audit trail was rolled back or truncated: it ends at entry "
                f"{head.last_id if head else 0}, but entry {anchor.last_id} was recorded "
                f"in {where}"
            )
        if not hmac.compare_digest(str(row[0]), anchor.last_hash):
            return (
                f"the audit trail was rolled back or replaced: entry {anchor.last_id} differs "
                f"from the one recorded in {where}"
            )
        return None

    def _share(self, conn: Connection, fields: list[Any], entry_hash: str) -> None:
        names = [name.strip() for name in _COLUMNS.split(",")]
        entry = dict(zip(names, [*fields, entry_hash], strict=True))
        entry["details"] = json.loads(entry["details"])
        entry["entry_id"] = entry.pop("id")
        assert self._clinic_id is not None
        shared.share(
            conn,
            shared.AUDIT,
            self._clinic_id,
            shared.node_scoped(conn, entry["entry_id"]),
            entry,
        )

    def _head_mac(self, last_id: int, last_hash: str) -> str:
        return _digest(self._key, ["head", last_id, last_hash])

    def _write_head(self, conn: Connection, last_id: int, last_hash: str) -> None:
        conn.execute(
            "INSERT INTO audit_head (id, last_id, last_hash, mac) VALUES (1, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET last_id = excluded.last_id, "
            "last_hash = excluded.last_hash, mac = excluded.mac",
            (last_id, last_hash, self._head_mac(last_id, last_hash)),
        )

    def entries(self, *, after_id: int = 0) -> Iterator[AuditEntry]:
        """Entries in order, streamed (the log can be long)."""
        cursor = self._db.execute(
            f"SELECT {_COLUMNS} FROM audit_log WHERE id > ? ORDER BY id", (after_id,)
        )
        for row in cursor:
            yield AuditEntry(*row)

    def search(
        self,
        *,
        actor: str = "",
        action: str = "",
        since: str | None = None,
        before: str | None = None,
        limit: int = 500,
    ) -> list[AuditEntry]:
        """The newest entries first, by user name, action (a prefix: "case." finds every case
        action) and time (ISO timestamps, `since` inclusive, `before` exclusive)."""
        where, params = ["1 = 1"], []
        if actor:
            where.append("actor = ? COLLATE NOCASE")
            params.append(actor)
        if action:
            where.append("action LIKE ? ESCAPE '\\'")
            escaped = action.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            params.append(escaped + "%")
        if since:
            where.append("ts >= ?")
            params.append(since)
        if before:
            where.append("ts < ?")
            params.append(before)
        rows = self._db.query_all(
            f"SELECT {_COLUMNS} FROM audit_log WHERE {' AND '.join(where)}"
            " ORDER BY id DESC LIMIT ?",
            (*params, max(1, limit)),
        )
        return [AuditEntry(*row) for row in rows]

    def verify(self) -> VerifyResult:
        """Walk the whole chain; report the first entry that is altered, missing or out of place."""
        prev_hash, prev_id, checked = GENESIS, 0, 0
        has_accounts = bool(self._db.scalar("SELECT count(*) FROM users"))
        for entry in self.entries():
            if entry.id == 1 and has_accounts and entry.action not in CHAIN_STARTS:
                return VerifyResult(
                    False, 0, 1, "chain broken: it does not begin with its genesis entry"
                )
            if entry.prev_hash != prev_hash or entry.id != prev_id + 1:
                missing = (
                    f"entries {prev_id + 1}-{entry.id - 1} are missing"
                    if (entry.id > prev_id + 1)
                    else "the entry before it was altered"
                )
                return VerifyResult(False, checked, entry.id, f"chain broken: {missing}")
            fields = [
                entry.id,
                entry.ts,
                entry.actor_id,
                entry.actor,
                entry.action,
                entry.resource,
                entry.outcome,
                entry.ip_address,
                entry.details,
                entry.prev_hash,
            ]
            if not hmac.compare_digest(_digest(self._key, fields), entry.hash):
                return VerifyResult(False, checked, entry.id, "entry was altered (hash mismatch)")
            prev_hash, prev_id, checked = entry.hash, entry.id, checked + 1
        return self._check_end(checked, prev_id, prev_hash, has_accounts=has_accounts)

    def _check_end(
        self, checked: int, prev_id: int, prev_hash: str, *, has_accounts: bool
    ) -> VerifyResult:
        """After the walk: nothing wiped, nothing cut off the end, the anchor reached."""
        if checked == 0 and has_accounts:
            return VerifyResult(
                False, 0, 1, "the audit trail is empty but accounts exist: it was wiped"
            )
        result = self._check_head(checked, prev_id, prev_hash)
        if not result.ok:
            return result
        problem = self.anchor_problem()
        if problem is not None:
            return VerifyResult(False, checked, prev_id + 1, problem)
        return result

    def _check_head(self, checked: int, prev_id: int, prev_hash: str) -> VerifyResult:
        """The keyed head record catches entries deleted from the end of the log."""
        head = self._db.query_one("SELECT last_id, last_hash, mac FROM audit_head WHERE id = 1")
        if head is None:
            if checked:
                return VerifyResult(False, checked, prev_id, "the chain's head record is missing")
            return VerifyResult(True, 0)
        last_id, last_hash, mac = int(head[0]), str(head[1]), str(head[2])
        if not hmac.compare_digest(self._head_mac(last_id, last_hash), mac):
            return VerifyResult(False, checked, last_id, "the chain's head record was altered")
        if last_id != prev_id or last_hash != prev_hash:
            return VerifyResult(
                False,
                checked,
                prev_id + 1,
                f"entries {prev_id + 1}-{last_id} at the end of the log are missing",
            )
        return VerifyResult(True, checked)

    def export_jsonl(self, out: TextIO, *, after_id: int = 0) -> int:
        """Write entries as JSON lines (for an inspector); returns how many."""
        count = 0
        for entry in self.entries(after_id=after_id):
            out.write(json.dumps(entry.as_dict(), ensure_ascii=False) + "\n")
            count += 1
        return count


def _outcome(success: bool) -> Outcome:
    return Outcome.SUCCESS if success else Outcome.FAILURE
