"""The knowledge service's first-run and maintenance paths, on a real encrypted database.

A bag-of-words embedder stands in for the model (the integration tests use the real
one); what is checked here is the bookkeeping: when the starter library is imported,
that an interrupted first run is resumed, the setting, and the audit entries.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from medassist_desktop.core.degradation import EMBEDDINGS, DegradationRegistry
from medassist_desktop.core.knowledge.importer import ImportOutcome, ImportProgress
from medassist_desktop.core.knowledge.store import READY
from medassist_desktop.services.knowledge import KnowledgeService, chunker_for
from medassist_desktop.services.security import SecurityServices
from tests.support.keyrings import MemoryKeyring
from tests.support.security import open_services
from tests.unit.core.knowledge.test_store import HashingEmbedder


@pytest.fixture
def services(tmp_path: Path) -> Iterator[SecurityServices]:
    opened = open_services(tmp_path / "data", MemoryKeyring())
    opened.accounts.create_first_admin("admin", "Admin-password-1")
    yield opened
    opened.close()


@pytest.fixture
def starter(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "starter"
    folder.mkdir()
    files = []
    for name, body in [
        ("a-burns.md", "# Burns\n\nCool the burn with running water for twenty minutes.\n"),
        ("b-malaria.md", "# Malaria\n\nTest with a rapid diagnostic test before treating.\n"),
        ("c-rabies.md", "# Rabies\n\nWash a bite wound with soap and water for 15 minutes.\n"),
    ]:
        path = folder / name
        path.write_text(body, encoding="utf-8")
        files.append(path)
    return files


def service(
    services: SecurityServices,
    starter: list[Path],
    embedder: HashingEmbedder | None,
    **options: object,
) -> KnowledgeService:
    return KnowledgeService(
        services.db,
        services.audit_log,
        services.account_store,
        embedder=embedder,
        chunker=chunker_for("all-MiniLM-L6-v2"),
        max_file_bytes=1024 * 1024,
        starter_files=lambda: list(starter),
        **options,  # type: ignore[arg-type]
    )


def test_first_run_imports_the_starter_library_once_and_resumes_if_cut_short(
    services: SecurityServices, starter: list[Path]
) -> None:
    knowledge = service(services, starter, HashingEmbedder())
    assert knowledge.needs_starter_library()
    cancel = threading.Event()

    def stop_after_first(progress: ImportProgress) -> None:
        if progress.stage == "import":
            cancel.set()

    knowledge.importer.batch_chunks = 1
    cut = knowledge.import_starter_library(on_progress=stop_after_first, cancel=cancel)
    assert cut is not None and cut.cancelled
    assert knowledge.needs_starter_library()  # not marked done: the next start resumes

    starter_summary, embedded = knowledge.prepare()
    assert starter_summary is not None
    assert [r.outcome for r in starter_summary.results] == [
        ImportOutcome.UNCHANGED,
        ImportOutcome.IMPORTED,
        ImportOutcome.IMPORTED,
    ]
    assert embedded.embedded == 0 and embedded.remaining == 0
    assert not knowledge.needs_starter_library()
    assert knowledge.prepare()[0] is None  # first run only
    assert [d.origin for d in knowledge.store.documents()] == [
        "starter:a-burns.md",
        "starter:b-malaria.md",
        "starter:c-rabies.md",
    ]
    assert knowledge.status()["starter_library_imported"] is True
    actions = [(e.actor, e.action) for e in services.audit_log.entries()]
    assert actions.count((None, "kb.import_starter")) == 2


def test_prepare_embeds_what_an_offline_first_run_left_without_vectors(
    services: SecurityServices, starter: list[Path]
) -> None:
    degradation = DegradationRegistry()
    offline = service(services, starter, HashingEmbedder(fail=True), degradation=degradation)
    summary, embedded = offline.prepare()
    assert summary is not None and summary.embedding_error
    assert embedded.error and degradation.is_degraded(EMBEDDINGS)
    assert offline.search("rabies bite", 1).mode == "keyword"

    online = service(services, starter, HashingEmbedder(), degradation=degradation)
    starter_summary, embedded = online.prepare()
    assert starter_summary is None and embedded.embedded == 3
    assert {d.status for d in online.store.documents()} == {READY}
    assert online.search("rabies bite", 1).mode == "hybrid"
    assert not degradation.is_degraded(EMBEDDINGS)


def test_the_setting_can_turn_the_starter_library_off_and_force_needs_an_admin(
    services: SecurityServices, starter: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    knowledge = service(services, starter, HashingEmbedder(), starter_library=False)
    assert not knowledge.needs_starter_library()
    assert knowledge.import_starter_library() is None
    with pytest.raises(ValueError, match="admin session"):
        knowledge.import_starter_library(force=True)
    session = services.accounts.login("admin", "Admin-password-1")
    forced = knowledge.import_starter_library(session, force=True)
    assert forced is not None and len(forced.of(ImportOutcome.IMPORTED)) == 3
    monkeypatch.chdir(tmp_path)
    removed = knowledge.remove_document(session, "starter/b-malaria.md")  # a relative path
    assert removed.title == "Malaria"
    again = knowledge.import_starter_library(session, force=True)
    assert again is not None
    assert [r.doc_id for r in again.of(ImportOutcome.IMPORTED)] == ["b-malaria"]
