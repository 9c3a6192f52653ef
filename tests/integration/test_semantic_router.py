"""The semantic router on the real all-MiniLM-L6-v2, against held-out questions.

DEV was looked at while the examples were written; BLIND was written before the
final measurement (tests/unit/core/routing/heldout.py). Every question is routed
once per module, in one batch; the figures of record (and the latency) are in
benchmarks/results/router.json.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from medassist_desktop.core.knowledge.embeddings import SentenceEmbedder
from medassist_desktop.core.routing import (
    Intent,
    IntentRouter,
    RouteResult,
    SemanticRouter,
    load_intent_data,
)
from tests.unit.core.routing.clinical_questions import questions as clinical_questions
from tests.unit.core.routing.clinical_questions_sea import (
    ID_OUT_OF_SCOPE,
    VI_OUT_OF_SCOPE,
    indonesian_questions,
    vietnamese_questions,
)
from tests.unit.core.routing.heldout import BLIND, DEV, labelled

pytestmark = pytest.mark.slow

ALL = labelled(DEV, BLIND)


@pytest.fixture(scope="session")
def embedder(minilm_embedder: SentenceEmbedder) -> SentenceEmbedder:
    """The session's one all-MiniLM-L6-v2 (tests/support/consult.py)."""
    return minilm_embedder


@pytest.fixture(scope="module")
def semantic(embedder: SentenceEmbedder) -> SemanticRouter:
    router = SemanticRouter(embedder, load_intent_data())
    router.prepare()
    return router


@pytest.fixture(scope="module")
def router(embedder: SentenceEmbedder) -> IntentRouter:
    combined = IntentRouter(embedder)
    combined.warm_up()
    return combined


@pytest.fixture(scope="module")
def semantic_routes(semantic: SemanticRouter) -> dict[str, RouteResult]:
    questions = [q for _, q in ALL]
    return dict(zip(questions, semantic.route_many(questions), strict=True))


@pytest.fixture(scope="module")
def router_routes(router: IntentRouter) -> dict[str, RouteResult]:
    questions = [q for _, q in ALL]
    return dict(zip(questions, router.route_many(questions), strict=True))


def _mistakes(
    routes: dict[str, RouteResult], pairs: list[tuple[str, str]]
) -> list[tuple[str, str, str]]:
    return [(g, q, routes[q].intent.value) for g, q in pairs if routes[q].intent != g]


@pytest.mark.parametrize("questions", [DEV, BLIND], ids=["dev", "blind"])
def test_semantic_held_out_accuracy(
    semantic_routes: dict[str, RouteResult], questions: dict[str, tuple[str, ...]]
) -> None:
    pairs = labelled(questions)
    wrong = _mistakes(semantic_routes, pairs)
    assert 1 - len(wrong) / len(pairs) >= 0.90, wrong


def test_router_held_out_accuracy_and_no_clinical_refusals(
    router_routes: dict[str, RouteResult],
) -> None:
    wrong = _mistakes(router_routes, ALL)
    assert 1 - len(wrong) / len(ALL) >= 0.92, wrong
    refused = [q for g, q, got in wrong if g != "out_of_scope" and got == "out_of_scope"]
    assert refused == []


@pytest.mark.parametrize("question", [q for g, q in ALL if g == "out_of_scope"])
def test_out_of_scope_questions_are_all_refused(
    router_routes: dict[str, RouteResult], question: str
) -> None:
    result = router_routes[question]
    assert result.intent is Intent.OUT_OF_SCOPE, result.as_dict()
    assert result.method == "semantic"


def test_one_question_routes_as_in_a_batch(
    router: IntentRouter, router_routes: dict[str, RouteResult]
) -> None:
    for _, question in ALL[::20]:
        single = router.route(question)
        assert single.intent is router_routes[question].intent
        assert single.confidence == pytest.approx(router_routes[question].confidence, abs=1e-3)


def test_result_shape_and_confidence(router: IntentRouter) -> None:
    out = router.route("the newborn is not breathing, what do I do").as_dict()
    assert out["intent"] == "emergency" and out["method"] == "semantic"
    assert set(out) == {"intent", "confidence", "alternatives", "method"}
    assert 0.5 < out["confidence"] <= 1.0
    assert len(out["alternatives"]) == len(Intent) - 1
    total = out["confidence"] + sum(a["confidence"] for a in out["alternatives"])
    assert total == pytest.approx(1.0, abs=1e-3)


def test_confident_routes_are_mostly_right(semantic_routes: dict[str, RouteResult]) -> None:
    """Calibration, coarsely: routes at 0.9 confidence or more are right 90% of the time."""
    results = [(g, semantic_routes[q]) for g, q in ALL]
    confident = [(g, r) for g, r in results if r.confidence >= 0.9]
    assert len(confident) >= len(results) // 2
    assert sum(r.intent.value == g for g, r in confident) / len(confident) >= 0.9


def test_no_clinical_question_is_refused_on_the_semantic_path(router: IntentRouter) -> None:
    questions = clinical_questions()
    assert len(questions) >= 300
    routes = router.route_many(questions)
    refused = [q for q, r in zip(questions, routes, strict=True) if r.is_out_of_scope]
    assert refused == [] and router.semantic_ready
    # Most are routed by the embeddings; the keywords answer only where those would refuse.
    semantic = sum(r.method == "semantic" for r in routes)
    assert semantic >= 0.8 * len(routes), semantic


def test_a_refusal_waits_for_the_loading_model(embedder: SentenceEmbedder) -> None:
    router = IntentRouter(embedder, semantic_wait_s=60)
    assert not router.preparing
    # Before warm-up starts nothing waits: the keywords answer at once.
    assert router.route("who painted the Mona Lisa").method == "keyword"
    warming = threading.Thread(target=router.warm_up)
    warming.start()
    try:
        # A question the keywords would refuse waits for the semantic router...
        result = router.route("tell me about the thing in my family")
        assert result.method == "semantic" and router.semantic_ready
    finally:
        warming.join()
    assert not router.preparing


def test_a_clinical_question_never_waits(embedder: SentenceEmbedder) -> None:
    router = IntentRouter(embedder, semantic_wait_s=60)
    router._warming.set()  # as while warm_up() runs: the embedding model is loading
    assert router.preparing
    result = router.route("What are the dengue warning signs?")
    assert result.method == "keyword" and not result.is_out_of_scope


@pytest.mark.parametrize("asked", [indonesian_questions, vietnamese_questions])
def test_no_indonesian_or_vietnamese_clinical_question_is_refused(
    router: IntentRouter, asked: Callable[[], list[str]]
) -> None:
    questions = asked()
    assert len(questions) >= 100
    routes = router.route_many(questions)
    refused = [q for q, r in zip(questions, routes, strict=True) if r.is_out_of_scope]
    assert refused == [] and router.semantic_ready


def test_indonesian_and_vietnamese_out_of_scope_questions_are_refused(
    router: IntentRouter,
) -> None:
    questions = [*ID_OUT_OF_SCOPE, *VI_OUT_OF_SCOPE]
    routes = router.route_many(questions)
    answered = [q for q, r in zip(questions, routes, strict=True) if not r.is_out_of_scope]
    assert answered == []
