"""The shared sentence embedder on the real all-MiniLM-L6-v2 (loaded once per session)."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from medassist_desktop.core.knowledge.embeddings import (
    Embedder,
    EmbeddingModelError,
    SentenceEmbedder,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def embedder(minilm_embedder: SentenceEmbedder) -> SentenceEmbedder:
    """The session's one all-MiniLM-L6-v2 (tests/support/consult.py)."""
    return minilm_embedder


def test_vectors_are_normalised_float32(embedder: SentenceEmbedder) -> None:
    assert isinstance(embedder, Embedder)
    assert embedder.dimension == 384
    vectors = embedder.encode(["fever and cough in a child", "dose of amoxicillin"], batch_size=1)
    assert vectors.dtype == np.float32 and vectors.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embedder.encode([]).shape == (0, 384)


def test_similar_meanings_are_closer(embedder: SentenceEmbedder) -> None:
    query, near, far = embedder.encode(
        ["child has a high fever", "the baby is very hot with a temperature", "who won the match"]
    )
    assert float(query @ near) > float(query @ far) + 0.2


def test_deterministic_and_batch_independent(embedder: SentenceEmbedder) -> None:
    texts = [f"patient number {i} has a cough" for i in range(10)]
    whole = embedder.encode(texts, batch_size=32)
    one_by_one = np.vstack([embedder.encode([t]) for t in texts])
    assert np.allclose(whole, one_by_one, atol=1e-5)


def test_safe_from_several_threads(embedder: SentenceEmbedder) -> None:
    texts = ["stiff neck and fever", "show the last visit", "what does IMCI say"]
    expected = embedder.encode(texts)
    results: list[np.ndarray] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(5):
                results.append(embedder.encode(texts))
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(results) == 20 and all(np.allclose(r, expected, atol=1e-5) for r in results)


def test_concurrent_first_use_loads_once() -> None:
    fresh = SentenceEmbedder()
    barrier = threading.Barrier(3)
    dims: list[int] = []

    def first_use() -> None:
        barrier.wait()
        dims.append(fresh.encode(["hello"]).shape[1])

    threads = [threading.Thread(target=first_use) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert dims == [384, 384, 384]


def test_a_broken_model_folder_is_a_known_error(tmp_path: Path) -> None:
    (tmp_path / "modules.json").write_text("not json", encoding="utf-8")
    with pytest.raises(EmbeddingModelError, match="could not be loaded"):
        SentenceEmbedder(str(tmp_path)).load()
