"""The hybrid engine's rules, around stand-in engines (the real servers: integration tests).

The stand-ins subclass the real `InferenceEngine` base class (the local one) or offer
the cloud client's `generate` signature, so the hybrid engine sees what it would see.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import pytest

from medassist_desktop.core.degradation import CLOUD_INFERENCE, DegradationRegistry
from medassist_desktop.core.inference.cloud import (
    CloudRejectedError,
    CloudStreamBrokenError,
    CloudTimeoutError,
    _sse_data,
    is_cloud_failure,
)
from medassist_desktop.core.inference.hybrid import HybridEngine
from medassist_desktop.core.inference.interface import (
    ChatMessage,
    EngineName,
    GenerationParams,
    GenerationResult,
    InferenceEngine,
    TokenCallback,
)
from medassist_desktop.core.sync.breaker import CircuitBreaker, CircuitState

QUESTION = [ChatMessage("user", "Child 2 years, fever 3 days. Danger signs?")]
PARAMS = GenerationParams(max_tokens=32, temperature=0.0)


class StandIn(InferenceEngine):
    """Streams fixed tokens, or raises after some of them."""

    def __init__(
        self,
        name: EngineName,
        tokens: list[str],
        fail_after: int | None = None,
        error: Exception | None = None,
    ) -> None:
        self.name, self.tokens, self.fail_after, self.error = name, tokens, fail_after, error
        self.calls: list[dict[str, object]] = []
        self.cancels = 0

    @property
    def n_ctx(self) -> int:
        return 2048

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def cancel(self) -> None:
        self.cancels += 1

    def generate(
        self,
        messages: Sequence[ChatMessage],
        params: GenerationParams,
        on_token: TokenCallback | None = None,
        *,
        cancel: threading.Event | None = None,
        **extra: object,
    ) -> GenerationResult:
        self.calls.append({"messages": list(messages), "params": params, **extra})
        for i, token in enumerate(self.tokens):
            if self.fail_after is not None and i == self.fail_after:
                assert self.error is not None
                raise self.error
            if on_token:
                on_token(token)
        if self.fail_after is not None and self.fail_after >= len(self.tokens):
            assert self.error is not None
            raise self.error
        return GenerationResult(
            text="".join(self.tokens),
            tokens=len(self.tokens),
            token_logprobs=[],
            tokens_per_second=0.0,
            time_to_first_token_ms=0.0,
            model_name=self.name,
            model_sha256=None,
            cancelled=False,
            stop_reason="stop",
            engine=self.name,
        )


def make(cloud: StandIn | None, *, enabled: bool = True, threshold: int = 5):
    local = StandIn("local", ["Look ", "for ", "danger ", "signs."])
    breaker = CircuitBreaker("cloud", failure_threshold=threshold, is_failure=is_cloud_failure)
    registry = DegradationRegistry()
    engine = HybridEngine(
        local,
        cloud,
        breaker=breaker,
        degradation=registry,  # type: ignore[arg-type]
        cloud_enabled=lambda: enabled,
    )
    return engine, local, breaker, registry


def ask(
    engine: HybridEngine, **kwargs: object
) -> tuple[GenerationResult, list[str], list[tuple[str, bool]]]:
    tokens: list[str] = []
    notes: list[tuple[str, bool]] = []
    result = engine.generate(
        QUESTION,
        PARAMS,
        tokens.append,
        on_fallback=lambda note, discard: notes.append((note, discard)),
        **kwargs,  # type: ignore[arg-type]
    )
    return result, tokens, notes


def test_cloud_answers_when_enabled_and_healthy() -> None:
    cloud = StandIn("cloud", ["Cloud ", "answer."])
    engine, local, breaker, registry = make(cloud)
    result, tokens, notes = ask(engine, patient_names=["Tran Thi Lan"])
    assert breaker.state is CircuitState.CLOSED
    assert (result.engine, result.text, result.fallback_reason) == ("cloud", "Cloud answer.", None)
    assert tokens == ["Cloud ", "answer."]
    assert notes == [] and local.calls == []
    assert cloud.calls[0]["patient_names"] == ["Tran Thi Lan"]
    assert not registry.is_degraded(CLOUD_INFERENCE)


@pytest.mark.parametrize("cloud", [None, StandIn("cloud", ["x"])])
def test_local_is_the_default(cloud: StandIn | None) -> None:
    engine, _, _, _ = make(cloud, enabled=False)
    result, _, notes = ask(engine)
    assert result.engine == "local" and result.fallback_reason is None and notes == []
    assert cloud is None or cloud.calls == []


def test_failure_before_any_token_falls_back_without_discarding() -> None:
    cloud = StandIn(
        "cloud", ["x"], fail_after=0, error=CloudTimeoutError("no answer within 500 ms")
    )
    engine, _, breaker, registry = make(cloud)
    result, tokens, notes = ask(engine)
    assert result.engine == "local" and result.text == "Look for danger signs."
    assert result.fallback_reason == "no answer within 500 ms"
    assert tokens == ["Look ", "for ", "danger ", "signs."]
    assert notes and notes[0][1] is False
    assert registry.get(CLOUD_INFERENCE) is not None
    assert breaker.snapshot().consecutive_failures == 1


def test_mid_stream_break_restarts_on_local_and_says_so() -> None:
    cloud = StandIn(
        "cloud",
        ["Cloud ", "half ", "answ"],
        fail_after=2,
        error=CloudStreamBrokenError("the cloud stream broke"),
    )
    engine, _, _, _ = make(cloud)
    result, tokens, notes = ask(engine)
    assert result.engine == "local" and result.text == "Look for danger signs."
    assert tokens[:2] == ["Cloud ", "half "]  # shown, then discarded by the UI on the note
    assert notes == [(notes[0][0], True)] and "after 2 tokens" in notes[0][0]


def test_breaker_opens_and_cloud_is_skipped_then_recovers() -> None:
    cloud = StandIn("cloud", ["x"], fail_after=0, error=CloudTimeoutError("slow"))
    engine, _, breaker, registry = make(cloud, threshold=2)
    ask(engine)
    ask(engine)
    assert breaker.state is CircuitState.OPEN
    result, _, _ = ask(engine)
    assert len(cloud.calls) == 2, "an open breaker must not call the cloud"
    assert result.engine == "local" and "paused" in (result.fallback_reason or "")
    breaker.reset()
    cloud.fail_after = None
    result, _, _ = ask(engine)
    assert result.engine == "cloud"
    assert not registry.is_degraded(CLOUD_INFERENCE)


def test_rejected_requests_fall_back_but_do_not_open_the_breaker() -> None:
    cloud = StandIn("cloud", ["x"], fail_after=0, error=CloudRejectedError("HTTP 401"))
    engine, _, breaker, registry = make(cloud, threshold=1)
    result, _, _ = ask(engine)
    assert result.engine == "local"
    assert breaker.state is CircuitState.CLOSED
    assert registry.is_degraded(CLOUD_INFERENCE)


def test_hybrid_is_an_engine_with_the_local_tokenizer_and_cancel() -> None:
    engine, local, _, _ = make(StandIn("cloud", ["x"]))
    assert isinstance(engine, InferenceEngine)
    assert engine.n_ctx == local.n_ctx and engine.count_tokens("a b c") == 3
    engine.cancel()
    assert local.cancels == 1


def test_sse_parsing() -> None:
    lines = [": ping", 'data: {"a":1}', "", "event: x", "data:[DONE]", "", "data: tail"]
    assert list(_sse_data(lines)) == ['{"a":1}', "[DONE]", "tail"]
    assert list(_sse_data(["data: line1", "data: line2", ""])) == ["line1\nline2"]
