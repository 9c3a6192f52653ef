"""The question's embedding on the retriever's helper thread while the keyword search runs
on the database connection's thread (real SQLCipher starter library, real MiniLM)."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from medassist_desktop.core.knowledge.embeddings import FloatMatrix, SentenceEmbedder
from medassist_desktop.core.knowledge.passages import RetrievalResult
from medassist_desktop.core.knowledge.retrieval import OVERLAP_FROM_CHUNKS, HybridRetriever
from medassist_desktop.core.knowledge.store import KnowledgeStore
from medassist_desktop.storage.database import Database
from tests.support.consult import KB_FILE, KB_KEY

QUESTIONS = [
    "A rice farmer was bitten on the foot by a snake, what first aid before hospital?",
    "The little girl is too weak to breastfeed and vomits everything",
    "Heavy bleeding after delivery at home",
    "zinc dose for diarrhoea",
    "Fever settled on day four but now belly pain and bleeding gums",
    "MUAC tape in the red zone for a toddler",
]


class ThreadRecordingStore(KnowledgeStore):
    """The real store, noting the thread of every call that reads the database."""

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self.threads: set[int] = set()
        self.keyword_started = threading.Event()

    def content_version(self) -> int:
        self.threads.add(threading.get_ident())
        return super().content_version()

    def keyword_search(self, match: str, limit: int) -> list[tuple[int, float]]:
        self.threads.add(threading.get_ident())
        self.keyword_started.set()
        return super().keyword_search(match, limit)

    def passages(self, rowids: Any) -> Any:
        self.threads.add(threading.get_ident())
        return super().passages(rowids)


class WaitingEmbedder:
    """The real model, but each question's embedding waits until the keyword search has
    started: a search that ran the two steps one after the other would never finish."""

    def __init__(self, model: SentenceEmbedder, keyword_started: threading.Event) -> None:
        self._model = model
        self._keyword_started = keyword_started
        self.threads: set[int] = set()

    @property
    def model_id(self) -> str:
        return self._model.model_id

    @property
    def dimension(self) -> int:
        return self._model.dimension

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> FloatMatrix:
        self.threads.add(threading.get_ident())
        if not self._keyword_started.wait(timeout=30):
            raise AssertionError("the keyword search did not start while embedding")
        self._keyword_started.clear()
        return self._model.encode(texts, batch_size)


@pytest.fixture
def starter_db(starter_knowledge_base: Path) -> Iterator[Database]:
    db = Database.open(starter_knowledge_base / KB_FILE, KB_KEY)
    yield db
    db.close()


def _summary(result: RetrievalResult) -> list[tuple[Any, ...]]:
    return [
        (p.chunk_id, round(p.score, 9), p.similarity, p.keyword_rank, p.vector_rank)
        for p in result.passages
    ]


def test_overlapped_search_ranks_exactly_as_one_step_after_the_other(
    starter_db: Database, minilm_embedder: SentenceEmbedder
) -> None:
    store = KnowledgeStore(starter_db)
    overlapped = HybridRetriever(store, minilm_embedder, overlap_from_chunks=0)
    sequential = HybridRetriever(store, minilm_embedder, overlap_from_chunks=None)
    try:
        for question in QUESTIONS:
            ours, theirs = overlapped.search(question, 5), sequential.search(question, 5)
            assert ours.mode == theirs.mode == "hybrid" and ours.degraded_reason is None
            assert _summary(ours) == _summary(theirs), question
            assert {"embed_ms", "vector_ms", "keyword_ms", "total_ms"} <= set(ours.timings_ms)
            vector = minilm_embedder.encode([question])[0]
            given = overlapped.search(question, 5, query_embedding=vector)
            assert _summary(given) == _summary(ours)
        assert overlapped.search("   ", 5).passages == []
    finally:
        overlapped.close()


def test_keyword_search_runs_on_the_connection_thread_while_the_question_is_embedded(
    starter_db: Database, minilm_embedder: SentenceEmbedder
) -> None:
    store = ThreadRecordingStore(starter_db)
    embedder = WaitingEmbedder(minilm_embedder, store.keyword_started)
    retriever = HybridRetriever(store, embedder, overlap_from_chunks=0)
    sequential = HybridRetriever(
        KnowledgeStore(starter_db), minilm_embedder, overlap_from_chunks=None
    )
    try:
        for question in QUESTIONS[:3]:
            result = retriever.search(question, 3)
            assert result.mode == "hybrid" and len(result.passages) == 3
            assert _summary(result) == _summary(sequential.search(question, 3))
    finally:
        retriever.close()
    caller = threading.get_ident()
    assert store.threads == {caller}  # the connection never left its thread
    assert len(embedder.threads) == 1 and caller not in embedder.threads  # the helper embedded


class FailingEmbedder:
    """A model that fails to load: the search must answer by keyword, as before."""

    model_id = "all-MiniLM-L6-v2"
    dimension = 384

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> FloatMatrix:
        self.calls += 1
        raise RuntimeError("weights file truncated")


def test_a_failing_model_on_the_helper_thread_leaves_keyword_search(
    starter_db: Database,
) -> None:
    store = KnowledgeStore(starter_db)
    failing = FailingEmbedder()
    retriever = HybridRetriever(store, failing, overlap_from_chunks=0)
    sequential = HybridRetriever(store, FailingEmbedder(), overlap_from_chunks=None)
    question = "zinc dose for diarrhoea"
    try:
        result = retriever.search(question, 3)
        assert result.mode == "keyword"
        assert result.degraded_reason == (
            "the embedding model is unavailable (RuntimeError: weights file truncated)"
        )
        assert _summary(result) == _summary(sequential.search(question, 3))
        assert result.passages[0].doc_id == "diarrhoea-ors-zinc-treatment-plans"
        retriever.search(question, 3)
        assert failing.calls == 1  # not retried on every search
    finally:
        retriever.close()


def test_close_stops_the_helper_and_a_later_search_starts_it_again(
    starter_db: Database, minilm_embedder: SentenceEmbedder
) -> None:
    retriever = HybridRetriever(KnowledgeStore(starter_db), minilm_embedder, overlap_from_chunks=0)
    before = set(threading.enumerate())
    first = retriever.search(QUESTIONS[0], 3)
    helpers = [t for t in set(threading.enumerate()) - before if "kb-question" in t.name]
    assert len(helpers) == 1
    retriever.close()
    helpers[0].join(timeout=10)
    assert not helpers[0].is_alive()
    again = retriever.search(QUESTIONS[0], 3)
    assert _summary(again) == _summary(first)
    retriever.close()
    retriever.close()  # twice is harmless


def test_a_small_knowledge_base_searches_one_step_after_the_other(
    starter_db: Database, minilm_embedder: SentenceEmbedder
) -> None:
    store = KnowledgeStore(starter_db)
    chunks = store.chunk_count()
    assert 0 < chunks < OVERLAP_FROM_CHUNKS  # the starter library alone
    before = set(threading.enumerate())
    small = HybridRetriever(store, minilm_embedder)  # the default threshold
    small.search(QUESTIONS[1], 3)
    assert not [t for t in set(threading.enumerate()) - before if "kb-question" in t.name]
    large = HybridRetriever(store, minilm_embedder, overlap_from_chunks=chunks)
    try:
        assert _summary(large.search(QUESTIONS[1], 3)) == _summary(small.search(QUESTIONS[1], 3))
        assert [t for t in set(threading.enumerate()) - before if "kb-question" in t.name]
    finally:
        large.close()
