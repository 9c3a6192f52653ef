"""Knowledge-base use cases: import, remove, list, search, first-run library, re-embed.

Who may do what (checked here, not only in the UI): importing and removing documents
change what every health worker's answers rest on, so they need a clinic admin and are
audited (`kb.import`, `kb.remove`). Searching and listing read shared reference text,
not patient data: any signed-in user (or a script that can open the database) may.
System actions (the first-run starter library, a re-embed after a model change) are
audited with no actor.

Threads: like everything on the `Database`, a service instance belongs to the thread
that owns its connection. An import or a re-embed takes seconds to minutes, so the GUI
runs it on a thread of its own with a connection of its own (`on_connection`: the same
service, roles and audit on that connection), never on the database thread the
window's saves wait on; per-document transactions keep the other connection's reads
and writes flowing (WAL), and the content version tells its retriever to reload.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from loguru import logger

from medassist_desktop.core.degradation import EMBEDDINGS, DegradationRegistry
from medassist_desktop.core.knowledge.chunking import Chunker
from medassist_desktop.core.knowledge.embeddings import (
    Embedder,
    EmbeddingModelError,
    SentenceEmbedder,
    resolve_model_dir,
)
from medassist_desktop.core.knowledge.importer import (
    EmbedSummary,
    ImportOutcome,
    ImportSummary,
    KnowledgeImporter,
    ProgressCallback,
)
from medassist_desktop.core.knowledge.passages import RetrievalResult
from medassist_desktop.core.knowledge.prebuilt import load_prebuilt_vectors
from medassist_desktop.core.knowledge.retrieval import HybridRetriever
from medassist_desktop.core.knowledge.starter import starter_library_files
from medassist_desktop.core.knowledge.store import (
    KnowledgeStore,
    StoredDocument,
    starter_origin,
)
from medassist_desktop.core.knowledge.tokens import default_token_counter
from medassist_desktop.core.security.accounts import AccountStore, Role
from medassist_desktop.core.security.audit import AuditLog, Outcome
from medassist_desktop.core.security.sessions import Session
from medassist_desktop.services.accounts import authorize
from medassist_desktop.storage.database import Database

if TYPE_CHECKING:
    from medassist_desktop.config import Settings
    from medassist_desktop.services.security import SecurityServices

_log = logger.bind(area="knowledge")

STARTER_IMPORTED_KEY = "starter_library_imported"


@dataclass(frozen=True)
class DocumentInfo:
    """A stored document and how many of its chunks have vectors of the current model."""

    document: StoredDocument
    embedded_chunks: int

    @property
    def needs_embedding(self) -> bool:
        return self.embedded_chunks < self.document.chunk_count

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.document.to_dict(),
            "embedded_chunks": self.embedded_chunks,
            "needs_embedding": self.needs_embedding,
        }


def chunker_for(embedding_model: str) -> Chunker:
    """A chunker that counts tokens with the embedding model's own tokenizer."""
    try:
        model_dir: Path | None = resolve_model_dir(embedding_model)
    except EmbeddingModelError:
        model_dir = None
    return Chunker(default_token_counter(model_dir))


