"""The generate interface every engine offers (local llama.cpp, cloud, hybrid).

An engine is a callable: messages in, tokens streamed through `on_token` as they
come, a `GenerationResult` out that says which engine produced the text. `cancel`
is checked between tokens (llama.cpp has no cancel API: the local engine checks it
in a `stopping_criteria` callable). Roles are "system", "user", "assistant"; an
engine whose model has no system role (Gemma) folds system text into the first user
turn itself.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

Role = Literal["system", "user", "assistant"]
TokenCallback = Callable[[str], None]


@dataclass(frozen=True)
class ChatMessage:
    role: Role
    content: str


@dataclass(frozen=True)
class GenerationResult:
    """The answer and where it came from (shown under the answer)."""

    text: str
    engine: str  # "local" or "cloud" (the UI says which produced the answer)
    tokens: int  # completion tokens produced
    finish_reason: str | None = None  # "stop", "length", "cancelled", ...
    model: str | None = None
    fallback_reason: str | None = None  # set when a fallback engine answered: why


class GenerateFn(Protocol):
    def __call__(
        self,
        messages: Sequence[ChatMessage],
        *,
        max_tokens: int,
        temperature: float,
        on_token: TokenCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> GenerationResult: ...
