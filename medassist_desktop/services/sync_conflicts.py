"""Sync conflicts for the admin: list them with both versions, keep one, audited.

The Settings window and `medassist sync conflicts | resolve` both come here, so a
conflict settled at either ends the same way: the losing branch is ended on the
server, a kept server version is saved here (a case is triaged again by this
computer's rules), the conflict is marked settled, and the audit trail says who kept
which version of which document.

Settling has three steps so the window's database thread never waits on the network:
`prepare` (database: who, which conflict, the server's address and password), `settle`
(network only) and `finish` (database). `resolve` runs the three in a row (the CLI).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from medassist_desktop.config import Settings
from medassist_desktop.core.degradation import DegradationRegistry
from medassist_desktop.core.security.sessions import Session
from medassist_desktop.core.sync import conflicts, local_state
from medassist_desktop.core.sync.conflicts import Conflict, Keep
from medassist_desktop.core.sync.engine import SyncEngine
from medassist_desktop.core.sync.errors import SyncError
from medassist_desktop.core.sync.local_state import RemoteDoc
from medassist_desktop.core.sync.shared import CASE
from medassist_desktop.i18n.catalogue import N_
from medassist_desktop.services.cases import CaseService
from medassist_desktop.services.security import SecurityServices
from medassist_desktop.services.sync_service import build_engine
from medassist_desktop.storage.database import Connection

VIEW_ACTION = "sync.conflicts.view"
RESOLVE_ACTION = "sync.conflict.resolve"
# Pulled documents (knowledge, configuration) are stored as received; a case is saved
# through the case service. Consults and audit entries are records of what happened
# here: another version of one cannot replace ours.
_SERVER_VERSION_TYPES = (CASE, "kb", "config")


class ServerVersionNotAdoptableError(SyncError):
    """This kind of record keeps its local version."""


@dataclass(frozen=True)
class ResolvePlan:
    """What `prepare` found: the conflict, the choice, and the engine to reach the server."""

    conflict: Conflict
    keep: Keep
    engine: SyncEngine


@dataclass(frozen=True)
class Resolution:
    doc_id: str
    keep: Keep
    local_rev: str
    remote_rev: str
    head_rev: str  # our head afterwards (a new revision when the server's was kept)
    audit_id: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "keep": self.keep.value,
            "local_rev": self.local_rev,
            "remote_rev": self.remote_rev,
            "head_rev": self.head_rev,
            "audit_id": self.audit_id,
        }


class SyncConflictService:
    def __init__(
        self,
        security: SecurityServices,
        settings: Callable[[], Settings],
        cases: CaseService,
        *,
        engine_factory: Callable[[], SyncEngine] | None = None,
    ) -> None:
        self._security = security
        self._settings = settings
        self._cases = cases
        self._engine_factory = engine_factory

    def list(self, session: Session) -> list[Conflict]:
        """The open conflicts with both versions (admins; the looking is audited)."""
        self._security.authorize_admin(session, VIEW_ACTION)
        with self._security.db.transaction() as conn:
            found = conflicts.open_conflicts(conn)
        self._security.record(session, VIEW_ACTION, "sync", details={"open": len(found)})
        return found

    def resolve(
        self, session: Session, doc_id: str, keep: Keep, *, remote_rev: str | None = None
    ) -> Resolution:
        plan = self.prepare(session, doc_id, keep, remote_rev=remote_rev)
        try:
            remote = self.settle(plan)
        except Exception as exc:
            self.record_failure(session, plan, exc)
            raise
        return self.finish(session, plan, remote)

    # --- the three steps ------------------------------------------------------------------

    def prepare(
        self, session: Session, doc_id: str, keep: Keep, *, remote_rev: str | None = None
    ) -> ResolvePlan:
        """On the database's thread: the admin, the conflict, the way to the server."""
        self._security.authorize_admin(session, RESOLVE_ACTION)
        with self._security.db.transaction() as conn:
            conflict = conflicts.find_conflict(conn, doc_id, remote_rev)
        if keep is Keep.SERVER and conflict.doc_type not in _SERVER_VERSION_TYPES:
            raise ServerVersionNotAdoptableError(
                N_(
                    "{doc_id} is a {doc_type} record: only this computer's version can be kept.",
                    doc_id=doc_id,
                    doc_type=conflict.doc_type,
                ),
                hint=N_("Keep this computer's version (--keep local)."),
            )
        return ResolvePlan(conflict, keep, self._engine())

    @staticmethod
    def settle(plan: ResolvePlan) -> RemoteDoc | None:
        """Network only (any thread): end the losing branch on the server."""
        return plan.engine.settle_conflict(plan.conflict, plan.keep)

    def finish(self, session: Session, plan: ResolvePlan, remote: RemoteDoc | None) -> Resolution:
        """On the database's thread: save a kept server version, mark settled, audit."""
        conflict = plan.conflict

        def settle_locally(conn: Connection) -> None:
            if remote is not None:
                conflicts.adopt_remote_head(conn, remote)
            conflicts.mark_resolved(conn, conflict)

        if remote is not None and conflict.doc_type == CASE:
            uid = conflict.doc_id.split(":", 2)[2]
            self._cases.adopt_synced_version(
                session, uid, remote.body.get("details") or {}, before_save=settle_locally
            )
        else:
            with self._security.db.transaction() as conn:
                settle_locally(conn)
                if remote is not None:
                    local_state.store_received(conn, [remote])
        with self._security.db.transaction() as conn:
            row = conn.execute(
                "SELECT rev FROM sync_revisions WHERE doc_id = ?", (conflict.doc_id,)
            ).fetchone()
        head = str(row[0]) if row is not None else conflict.head_rev
        audit_id = self._security.record(
            session,
            RESOLVE_ACTION,
            conflict.doc_id,
            details={
                "keep": plan.keep.value,
                "local_rev": conflict.head_rev,
                "remote_rev": conflict.remote_rev,
                "head_rev": head,
            },
        )
        return Resolution(
            doc_id=conflict.doc_id,
            keep=plan.keep,
            local_rev=conflict.head_rev,
            remote_rev=conflict.remote_rev,
            head_rev=head,
            audit_id=audit_id,
        )

    def record_failure(self, session: Session, plan: ResolvePlan, error: BaseException) -> None:
        """A settle that failed (server gone): audited as a failure; the conflict stays."""
        self._security.record(
            session,
            RESOLVE_ACTION,
            plan.conflict.doc_id,
            ok=False,
            details={"keep": plan.keep.value, "error": type(error).__name__},
        )

    def _engine(self) -> SyncEngine:
        if self._engine_factory is not None:
            return self._engine_factory()
        security = self._security
        return build_engine(
            self._settings(), security.clinic_secrets(), security.db, DegradationRegistry()
        )
