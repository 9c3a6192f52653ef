"""Long knowledge work runs on its own thread and connection: the database thread (the
one the window's saves use) keeps writing meanwhile. Real SQLCipher, real MiniLM, the
real starter library with its shipped vectors."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from medassist_desktop.core.knowledge.embeddings import SentenceEmbedder
from medassist_desktop.core.knowledge.importer import ImportProgress
from medassist_desktop.core.knowledge.passages import RetrievalResult
from medassist_desktop.core.knowledge.starter import starter_library_files
from medassist_desktop.core.security.audit import Outcome
from medassist_desktop.core.security.errors import PermissionDenied
from medassist_desktop.services.knowledge import KnowledgeService, chunker_for
from medassist_desktop.services.knowledge_background import LibraryPreparation, WaitForLibrary
from medassist_desktop.services.security import SecurityServices
from tests.integration.knowledge.conftest import (
    ADMIN,
    WORKER,
    WORKER_PW,
    admin_session,
    audit_actions,
    knowledge_for,
)


def own_connection(
    clinic: SecurityServices, knowledge: KnowledgeService
) -> tuple[list[int], object]:
    """How the app opens the service on a work thread (AppServices does the same)."""
    threads: list[int] = []

    @contextmanager
    def opened() -> Iterator[KnowledgeService]:
        threads.append(threading.get_ident())
        db = clinic.db.open_again()
        try:
            audit = clinic.audit_log.on_connection(db)
            accounts = clinic.account_store.on_connection(db, audit)
            yield knowledge.on_connection(db, audit, accounts, chunker_for("all-MiniLM-L6-v2"))
        finally:
            db.close()

    return threads, opened


def test_the_starter_library_is_prepared_while_the_database_thread_keeps_writing(
    clinic: SecurityServices, embedder: SentenceEmbedder
) -> None:
    knowledge = knowledge_for(clinic, embedder, starter_library=True)
    threads, opened = own_connection(clinic, knowledge)
    preparation = LibraryPreparation(opened)  # type: ignore[arg-type]
    seen: list[tuple[int, ImportProgress | None]] = []
    halfway, go_on = threading.Event(), threading.Event()

    def listener(progress: ImportProgress | None) -> None:
        seen.append((threading.get_ident(), progress))
        if progress is not None and progress.done == 5:  # hold the import after file 5
            halfway.set()
            assert go_on.wait(120)

    preparation.add_listener(listener)
    preparation.start()
    assert halfway.wait(300), "the import never reached its fifth file"
    assert not preparation.library_ready.is_set()

    # The database thread (here: this one) writes and searches while the import is held
    # in the middle; a write waits at most for one document's transaction, never for it.
    started = time.monotonic()
    clinic.audit_log.append(None, "test.write", "x", Outcome.SUCCESS)
    assert time.monotonic() - started < 2.0
    partial = knowledge.search("oral rehydration salts and zinc", 3)
    assert len({p.doc_id for p in knowledge.store.documents()}) == 5
    assert isinstance(partial, RetrievalResult)

    go_on.set()
    assert preparation.finished.wait(300)
    assert preparation.error is None
    assert threads and threads[0] != threading.get_ident()
    assert {ident for ident, _ in seen} == {threads[0]}  # progress from the work's thread
    assert seen[-1][1] is None  # and the end is told
    assert knowledge.status()["documents"] == len(starter_library_files())
    assert knowledge.status()["chunks_missing_vectors"] == 0
    assert not knowledge.needs_starter_library()
    assert (None, "kb.import_starter", "success") in audit_actions(clinic)
    # The database thread's retriever sees the other connection's import at once.
    result = knowledge.search("how much ORS for a child with some dehydration", 5)
    assert result.mode == "hybrid"
    assert any("diarrhoea" in p.title.lower() for p in result.passages)
    assert clinic.audit_log.verify().ok


def test_imports_and_reembeds_on_their_own_connection_check_roles_and_audit(
    clinic: SecurityServices, embedder: SentenceEmbedder, tmp_path: Path
) -> None:
    knowledge = knowledge_for(clinic, embedder)
    _threads, opened = own_connection(clinic, knowledge)
    folder = tmp_path / "sops"
    folder.mkdir()
    (folder / "needlestick.md").write_text(
        "# Needlestick injury\n\nWash the wound with soap and water at once. "
        "Report to the clinic in charge and start post-exposure prophylaxis within hours.\n",
        encoding="utf-8",
    )
    worker = clinic.accounts.login(WORKER, WORKER_PW)
    admin = admin_session(clinic)
    results: dict[str, object] = {}

    def work() -> None:
        with opened() as own:  # type: ignore[operator]
            with pytest.raises(PermissionDenied):
                own.import_paths(worker, [folder])
            with pytest.raises(PermissionDenied):
                own.reembed(worker)
            results["import"] = own.import_paths(admin, [folder])
            results["reembed"] = own.reembed(admin)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(300)
    assert "reembed" in results, "the work thread failed"
    assert [d.doc_id for d in knowledge.store.documents()] == ["needlestick"]
    actions = audit_actions(clinic)
    assert (WORKER, "kb.import", "denied") in actions
    assert (WORKER, "kb.reembed", "denied") in actions
    assert (ADMIN, "kb.import", "success") in actions
    assert (ADMIN, "kb.reembed", "success") in actions
    assert clinic.audit_log.verify().ok


class _Recording:
    def __init__(self, preparation: LibraryPreparation) -> None:
        self.preparation = preparation
        self.ready_when_asked: list[bool] = []

    def search(self, query: str, k: int = 5, *, query_embedding: object = None) -> RetrievalResult:
        self.ready_when_asked.append(self.preparation.library_ready.is_set())
        return RetrievalResult(passages=[], mode="keyword", kb_version="0")


def test_a_consult_search_waits_for_the_library_then_searches() -> None:
    release = threading.Event()

    @contextmanager
    def slow() -> Iterator[object]:
        release.wait(30)
        raise RuntimeError("no database in this unit test")
        yield  # pragma: no cover

    preparation = LibraryPreparation(slow)  # type: ignore[arg-type]
    inner = _Recording(preparation)
    retriever = WaitForLibrary(preparation, inner, timeout_s=30)
    timer = threading.Timer(0.3, release.set)
    timer.start()
    retriever.search("zinc dose", 3)  # starts the preparation, waits for it
    assert inner.ready_when_asked == [True]
    assert preparation.finished.wait(5) and isinstance(preparation.error, RuntimeError)
