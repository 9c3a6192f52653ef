"""Audit use cases for admins and inspectors: search the trail, verify the chain, export it."""

from __future__ import annotations

from typing import TextIO

from medassist_desktop.core.security.accounts import AccountStore, Role
from medassist_desktop.core.security.audit import AuditEntry, AuditLog, Outcome, VerifyResult
from medassist_desktop.core.security.sessions import Session
from medassist_desktop.services.accounts import authorize


class AuditService:
    def __init__(self, audit: AuditLog, store: AccountStore) -> None:
        self._audit = audit
        self._store = store

    def verify(self, session: Session) -> VerifyResult:
        admin = authorize(session, Role.ADMIN, self._store, self._audit, "audit.verify")
        result = self._audit.verify()
        self._audit.append(
            admin.id,
            "audit.verify",
            "audit_log",
            Outcome.SUCCESS if result.ok else Outcome.FAILURE,
            details={"checked": result.entries_checked, "first_broken_id": result.first_broken_id},
        )
        return result

    def search(
        self,
        session: Session,
        *,
        actor: str = "",
        action: str = "",
        since: str | None = None,
        before: str | None = None,
        limit: int = 500,
    ) -> list[AuditEntry]:
        """Entries for the admin's audit viewer, newest first (the viewing is audited too)."""
        admin = authorize(session, Role.ADMIN, self._store, self._audit, "audit.view")
        found = self._audit.search(
            actor=actor, action=action, since=since, before=before, limit=limit
        )
        self._audit.append(
            admin.id,
            "audit.view",
            "audit_log",
            Outcome.SUCCESS,
            details={"actor": actor, "action": action, "since": since, "before": before},
        )
        return found

    def accept_rollback(self, session: Session) -> str | None:
        """An admin restored an older backup on purpose: record it (with the anchor's
        complaint, so the gap stays visible in the trail) and anchor the chain anew."""
        admin = authorize(session, Role.ADMIN, self._store, self._audit, "audit.accept_rollback")
        problem = self._audit.anchor_problem()
        if problem is None:
            return None
        self._audit.append(
            admin.id,
            "audit.accept_rollback",
            "audit_log",
            Outcome.SUCCESS,
            details={"problem": problem},
        )
        self._audit.reanchor()
        return problem

    def export(self, session: Session, out: TextIO, *, after_id: int = 0) -> int:
        admin = authorize(session, Role.ADMIN, self._store, self._audit, "audit.export")
        self._audit.append(
            admin.id, "audit.export", "audit_log", Outcome.SUCCESS, details={"after_id": after_id}
        )
        return self._audit.export_jsonl(out, after_id=after_id)
