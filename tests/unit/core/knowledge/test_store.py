"""The knowledge store on a real encrypted database, and the retrieval code around the model.

The embedder here is a small bag-of-words hasher: these tests check storage, versions,
fusion and degradation, not embedding quality (tests/integration/knowledge/ does that
with the real model).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from medassist_desktop.core.knowledge.chunking import Chunker
from medassist_desktop.core.knowledge.embeddings import EmbeddingModelError, FloatMatrix
from medassist_desktop.core.knowledge.importer import ImportOutcome, KnowledgeImporter
from medassist_desktop.core.knowledge.keyword_query import _one_edit_apart
from medassist_desktop.core.knowledge.parsers import parse_file
from medassist_desktop.core.knowledge.retrieval import (
    HybridRetriever,
    _reciprocal_rank_fusion,
    _relative_bm25,
    _top_indices,
)
from medassist_desktop.core.knowledge.store import (
    NEEDS_EMBEDDING,
    READY,
    DocumentNotFoundError,
    EmbeddingSpace,
    KnowledgeStore,
    slugify,
)
from medassist_desktop.core.knowledge.synonyms import Synonyms
from medassist_desktop.core.knowledge.tokens import TokenizerCounter
from medassist_desktop.storage.database import Database
from medassist_desktop.storage.migrations import migrate
from medassist_desktop.storage.schema import ALL_MIGRATIONS


class HashingEmbedder:
    """Words hashed into 64 buckets, L2-normalised: deterministic and instant."""

    def __init__(self, model_id: str = "hashing-64", *, fail: bool = False) -> None:
        self._model_id = model_id
        self.fail = fail
        self.calls = 0

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def dimension(self) -> int:
        return 64

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> FloatMatrix:
        self.calls += 1
        if self.fail:
            raise EmbeddingModelError("No sentence-transformers model in /nowhere.")
        out = np.zeros((len(texts), 64), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % 64] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return (out / np.where(norms == 0, 1, norms)).astype(np.float32, copy=False)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database.open(tmp_path / "kb.db", secrets.token_bytes(32), create=True)
    migrate(database, ALL_MIGRATIONS)
    yield database
    database.close()


def write(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


MALARIA = "# Malaria\n\n## Treat\n\nGive artemether-lumefantrine twice daily for three days.\n"
BURNS = "# Burns\n\n## First aid\n\nCool the burn under clean running water for twenty minutes.\n"


def fts_rowids(db: Database, word: str) -> set[int]:
    rows = db.query_all("SELECT rowid FROM kb_chunks_fts WHERE kb_chunks_fts MATCH ?", (word,))
    return {int(r[0]) for r in rows}


def test_replace_and_remove_keep_chunks_index_and_vectors_in_step(
    db: Database, tmp_path: Path, minilm_counter: TokenizerCounter
) -> None:
    store = KnowledgeStore(db)
    chunker = Chunker(minilm_counter)
    embedder = HashingEmbedder()
    path = write(tmp_path / "lib", "malaria.md", MALARIA)
    document = parse_file(path)
    chunks = chunker.chunk(document)
    vectors = embedder.encode([c.embedding_text for c in chunks])
    space = EmbeddingSpace(embedder.model_id, 64)
    version0 = store.content_version()

    stored, replaced = store.replace_document(
        origin="o:malaria",
        document=document,
        chunks=chunks,
        chunker="c1",
        vectors=vectors,
        space=space,
    )
    assert not replaced and stored.doc_id == "malaria" and stored.status == READY
    assert store.content_version() == version0 + 1
    first_rowids = fts_rowids(db, "lumefantrine")
    assert len(first_rowids) == 1
    ids, matrix = store.load_vectors(space)
    assert list(ids) == sorted(first_rowids) and np.allclose(matrix, vectors)

    path.write_text(MALARIA.replace("three days", "three days with fatty food"), encoding="utf-8")
    changed = parse_file(path)
    new_chunks = chunker.chunk(changed)
    again, replaced = store.replace_document(
        origin="o:malaria", document=changed, chunks=new_chunks, chunker="c1"
    )
    assert replaced and again.doc_id == "malaria" and again.imported_at == stored.imported_at
    assert again.status == NEEDS_EMBEDDING  # stored without vectors
    new_rowids = fts_rowids(db, "fatty")
    assert len(new_rowids) == 1 and not new_rowids & first_rowids  # row ids are never reused
    assert fts_rowids(db, "lumefantrine") == new_rowids  # the old index entry is gone
    old_ids = {c.chunk_id for c in chunks}
    assert not old_ids & {r[0] for r in db.query_all("SELECT chunk_id FROM kb_chunks")}
    assert store.load_vectors(space)[0].size == 0  # the old chunk's vector went with it
    assert [c.embedding_text for c in store.chunks_missing_vectors(space.model_id)] == [
        c.embedding_text for c in new_chunks
    ]

    removed = store.remove_document("malaria")
    assert removed.sha256 == changed.sha256
    assert fts_rowids(db, "fatty") == set()
    assert db.scalar("SELECT count(*) FROM kb_chunks") == 0
    assert store.content_version() == version0 + 3
    with pytest.raises(DocumentNotFoundError, match="no document 'malaria'"):
        store.remove_document("malaria")


def test_importer_without_a_working_model_stores_text_then_reembeds(
    db: Database, tmp_path: Path, minilm_counter: TokenizerCounter
) -> None:
    store = KnowledgeStore(db)
    broken = HashingEmbedder(fail=True)
    folder = tmp_path / "lib"
    write(folder, "malaria.md", MALARIA)
    write(folder, "burns.md", BURNS)
    summary = KnowledgeImporter(store, Chunker(minilm_counter), broken).import_files([folder])
    assert [r.outcome for r in summary.results] == [ImportOutcome.IMPORTED] * 2
    assert "No sentence-transformers model" in (summary.embedding_error or "")
    assert broken.calls == 1  # not retried for every file of the batch
    assert {d.status for d in store.documents()} == {NEEDS_EMBEDDING}

    retriever = HybridRetriever(store, broken)
    result = retriever.search("cool running water", 2)
    assert result.mode == "keyword" and "unavailable" in (result.degraded_reason or "")
    assert result.passages[0].doc_id == "burns" and result.passages[0].similarity is None

    working = HashingEmbedder()
    embedded = KnowledgeImporter(store, Chunker(minilm_counter), working).reembed_missing()
    assert embedded.embedded == 2 and embedded.remaining == 0 and embedded.documents == 2
    assert {d.status for d in store.documents()} == {READY}
    hybrid = HybridRetriever(store, working).search("cool running water", 2)
    assert hybrid.mode == "hybrid" and hybrid.degraded_reason is None
    top = hybrid.passages[0]
    assert top.doc_id == "burns" and top.vector_rank == 1 and top.keyword_rank == 1
    expected = (
        working.encode(["cool running water"])[0]
        @ working.encode([f"Burns > First aid\n{top.text}"])[0]
    )
    assert top.similarity == pytest.approx(float(expected), abs=1e-5)


def test_vectors_of_another_model_are_never_used(
    db: Database, tmp_path: Path, minilm_counter: TokenizerCounter
) -> None:
    store = KnowledgeStore(db)
    folder = tmp_path / "lib"
    write(folder, "malaria.md", MALARIA)
    KnowledgeImporter(store, Chunker(minilm_counter), HashingEmbedder("model-a")).import_files(
        [folder]
    )
    other = HashingEmbedder("model-b")
    result = HybridRetriever(store, other).search("artemether", 1)
    assert result.mode == "keyword"
    assert "model-b" in (result.degraded_reason or "")
    assert store.count_missing_vectors("model-b") == 1
    KnowledgeImporter(store, Chunker(minilm_counter), other).reembed_missing()
    models = db.query_all(
        "SELECT m.model_id FROM kb_vectors v JOIN kb_embedding_models m ON m.id = v.model"
    )
    assert [r[0] for r in models] == ["model-b"]  # model-a's vectors were dropped after


def test_matrix_reloads_when_content_changes_and_kb_version_moves(
    db: Database, tmp_path: Path, minilm_counter: TokenizerCounter
) -> None:
    store = KnowledgeStore(db)
    embedder = HashingEmbedder()
    importer = KnowledgeImporter(store, Chunker(minilm_counter), embedder)
    importer.import_files([write(tmp_path / "lib", "malaria.md", MALARIA)])
    retriever = HybridRetriever(store, embedder)
    first = retriever.search("burn water", 3)
    index = retriever.index
    assert index is not None and len(index.rowids) == 1
    assert retriever.search("burn water", 3).kb_version == first.kb_version
    assert retriever.index is index  # not reloaded while nothing changed

    importer.import_files([write(tmp_path / "lib", "burns.md", BURNS)])
    second = retriever.search("burn water", 3)
    assert second.kb_version != first.kb_version
    assert retriever.index is not index and len(retriever.index.rowids) == 2  # type: ignore[union-attr]
    assert second.passages[0].doc_id == "burns"


def test_model_still_loading_answers_by_keyword(
    db: Database, tmp_path: Path, minilm_counter: TokenizerCounter
) -> None:
    store = KnowledgeStore(db)
    embedder = HashingEmbedder()
    KnowledgeImporter(store, Chunker(minilm_counter), embedder).import_files(
        [write(tmp_path / "lib", "burns.md", BURNS)]
    )
    embedder.is_loaded = False  # type: ignore[attr-defined]
    calls = embedder.calls
    result = HybridRetriever(store, embedder, wait_for_model=False).search("burn", 1)
    assert result.mode == "keyword" and result.degraded_reason == (
        "the embedding model is still loading"
    )
    assert embedder.calls == calls
    with pytest.raises(ValueError, match="384"):
        HybridRetriever(store, embedder).search("burn", 1, query_embedding=np.zeros(384, "f4"))
    assert HybridRetriever(store, embedder).search("   ", 3).passages == []


def test_reciprocal_rank_fusion_and_top_indices() -> None:
    fused = _reciprocal_rank_fusion([([1, 2, 3], 1.0), ([3, 4], 1.0)], 60)
    assert [rowid for rowid, _ in fused] == [3, 1, 2, 4]  # 2 and 4 tie: the lower id first
    assert fused[0][1] == pytest.approx(1 / 63 + 1 / 61)
    weighted = _reciprocal_rank_fusion([([1, 2], 1.0), ([2, 3], 0.5)], 60)
    assert weighted[0] == (2, pytest.approx(1 / 62 + 0.5 / 61))
    assert [rowid for rowid, _ in weighted] == [2, 1, 3]
    assert _relative_bm25([(7, -8.0), (3, -4.0), (5, -2.0)]) == [(7, 1.0), (3, 0.5), (5, 0.25)]
    assert _relative_bm25([(1, 0.0)]) == [(1, 0.0)] and _relative_bm25([]) == []
    scores = np.array([0.1, 0.9, 0.5, 0.9, -1.0], dtype=np.float32)
    assert list(_top_indices(scores, 3)) == [1, 3, 2]
    assert list(_top_indices(scores, 10)) == [1, 3, 2, 0, 4]


def test_slugs() -> None:
    assert slugify("WHO IMCI Chart_2014 (final).pdf") == "who-imci-chart-2014-final-pdf"
    assert slugify("ไข้เลือดออก") == "document"


def test_common_words_are_left_out_of_keyword_search_in_a_large_base(
    db: Database, tmp_path: Path, minilm_counter: TokenizerCounter, monkeypatch: pytest.MonkeyPatch
) -> None:
    from medassist_desktop.core.knowledge import keyword_query

    folder = tmp_path / "lib"
    for n in range(10):
        extra = " Leptospirosis after floods." if n == 3 else ""
        write(folder, f"doc{n}.md", f"# Note {n}\n\nFever in children is common.{extra}\n")
    KnowledgeImporter(KnowledgeStore(db), Chunker(minilm_counter), None).import_files([folder])
    retriever = HybridRetriever(KnowledgeStore(db), None)
    everything = retriever.search("fever leptospirosis", 10)
    assert len(everything.passages) == 10  # small base: every word is searched

    monkeypatch.setattr(keyword_query, "PRUNE_FROM_CHUNKS", 5)
    retriever = HybridRetriever(KnowledgeStore(db), None)
    pruned = retriever.search("fever leptospirosis floods", 10)
    assert [p.doc_id for p in pruned.passages] == ["doc3"]  # 'fever' (in all 10) left out
    alone = retriever.search("fever", 10)
    assert len(alone.passages) == 10  # kept: otherwise nothing would be searched
    assert retriever.search("fever zzyzx", 10).passages  # an unknown word is dropped, not fatal


def test_a_word_no_passage_has_is_searched_by_its_synonyms(
    db: Database, tmp_path: Path, minilm_counter: TokenizerCounter, monkeypatch: pytest.MonkeyPatch
) -> None:
    from medassist_desktop.core.knowledge import keyword_query

    folder = tmp_path / "lib"
    write(folder, "fits.md", "# Seizures\n\n## During a convulsion\n\nTurn the child over.\n")
    write(folder, "fluids.md", "# Shock\n\n## Fluids\n\nStart IV fluids through a wide line.\n")
    write(folder, "ward.md", "# Ward\n\n## Night\n\nThe nurse checks the drip every hour.\n")
    for n in range(4):  # so that no word above is in more than a fifth of the passages
        write(folder, f"note{n}.md", f"# Note {n}\n\nWash hands with soap.\n")
    KnowledgeImporter(KnowledgeStore(db), Chunker(minilm_counter), None).import_files([folder])
    synonyms = Synonyms((("convulsion", "jerking"), ("iv fluids", "drip")))

    def found(question: str, table: Synonyms | None = synonyms) -> list[str]:
        retriever = HybridRetriever(KnowledgeStore(db), None, synonyms=table)
        return [p.doc_id for p in retriever.search(question, 5).passages]

    # 'jerking' is in no passage: its concept's other words are searched.
    assert found("toddler jerking on the bed") == ["fits"]
    assert found("toddler jerking on the bed", None) == []
    # 'drip' is in a passage: the question's own word, nothing added.
    assert found("who checks the drip") == ["ward"]
    monkeypatch.setattr(keyword_query, "PRUNE_FROM_CHUNKS", 1)  # the large-base path
    assert found("toddler jerking on the bed") == ["fits"]
    assert found("who checks the drip") == ["ward"]


def test_a_misspelt_word_is_searched_as_the_term_it_most_likely_means(
    db: Database, tmp_path: Path, minilm_counter: TokenizerCounter
) -> None:
    folder = tmp_path / "lib"
    write(folder, "epi.md", "# Outreach\n\n## Days\n\nVaccination days are on Tuesdays.\n")
    write(folder, "malaria.md", MALARIA.replace("artemether-lumefantrine", "rectal artesunate"))
    write(folder, "staff.md", "# Rota\n\n## Night\n\nTwo staff stay at night.\n")
    KnowledgeImporter(KnowledgeStore(db), Chunker(minilm_counter), None).import_files([folder])

    def found(question: str, *, correct_spelling: bool = True) -> list[str]:
        retriever = HybridRetriever(
            KnowledgeStore(db), None, synonyms=None, correct_spelling=correct_spelling
        )
        return [p.doc_id for p in retriever.search(question, 5).passages]

    assert found("when is the next vacination") == ["epi"]  # one letter dropped
    assert found("artesunat in the bottom") == ["malaria"]  # the index term it begins with
    assert found("when is the next vacination", correct_spelling=False) == []
    assert found("where is the stuff") == []  # five letters: left as typed, not 'staff'
    assert KnowledgeStore(db).stem("Vaccinations") == "vaccin"


def test_one_edit_apart() -> None:
    assert _one_edit_apart("vacin", "vaccin") and _one_edit_apart("vaccin", "vacin")
    assert _one_edit_apart("docter", "doctor") and _one_edit_apart("diabeti", "diabet")
    assert not _one_edit_apart("doctor", "doctor") and not _one_edit_apart("vacin", "vaccine")
    assert not _one_edit_apart("abcdef", "badcef")
