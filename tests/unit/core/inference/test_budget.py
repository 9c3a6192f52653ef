"""Context budget: oldest history first, then lowest-ranked passages, never an overflow.

The tokenizer here is a word counter; the real tokenizer is exercised in
tests/integration/inference/test_engine.py.
"""

from __future__ import annotations

from medassist_desktop.core.inference.budget import (
    MESSAGE_OVERHEAD,
    PromptParts,
    fit_prompt,
    shorten_to_tokens,
    trim_messages,
)
from medassist_desktop.core.inference.interface import ChatMessage


def words(text: str) -> int:
    return len(text.split())


def history(n_exchanges: int, size: int) -> list[ChatMessage]:
    out: list[ChatMessage] = []
    for i in range(n_exchanges):
        out += [ChatMessage("user", f"q{i} " * size), ChatMessage("assistant", f"a{i} " * size)]
    return out


def test_everything_fits_unchanged() -> None:
    parts = PromptParts("sys", "question?", passages=["p1 text", "p2 text"], history=history(1, 3))
    fitted = fit_prompt(parts, count_tokens=words, n_ctx=4096, answer_tokens=512)
    assert fitted.dropped_history == fitted.dropped_passages == 0 and not fitted.shortened
    assert [m.role for m in fitted.messages] == ["system", "user", "assistant", "user"]
    assert fitted.messages[-1].content.endswith("p1 text\n\np2 text\n\nQuestion: question?")


def test_oldest_history_goes_first_in_whole_exchanges() -> None:
    parts = PromptParts("sys", "question?", passages=["p " * 50], history=history(4, 40))
    fitted = fit_prompt(parts, count_tokens=words, n_ctx=400, answer_tokens=100)
    assert fitted.dropped_history % 2 == 0 and fitted.dropped_history > 0
    assert fitted.dropped_passages == 0
    kept_history = fitted.messages[1:-1]
    assert kept_history == history(4, 40)[fitted.dropped_history :]
    assert fitted.estimated_prompt_tokens <= 400 - 100


def test_then_lowest_ranked_passages() -> None:
    passages = [f"rank{i} " * 60 for i in range(5)]
    parts = PromptParts("sys", "question?", passages=passages, history=history(2, 10))
    fitted = fit_prompt(parts, count_tokens=words, n_ctx=400, answer_tokens=100)
    assert fitted.dropped_history == 4
    assert fitted.kept_passages == 5 - fitted.dropped_passages > 0
    final = fitted.messages[-1].content
    assert "rank0" in final and "rank4" not in final
    assert fitted.estimated_prompt_tokens <= 300


def test_a_huge_question_is_shortened_not_refused() -> None:
    question = "start " + "word " * 5000 + "end?"
    parts = PromptParts("sys", question, passages=["p " * 10])
    fitted = fit_prompt(parts, count_tokens=words, n_ctx=512, answer_tokens=128)
    final = fitted.messages[-1].content
    assert fitted.shortened and fitted.dropped_passages == 1
    assert final.startswith("start") and final.endswith("end?")
    assert words(final) + MESSAGE_OVERHEAD <= 512 - 128


def test_answer_budget_is_capped_at_half_the_context() -> None:
    fitted = fit_prompt(PromptParts("s", "q"), count_tokens=words, n_ctx=1000, answer_tokens=5000)
    assert fitted.answer_tokens == 500


def test_shorten_to_tokens_keeps_head() -> None:
    text = "one two three four five six"
    assert shorten_to_tokens(text, 3, words, keep_tail=False) == "one two three"
    assert shorten_to_tokens(text, 0, words, keep_tail=False) == ""
    assert shorten_to_tokens(text, 10, words, keep_tail=True) == text


def test_trim_messages_keeps_system_and_last_message() -> None:
    messages = [ChatMessage("system", "rules"), *history(3, 20), ChatMessage("user", "now?")]

    def count(ms: list[ChatMessage]) -> int:
        return sum(words(m.content) + 4 for m in ms)

    trimmed, changed = trim_messages(messages, count_prompt=count, limit=60)
    assert changed
    assert trimmed[0] == messages[0] and trimmed[-1] == messages[-1]
    assert count(trimmed) <= 60


def test_trim_messages_shortens_when_dropping_is_not_enough() -> None:
    messages = [ChatMessage("user", "x " * 1000)]

    def count(ms: list[ChatMessage]) -> int:
        return sum(len(m.content) for m in ms)

    trimmed, changed = trim_messages(messages, count_prompt=count, limit=300)
    assert changed and count(trimmed) <= 300 and trimmed[0].content
