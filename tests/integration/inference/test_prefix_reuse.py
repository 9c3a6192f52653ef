"""Prefix reuse keeps answers identical: a prompt that shares its start with the previous
one gives, token for token, what a fresh evaluation gives."""

from __future__ import annotations

import pytest

from medassist_desktop.config import LoadedSettings
from medassist_desktop.core.inference.engine import LlamaEngine
from medassist_desktop.core.inference.interface import ChatMessage, GenerationParams
from medassist_desktop.core.inference.loading import prepare_load

pytestmark = pytest.mark.slow

SYSTEM = (
    "You are a careful assistant for rural health workers. Answer from the passages, "
    "cite them, and say when the patient must be referred."
)
GREEDY = GenerationParams(max_tokens=8, temperature=0.0, repeat_penalty=1.0)


def ask(question: str) -> list[ChatMessage]:
    return [ChatMessage("system", SYSTEM), ChatMessage("user", question)]


def test_reused_prefix_gives_the_same_answer_as_a_fresh_evaluation(
    model_settings: LoadedSettings,
) -> None:
    request = prepare_load(model_settings.settings, model_settings.paths)
    reusing, fresh = LlamaEngine(reuse_prefix=True), LlamaEngine(reuse_prefix=False)
    try:
        reusing.load(request)
        fresh.load(request)
        first = reusing.generate(ask("What are the danger signs of dehydration?"), GREEDY)
        follow_up = ask("When should a child with fever be referred?")
        reused = reusing.generate(follow_up, GREEDY)
        again = reusing.generate(follow_up, GREEDY)  # the whole prompt is cached now
        expected = fresh.generate(follow_up, GREEDY)
    finally:
        reusing.close()
        fresh.close()
    assert first.text and expected.text
    assert reused.text == expected.text and again.text == expected.text
    assert reused.token_logprobs == pytest.approx(expected.token_logprobs, abs=1e-3)
    # A fully cached prompt re-evaluates its last token alone, and llama.cpp's one-token
    # kernels round differently from its batched ones: same tokens, log-probabilities
    # within about a tenth of a nat (stale or wrong logits would be off by whole nats).
    assert again.token_logprobs == pytest.approx(expected.token_logprobs, abs=0.25)
