"""Imports on the real model and a real encrypted database, with small corpora.

Idempotent re-import, a changed file replacing only its own chunks, bad files in a
batch, cancel and resume, a killed import, a missing model (keyword-only, embedded
later), a change of embedding model, and the admin rule with its audit trail.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from medassist_desktop.core.degradation import EMBEDDINGS, DegradationRegistry
from medassist_desktop.core.knowledge.embeddings import SentenceEmbedder, packaged_model_dir
from medassist_desktop.core.knowledge.importer import ImportOutcome, ImportProgress
from medassist_desktop.core.knowledge.store import NEEDS_EMBEDDING, READY
from medassist_desktop.core.security.errors import PermissionDenied
from medassist_desktop.services.security import SecurityServices
from medassist_desktop.storage.database import Database
from tests.conftest import REPO_ROOT
from tests.integration.knowledge.conftest import (
    WORKER,
    WORKER_PW,
    admin_session,
    audit_actions,
    knowledge_for,
)
from tests.support.keyrings import MemoryKeyring
from tests.support.security import open_services
from tests.unit.core.knowledge.test_ingest import make_mixed_folder

pytestmark = pytest.mark.slow

MB = 1024 * 1024

CHOLERA = """---
title: Cholera outbreak response
source: Provincial health office circular, 2024
---

# Cholera

## Recognise

Sudden profuse watery stool like rice water, with vomiting, in an area with cases.

## Treat

Give oral rehydration solution at once; severe dehydration needs intravenous Ringer's lactate.
"""

TETANUS = """# Tetanus

## Newborn tetanus

