"""The Qt-free contract between the app and a text-generation engine.

The consult pipeline and the Qt worker talk to this interface only, so the local
llama.cpp engine and the hybrid (cloud, else local) engine are interchangeable. Kept
small: generate a reply to chat messages (streaming through a callback), count tokens,
and report the context size. One `ChatMessage` and one `GenerationResult` serve every
engine; the result says which engine wrote the text (`engine`) and, when a fallback
engine answered, why (`fallback_reason`).
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

Role = Literal["system", "user", "assistant"]
StopReason = Literal["stop", "length", "cancelled", "context"]
EngineName = Literal["local", "cloud"]

# Called with each new piece of text as it is generated. Runs on the engine's thread:
# keep it quick, and never touch a widget from it (emit a signal instead).
TokenCallback = Callable[[str], None]


@dataclass(frozen=True)
class ChatMessage:
    role: Role
    content: str


@dataclass(frozen=True)
class GenerationParams:
    """How to sample. temperature 0 is greedy (repeatable); stop strings end the reply."""

    max_tokens: int = 512
    temperature: float = 0.2
    top_p: float = 0.95
    top_k: int = 40
    repeat_penalty: float = 1.1
    stop: tuple[str, ...] = ()
    seed: int | None = None
    logprobs: bool = True


@dataclass(frozen=True)
class GenerationResult:
    """What came back, with the figures a confidence score and the benchmarks need.

    `token_logprobs[i]` is the natural-log probability the model gave to the i-th
    generated token (from its raw distribution, before temperature and top-k/p); empty
    when the engine cannot say (the cloud engine). `engine` is the engine that wrote
    `text`; `fallback_reason` is set when a fallback engine answered, and says why.
    """

    text: str
    tokens: int
    token_logprobs: list[float]
    tokens_per_second: float
    time_to_first_token_ms: float
    model_name: str
    model_sha256: str | None
    cancelled: bool
    stop_reason: StopReason
    prompt_tokens: int = 0
    prompt_trimmed: bool = False
    total_ms: float = 0.0
    engine: EngineName = "local"
    fallback_reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class InferenceEngine(abc.ABC):
    """A loaded model that can answer chat messages. Implementations are thread-safe."""

    @property
    @abc.abstractmethod
    def n_ctx(self) -> int:
        """Context size in tokens (prompt + answer)."""

    @abc.abstractmethod
    def count_tokens(self, text: str) -> int:
        """Tokens `text` takes with this model's tokenizer (no special tokens added)."""

    @abc.abstractmethod
    def generate(
        self,
        messages: Sequence[ChatMessage],
        params: GenerationParams,
        on_token: TokenCallback | None = None,
    ) -> GenerationResult:
        """Blocking: stream the reply through `on_token` and return it with its figures.

        Never fails because the prompt is too long: the oldest history is dropped
        and, as a last resort, the longest message shortened (`prompt_trimmed`).
        """

    @abc.abstractmethod
    def cancel(self) -> None:
        """Stop the running generation soon (within a decode step); safe from any thread."""
