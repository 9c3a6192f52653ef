"""The semantic router's scoring and the IntentRouter's fallbacks, around a small fake embedder.

The real model is exercised in tests/integration/test_semantic_router.py; here the
vectors are chosen by hand so the arithmetic (top-k mean, out-of-scope floor,
softmax, the keyword veto on refusals) can be checked exactly.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from medassist_desktop.core.knowledge.embeddings import Embedder, EmbeddingModelError, FloatMatrix
from medassist_desktop.core.routing import Intent, IntentRouter, SemanticRouter, load_intent_data
from medassist_desktop.core.routing.intents import SemanticScoring
from medassist_desktop.core.routing.semantic import intent_scores, softmax

AXES = list(Intent)


class AxisEmbedder:
    """Texts of intent X (and questions naming X) point along axis X; others are orthogonal."""

    model_id = "fake-axes"
    dimension = len(AXES) + 1

    def __init__(self, labels: dict[str, Intent], fail: bool = False) -> None:
        self.labels = labels
        self.fail = fail
        self.calls = 0

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> FloatMatrix:
        if self.fail:
            raise EmbeddingModelError("fake model missing")
        self.calls += 1
        rows = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in zip(rows, texts, strict=True):
            intent = self.labels.get(text) or next((i for i in AXES if i.value in text), None)
            row[AXES.index(intent) if intent else -1] = 1.0
        return rows


@pytest.fixture
def data():  # type: ignore[no-untyped-def]
    return load_intent_data()


def _embedder(data, fail: bool = False) -> AxisEmbedder:  # type: ignore[no-untyped-def]
    return AxisEmbedder({text: intent for intent, text in data.labelled_utterances()}, fail)


def test_fake_satisfies_the_protocol(data) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(_embedder(data), Embedder)


def test_top_k_mean_and_out_of_scope_floor() -> None:
    scoring = SemanticScoring(
        top_k=2, temperature=0.1, out_of_scope_threshold=0.3, model="m", calibration="c"
    )
    slices = {intent: slice(3 * i, 3 * i + 3) for i, intent in enumerate(AXES)}
    similarities = np.zeros(3 * len(AXES))
    similarities[slices[Intent.MEDICATION]] = [0.9, 0.5, 0.1]
    similarities[slices[Intent.OUT_OF_SCOPE]] = [0.1, 0.0, 0.0]
    scores = intent_scores(similarities, slices, scoring)
    assert scores[AXES.index(Intent.MEDICATION)] == pytest.approx(0.7)
    assert scores[AXES.index(Intent.OUT_OF_SCOPE)] == pytest.approx(0.3)  # floored
    probabilities = softmax(scores, 0.1)
    assert probabilities.sum() == pytest.approx(1.0)
    assert AXES[int(probabilities.argmax())] is Intent.MEDICATION


def test_routes_by_similarity_and_refuses_what_is_far(data) -> None:  # type: ignore[no-untyped-def]
    router = SemanticRouter(_embedder(data), data)
    assert not router.is_ready
    result = router.route("something about medication")
    assert router.is_ready
    assert result.intent is Intent.MEDICATION and result.method == "semantic"
    assert result.confidence > 0.99
    far = router.route("nothing related at all")  # orthogonal to every example
    assert far.intent is Intent.OUT_OF_SCOPE


def test_examples_are_embedded_once(data) -> None:  # type: ignore[no-untyped-def]
    embedder = _embedder(data)
    router = SemanticRouter(embedder, data)
    router.prepare()
    router.prepare()
    router.route("guideline question")
    assert embedder.calls == 2  # the examples once, then one question


def test_intent_router_uses_keywords_until_warm(data) -> None:  # type: ignore[no-untyped-def]
    router = IntentRouter(_embedder(data), data)
    assert router.route("dose of amoxicillin").method == "keyword"
    assert router.degraded_reason == "the embedding model is still loading"
    router.warm_up()
    assert router.route("medication dose").method == "semantic"
    assert router.degraded_reason is None


def test_intent_router_falls_back_when_model_fails(data) -> None:  # type: ignore[no-untyped-def]
    router = IntentRouter(_embedder(data, fail=True), data)
    with pytest.raises(EmbeddingModelError):
        router.warm_up()
    assert router.degraded_reason == "fake model missing"
    assert router.route("what is the dose of paracetamol").method == "keyword"


def test_keywords_veto_refusing_a_clinical_question(data) -> None:  # type: ignore[no-untyped-def]
    router = IntentRouter(_embedder(data), data)
    router.warm_up()
    # The fake embeds this orthogonally to everything: semantic alone would refuse it.
    result = router.route("bring up the chart of Mrs Lan")
    assert result.intent is Intent.PATIENT_HISTORY and result.method == "keyword"
    # No clinical keyword: the refusal stands.
    assert router.route("a nice song for a party").intent is Intent.OUT_OF_SCOPE
