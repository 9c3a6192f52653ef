"""The consult use case the GUI and `medassist ask` call: one service, one blocking `ask`.

`ConsultService` holds the pipeline's parts for the life of the app (router, retriever,
triage rules, answer cache, audit log) and answers with the engine the `ModelHolder`
(services/model_holder.py) hands out. When cloud inference is enabled the local
engine is wrapped in the hybrid engine, whose circuit breaker lives as long as the
service. `build_consult_service` composes it from settings.

Threads (the GUI calls from a worker thread, never from the GUI thread):
- `warm_up()` and `ask()` block; `ask` waits for a model that is still loading (at
  most `model_wait_s`, then answers from the rules).
- `cancel()` returns at once and is safe from any thread (the GUI thread included).
- `on_token` / `on_discard` run on the thread that called `ask` or on the model's
  engine thread (never both at once): never touch a widget from them, emit a signal.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, Protocol, runtime_checkable

from medassist_desktop.config import Settings
from medassist_desktop.config.paths import AppPaths
from medassist_desktop.core.assistant.answer import ConsultAnswer
from medassist_desktop.core.assistant.cache import AnswerCache, Clock
from medassist_desktop.core.assistant.pipeline import (
    AuditSink,
    ConsultOptions,
    ConsultPipeline,
    DiscardCallback,
    ModelChoice,
)
from medassist_desktop.core.degradation import EMBEDDINGS, DegradationRegistry
from medassist_desktop.core.inference.engine import LlamaEngine
from medassist_desktop.core.inference.interface import InferenceEngine, TokenCallback
from medassist_desktop.core.inference.loading import params_from_settings
from medassist_desktop.core.knowledge.embeddings import Embedder, SentenceEmbedder
from medassist_desktop.core.knowledge.passages import Retriever
from medassist_desktop.core.routing import IntentRouter
from medassist_desktop.core.security.clinic_secrets import NamedSecrets
from medassist_desktop.core.triage import TriageEngine, load_rules
from medassist_desktop.errors import KnownError
from medassist_desktop.i18n import resolve_language
from medassist_desktop.i18n.catalogue import gettext_noop
from medassist_desktop.services.model_holder import ModelHolder, ModelState, ModelStatus
from medassist_desktop.services.on_database_thread import ExecutorAudit, ExecutorRetriever

EngineWrapper = Callable[[InferenceEngine], InferenceEngine]


@runtime_checkable
class _Preparable(Protocol):
    def prepare(self) -> None: ...


class ConsultService:
    """Consults for the GUI and the CLI. One `ask` at a time (a second one waits)."""

    def __init__(
        self,
        pipeline: ConsultPipeline,
        model: ModelHolder,
        *,
        router: IntentRouter | None = None,
        wrap_engine: EngineWrapper | None = None,
        degradation: DegradationRegistry | None = None,
        model_wait_s: float | None = None,
    ) -> None:
        self.pipeline = pipeline
        self.model = model
        self._router = router
        self._wrap_engine = wrap_engine
        self._wrapped: tuple[InferenceEngine, InferenceEngine] | None = None
        self._degradation = degradation
        self._model_wait_s = model_wait_s
        self._ask_lock = threading.Lock()
        self._state_lock = threading.Lock()
        self._cancel: threading.Event | None = None
        self._engine_in_use: InferenceEngine | None = None

    def warm_up(self, *, load_model: bool = True) -> None:
        """Blocking: load the embedding model, index the library, start loading the model.

        Nothing here raises for a missing part: each falls back (keyword routing and
        search, rules-only answers) and is recorded in the degradation registry.
        """
        if load_model and self.model.writes_clinical_answers():
            # A model that may not write clinical answers is never asked: don't load it.
            self.model.start_loading()
        if self._router is not None:
            try:
                self._router.warm_up()
            except KnownError as exc:
                if self._degradation is not None:
                    self._degradation.mark_degraded(EMBEDDINGS, exc)
        retriever = self.pipeline.retriever
        if isinstance(retriever, _Preparable):
            retriever.prepare()

    @property
    def router_preparing(self) -> bool:
        """The question router's embedding model is loading: a question may wait for it."""
        return self._router is not None and self._router.preparing

    def ask(
        self,
        question: str,
        case: Mapping[str, Any] | None = None,
        *,
        actor_id: int | None = None,
        origin: str | None = None,
        max_tokens: int | None = None,
        on_token: TokenCallback | None = None,
        on_discard: DiscardCallback | None = None,
    ) -> ConsultAnswer:
        """Blocking: answer (stream through `on_token`), audit, return the answer object.

        Raises `KnownError`s for input that cannot be used (empty question, invalid case)
        and when the audit entry cannot be written; a missing or failing model is not an
        error (the answer then comes from the rules, `engine == "rules"`).
        """
        with self._ask_lock:
            cancel = threading.Event()
            with self._state_lock:
                self._cancel = cancel

            def choose() -> ModelChoice:
                # Called by the pipeline only when the answer needs the model.
                if not self.model.writes_clinical_answers():
                    name, sha256 = self.model.identity()
                    return ModelChoice(
                        None,
                        name=name,
                        sha256=sha256,
                        unavailable_reason=gettext_noop("the model may not write clinical answers"),
                    )
                choice = self.model.acquire(self._model_wait_s)
                if choice.engine is None:
                    return replace(choice, clinical_answers=True)
                engine = self._engine_for(choice.engine)
                with self._state_lock:
                    self._engine_in_use = engine
                return ModelChoice(
                    engine, name=choice.name, sha256=choice.sha256, clinical_answers=True
                )

            try:
                return self.pipeline.ask(
                    question,
                    case,
                    model=choose,
                    max_tokens=max_tokens,
                    actor_id=actor_id,
                    origin=origin,
                    on_token=on_token,
                    on_discard=on_discard,
                    cancel=cancel,
                )
            finally:
                with self._state_lock:
                    self._cancel, self._engine_in_use = None, None

    def cancel(self) -> None:
        """Stop the consult in progress soon (within a decode step). Any thread; no-op if idle."""
        with self._state_lock:
            cancel, engine = self._cancel, self._engine_in_use
        if cancel is not None:
            cancel.set()
        if engine is not None:
            engine.cancel()

    def close(self) -> None:
        self.cancel()
        self.model.close()

    def _engine_for(self, local: InferenceEngine) -> InferenceEngine:
        if self._wrap_engine is None:
            return local
        if self._wrapped is None or self._wrapped[0] is not local:
            self._wrapped = (local, self._wrap_engine(local))
        return self._wrapped[1]