A baby who sucked well for the first days then stops feeding, with stiffness and spasms,
may have neonatal tetanus. Refer urgently. Clean cord care prevents it.
"""

LEPROSY = "Leprosy\n\nPale patches of skin that have lost feeling. Multidrug therapy cures it.\n"


def write_library(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "cholera": folder / "cholera.md",
        "tetanus": folder / "tetanus.md",
        "leprosy": folder / "leprosy.txt",
    }
    files["cholera"].write_text(CHOLERA, encoding="utf-8")
    files["tetanus"].write_text(TETANUS, encoding="utf-8")
    files["leprosy"].write_text(LEPROSY, encoding="utf-8")
    return files


def chunk_rows(db: Database, doc_id: str) -> list[tuple[int, str, str]]:
    rows = db.query_all(
        "SELECT c.id, c.chunk_id, c.text FROM kb_chunks c JOIN kb_documents d "
        "ON d.id = c.document_id WHERE d.doc_id = ? ORDER BY c.position",
        (doc_id,),
    )
    return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]


def vectors_of(db: Database, doc_id: str) -> list[bytes]:
    rows = db.query_all(
        "SELECT v.vector FROM kb_vectors v JOIN kb_chunks c ON c.id = v.chunk "
        "JOIN kb_documents d ON d.id = c.document_id WHERE d.doc_id = ? ORDER BY c.position",
        (doc_id,),
    )
    return [bytes(r[0]) for r in rows]


def keyword_docs(db: Database, word: str) -> set[str]:
    rows = db.query_all(
        "SELECT DISTINCT d.doc_id FROM kb_chunks_fts f JOIN kb_chunks c ON c.id = f.rowid "
        "JOIN kb_documents d ON d.id = c.document_id WHERE kb_chunks_fts MATCH ?",
        (word,),
    )
    return {str(r[0]) for r in rows}


def test_reimport_is_idempotent_and_a_changed_file_replaces_only_its_chunks(
    clinic: SecurityServices, embedder: SentenceEmbedder, tmp_path: Path
) -> None:
    knowledge = knowledge_for(clinic, embedder)
    session = admin_session(clinic)
    files = write_library(tmp_path / "lib")
    first = knowledge.import_paths(session, [tmp_path / "lib"])
    assert sorted(r.doc_id or "" for r in first.of(ImportOutcome.IMPORTED)) == [
        "cholera",
        "leprosy",
        "tetanus",
    ]
    assert all(r.embedded for r in first.results) and first.embedding_error is None
    cholera = knowledge.store.find("cholera")
    assert cholera is not None
    assert cholera.source == "Provincial health office circular, 2024"
    assert cholera.path == str(files["cholera"].resolve()) and cholera.status == READY
    tetanus_before = chunk_rows(clinic.db, "tetanus")
    tetanus_vectors = vectors_of(clinic.db, "tetanus")
    cholera_before = chunk_rows(clinic.db, "cholera")
    version = knowledge.store.content_version()

    again = knowledge.import_paths(session, [tmp_path / "lib"])
    assert [r.outcome for r in again.results] == [ImportOutcome.UNCHANGED] * 3
    assert knowledge.store.content_version() == version  # nothing written

    files["cholera"].write_text(
        CHOLERA.replace("Ringer's lactate", "Ringer's lactate, then doxycycline for adults"),
        encoding="utf-8",
    )
    changed = knowledge.import_paths(session, [tmp_path / "lib"])
    outcomes = {r.path.name: r.outcome for r in changed.results}
    assert outcomes == {
        "cholera.md": ImportOutcome.REPLACED,
        "tetanus.md": ImportOutcome.UNCHANGED,
        "leprosy.txt": ImportOutcome.UNCHANGED,
    }
    assert knowledge.store.content_version() == version + 1
    assert chunk_rows(clinic.db, "tetanus") == tetanus_before  # same rows, same ids
    assert vectors_of(clinic.db, "tetanus") == tetanus_vectors
    cholera_after = chunk_rows(clinic.db, "cholera")
    assert not {r[1] for r in cholera_before} & {r[1] for r in cholera_after}
    assert not {r[0] for r in cholera_before} & {r[0] for r in cholera_after}
    assert keyword_docs(clinic.db, "doxycycline") == {"cholera"}
    stale = clinic.db.scalar(
        "SELECT count(*) FROM kb_vectors WHERE chunk NOT IN (SELECT id FROM kb_chunks)"
    )
    assert stale == 0
    replaced = knowledge.store.find("cholera")
    assert replaced is not None and replaced.imported_at == cholera.imported_at
    result = knowledge.search("severe dehydration in an outbreak: which drip, which antibiotic?", 1)
    top = result.passages[0]
    assert top.doc_id == "cholera" and top.section == "Cholera > Treat"
    assert "doxycycline" in top.text


def test_bad_files_get_their_own_message_and_the_rest_imports(
    clinic: SecurityServices, embedder: SentenceEmbedder, tmp_path: Path
) -> None:
    knowledge = knowledge_for(clinic, embedder)
    make_mixed_folder(tmp_path / "library")
    progress: list[ImportProgress] = []
    summary = knowledge.import_paths(
        admin_session(clinic), [tmp_path / "library"], on_progress=progress.append
    )
    assert summary.total == 9 and not summary.cancelled
    imported = {r.path.name for r in summary.of(ImportOutcome.IMPORTED)}
    assert imported == {"a-malaria.md", "b-dengue.html", "c-guide.pdf", "i-notes.txt"}
    messages = {r.path.name: r.message or "" for r in summary.of(ImportOutcome.FAILED)}
    expected = {
        "d-empty.txt": "d-empty.txt: the file is empty.",
        "e-photo.txt": "e-photo.txt: this is a binary file, not text.",
        "f-scan.pdf": "f-scan.pdf: no text layer (scanned PDF?).",
        "g-huge.txt": "g-huge.txt: too large (200.0 MB; the limit is 50.0 MB).",
        "h-mystery.txt": "h-mystery.txt: the text encoding cannot be recognised with confidence.",
    }
    assert sorted(messages) == sorted(expected)
    for name, start in expected.items():
        assert messages[name].startswith(start)  # then a hint: what to do about it
    assert "OCR" in messages["f-scan.pdf"] and "kb_max_file_mb" in messages["g-huge.txt"]
    assert [(p.done, p.total) for p in progress if p.stage == "import"] == [
        (n, 9) for n in range(1, 10)
    ]
    assert summary.to_dict()["failed"][0] == {
        "path": str(tmp_path / "library" / "d-empty.txt"),
        "message": messages["d-empty.txt"],
    }
    pdf = knowledge.store.find("c-guide")
    assert pdf is not None and pdf.page_count == 3
    pages = clinic.db.query_all(
        "SELECT page_start, page_end FROM kb_chunks c JOIN kb_documents d ON d.id = c.document_id "
        "WHERE d.doc_id = 'c-guide' ORDER BY position"
    )
    assert pages[0][0] == 1 and max(int(r[1]) for r in pages) == 3
    hit = knowledge.search("rectal artesunate for small children before transfer", 1).passages[0]
    assert hit.doc_id == "c-guide" and hit.page == 2
    entry = [e for e in clinic.audit_log.entries() if e.action == "kb.import"][-1]
    assert entry.as_dict()["details"]["failed"] == 5


def test_cancel_then_resume(
    clinic: SecurityServices, embedder: SentenceEmbedder, tmp_path: Path
) -> None:
    knowledge = knowledge_for(clinic, embedder)
    write_library(tmp_path / "lib")
    cancel = threading.Event()

    def stop_after_first(progress: ImportProgress) -> None:
        if progress.stage == "import" and progress.outcome == "imported":
            cancel.set()

    knowledge.importer.batch_chunks = 1  # store each document as soon as it is embedded
    summary = knowledge.import_paths(
        admin_session(clinic), [tmp_path / "lib"], on_progress=stop_after_first, cancel=cancel
    )
    assert summary.cancelled and len(summary.of(ImportOutcome.IMPORTED)) == 1
    assert [p.name for p in summary.not_processed] == ["leprosy.txt", "tetanus.md"]
    assert [d.doc_id for d in knowledge.store.documents()] == ["cholera"]
    resumed = knowledge.import_paths(admin_session(clinic), [tmp_path / "lib"])
    assert {r.path.name: r.outcome.value for r in resumed.results} == {
        "cholera.md": "unchanged",
        "leprosy.txt": "imported",
        "tetanus.md": "imported",
    }


def test_a_killed_import_leaves_the_old_state_and_a_rerun_completes(
    clinic: SecurityServices, keyring: MemoryKeyring, embedder: SentenceEmbedder, tmp_path: Path
) -> None:
    knowledge = knowledge_for(clinic, embedder)
    files = write_library(tmp_path / "lib")
    knowledge.import_paths(admin_session(clinic), [files["cholera"], files["leprosy"]])
    leprosy_before = chunk_rows(clinic.db, "leprosy")
    leprosy_vectors = vectors_of(clinic.db, "leprosy")
    version = knowledge.store.content_version()
    key = clinic.keys.db_key
    assert key is not None
    clinic.db.close()

    # cholera and leprosy change, tetanus is new; the child dies inside leprosy's replacement.
    files["cholera"].write_text(CHOLERA + "\nReport every case within 24 hours.\n", "utf-8")
    files["leprosy"].write_text(LEPROSY + "Examine household contacts.\n", "utf-8")
    order = [files["cholera"], files["leprosy"], files["tetanus"]]
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.support.kb_import_child", str(clinic.db.path), key.hex()]
        + [str(p) for p in order],
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert child.stdout is not None
    lines = []
    for line in child.stdout:
        lines.append(line.strip())
        if line.strip() in ("IN_TRANSACTION", "DONE"):
            break
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert lines == ["REPLACED cholera.md", "IN_TRANSACTION"]

    reopened = open_services(tmp_path / "data", keyring, create=False)
    db = reopened.db
    knowledge = knowledge_for(reopened, embedder)
    assert db.integrity_check(full=True) == []
    assert knowledge.store.content_version() == version + 1  # only cholera's commit
    assert chunk_rows(db, "leprosy") == leprosy_before
    assert vectors_of(db, "leprosy") == leprosy_vectors
    assert knowledge.store.find("tetanus") is None
    assert keyword_docs(db, "household") == set()  # nothing of the lost transaction
    assert keyword_docs(db, "leprosy") == {"leprosy"}
    cholera = knowledge.store.find("cholera")
    assert cholera is not None and cholera.status == NEEDS_EMBEDDING  # the child had no model
    assert keyword_docs(db, "report") == {"cholera"}

    rerun = knowledge.import_paths(admin_session(reopened), [tmp_path / "lib"])
    assert {r.path.name: r.outcome.value for r in rerun.results} == {
        "cholera.md": "unchanged",
        "leprosy.txt": "replaced",
        "tetanus.md": "imported",
    }
    assert rerun.reembedded_chunks == cholera.chunk_count  # the child's chunks got vectors
    assert {d.status for d in knowledge.store.documents()} == {READY}
    assert keyword_docs(db, "household") == {"leprosy"}
    assert knowledge.store.count_missing_vectors(embedder.model_id) == 0
    reopened.close()


def test_no_model_imports_for_keyword_search_and_embeds_later(
    clinic: SecurityServices, embedder: SentenceEmbedder, tmp_path: Path
) -> None:
    degradation = DegradationRegistry()
    missing = SentenceEmbedder(str(tmp_path / "no-model-here"))
    offline = knowledge_for(clinic, missing, degradation=degradation)
    write_library(tmp_path / "lib")
    summary = offline.import_paths(admin_session(clinic), [tmp_path / "lib"])
    assert len(summary.of(ImportOutcome.IMPORTED)) == 3
    assert "No sentence-transformers model" in (summary.embedding_error or "")
    assert not any(r.embedded for r in summary.results)
    assert {d.status for d in offline.store.documents()} == {NEEDS_EMBEDDING}
    assert degradation.is_degraded(EMBEDDINGS)
    result = offline.search("neonatal tetanus spasms", 2)
    assert result.mode == "keyword" and result.passages[0].doc_id == "tetanus"
    assert "embedding model is unavailable" in (result.degraded_reason or "")
    listed = {d.document.doc_id: d.needs_embedding for d in offline.list_documents()}
    assert listed == {"cholera": True, "leprosy": True, "tetanus": True}

    online = knowledge_for(clinic, embedder, degradation=degradation)
    done = online.reembed_missing()
    assert done.embedded == online.store.chunk_count() and done.remaining == 0
    assert {d.status for d in online.store.documents()} == {READY}
    hybrid = online.search("a newborn who stopped sucking and goes stiff", 1)
    assert hybrid.mode == "hybrid" and hybrid.passages[0].doc_id == "tetanus"
    assert not degradation.is_degraded(EMBEDDINGS)
    assert (None, "kb.reembed", "success") in audit_actions(clinic)


def test_a_new_embedding_model_triggers_a_reembed_never_a_mix(
    clinic: SecurityServices, embedder: SentenceEmbedder, tmp_path: Path
) -> None:
    knowledge = knowledge_for(clinic, embedder)
    write_library(tmp_path / "lib")
    knowledge.import_paths(admin_session(clinic), [tmp_path / "lib"])
    question = "skin patches that cannot feel touch"
    before = knowledge.search(question, 3)

    # Another model folder: the same weights under another id, so the vectors must match.
    other_dir = tmp_path / "clinic-model"
    other_dir.mkdir()
    for item in packaged_model_dir().iterdir():
        (other_dir / item.name).symlink_to(item)
    other = SentenceEmbedder(str(other_dir))
    switched = knowledge_for(clinic, other)
    assert all(d.needs_embedding for d in switched.list_documents())
    degraded = switched.search(question, 3)
    assert degraded.mode == "keyword"  # the old model's vectors are not used
    assert str(other_dir) in (degraded.degraded_reason or "")

    progress: list[ImportProgress] = []
    summary = switched.reembed_missing(on_progress=progress.append)
    total = switched.store.chunk_count()
    assert summary.embedded == total and summary.model_id == str(other_dir)
    assert progress[-1].done == total and progress[-1].percent == 100.0
    models = clinic.db.query_all(
        "SELECT DISTINCT m.model_id FROM kb_vectors v JOIN kb_embedding_models m ON m.id = v.model"
    )
    assert [r[0] for r in models] == [str(other_dir)]  # the old vectors are gone
    after = switched.search(question, 3)
    assert after.mode == "hybrid"
    assert [p.chunk_id for p in after.passages] == [p.chunk_id for p in before.passages]
    assert np.allclose(
        [p.similarity for p in after.passages],  # type: ignore[arg-type]
        [p.similarity for p in before.passages],  # type: ignore[arg-type]
        atol=1e-4,
    )
    assert after.kb_version != before.kb_version


def test_only_admins_import_and_remove_and_both_are_audited(
    clinic: SecurityServices, embedder: SentenceEmbedder, tmp_path: Path
) -> None:
    knowledge = knowledge_for(clinic, embedder)
    files = write_library(tmp_path / "lib")
    worker = clinic.accounts.login(WORKER, WORKER_PW)
    with pytest.raises(PermissionDenied, match="Only a clinic admin"):
        knowledge.import_paths(worker, [files["leprosy"]])
    with pytest.raises(PermissionDenied):
        knowledge.remove_document(worker, "leprosy")
    assert knowledge.store.documents() == []
    admin = admin_session(clinic)
    knowledge.import_paths(admin, [files["leprosy"]])
    assert [p.doc_id for p in knowledge.search("pale patches", 1).passages] == ["leprosy"]
    removed = knowledge.remove_document(admin, str(files["leprosy"].resolve()))
    assert removed.doc_id == "leprosy" and knowledge.store.documents() == []
    assert knowledge.search("pale patches", 1).passages == []
    actions = audit_actions(clinic)
    assert (WORKER, "kb.import", "denied") in actions
    assert (WORKER, "kb.remove", "denied") in actions
    assert ("admin", "kb.import", "success") in actions
    assert ("admin", "kb.remove", "success") in actions
    assert clinic.audit_log.verify().ok


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_hostile_files_are_refused_or_skipped_and_the_rest_imports(
    clinic: SecurityServices, embedder: SentenceEmbedder, tmp_path: Path
) -> None:
    from tests.unit.core.knowledge.test_import_hardening import BILLION_LAUGHS

    library = tmp_path / "library"
    write_library(library)
    (library / "laughs.md").write_text(BILLION_LAUGHS, encoding="utf-8")
    outside = tmp_path / "private.md"
    outside.write_text("# Private\n\nSalary list of the district office.\n", encoding="utf-8")
    (library / "link.md").symlink_to(outside)
    knowledge = knowledge_for(clinic, embedder)

    summary = knowledge.import_paths(admin_session(clinic), [library])

    assert summary.total == 5
    assert {r.path.name for r in summary.of(ImportOutcome.IMPORTED)} == {
        "cholera.md",
        "tetanus.md",
        "leprosy.txt",
    }
    (failed,) = summary.of(ImportOutcome.FAILED)
    assert failed.path.name == "laughs.md" and "anchors or aliases" in (failed.message or "")
    (skipped,) = summary.of(ImportOutcome.SKIPPED)
    assert skipped.path.name == "link.md" and "symbolic link" in (skipped.message or "")
    assert summary.to_dict()["skipped"] == [
        {"path": str(library / "link.md"), "message": skipped.message}
    ]
    assert keyword_docs(clinic.db, "salary") == set()
