"""Shared parts of the consult tests: the retriever, a scripted engine, an audit database.

`starter_retriever_for` is the one place the consult tests get their retriever: today
the interim `StarterLibraryRetriever` over resources/knowledge (real parser, chunker and
all-MiniLM-L6-v2 embeddings; the embeddings are computed once per session and kept in a
cache folder the CLI tests copy into their data folders). When the knowledge base's
retriever is merged, switch it here. This module is a pytest plugin (registered in
tests/conftest.py): ask for its fixtures by name, never import them into a test module.

`ScriptedEngine` subclasses the real `InferenceEngine` and replays a fixed answer token
by token: for the tests of the code *around* the model (the guard, fallbacks, cancel,
cache), where the test must decide what the model says. The model itself is tested
on the real GGUF in tests/integration/test_consult_pipeline.py.
"""

from __future__ import annotations

import json
import shutil
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
from medassist_desktop.core.knowledge.starter_retriever import StarterLibraryRetriever
from medassist_desktop.core.security.audit import AuditEntry
from medassist_desktop.services.security import SecurityServices

EMBEDDING_CACHE_FOLDER = Path("cache") / "starter-library"  # under a data folder
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


def starter_retriever_for(embedder: Embedder | None, cache_dir: Path) -> StarterLibraryRetriever:
    """The consult tests' retriever (prepared); switch to the knowledge base's when merged."""
    retriever = StarterLibraryRetriever(embedder, cache_dir=cache_dir)
    retriever.prepare()
    return retriever


def seed_embedding_cache(source_dir: Path, data_dir: Path) -> None:
    """Copy the session's starter-library embeddings into a data folder (CLI runs)."""
    target = data_dir / EMBEDDING_CACHE_FOLDER
    target.mkdir(parents=True, exist_ok=True)
    for file in source_dir.glob("*.npy"):
        shutil.copyfile(file, target / file.name)


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
def starter_embedding_cache(
    minilm_embedder: SentenceEmbedder, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A folder holding the starter library's embeddings (computed once per session)."""
    folder = tmp_path_factory.getbasetemp() / "starter-embeddings"
    starter_retriever_for(minilm_embedder, folder)
    return folder