class KnowledgeService:
    """What the GUI and the CLI call for the knowledge base."""

    def __init__(
        self,
        db: Database,
        audit: AuditLog,
        accounts: AccountStore,
        *,
        embedder: Embedder | None,
        chunker: Chunker,
        max_file_bytes: int,
        starter_library: bool = True,
        starter_files: Callable[[], list[Path]] = starter_library_files,
        degradation: DegradationRegistry | None = None,
        wait_for_model: bool = True,
        prefer_local: bool = True,
    ) -> None:
        self.store = KnowledgeStore(db)
        self._db = db
        self._max_file_bytes = max_file_bytes
        self._wait_for_model = wait_for_model
        self._prefer_local = prefer_local
        self._audit = audit
        self._accounts = accounts
        self.embedder = embedder
        self.importer = KnowledgeImporter(
            self.store, chunker, embedder, max_file_bytes=max_file_bytes
        )
        self.retriever = HybridRetriever(
            self.store, embedder, wait_for_model=wait_for_model, prefer_local=prefer_local
        )
        self._starter_library = starter_library
        self._starter_files = starter_files
        self._degradation = degradation
        self._prepared = False

    @classmethod
    def from_security(
        cls,
        security: SecurityServices,
        settings: Settings,
        *,
        embedder: Embedder | None = None,
        degradation: DegradationRegistry | None = None,
        use_embeddings: bool = True,
        wait_for_model: bool = True,
    ) -> KnowledgeService:
        """The service on an opened database. `embedder`: share the app's model (the
        router uses the same one); by default one is made from the settings."""
        if embedder is None and use_embeddings:
            embedder = SentenceEmbedder.from_settings(settings)
        return cls(
            security.db,
            security.audit_log,
            security.account_store,
            embedder=embedder if use_embeddings else None,
            chunker=chunker_for(settings.embedding_model),
            max_file_bytes=settings.kb_max_file_mb * 1024 * 1024,
            starter_library=settings.kb_starter_library,
            degradation=degradation,
            wait_for_model=wait_for_model,
            prefer_local=settings.kb_prefer_local,
        )

    def on_connection(
        self, db: Database, audit: AuditLog, accounts: AccountStore, chunker: Chunker
    ) -> KnowledgeService:
        """This service on another connection of the same database, for a thread of its own
        (imports, re-embeds): the same embedding model (loaded once) and settings; `audit`
        and `accounts` on that connection too, so roles and audit work as here."""
        return KnowledgeService(
            db,
            audit,
            accounts,
            embedder=self.embedder,
            chunker=chunker,
            max_file_bytes=self._max_file_bytes,
            starter_library=self._starter_library,
            starter_files=self._starter_files,
            degradation=self._degradation,
            wait_for_model=self._wait_for_model,
            prefer_local=self._prefer_local,
        )

    # -- admin -------------------------------------------------------------------------

    def import_paths(
        self,
        session: Session,
        paths: Iterable[Path],
        *,
        on_progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> ImportSummary:
        """Import files and folders (admin); then embed what still lacks vectors."""
        admin = authorize(session, Role.ADMIN, self._accounts, self._audit, "kb.import")
        summary = self.importer.import_files(paths, on_progress=on_progress, cancel=cancel)
        self._audit_import(admin.id, "kb.import", summary)
        self._after_import(summary, on_progress, cancel)
        return summary

    def remove_document(self, session: Session, reference: str) -> StoredDocument:
        """Remove a document by doc_id or path (admin); audited in the same transaction."""
        admin = authorize(session, Role.ADMIN, self._accounts, self._audit, "kb.remove")
        path = Path(reference).expanduser()
        if self.store.find(reference) is None and path.exists():
            reference = str(path.resolve())  # a relative path to the imported file
        with self._db.transaction():
            document = self.store.remove_document(reference)
            self._audit.append(
                admin.id,
                "kb.remove",
                f"kb:{document.doc_id}",
                Outcome.SUCCESS,
                details={"title": document.title, "sha256": document.sha256},
            )
        _log.info("Removed {} ({})", document.doc_id, document.title)
        return document

    # -- first run and maintenance -------------------------------------------------------

    def needs_starter_library(self) -> bool:
        """True until the starter library has been imported once (and the setting allows)."""
        return self._starter_library and self.store.get_state(STARTER_IMPORTED_KEY) is None

    def import_starter_library(
        self,
        session: Session | None = None,
        *,
        force: bool = False,
        on_progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> ImportSummary | None:
        """Import the shipped library: on first run (no session; None when not needed), or
        again on an admin's request (`force`, e.g. to bring back removed documents).

        Idempotent: documents already there are unchanged. Interrupted (cancel, crash), it
        is not marked done, so the next call imports what is missing.
        """
        actor: int | None = None
        if force:
            if session is None:
                raise ValueError("importing the starter library again needs an admin session")
            actor = authorize(session, Role.ADMIN, self._accounts, self._audit, "kb.import").id
        elif not self.needs_starter_library():
            return None
        files = self._starter_files()
        if self.embedder is not None:  # vectors shipped with the app: no wait for the model
            self.importer.prebuilt = load_prebuilt_vectors(self.embedder.model_id)
        try:
            summary = self.importer.import_files(
                files,
                origin=lambda path: starter_origin(path.name),
                on_progress=on_progress,
                cancel=cancel,
            )
        finally:
            self.importer.prebuilt = {}
        self._audit_import(actor, "kb.import_starter", summary)
        if not summary.cancelled:
            self.store.set_state(STARTER_IMPORTED_KEY, str(len(files)))
        self._after_import(summary, on_progress, cancel)
        return summary

    def reembed_missing(
        self,
        *,
        on_progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> EmbedSummary:
        """Embed chunks lacking vectors of the current model (after a degraded import or a
        model change); vectors of other models are never used meanwhile."""
        summary = self.importer.reembed_missing(on_progress=on_progress, cancel=cancel)
        if summary.embedded:
            self._audit.append(None, "kb.reembed", "kb", Outcome.SUCCESS, details=summary.to_dict())
        if summary.error:
            self._mark_degraded(summary.error)
        return summary

    def reembed(
        self,
        session: Session,
        *,
        on_progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> EmbedSummary:
        """An admin's re-embed (after a change of embedding model): `reembed_missing`, and
        the admin's `kb.reembed` entry with what it did (a failure too)."""
        admin = authorize(session, Role.ADMIN, self._accounts, self._audit, "kb.reembed")
        summary = self.reembed_missing(on_progress=on_progress, cancel=cancel)
        self._audit.append(
            admin.id,
            "kb.reembed",
            "knowledge",
            Outcome.FAILURE if summary.error else Outcome.SUCCESS,
            details={"embedded": summary.embedded, "model": summary.model_id},
        )
        return summary

    def prepare(
        self,
        *,
        on_progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> tuple[ImportSummary | None, EmbedSummary]:
        """What the app runs in the background once the database is open: the first-run
        starter library, then a re-embed if the model changed or an import was degraded."""
        starter = self.import_starter_library(on_progress=on_progress, cancel=cancel)
        result = starter, self.reembed_missing(on_progress=on_progress, cancel=cancel)
        self._prepared = True
        return result

    def search_prepared(
        self, query: str, k: int = 5, *, query_embedding: Any = None
    ) -> RetrievalResult:
        """Search, preparing the library first if this run has not yet (first use: the
        starter library is imported then, on the thread that searches)."""
        if not self._prepared:
            self.prepare()
        result = self.retriever.search(query, k, query_embedding=query_embedding)
        self._note_mode(result)
        return result

    # -- anyone --------------------------------------------------------------------------

    def list_documents(self) -> list[DocumentInfo]:
        model_id = self.embedder.model_id if self.embedder is not None else None
        counts = self.store.vector_counts(model_id) if model_id else {}
        return [DocumentInfo(doc, counts.get(doc.id, 0)) for doc in self.store.documents()]

    def search(self, query: str, k: int = 5, *, query_embedding: Any = None) -> RetrievalResult:
        result = self.retriever.search(query, k, query_embedding=query_embedding)
        self._note_mode(result)
        return result

    def search_many(self, queries: Sequence[str], k: int = 5) -> list[RetrievalResult]:
        results = self.retriever.search_many(queries, k)
        for result in results[:1]:
            self._note_mode(result)
        return results

    def status(self) -> dict[str, Any]:
        model_id = self.embedder.model_id if self.embedder is not None else None
        return {
            "documents": len(self.store.documents()),
            "chunks": self.store.chunk_count(),
            "embedding_model": model_id,
            "chunks_missing_vectors": (
                self.store.count_missing_vectors(model_id) if model_id else None
            ),
            "kb_version": self.store.kb_version(),
            "starter_library_imported": self.store.get_state(STARTER_IMPORTED_KEY) is not None,
        }

    # -- helpers -------------------------------------------------------------------------

    def _after_import(
        self,
        summary: ImportSummary,
        on_progress: ProgressCallback | None,
        cancel: threading.Event | None,
    ) -> None:
        if summary.embedding_error:
            self._mark_degraded(f"imported without embeddings: {summary.embedding_error}")
            return
        if summary.cancelled or self.embedder is None:
            return
        # The model works: catch up on chunks left without vectors (earlier degraded
        # imports, or a changed model). One count query when there is nothing to do.
        embedded = self.reembed_missing(on_progress=on_progress, cancel=cancel)
        summary.reembedded_chunks = embedded.embedded

    def _audit_import(self, actor: int | None, action: str, summary: ImportSummary) -> None:
        details: dict[str, Any] = {
            outcome: len(summary.to_dict()[outcome])
            for outcome in ("imported", "replaced", "unchanged", "failed")
        }
        details["documents"] = [
            r.doc_id
            for r in summary.results
            if r.outcome in (ImportOutcome.IMPORTED, ImportOutcome.REPLACED)
        ]
        details["failed_files"] = [r.path.name for r in summary.of(ImportOutcome.FAILED)][:50]
        details["cancelled"] = summary.cancelled
        self._audit.append(actor, action, "kb", Outcome.SUCCESS, details=details)

    def _note_mode(self, result: RetrievalResult) -> None:
        if self._degradation is None:
            return
        if result.mode == "hybrid":
            self._degradation.mark_healthy(EMBEDDINGS)
        elif result.degraded_reason:
            self._mark_degraded(result.degraded_reason)

    def _mark_degraded(self, reason: str) -> None:
        if self._degradation is not None:
            self._degradation.mark_degraded(EMBEDDINGS, f"keyword search only: {reason}")
