"""One sync run: reachability -> push the outbox -> pull published documents -> status.

Network calls and database transactions never overlap: each batch is read in one
short transaction, sent, and marked in another, so a database owned by one worker
thread is never held while the network is slow. Everything a run learns is saved
before the next step, so a run cut at any point (server gone, network dropped, app
killed) resumes where it stopped and sends nothing twice.

After the pull, the server's copy of this installation's audit entries is compared with
the local chain (`audit_copy`): a gap there is the degraded `audit` capability, kept in
the sync state so every process (status, health) sees it.

Push resumes from the outbox itself (rows are marked sent only after the server
confirmed them) and checks the server's `_local` checkpoint: a server that lost what
it had confirmed (restored from a backup, database recreated) gets it again. Pull
resumes from the checkpoint saved in the same transaction as the pulled documents.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

import httpx
from loguru import logger

from medassist_desktop.core.degradation import AUDIT, CLOUD_SYNC, DegradationRegistry
from medassist_desktop.core.sync import conflicts, local_state, outbox
from medassist_desktop.core.sync.audit_copy import (
    AuditCopyCheck,
    AuditCopyResult,
    AuditCopyState,
    stored_result,
)
from medassist_desktop.core.sync.breaker import CircuitBreaker, CircuitOpenError, CircuitState
from medassist_desktop.core.sync.couchdb import (
    DEFAULT_TIMEOUT,
    CouchDBClient,
    PayloadTooLargeError,
    ServerConfig,
)
from medassist_desktop.core.sync.db import DBConnection, TransactionProvider, utc_now
from medassist_desktop.core.sync.errors import ServerUnreachableError, SyncError
from medassist_desktop.core.sync.local_state import PullDecision, RemoteDoc
from medassist_desktop.core.sync.resilience import RetryPolicy, TransientHTTPError
from medassist_desktop.errors import KnownError, new_error_id
from medassist_desktop.i18n.catalogue import N_

log = logger.bind(area="sync")

REPLICATOR = "medassist-desktop"
# The highest outbox row number deleted by pruning (sync_state key).
PRUNED_THROUGH = "outbox_pruned_through"


class SyncState(StrEnum):
    IDLE = "idle"  # last run succeeded (or none yet)
    SYNCING = "syncing"
    OFFLINE = "offline"  # server not reachable: changes wait in the outbox
    ERROR = "error"  # reachable, but the run failed: see the reason


class SyncAlreadyRunningError(SyncError):
    """A second run while one is in progress."""


@dataclass(frozen=True)
class SyncOptions:
    batch_size: int = 100
    pull_batch_size: int = 100
    # Only these documents are pulled: knowledge-base updates and clinic configuration.
    pull_prefixes: tuple[str, ...] = ("kb:", "config:")
    # Acknowledged outbox rows are deleted this long after the server confirmed them;
    # until then they can be sent again to a server that lost them (restored backup).
    retention_days: float = 30.0


@dataclass
class SyncReport:
    """What one run did. Counts are documents."""

    state: SyncState
    reason: str | None = None
    pushed: int = 0  # sent and stored by the server
    pulled: int = 0  # applied locally
    skipped: int = 0  # already on the other side, or replaced by a newer queued revision
    conflicts: int = 0  # new conflicts found (local edit kept)
    rejected: int = 0  # refused by the server for good (kept locally, shown)
    pruned: int = 0  # acknowledged outbox rows older than the retention period, deleted
    batches: int = 0
    batch_size: int = 0  # the push batch size at the end (halved after HTTP 413)
    pending: int = 0  # still waiting in the outbox after the run
    started_at: str = ""
    duration_s: float = 0.0
    # The server's copy of the audit entries against the local chain ("unchecked" when
    # the run did not get that far, or no audit entries are shared).
    audit_copy: str = AuditCopyState.UNCHECKED.value
    audit_copy_reason: str | None = None
    audit_first_bad_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["state"] = self.state.value
        return data


@dataclass(frozen=True)
class SyncStatus:
    """What the UI and `medassist sync status` show."""

    state: SyncState
    reason: str | None
    last_success_at: str | None
    last_attempt_at: str | None
    pending: int
    conflicts: int
    rejected: int
    circuit: CircuitState
    retry_in_s: float | None
    conflict_list: list[dict[str, Any]] = field(default_factory=list)
    rejected_list: list[dict[str, Any]] = field(default_factory=list)
    audit_copy: AuditCopyResult = field(
        default_factory=lambda: AuditCopyResult(AuditCopyState.UNCHECKED)
    )

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["state"] = self.state.value
        data["circuit"] = self.circuit.value
        data["audit_copy"] = self.audit_copy.as_dict()
        return data


@dataclass(frozen=True)
class PushProgress:
    batch: int
    pushed: int
    skipped: int
    last_seq: int


@dataclass
class _Push:
    """The state of one push: where to checkpoint, and the checkpoint's last revision."""

    client: CouchDBClient
    report: SyncReport
    rid: str
    node: str
    remote_rev: str | None


