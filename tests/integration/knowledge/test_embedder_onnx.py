"""The ONNX Runtime embedder of benchmarks/embedder_onnx.py gives the app's vectors.

The benchmark's size and speed figures only mean something if its embedder computes what
sentence-transformers computes: the same pooling (mean over the real tokens, then unit
length) and, once exported, the same vectors for texts of different lengths in one batch
(where padding must be masked out).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from benchmarks.embedder_onnx import (
    COSINE_FLOOR,
    OnnxEmbedder,
    export_onnx,
    mean_pool_normalise,
)
from medassist_desktop.core.knowledge.embeddings import SentenceEmbedder, packaged_model_dir

SENTENCES = [
    "Fever and stiff neck in a child",
    "How much oral rehydration solution for a child with some dehydration, weighing 12 kg?",
    "cough",
    "A pregnant woman at 34 weeks with severe headache, blurred vision and high blood pressure",
]


def test_mean_pooling_matches_sentence_transformers(minilm_embedder: SentenceEmbedder) -> None:
    import torch

    model = minilm_embedder._model
    transformer = model[0]
    features = transformer.tokenize(SENTENCES)  # a padded batch
    with torch.no_grad():
        tokens = transformer.auto_model(**features).last_hidden_state.numpy()
    pooled = mean_pool_normalise(tokens, features["attention_mask"].numpy())
    expected = minilm_embedder.encode(SENTENCES)
    assert pooled.shape == expected.shape
    assert np.allclose(pooled, expected, atol=1e-5)


def test_onnx_embedder_gives_the_torch_vectors(
    minilm_embedder: SentenceEmbedder, tmp_path: Path
) -> None:
    pytest.importorskip("onnx", reason="the bench-onnx extra is not installed")
    pytest.importorskip("onnxruntime", reason="the bench-onnx extra is not installed")
    model_dir = packaged_model_dir()
    onnx = OnnxEmbedder(export_onnx(model_dir, tmp_path / "minilm.onnx"), model_dir)
    batched = onnx.encode(SENTENCES)
    one_by_one = np.concatenate([onnx.encode([text]) for text in SENTENCES])
    expected = minilm_embedder.encode(SENTENCES)
    for vectors in (batched, one_by_one):
        assert vectors.shape == expected.shape
        assert np.sum(vectors * expected, axis=1).min() >= COSINE_FLOOR
    # Not a constant: different sentences keep different vectors.
    assert float(batched[0] @ batched[2]) < 0.9
