"""A minimal local generate callable on llama.cpp, standing in for the local engine.

The real local engine (its own area) owns the model on a worker thread; this one only
serves as the fallback of the hybrid tests, with the same `GenerateFn` interface and
Gemma's turn format (the test GGUF has no chat template).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from medassist_desktop.core.inference.generate import ChatMessage, GenerationResult, TokenCallback


def gemma_prompt(messages: Sequence[ChatMessage]) -> str:
    system = "\n".join(m.content for m in messages if m.role == "system")
    turns: list[str] = []
    for message in messages:
        if message.role == "system":
            continue
        content = message.content
        if message.role == "user" and system and not turns:
            content = f"{system}\n\n{content}"
        role = "model" if message.role == "assistant" else "user"
        turns.append(f"<start_of_turn>{role}\n{content}<end_of_turn>\n")
    return "".join(turns) + "<start_of_turn>model\n"


class LocalLlama:
    name = "local"

    def __init__(self, model: Path) -> None:
        from llama_cpp import Llama

        # One thread: the test machine's two cores are shared, and llama.cpp's threads
        # spin-wait, which is far slower than one thread when the cores are busy.
        self._llm = Llama(
            model_path=str(model), n_ctx=1024, n_threads=1, n_threads_batch=1, verbose=False
        )
        self.calls = 0

    def __call__(
        self,
        messages: Sequence[ChatMessage],
        *,
        max_tokens: int,
        temperature: float,
        on_token: TokenCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> GenerationResult:
        self.calls += 1
        parts: list[str] = []
        finish: str | None = None
        for chunk in self._llm.create_completion(
            gemma_prompt(messages),
            max_tokens=max_tokens,
            temperature=temperature,
            stream=True,
            stop=["<end_of_turn>"],
        ):
            if cancel is not None and cancel.is_set():
                finish = "cancelled"
                break
            choice = chunk["choices"][0]
            if choice["text"]:
                parts.append(choice["text"])
                if on_token is not None:
                    on_token(choice["text"])
            finish = choice.get("finish_reason") or finish
        return GenerationResult("".join(parts), self.name, len(parts), finish)