PullHandler = Callable[[DBConnection, list[RemoteDoc]], None]
ProgressCallback = Callable[[PushProgress], None]
StatusListener = Callable[[SyncState, str | None], None]
# Told when the audit comparison's outcome changes (a gap found, a new gap, matched again).
AuditCopyRecorder = Callable[[AuditCopyResult], None]
# Runs once the server answered, before the push: queues documents made for this run
# (the daily metrics), on the run's thread and database.
PushPreparer = Callable[[TransactionProvider], object]


class SyncEngine:
    """Runs sync against one server and database; one run at a time."""

    def __init__(
        self,
        store: TransactionProvider,
        config: ServerConfig,
        *,
        breaker: CircuitBreaker,
        degradation: DegradationRegistry,
        retry_policy: RetryPolicy | None = None,
        options: SyncOptions | None = None,
        apply_pulled: PullHandler = local_state.store_received,
        on_progress: ProgressCallback | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        reach_timeout: float = 3.0,
        transport: httpx.BaseTransport | None = None,
        audit_copy: AuditCopyCheck | None = None,
        record_audit_copy: AuditCopyRecorder | None = None,
        prepare_push: PushPreparer | None = None,
    ) -> None:
        self._store = store
        self.config = config
        self.breaker = breaker
        self._degradation = degradation
        self._retry = retry_policy if retry_policy is not None else RetryPolicy()
        self.options = options if options is not None else SyncOptions()
        self._apply_pulled = apply_pulled
        self._on_progress = on_progress
        self._timeout = timeout
        self._reach_timeout = reach_timeout
        self._transport = transport
        self._run_lock = threading.Lock()
        self._live: tuple[SyncState, str | None] | None = None
        self._listeners: list[StatusListener] = []
        self._audit_copy = audit_copy
        self._record_audit_copy = record_audit_copy
        self._prepare_push = prepare_push

    # --- status --------------------------------------------------------------------------

    def add_status_listener(self, listener: StatusListener) -> None:
        """Told `(state, reason)` when a run starts and ends (on the run's thread)."""
        self._listeners.append(listener)

    def status(self) -> SyncStatus:
        """Read from the database: call it where database work may run (not the GUI thread)."""
        with self._store.transaction() as conn:
            stored_state = local_state.get_state(conn, "last_state")
            reason = local_state.get_state(conn, "last_reason")
            last_success_at = local_state.get_state(conn, "last_success_at")
            last_attempt_at = local_state.get_state(conn, "last_attempt_at")
            counts = outbox.count_by_status(conn)
            conflict_count = local_state.open_conflict_count(conn)
            conflict_list = local_state.open_conflicts(conn)
            rejected_list = outbox.rejected_entries(conn)
            audit_copy = stored_result(conn)
        state = SyncState(stored_state) if stored_state else SyncState.IDLE
        live = self._live
        if live is not None:
            state, reason = live
        snapshot = self.breaker.snapshot()
        return SyncStatus(
            state=state,
            reason=reason,
            last_success_at=last_success_at,
            last_attempt_at=last_attempt_at,
            pending=counts["pending"],
            conflicts=conflict_count,
            rejected=counts["rejected"],
            circuit=snapshot.state,
            retry_in_s=snapshot.retry_in,
            conflict_list=conflict_list,
            rejected_list=rejected_list,
            audit_copy=audit_copy,
        )

    # --- a run ---------------------------------------------------------------------------

    def run_once(self) -> SyncReport:
        """One full run. Never raises for network trouble: the report says what happened."""
        if not self._run_lock.acquire(blocking=False):
            raise SyncAlreadyRunningError(N_("A sync is already running."))
        report = SyncReport(
            state=SyncState.SYNCING, started_at=utc_now(), batch_size=self.options.batch_size
        )
        started = time.monotonic()
        self._set_live(SyncState.SYNCING, None)
        try:
            self._show_stored_audit_copy()
            self._run(report)
        finally:
            report.duration_s = round(time.monotonic() - started, 3)
            try:
                self._finish(report)
            finally:
                self._live = None
                self._run_lock.release()
                self._notify(report.state, report.reason)
        return report

    def _client(self) -> CouchDBClient:
        """A client for one run or one settling: this engine's retries, breaker and timeouts."""
        return CouchDBClient(
            self.config,
            retry_policy=self._retry,
            breaker=self.breaker,
            timeout=self._timeout,
            reach_timeout=self._reach_timeout,
            transport=self._transport,
        )

    def _run(self, report: SyncReport) -> None:
        client = self._client()
        try:
            snapshot = self.breaker.snapshot()
            if snapshot.state is CircuitState.OPEN:
                raise CircuitOpenError(self.breaker.name, snapshot.retry_in or 0.0)
            reach = client.check_reachable()
            if not reach.reachable:
                report.state = SyncState.OFFLINE
                report.reason = f"The sync server is not reachable ({reach.reason})."
                return
            self._prepare()
            self._push(client, report)
            self._pull(client, report)
            self._scan_conflicts(client, report)
            self._compare_audit_copy(client, report)
            report.state = SyncState.IDLE
        except CircuitOpenError as exc:
            report.state, report.reason = SyncState.ERROR, exc.message
        except httpx.TransportError as exc:
            report.state = (
                SyncState.ERROR if isinstance(exc, httpx.TimeoutException) else SyncState.OFFLINE
            )
            report.reason = _network_reason(exc)
        except TransientHTTPError as exc:
            report.state = SyncState.ERROR
            report.reason = f"The sync server keeps failing ({exc})."
        except KnownError as exc:
            report.state, report.reason = SyncState.ERROR, str(exc)
        except Exception:
            error_id = new_error_id()
            log.exception("Unexpected error {error_id} during sync", error_id=error_id)
            report.state = SyncState.ERROR
            report.reason = f"An unexpected error occurred (error id {error_id})."
        finally:
            client.close()

    # --- push ----------------------------------------------------------------------------

    def _prepare(self) -> None:
        """Documents made for this run; their failure never stops the sync of the rest."""
        if self._prepare_push is None:
            return
        try:
            self._prepare_push(self._store)
        except Exception:
            log.exception("push: preparing this run's documents failed; syncing the rest")

    def _push(self, client: CouchDBClient, report: SyncReport) -> None:
        with self._store.transaction() as conn:
            node = local_state.node_id(conn)
            report.skipped += outbox.supersede_older(conn)
            rid = self.config.replication_id(node, "push")
            local_seq = local_state.get_checkpoint(conn, rid)
            pruned_through = int(local_state.get_state(conn, PRUNED_THROUGH) or 0)
        remote = client.get_local(rid)
        push = _Push(client, report, rid, node, remote.get("_rev") if remote else None)
        remote_seq = remote.get("last_seq") if remote else None
        if local_seq is not None and (not isinstance(remote_seq, int) or remote_seq < local_seq):
            since = remote_seq if isinstance(remote_seq, int) else 0
            with self._store.transaction() as conn:
                requeued = outbox.requeue_sent_after(conn, since)
                local_state.set_checkpoint(conn, rid, "push", since)
            if requeued:
                log.warning(
                    "push: the server's checkpoint is behind ours; {n} change(s) will be "
                    "checked again",
                    n=requeued,
                )
            if since < pruned_through:
                log.error(
                    "push: the server lost changes older than the outbox keeps (rows up to "
                    "{seq} were pruned after {days} days); those records are not sent again",
                    seq=pruned_through,
                    days=self.options.retention_days,
                )
        after = 0
        while True:
            with self._store.transaction() as conn:
                entries = outbox.read_pending(conn, report.batch_size, after_seq=after)
            if not entries:
                break
            self._push_entries(push, entries)
            after = entries[-1].seq
        self._prune(rid, report)

    def _prune(self, rid: str, report: SyncReport) -> None:
        """Drop acknowledged rows past the retention period, so the outbox stays bounded."""
        cutoff = datetime.now(UTC) - timedelta(days=self.options.retention_days)
        with self._store.transaction() as conn:
            confirmed = local_state.get_checkpoint(conn, rid)
            if confirmed is None:
                return
            report.pruned = outbox.prune_acknowledged(
                conn, done_before=cutoff.isoformat(timespec="microseconds"), through_seq=confirmed
            )
            if report.pruned:
                previous = int(local_state.get_state(conn, PRUNED_THROUGH) or 0)
                local_state.set_state(conn, PRUNED_THROUGH, str(max(previous, confirmed)))

    def _push_entries(self, push: _Push, entries: list[outbox.OutboxEntry]) -> None:
        """Send one batch; on HTTP 413 halve it (and later batches) and send the halves."""
        report = push.report
        revs: dict[str, list[str]] = {}
        for entry in entries:
            revs.setdefault(entry.doc_id, []).append(entry.rev)
        missing = push.client.revs_diff(revs)
        to_send = [e for e in entries if e.rev in missing.get(e.doc_id, set())]
        try:
            errors = (
                push.client.bulk_docs_replicated([e.to_couch() for e in to_send]) if to_send else []
            )
        except PayloadTooLargeError:
            if len(entries) == 1:
                with self._store.transaction() as conn:
                    outbox.mark_rejected(
                        conn, entries[0].seq, "too large for the sync server (HTTP 413)"
                    )
                report.rejected += 1
                log.error("push: {id} is too large for the server even alone", id=entries[0].doc_id)
                return
            half = len(entries) // 2
            report.batch_size = max(1, min(report.batch_size, half))
            log.warning(
                "push: HTTP 413 for {n} documents; sending {size} at a time",
                n=len(entries),
                size=report.batch_size,
            )
            self._push_entries(push, entries[:half])
            self._push_entries(push, entries[half:])
            return
        refused = {str(error.get("id")): error for error in errors}
        sending = {entry.seq for entry in to_send}
        rejected = [e for e in entries if e.seq in sending and e.doc_id in refused]
        last_seq = entries[-1].seq
        with self._store.transaction() as conn:
            outbox.mark_sent(conn, [e.seq for e in entries if e not in rejected])
            for entry in rejected:
                error = refused[entry.doc_id]
                reason = f"{error.get('error')}: {error.get('reason', '')}".strip(": ")
                outbox.mark_rejected(conn, entry.seq, reason)
            local_state.set_checkpoint(conn, push.rid, "push", last_seq)
        push.remote_rev = push.client.put_local(
            push.rid,
            {
                "last_seq": last_seq,
                "node": push.node,
                "replicator": REPLICATOR,
                "updated_at": utc_now(),
            },
            push.remote_rev,
        )
        report.pushed += len(to_send) - len(rejected)
        report.skipped += len(entries) - len(to_send)
        report.rejected += len(rejected)
        report.batches += 1
        if self._on_progress is not None:
            self._on_progress(PushProgress(report.batches, report.pushed, report.skipped, last_seq))

    # --- pull ----------------------------------------------------------------------------

    def _pull(self, client: CouchDBClient, report: SyncReport) -> None:
        with self._store.transaction() as conn:
            rid = self.config.replication_id(local_state.node_id(conn), "pull")
            local_since = local_state.get_checkpoint(conn, rid)
        remote = client.get_local(rid)
        remote_rev = remote.get("_rev") if remote else None
        # No checkpoint on the server: a new or recreated database. Start over (applying
        # is idempotent: revisions we already hold are skipped).
        since: Any = local_since if remote is not None and local_since is not None else 0
        prefixes = self.options.pull_prefixes
        while True:
            results, last_seq = client.changes(since, self.options.pull_batch_size)
            if not results:
                break
            if self._audit_copy is not None:
                self._audit_copy.note_changes(results)
            wanted = [
                (str(r["id"]), str(r["changes"][0]["rev"]))
                for r in results
                if str(r.get("id", "")).startswith(prefixes) and r.get("changes")
            ]
            docs = [RemoteDoc.from_couch(d) for d in client.bulk_get(wanted)]
            with self._store.transaction() as conn:
                to_apply: list[RemoteDoc] = []
                for doc in docs:
                    decision, local_rev = local_state.decide_pull(conn, doc)
                    if decision is PullDecision.APPLY:
                        to_apply.append(doc)
                        local_state.record_remote_head(conn, doc)
                    elif decision is PullDecision.SKIP:
                        report.skipped += 1
                    elif local_state.record_conflict(conn, doc, local_rev or ""):
                        report.conflicts += 1
                        log.warning(
                            "pull: {id} changed here and on the server; kept ours "
                            "({ours}), theirs is {theirs}",
                            id=doc.doc_id,
                            ours=local_rev,
                            theirs=doc.rev,
                        )
                if to_apply:
                    self._apply_pulled(conn, to_apply)
                local_state.set_checkpoint(conn, rid, "pull", last_seq)
            remote_rev = client.put_local(
                rid,
                {"last_seq": last_seq, "replicator": REPLICATOR, "updated_at": utc_now()},
                remote_rev,
            )
            report.pulled += len(to_apply)
            since = last_seq
            if len(results) < self.options.pull_batch_size:
                break

    def _scan_conflicts(self, client: CouchDBClient, report: SyncReport) -> None:
        """Documents we pushed that now have a second live branch on the server."""
        with self._store.transaction() as conn:
            rid = self.config.replication_id(local_state.node_id(conn), "pull")
        found = conflicts.scan_feed(
            client,
            self._store,
            replication_id=rid,
            batch_size=self.options.pull_batch_size,
            skip_prefixes=self.options.pull_prefixes,
        )
        if found:
            report.conflicts += found
            log.warning("sync: {n} document(s) of ours were also changed elsewhere", n=found)

    # --- settling a conflict ---------------------------------------------------------------

    def settle_conflict(
        self, conflict: conflicts.Conflict, keep: conflicts.Keep
    ) -> RemoteDoc | None:
        """End the losing branch on the server (network only; no database work here).

        Returns the server's version when it is kept, for the caller to save locally.
        """
        client = self._client()
        try:
            reach = client.check_reachable()
            if not reach.reachable:
                raise ServerUnreachableError(
                    N_(
                        "The sync server is not reachable ({reason}); the conflict stays open.",
                        reason=reach.reason,
                    ),
                    hint=N_("Try again when the clinic is online."),
                )
            try:
                return conflicts.settle_on_server(client, conflict, keep)
            except (httpx.TransportError, TransientHTTPError, CircuitOpenError) as exc:
                raise ServerUnreachableError(
                    N_(
                        "The sync server could not be reached ({reason}); the conflict stays open.",
                        reason=str(exc),
                    ),
                    hint=N_("Try again when the clinic is online."),
                ) from exc
        finally:
            client.close()

    # --- the server's copy of the audit entries ------------------------------------------

    def _show_stored_audit_copy(self) -> None:
        """A gap found by an earlier run (maybe another process) shows before this one ends."""
        if self._audit_copy is None:
            return
        with self._store.transaction() as conn:
            stored = stored_result(conn)
        if stored.state is AuditCopyState.GAP:
            self._degradation.mark_degraded(AUDIT, stored.reason or stored.state.value)

    def _compare_audit_copy(self, client: CouchDBClient, report: SyncReport) -> None:
        if self._audit_copy is None:
            return
        with self._store.transaction() as conn:
            previous = stored_result(conn)
        result = self._audit_copy.compare(client, self._store)
        report.audit_copy = result.state.value
        report.audit_copy_reason = result.reason
        report.audit_first_bad_id = result.first_bad_id
        if result.state is AuditCopyState.GAP:
            self._degradation.mark_degraded(AUDIT, result.reason or result.state.value)
        else:
            self._degradation.mark_healthy(AUDIT)
        changed = (previous.state, previous.reason) != (result.state, result.reason)
        if not changed:
            return
        if result.state is AuditCopyState.GAP:
            log.error(
                "audit: the sync server's copy does not match: {reason}", reason=result.reason
            )
        elif previous.state is AuditCopyState.GAP:
            log.info("audit: the sync server's copy matches the local trail again")
        else:
            return  # the first match: nothing to report
        if self._record_audit_copy is not None:
            try:
                self._record_audit_copy(result)
            except Exception:
                log.exception("audit: recording the comparison's outcome failed")

    # --- bookkeeping ---------------------------------------------------------------------

    def _finish(self, report: SyncReport) -> None:
        now = utc_now()
        with self._store.transaction() as conn:
            local_state.set_state(conn, "last_attempt_at", now)
            local_state.set_state(conn, "last_state", report.state.value)
            if report.state is SyncState.IDLE:
                local_state.set_state(conn, "last_success_at", now)
                local_state.delete_state(conn, "last_reason")
            else:
                local_state.set_state(conn, "last_reason", report.reason or "")
            report.pending = outbox.pending_count(conn)
        if report.state is SyncState.IDLE:
            self._degradation.mark_healthy(CLOUD_SYNC)
        else:
            self._degradation.mark_degraded(CLOUD_SYNC, report.reason or report.state.value)
        log.info(
            "sync {state}: pushed {pushed}, pulled {pulled}, skipped {skipped}, conflicts "
            "{conflicts}, rejected {rejected}, pending {pending} ({duration} s){reason}",
            state=report.state.value,
            pushed=report.pushed,
            pulled=report.pulled,
            skipped=report.skipped,
            conflicts=report.conflicts,
            rejected=report.rejected,
            pending=report.pending,
            duration=report.duration_s,
            reason=f": {report.reason}" if report.reason else "",
        )

    def _set_live(self, state: SyncState, reason: str | None) -> None:
        self._live = (state, reason)
        self._notify(state, reason)

    def _notify(self, state: SyncState, reason: str | None) -> None:
        for listener in list(self._listeners):
            try:
                listener(state, reason)
            except Exception:
                log.exception("sync status listener failed")


def _network_reason(exc: httpx.TransportError) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return f"The sync server did not answer in time ({type(exc).__name__})."
    return f"Lost the connection to the sync server ({type(exc).__name__}: {exc})."
