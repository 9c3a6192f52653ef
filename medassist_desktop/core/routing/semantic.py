"""Semantic routing: cosine similarity of the question to example utterances per intent.

Scoring, per question:
  1. embed the question (L2-normalised, so a dot product is the cosine similarity);
  2. each intent's score is the mean of its `top_k` most similar examples (robust to
     one odd example, unlike the single nearest neighbour);
  3. out_of_scope's score is raised to at least `out_of_scope_threshold`: a question
     that is not close enough to any clinical example is refused even when it is not
     close to the out-of-scope examples either;
  4. confidence = softmax(scores / temperature). The temperature is fitted by
     leave-one-out negative log-likelihood over the examples (temperature scaling),
     so a confidence of 0.8 means about 80% of such routes are right; the fit and its
     held-out calibration error are in benchmarks/results/router.json.

The example embeddings are computed once (`prepare`), then routing a question is one
model call plus a (n_examples x dimension) matrix product.
"""

from __future__ import annotations

import threading

import numpy as np
import numpy.typing as npt

from medassist_desktop.core.knowledge.embeddings import Embedder, FloatMatrix
from medassist_desktop.core.routing.intents import (
    Intent,
    IntentData,
    RouteResult,
    SemanticScoring,
    empty_question_result,
    result_from_probabilities,
)

MAX_QUERY_CHARS = 2000


def softmax(scores: npt.NDArray[np.float64], temperature: float) -> npt.NDArray[np.float64]:
    scaled = scores / temperature
    scaled -= scaled.max()
    weights = np.exp(scaled)
    result: npt.NDArray[np.float64] = weights / weights.sum()
    return result


def intent_scores(
    similarities: npt.NDArray[np.float32] | npt.NDArray[np.float64],
    slices: dict[Intent, slice],
    scoring: SemanticScoring,
) -> npt.NDArray[np.float64]:
    """Top-k mean similarity per intent (in `Intent` order), out_of_scope floored."""
    scores = np.empty(len(Intent), dtype=np.float64)
    for index, intent in enumerate(Intent):
        block = similarities[slices[intent]]
        k = min(scoring.top_k, block.shape[0])
        scores[index] = float(np.partition(block, block.shape[0] - k)[-k:].mean())
    oos = list(Intent).index(Intent.OUT_OF_SCOPE)
    scores[oos] = max(scores[oos], scoring.out_of_scope_threshold)
    return scores


class SemanticRouter:
    """Routes by embedding similarity; `prepare()` (slow, loads the model) before `route()`."""

    def __init__(self, embedder: Embedder, data: IntentData) -> None:
        self._embedder = embedder
        self._data = data
        self._scoring = data.semantic
        self._matrix: FloatMatrix | None = None
        self._slices: dict[Intent, slice] = {}
        self._lock = threading.Lock()

    @property
    def is_ready(self) -> bool:
        return self._matrix is not None

    @property
    def model_id(self) -> str:
        return self._embedder.model_id

    def _prepared_matrix(self) -> FloatMatrix | None:
        return self._matrix

    def prepare(self) -> None:
        """Embed the example utterances once (loads the embedding model if needed)."""
        if self.is_ready:
            return
        with self._lock:
            if self._prepared_matrix() is not None:  # prepared by another thread meanwhile
                return
            texts: list[str] = []
            slices: dict[Intent, slice] = {}
            for intent in Intent:
                examples = self._data.utterances[intent]
                slices[intent] = slice(len(texts), len(texts) + len(examples))
                texts.extend(examples)
            matrix = self._embedder.encode(texts)
            self._slices = slices
            self._matrix = matrix

    def route(self, text: str) -> RouteResult:
        return self.route_many([text])[0]

    def route_many(self, texts: list[str], batch_size: int = 32) -> list[RouteResult]:
        """Route several questions with one batched model call (same results as `route`)."""
        self.prepare()
        assert self._matrix is not None
        asked = [index for index, text in enumerate(texts) if text.strip()]
        results = [empty_question_result("semantic")] * len(texts)
        if not asked:
            return results
        queries = self._embedder.encode(
            [texts[index][:MAX_QUERY_CHARS] for index in asked], batch_size=batch_size
        )
        similarities = queries @ self._matrix.T
        for row, index in enumerate(asked):
            scores = intent_scores(similarities[row], self._slices, self._scoring)
            probabilities = softmax(scores, self._scoring.temperature)
            results[index] = result_from_probabilities(
                {intent: float(p) for intent, p in zip(Intent, probabilities, strict=True)},
                "semantic",
            )
        return results


__all__ = ["MAX_QUERY_CHARS", "SemanticRouter", "intent_scores", "softmax"]
