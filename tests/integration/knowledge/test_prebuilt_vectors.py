"""Starter-library vectors shipped with the app: the first import embeds nothing it
has a vector for, and a chunk whose text changed is embedded (real model and database)."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from medassist_desktop.core.knowledge.embeddings import FloatMatrix, SentenceEmbedder
from medassist_desktop.core.knowledge.parsers import parse_file
from medassist_desktop.core.knowledge.prebuilt import load_prebuilt_vectors, text_hash
from medassist_desktop.core.knowledge.starter import starter_library_files
from medassist_desktop.core.knowledge.store import READY
from medassist_desktop.services.knowledge import KnowledgeService, chunker_for
from medassist_desktop.services.security import SecurityServices

pytestmark = pytest.mark.slow


class CountingEmbedder:
    """The real model, counting the texts it is asked to embed."""

    def __init__(self, model: SentenceEmbedder) -> None:
        self.model = model
        self.texts: list[str] = []

    @property
    def model_id(self) -> str:
        return self.model.model_id

    @property
    def dimension(self) -> int:
        return self.model.dimension

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> FloatMatrix:
        self.texts.extend(texts)
        return self.model.encode(texts, batch_size=batch_size)


def starter_texts() -> list[str]:
    chunker = chunker_for("all-MiniLM-L6-v2")
    return [
        chunk.embedding_text
        for path in starter_library_files()
        for chunk in chunker.chunk(parse_file(path))
    ]


def test_the_shipped_vectors_cover_the_starter_library_and_match_the_model(
    embedder: SentenceEmbedder,
) -> None:
    shipped = load_prebuilt_vectors("all-MiniLM-L6-v2")
    texts = starter_texts()
    missing = [text[:60] for text in texts if text_hash(text) not in shipped]
    assert missing == [], "rebuild: python -m medassist_desktop.core.knowledge.prebuilt"
    sample = texts[:: max(1, len(texts) // 5)]
    fresh = embedder.encode(sample)
    stored = np.stack([shipped[text_hash(text)] for text in sample])
    np.testing.assert_allclose(stored, fresh, atol=1e-4)
    assert load_prebuilt_vectors("/some/clinic/model") == {}  # other models: never used


def test_first_import_uses_shipped_vectors_and_embeds_only_changed_chunks(
    clinic: SecurityServices, embedder: SentenceEmbedder, tmp_path: Path
) -> None:
    library = tmp_path / "starter"
    library.mkdir()
    for path in starter_library_files():
        shutil.copyfile(path, library / path.name)
    edited = library / "snakebite.md"
    edited.write_text(
        edited.read_text(encoding="utf-8").replace(
            "\n## ", "\nA sentence the shipped vectors never saw.\n\n## ", 1
        ),
        encoding="utf-8",
    )
    counting = CountingEmbedder(embedder)
    knowledge = KnowledgeService(
        clinic.db,
        clinic.audit_log,
        clinic.account_store,
        embedder=counting,
        chunker=chunker_for("all-MiniLM-L6-v2"),
        max_file_bytes=50 * 1024 * 1024,
        starter_files=lambda: sorted(library.glob("*.md")),
    )

    summary = knowledge.import_starter_library()

    assert summary is not None and summary.embedding_error is None
    chunks = knowledge.store.chunk_count()
    changed = len(counting.texts)
    assert 1 <= changed <= 3  # the edited section's chunk(s) only
    assert any("never saw" in text for text in counting.texts)
    assert knowledge.importer.prebuilt_used == chunks - changed
    assert all(d.status == READY for d in knowledge.store.documents())
    assert knowledge.status()["chunks_missing_vectors"] == 0
    hit = knowledge.search("tourniquet for a snake bite on the leg", 1).passages[0]
    assert hit.doc_id == "snakebite" and hit.similarity is not None and hit.similarity > 0.3
