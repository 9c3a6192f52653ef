"""The keyword router (no model): held-out accuracy, every out-of-scope question refused."""

from __future__ import annotations

import pytest

from medassist_desktop.core.routing import Intent, IntentRouter, KeywordRouter, load_intent_data
from tests.unit.core.routing.heldout import BLIND, DEV, labelled

QUESTIONS = labelled(DEV, BLIND)


@pytest.fixture(scope="module")
def router() -> KeywordRouter:
    return KeywordRouter(load_intent_data())


def test_held_out_accuracy(router: KeywordRouter) -> None:
    wrong = [
        (g, q, router.route(q).intent.value) for g, q in QUESTIONS if router.route(q).intent != g
    ]
    accuracy = 1 - len(wrong) / len(QUESTIONS)
    assert accuracy >= 0.85, wrong


@pytest.mark.parametrize("question", [q for g, q in QUESTIONS if g == "out_of_scope"])
def test_out_of_scope_questions_are_refused(router: KeywordRouter, question: str) -> None:
    assert router.route(question).intent is Intent.OUT_OF_SCOPE


def test_output_shape(router: KeywordRouter) -> None:
    out = router.route("what is the dose of paracetamol for a 12 kg child").as_dict()
    assert set(out) == {"intent", "confidence", "alternatives", "method"}
    assert out["intent"] == "medication" and out["method"] == "keyword"
    assert {a["intent"] for a in out["alternatives"]} == {i.value for i in Intent} - {"medication"}
    total = out["confidence"] + sum(a["confidence"] for a in out["alternatives"])
    assert total == pytest.approx(1.0, abs=1e-3)
    confidences = [out["confidence"], *(a["confidence"] for a in out["alternatives"])]
    assert confidences == sorted(confidences, reverse=True)


def test_who_the_organisation_is_not_who_the_pronoun(router: KeywordRouter) -> None:
    assert router.route("what does WHO recommend for this").intent is Intent.GUIDELINE
    assert router.route("who won the game").intent is Intent.OUT_OF_SCOPE


def test_phrases_match_whole_words(router: KeywordRouter) -> None:
    assert router.matches("the patient is tired")[Intent.OUT_OF_SCOPE] == 0  # not "tire"
    assert router.matches("she is convulsing")[Intent.EMERGENCY] == 1  # convuls*


@pytest.mark.parametrize("blank", ["", "   ", "\t"])
def test_empty_question_is_out_of_scope(router: KeywordRouter, blank: str) -> None:
    result = router.route(blank)
    assert result.intent is Intent.OUT_OF_SCOPE and result.confidence == 1.0


def test_intent_router_without_embedder_uses_keywords() -> None:
    router = IntentRouter(None)
    assert router.route("child fitting right now").method == "keyword"
    assert router.degraded_reason == "no embedding model configured"
    router.warm_up()  # nothing to warm: no error
    assert not router.semantic_ready
