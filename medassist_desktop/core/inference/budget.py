"""Fitting system prompt, passages, history and question into the model's context.

A prompt longer than the context makes llama.cpp fail, and a full context leaves
no room for the answer. So before generating: keep `answer_tokens` free, then
drop the oldest history first, then the lowest-ranked passages, and only as a
last resort shorten the text itself. This never raises for length.

Token counts come from the model's own tokenizer (`InferenceEngine.count_tokens`);
each message also costs a few tokens of chat formatting, estimated generously
(`MESSAGE_OVERHEAD`) so the estimate errs on the safe side. The engine checks the
exact formatted length again before generating.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from medassist_desktop.core.inference.interface import ChatMessage

MESSAGE_OVERHEAD = 8  # <start_of_turn>role\n ... <end_of_turn>\n, with room to spare
PROMPT_OVERHEAD = 8  # <bos>, the final "model" turn opener
ELLIPSIS = " … "

CountTokens = Callable[[str], int]


@dataclass(frozen=True)
class PromptParts:
    """What a consult puts in front of the model. Passages come best first."""

    system: str
    question: str
    passages: Sequence[str] = ()
    history: Sequence[ChatMessage] = ()
    passages_header: str = "Reference passages:"


@dataclass(frozen=True)
class BudgetedPrompt:
    messages: list[ChatMessage]
    estimated_prompt_tokens: int
    answer_tokens: int
    kept_passages: int
    dropped_history: int
    dropped_passages: int
    shortened: bool


def _user_turn(parts: PromptParts, passages: Sequence[str], question: str) -> str:
    if not passages:
        return question
    return f"{parts.passages_header}\n" + "\n\n".join(passages) + f"\n\nQuestion: {question}"


def shorten_to_tokens(text: str, max_tokens: int, count: CountTokens, *, keep_tail: bool) -> str:
    """The longest cut of `text` within `max_tokens`: its head, or its head and tail.

    Binary search on characters: a few tokenizer calls, exact with any tokenizer.
    """
    if max_tokens <= 0:
        return ""
    if count(text) <= max_tokens:
        return text

    def cut(n_chars: int) -> str:
        if not keep_tail:
            return text[:n_chars]
        head = n_chars // 2
        return text[:head] + ELLIPSIS + text[len(text) - (n_chars - head) :]

    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if count(cut(middle)) <= max_tokens:
            low = middle
        else:
            high = middle - 1
    return cut(low).strip() if low else ""


def fit_prompt(
    parts: PromptParts, *, count_tokens: CountTokens, n_ctx: int, answer_tokens: int
) -> BudgetedPrompt:
    """Messages that fit `n_ctx` with `answer_tokens` left for the reply.

    The answer budget is capped at half the context so a question always has room.
    """
    answer_tokens = max(1, min(answer_tokens, n_ctx // 2))
    limit = n_ctx - answer_tokens - PROMPT_OVERHEAD

    history = list(parts.history)
    passages = list(parts.passages)
    history_cost = [count_tokens(m.content) + MESSAGE_OVERHEAD for m in history]
    passage_cost = [count_tokens(p) + 2 for p in passages]
    system_cost = count_tokens(parts.system) + MESSAGE_OVERHEAD if parts.system else 0
    question_cost = count_tokens(parts.question) + MESSAGE_OVERHEAD
    header_cost = count_tokens(parts.passages_header) + 4

    def total() -> int:
        return (
            system_cost
            + sum(history_cost)
            + (header_cost + sum(passage_cost) if passages else 0)
            + question_cost
        )

    dropped_history = 0
    while history and total() > limit:
        # Drop a whole exchange (user + assistant) so turns keep alternating.
        n = 2 if len(history) > 1 and history[1].role == "assistant" else 1
        del history[:n], history_cost[:n]
        dropped_history += n
    dropped_passages = 0
    while passages and total() > limit:
        passages.pop()
        passage_cost.pop()
        dropped_passages += 1

    system, question, shortened = parts.system, parts.question, False
    if total() > limit:
        # Still too long: the question or the instructions themselves. Shorten the longer
        # one (the question keeping its start and end, the instructions their start).
        shortened = True
        overflow = total() - limit
        if question_cost >= system_cost:
            room = question_cost - MESSAGE_OVERHEAD - overflow
            question = shorten_to_tokens(question, room, count_tokens, keep_tail=True)
            question_cost = count_tokens(question) + MESSAGE_OVERHEAD
        if total() > limit and system:
            room = system_cost - MESSAGE_OVERHEAD - (total() - limit)
            system = shorten_to_tokens(system, room, count_tokens, keep_tail=False)
            system_cost = count_tokens(system) + MESSAGE_OVERHEAD if system else 0

    messages: list[ChatMessage] = []
    if system:
        messages.append(ChatMessage("system", system))
    messages.extend(history)
    messages.append(ChatMessage("user", _user_turn(parts, passages, question)))
    return BudgetedPrompt(
        messages=messages,
        estimated_prompt_tokens=total() + PROMPT_OVERHEAD,
        answer_tokens=answer_tokens,
        kept_passages=len(passages),
        dropped_history=dropped_history,
        dropped_passages=dropped_passages,
        shortened=shortened,
    )


def trim_messages(
    messages: Sequence[ChatMessage], *, count_prompt: Callable[[list[ChatMessage]], int], limit: int
) -> tuple[list[ChatMessage], bool]:
    """The engine's last guard on exact counts: drop the oldest turns, then shorten.

    Keeps system messages and the last message; returns (messages, trimmed).
    """
    kept = list(messages)
    if count_prompt(kept) <= limit:
        return kept, False
    while True:
        droppable = [i for i, m in enumerate(kept[:-1]) if m.role != "system"]
        if not droppable or count_prompt(kept) <= limit:
            break
        del kept[droppable[0]]
    while (current := count_prompt(kept)) > limit:
        longest = max(range(len(kept)), key=lambda i: len(kept[i].content))
        content = kept[longest].content
        if not content:
            break
        # Shrink in proportion to the excess (at least 10% a round): a few rounds at most.
        ratio = min(0.9, max(0.0, 1 - (current - limit) * 1.1 / max(current, 1)))
        keep_chars = max(0, int(len(content) * ratio) - len(ELLIPSIS))
        half = keep_chars // 2
        new_content = content[:half] + ELLIPSIS + content[len(content) - half :] if half else ""
        kept[longest] = ChatMessage(kept[longest].role, new_content)
    return kept, True
