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

    def prepare(self) -> None:
        """Embed the example utterances once (loads the embedding model if needed)."""
        if self._matrix is not None:
            return
        with self._lock:
            if self._matrix is not None:
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

    def scores(self, text: str) -> npt.NDArray[np.float64]:
        """The intent scores (in `Intent` order) of one question."""
        self.prepare()
        assert self._matrix is not None
        query = self._embedder.encode([text[:MAX_QUERY_CHARS]])[0]
        return intent_scores(self._matrix @ query, self._slices, self._scoring)

    def route(self, text: str) -> RouteResult:
        if not text.strip():
            return empty_question_result("semantic")
        probabilities = softmax(self.scores(text), self._scoring.temperature)
        return result_from_probabilities(
            {intent: float(p) for intent, p in zip(Intent, probabilities, strict=True)},
            "semantic",
        )


__all__ = ["MAX_QUERY_CHARS", "SemanticRouter", "intent_scores", "softmax"]
