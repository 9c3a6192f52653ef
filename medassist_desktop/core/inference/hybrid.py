"""Hybrid inference: the cloud when allowed and healthy, the local model otherwise, no re-asking.

Rules: the local model stays the default; the cloud is used only when an
admin enabled it and its circuit breaker lets calls through (CLOSED; when HALF_OPEN,
exactly one consult is the trial that can close it again); a cloud request that fails,
misses its first-byte deadline or breaks mid-stream is answered by the local engine
at once, and the result says which engine produced the answer and why.

A stream that broke midway is not stitched together: the local model starts the
answer again from the question, and `on_fallback(note, discard_streamed=True)` tells
the UI to clear the partial cloud text and show the note. Two models' halves in one
answer could contradict each other, and nobody could say which engine wrote what.

`HybridEngine` is an `InferenceEngine` like the local one, so the consult pipeline
does not care which it was given; token counts and the context size are the local
model's (the prompt is budgeted for the smaller window of the two).
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Sequence
from typing import Protocol

from loguru import logger

from medassist_desktop.core.degradation import CLOUD_INFERENCE, DegradationRegistry
from medassist_desktop.core.inference.cloud import CloudError
from medassist_desktop.core.inference.interface import (
    ChatMessage,
    GenerationParams,
    GenerationResult,
    InferenceEngine,
    TokenCallback,
)
from medassist_desktop.core.sync.breaker import CircuitBreaker, CircuitOpenError

log = logger.bind(area="inference")

# on_fallback(note for the person, whether tokens already shown must be cleared)
FallbackCallback = Callable[[str, bool], None]


class CloudEngine(Protocol):
    """What the hybrid engine needs from the cloud client (`CloudChatEngine`)."""

    def generate(
        self,
        messages: Sequence[ChatMessage],
        params: GenerationParams,
        on_token: TokenCallback | None = None,
        *,
        cancel: threading.Event | None = None,
        patient_names: Sequence[str] = (),
        patient_ids: Sequence[str] = (),
    ) -> GenerationResult: ...


class HybridEngine(InferenceEngine):
    """An engine that prefers the cloud and always answers (with the local model)."""

    def __init__(
        self,
        local: InferenceEngine,
        cloud: CloudEngine | None,
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
        self._lock = threading.Lock()
        self._cancels: set[threading.Event] = set()

    @property
    def local(self) -> InferenceEngine:
        return self._local

    @property
    def n_ctx(self) -> int:
        return self._local.n_ctx

    def count_tokens(self, text: str) -> int:
        return self._local.count_tokens(text)

    def cancel(self) -> None:
        """Stop the running generations (cloud stream and local model); any thread."""
        with self._lock:
            for event in self._cancels:
                event.set()
        self._local.cancel()

    def generate(
        self,
        messages: Sequence[ChatMessage],
        params: GenerationParams,
        on_token: TokenCallback | None = None,
        *,
        on_fallback: FallbackCallback | None = None,
        cloud_messages: Sequence[ChatMessage] | None = None,
        patient_names: Sequence[str] = (),
        patient_ids: Sequence[str] = (),
    ) -> GenerationResult:
        """Blocking. Tokens from the cloud arrive on the calling thread, tokens from the
        local model on its engine thread (never both at once).

        `cloud_messages`: what the cloud is sent instead of `messages` (the allow-listed,
        de-identified prompt); the cloud client strips `patient_names` / `patient_ids`
        from whatever it sends as well."""

        def local(reason: str | None) -> GenerationResult:
            result = self._local.generate(messages, params, on_token)
            return dataclasses.replace(result, engine="local", fallback_reason=reason)

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

        cancel = threading.Event()
        with self._lock:
            self._cancels.add(cancel)
        try:
            result = self._cloud.generate(
                messages if cloud_messages is None else cloud_messages,
                params,
                forward,
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
        finally:
            with self._lock:
                self._cancels.discard(cancel)
        self._breaker.record_success()
        self._degradation.mark_healthy(CLOUD_INFERENCE)
        return result