def build_consult_service(
    settings: Settings,
    paths: AppPaths,
    audit: AuditSink,
    *,
    degradation: DegradationRegistry | None = None,
    keyword_only: bool = False,
    engine: LlamaEngine | None = None,
    retriever: Retriever,
    cache_clock: Clock | None = None,
    model_wait_s: float | None = None,
    secrets: NamedSecrets | None = None,
    model: ModelHolder | None = None,
    embedder: Embedder | None = None,
) -> ConsultService:
    """The consult service of these settings (the composition the GUI and CLI share).

    `retriever`: the knowledge base's (`KnowledgeService.retriever`, wrapped for the
    database thread in the GUI); there is no other.
    `embedder`: the app's embedding model, shared with the knowledge base (one load).
    """
    degradation = degradation if degradation is not None else DegradationRegistry()
    if keyword_only:
        embedder = None
    elif embedder is None:
        embedder = SentenceEmbedder.from_settings(settings)
    router = IntentRouter(embedder)
    cache = AnswerCache(settings.answer_cache_ttl_minutes * 60, clock=cache_clock or time.monotonic)
    pipeline = ConsultPipeline(
        triage=TriageEngine(load_rules()),
        router=router,
        retriever=retriever,
        audit=audit,
        cache=cache,
        options=ConsultOptions(
            params=params_from_settings(settings),
            language=resolve_language(settings.ui_language),
        ),
        embedder=embedder,
    )
    holder = model or ModelHolder(settings, paths, engine=engine, degradation=degradation)
    return ConsultService(
        pipeline,
        holder,
        router=router,
        wrap_engine=_hybrid_wrapper(settings, degradation, secrets),
        degradation=degradation,
        model_wait_s=model_wait_s,
    )


def _hybrid_wrapper(
    settings: Settings, degradation: DegradationRegistry, secrets: NamedSecrets | None
) -> EngineWrapper | None:
    """When cloud inference is on: wrap the local engine in the hybrid engine (one breaker).

    `secrets` is read on the consult thread when the model is first used: pass the
    clinic's secrets when that thread may use them (the CLI), else the keyring alone is read.
    """
    if not settings.cloud_inference_enabled:
        return None
    from medassist_desktop.core.security.clinic_secrets import ClinicSecrets
    from medassist_desktop.core.security.secrets import SecretStore
    from medassist_desktop.services.cloud_service import build_hybrid_engine, cloud_breaker

    breaker = cloud_breaker()
    store = secrets if secrets is not None else ClinicSecrets(SecretStore(settings.clinic_id))

    def wrap(local: InferenceEngine) -> InferenceEngine:
        return build_hybrid_engine(settings, store, local, degradation, breaker)

    return wrap


__all__ = [
    "ConsultService",
    "ExecutorAudit",
    "ExecutorRetriever",
    "ModelHolder",
    "ModelState",
    "ModelStatus",
    "build_consult_service",
]
