"""Shared parts of the consult tests: the retriever, a scripted engine, an audit database.

`kb_retriever_for` is the one place the consult tests get their retriever: the
knowledge base's own `HybridRetriever` (the one the app and `medassist ask` use) over an
encrypted database holding the starter library (real parser, chunker and, with a model,
all-MiniLM-L6-v2 embeddings; built once per folder, so once per session for the
`starter_knowledge_base` fixture). Import the fixtures into a test module to use them.

`ScriptedEngine` subclasses the real `InferenceEngine` and replays a fixed answer token
by token: for the tests of the code *around* the model (the guard, fallbacks, cancel,
cache), where the test must decide what the model says. The model itself is tested
on the real GGUF in tests/integration/test_consult_pipeline.py.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from medassist_desktop.core.inference.errors import ModelLoadError
from medassist_desktop.core.inference.interface import (
    ChatMessage,
    GenerationParams,
    GenerationResult,
    InferenceEngine,
    TokenCallback,
)
from medassist_desktop.core.knowledge.embeddings import Embedder, SentenceEmbedder
from medassist_desktop.core.knowledge.importer import ImportOutcome, KnowledgeImporter
from medassist_desktop.core.knowledge.passages import RetrievalResult
from medassist_desktop.core.knowledge.prebuilt import load_prebuilt_vectors
from medassist_desktop.core.knowledge.retrieval import HybridRetriever
from medassist_desktop.core.knowledge.starter import starter_library_files
from medassist_desktop.core.knowledge.store import KnowledgeStore, starter_origin
from medassist_desktop.core.security.audit import AuditEntry
from medassist_desktop.services.knowledge import chunker_for
from medassist_desktop.services.security import SecurityServices
from medassist_desktop.storage.database import Database
from medassist_desktop.storage.migrations import migrate
from medassist_desktop.storage.schema import ALL_MIGRATIONS

KB_FILE = "starter-kb.db"
KB_KEY = bytes(range(32))  # a test database's key; nothing secret is stored in it
SCRIPTED_SHA256 = "ab" * 32

EMERGENCY_CASE: dict[str, Any] = {
    "age_months": 18,
    "sex": "female",
    "vitals": {"temperature_c": 38.6, "respiratory_rate": 52},
    "signs": ["cough", "convulsions"],
    "duration_days": {"cough": 3},
    "complaint": "Mother says the child had a fit this morning. MRN: 48213",
}
ROUTINE_CASE: dict[str, Any] = {"age_months": 30, "signs": ["cough"], "duration_days": {"cough": 2}}


class KnowledgeBaseRetriever:
    """The shipped `HybridRetriever`, with one database connection per calling thread
    (SQLite connections belong to the thread that opened them; the consult pipeline
    searches on its worker thread)."""

    def __init__(self, path: Path, embedder: Embedder | None) -> None:
        self._path = path
        self._embedder = embedder
        self._local = threading.local()

    def retriever(self) -> HybridRetriever:
        retriever: HybridRetriever | None = getattr(self._local, "retriever", None)
        if retriever is None:
            db = Database.open(self._path, KB_KEY)
            retriever = HybridRetriever(KnowledgeStore(db), self._embedder)
            self._local.retriever = retriever
        return retriever

    def search(self, query: str, k: int = 5, *, query_embedding: Any = None) -> RetrievalResult:
        return self.retriever().search(query, k, query_embedding=query_embedding)


def kb_retriever_for(embedder: Embedder | None, folder: Path) -> KnowledgeBaseRetriever:
    """The consult tests' retriever over the starter library in `folder` (imported there
    on first use, with vectors when `embedder` is given)."""
    path = folder / KB_FILE
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        db = Database.open(path, KB_KEY, create=True)
        try:
            migrate(db, ALL_MIGRATIONS)
            importer = KnowledgeImporter(
                KnowledgeStore(db), chunker_for("all-MiniLM-L6-v2"), embedder
            )
            if embedder is not None:  # as the app's first run: the shipped vectors
                importer.prebuilt = load_prebuilt_vectors(embedder.model_id)
            summary = importer.import_files(
                starter_library_files(), origin=lambda file: starter_origin(file.name)
            )
            assert not summary.of(ImportOutcome.FAILED), summary.to_dict()
        finally:
            db.close()
    return KnowledgeBaseRetriever(path, embedder)


class ScriptedEngine(InferenceEngine):
    """Replays `pieces` as the model's answer; optionally fails after `fail_after` pieces."""

    def __init__(
        self,
        pieces: Sequence[str],
        *,
        fail_after: int | None = None,
        logprob: float = -0.1,
        n_ctx: int = 4096,
        on_piece: Callable[[int], None] | None = None,
    ) -> None:
        self.pieces = list(pieces)
        self.fail_after = fail_after
        self.logprob = logprob
        self._n_ctx = n_ctx
        self.on_piece = on_piece
        self.calls: list[list[ChatMessage]] = []
        self._cancel = threading.Event()

    @property
    def n_ctx(self) -> int:
        return self._n_ctx

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def cancel(self) -> None:
        self._cancel.set()

    def generate(
        self,
        messages: Sequence[ChatMessage],
        params: GenerationParams,
        on_token: TokenCallback | None = None,
    ) -> GenerationResult:
        self.calls.append(list(messages))
        self._cancel.clear()
        sent: list[str] = []
        for index, piece in enumerate(self.pieces[: params.max_tokens]):
            if self.fail_after is not None and index == self.fail_after:
                raise ModelLoadError("Generation failed inside llama.cpp (test failure).")
            if self._cancel.is_set():
                break
            sent.append(piece)
            if on_token is not None:
                on_token(piece)
            if self.on_piece is not None:
                self.on_piece(index)
        cancelled = self._cancel.is_set()
        return GenerationResult(
            text="".join(sent),
            tokens=len(sent),
            token_logprobs=[self.logprob] * len(sent),
            tokens_per_second=100.0,
            time_to_first_token_ms=1.0,
            model_name="scripted",
            model_sha256=SCRIPTED_SHA256,
            cancelled=cancelled,
            stop_reason="cancelled" if cancelled else "stop",
        )


def consult_entries(services: SecurityServices) -> list[dict[str, Any]]:
    """The consult audit entries, oldest first, with their details decoded."""
    entries: list[AuditEntry] = [
        e for e in services.audit_log.entries() if e.action == "consult.ask"
    ]
    return [entry.as_dict() | {"details": json.loads(entry.details)} for entry in entries]


@pytest.fixture(scope="session")
def minilm_embedder() -> SentenceEmbedder:
    """The packaged all-MiniLM-L6-v2, loaded once per test session."""
    embedder = SentenceEmbedder()
    embedder.load()
    return embedder


@pytest.fixture(scope="session")
def starter_knowledge_base(
    minilm_embedder: SentenceEmbedder, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A folder holding an encrypted knowledge base of the starter library, with vectors
    (imported once per session)."""
    folder = tmp_path_factory.getbasetemp() / "starter-knowledge-base"
    kb_retriever_for(minilm_embedder, folder)
    return folder
