"""The question-embedding cache shared by the router and the retriever (real model)."""

from __future__ import annotations

import numpy as np
import pytest

from medassist_desktop.core.knowledge.embeddings import SMALL_BATCH, SentenceEmbedder
from medassist_desktop.core.routing.intents import load_intent_data
from medassist_desktop.core.routing.semantic import SemanticRouter

# Each test loads all-MiniLM-L6-v2 with its own cache settings, not the shared fixture.
pytestmark = pytest.mark.slow


def test_a_question_is_embedded_once_for_the_router_and_the_search(
    embedder: SentenceEmbedder,
) -> None:
    router = SemanticRouter(embedder, load_intent_data())
    router.prepare()  # the intent examples: one large batch, never cached
    question = "The baby has a fever and will not breastfeed since this morning"
    hits, misses = embedder.cache_hits, embedder.cache_misses
    router.route(question)
    assert (embedder.cache_hits, embedder.cache_misses) == (hits, misses + 1)

    first = embedder.encode([question])  # the retriever asks for the same text
    again = embedder.encode([question])
    assert (embedder.cache_hits, embedder.cache_misses) == (hits + 2, misses + 1)
    np.testing.assert_array_equal(first, again)
    again[0, 0] = 5.0  # callers get their own copy; the cached vector cannot change
    np.testing.assert_array_equal(embedder.encode([question]), first)


def test_the_cache_keeps_the_most_recent_questions_and_leaves_imports_alone() -> None:
    embedder = SentenceEmbedder(question_cache_size=2)
    embedder.encode(["one"])
    embedder.encode(["two"])
    embedder.encode(["one"])  # "one" is now the most recent
    embedder.encode(["three"])  # evicts "two"
    misses = embedder.cache_misses
    embedder.encode(["one"])
    assert embedder.cache_misses == misses
    embedder.encode(["two"])
    assert embedder.cache_misses == misses + 1

    batch = [f"passage {n}" for n in range(SMALL_BATCH + 1)]
    hits, misses = embedder.cache_hits, embedder.cache_misses
    vectors = embedder.encode(batch)
    assert vectors.shape == (len(batch), embedder.dimension)
    assert (embedder.cache_hits, embedder.cache_misses) == (hits, misses)  # not cached
    uncached = SentenceEmbedder(question_cache_size=0).encode(["two"])
    np.testing.assert_allclose(embedder.encode(["two"]), uncached, atol=1e-6)
