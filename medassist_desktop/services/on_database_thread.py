"""Adapters that run a service's database work on the database's own thread.

SQLite connections belong to the thread that opened them; in the GUI that is the
serial database executor. A consult runs on a worker thread, so its searches and
its audit entries are handed to that executor and waited for.
"""

from __future__ import annotations

from typing import Any

from medassist_desktop.core.knowledge.passages import RetrievalResult, Retriever
from medassist_desktop.core.security.audit import AuditLog, Outcome
from medassist_desktop.storage.database import Database
from medassist_desktop.storage.executor import SerialExecutor


class ExecutorRetriever:
    """A `Retriever` whose searches run on the database's thread (the knowledge base reads
    the encrypted database, whose connection belongs to that thread)."""

    def __init__(self, executor: SerialExecutor, retriever: Retriever) -> None:
        self._executor = executor
        self._retriever = retriever

    def search(self, query: str, k: int = 5, *, query_embedding: Any = None) -> RetrievalResult:
        return self._executor.submit(
            lambda _db: self._retriever.search(query, k, query_embedding=query_embedding)
        ).result()


class ExecutorAudit:
    """An `AuditSink` for a consult running off the database's thread (the GUI's worker).

    SQLite connections belong to the thread that opened them; in the GUI that is the
    serial database executor. Each entry is written there, and `append` waits for it,
    so an answer is never returned before its audit entry is committed.
    """

    def __init__(self, executor: SerialExecutor, audit: AuditLog) -> None:
        self._executor = executor
        self._audit = audit

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
        def write(_db: Database) -> int:
            return self._audit.append(
                user_id, action, resource, outcome, ip_address=ip_address, details=details
            )

        return self._executor.submit(write).result()
