"""Hybrid inference: the cloud when allowed and healthy, the local model otherwise, no re-asking.

Rules (issue 8): the local model stays the default; the cloud is used only when an
admin enabled it and its circuit breaker lets calls through (CLOSED; when HALF_OPEN,
exactly one consult is the trial that can close it again); a cloud request that fails,
misses its first-byte deadline or breaks mid-stream is answered by the local engine
at once, and the result says which engine produced the answer and why.

A stream that broke midway is not stitched together: the local model starts the
answer again from the question, and `on_fallback(note, discard_streamed=True)` tells
the UI to clear the partial cloud text and show the note. Two models' halves in one
answer could contradict each other, and nobody could say which engine wrote what.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Sequence

from loguru import logger

from medassist_desktop.core.inference.cloud import CloudChatEngine, CloudError
from medassist_desktop.core.inference.generate import (
    ChatMessage,
    GenerateFn,
    GenerationResult,
    TokenCallback,
)
from medassist_desktop.core.sync.breaker import CircuitBreaker, CircuitOpenError
from medassist_desktop.core.sync.degradation import CLOUD_INFERENCE, DegradationRegistry

log = logger.bind(area="inference")

# on_fallback(note for the person, whether tokens already shown must be cleared)
FallbackCallback = Callable[[str, bool], None]


class HybridEngine:
    """A generate callable that prefers the cloud and always answers."""

    def __init__(
        self,
        local: GenerateFn,
        cloud: CloudChatEngine | None,
        *,
        breaker: CircuitBreaker,
        degradation: DegradationRegistry,
        cloud_enabled: Callable[[], bool],
    ) -> None:
        self._local = local
        self._cloud = cloud
        self._breaker = breaker
        self._degradation = degradation
        self._cloud_enabled = cloud_enabled

    def __call__(
        self,
        messages: Sequence[ChatMessage],
        *,
        max_tokens: int,
        temperature: float,
        on_token: TokenCallback | None = None,
        cancel: threading.Event | None = None,
        on_fallback: FallbackCallback | None = None,
        patient_names: Sequence[str] = (),
        patient_ids: Sequence[str] = (),
    ) -> GenerationResult:
        def local(reason: str | None) -> GenerationResult:
            result = self._local(
                messages,
                max_tokens=max_tokens,
                temperature=temperature,
                on_token=on_token,
                cancel=cancel,
            )
            return dataclasses.replace(result, fallback_reason=reason)

        if self._cloud is None or not self._cloud_enabled():
            return local(None)
        try:
            self._breaker.before_call()
        except CircuitOpenError as exc:
            return local(f"cloud paused: {exc.message}")

        streamed = 0

        def forward(token: str) -> None:
            nonlocal streamed
            streamed += 1
            if on_token is not None:
                on_token(token)

        try:
            result = self._cloud(
                messages,
                max_tokens=max_tokens,
                temperature=temperature,
                on_token=forward,
                cancel=cancel,
                patient_names=patient_names,
                patient_ids=patient_ids,
            )
        except CloudError as exc:
            self._breaker.record_failure(exc)
            reason = str(exc)  # cloud errors carry a message written for people
            self._degradation.mark_degraded(CLOUD_INFERENCE, reason)
            if streamed:
                note = (
                    f"The cloud connection broke after {streamed} tokens ({reason}); "
                    "the answer restarts on the local model."
                )
            else:
                note = f"The cloud model is unavailable ({reason}); answering with the local model."
            log.warning(note)
            if on_fallback is not None:
                on_fallback(note, streamed > 0)
            return local(reason)
        except BaseException as exc:
            self._breaker.record_failure(exc)  # a bug or an interrupt: ends the trial only
            raise
        self._breaker.record_success()
        self._degradation.mark_healthy(CLOUD_INFERENCE)
        return result
