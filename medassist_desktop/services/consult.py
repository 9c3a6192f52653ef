"""The consult use case the GUI and `medassist ask` call: one service, one blocking `ask`.

`ConsultService` holds the pipeline's parts for the life of the app (router, retriever,
triage rules, answer cache, audit log) and a `ModelHolder` that loads the local model
in the background and says how it is doing (not loaded / loading / ready /
unavailable + reason) for the status bar. When cloud inference is enabled the local
engine is wrapped in the hybrid engine, whose circuit breaker lives as long as the
service.

Threads (the GUI calls from a worker thread, never from the GUI thread):
- `warm_up()`, `ask()`, `ModelHolder.acquire()` block; `ask` waits for a model that
  is still loading (at most `model_wait_s`, then answers from the rules).
- `cancel()`, `ModelHolder.start_loading()`, `ModelHolder.status` return at once and
  are safe from any thread (the GUI thread included).
- `on_token` / `on_discard` run on the thread that called `ask` or on the model's
  engine thread (never both at once); model status listeners run on the engine
  thread, or on the caller's thread for the "loading" notice. Keep them quick and
  never touch a widget from them: emit a Qt signal.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

from loguru import logger

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
from medassist_desktop.core.inference.engine import LlamaEngine, LoadedModelInfo
from medassist_desktop.core.inference.interface import InferenceEngine, TokenCallback
from medassist_desktop.core.inference.loading import params_from_settings, prepare_load
from medassist_desktop.core.knowledge.embeddings import Embedder, SentenceEmbedder
from medassist_desktop.core.knowledge.passages import RetrievalResult, Retriever
from medassist_desktop.core.routing import IntentRouter
from medassist_desktop.core.security.audit import AuditLog, Outcome
from medassist_desktop.core.security.clinic_secrets import NamedSecrets
from medassist_desktop.core.sync.degradation import EMBEDDINGS, LOCAL_MODEL, DegradationRegistry
from medassist_desktop.core.triage import TriageEngine, load_rules
from medassist_desktop.errors import KnownError, new_error_id
from medassist_desktop.storage.database import Database
from medassist_desktop.storage.executor import SerialExecutor

_log = logger.bind(area="consult")

EngineWrapper = Callable[[InferenceEngine], InferenceEngine]


class ModelState(StrEnum):
    """The same values as the status bar's `ModelState`."""

    NOT_LOADED = "not_loaded"
    LOADING = "loading"
    READY = "ready"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class ModelStatus:
    state: ModelState
    model_name: str | None = None
    sha256: str | None = None
    reason: str | None = None  # why the model is unavailable, for a person
    progress: float = 0.0  # 0.0 .. 1.0 while loading

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


StatusListener = Callable[[ModelStatus], None]


class ModelHolder:
    """The local model: loaded lazily in the background, or given ready-made.

    Loading runs on the engine's own thread (`LlamaEngine.load_async`), the file
    lookup and checks included, so `start_loading()` returns at once.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        paths: AppPaths | None = None,
        *,
        engine: LlamaEngine | None = None,
        model_name: str | None = None,
        degradation: DegradationRegistry | None = None,
    ) -> None:
        self._settings = settings
        self._paths = paths
        self._model_name = model_name
        self._degradation = degradation
        self._llama = engine
        self._engine: InferenceEngine | None = None
        self._future: Future[LoadedModelInfo] | None = None
        self._settled: Future[LoadedModelInfo] | None = None
        self._settle_lock = threading.Lock()
        self._listeners: list[StatusListener] = []
        self._lock = threading.Lock()
        self._status = ModelStatus(ModelState.NOT_LOADED)
        if engine is not None and engine.info is not None:
            self._ready(engine, engine.info.name, engine.info.sha256)

    @classmethod
    def given(cls, engine: InferenceEngine, *, name: str, sha256: str | None) -> ModelHolder:
        """A holder of an engine that is already loaded (another engine, tests)."""
        holder = cls()
        holder.adopt(engine, name=name, sha256=sha256)
        return holder

    def adopt(self, engine: InferenceEngine, *, name: str, sha256: str | None) -> None:
        """Answer with an engine loaded elsewhere (the GUI's model controller owns the load)."""
        self._ready(engine, name, sha256)

    def follow(self, status: ModelStatus) -> None:
        """Mirror the state of a model loaded elsewhere (loading, unavailable and why)."""
        if status.state is not ModelState.READY:
            with self._lock:
                self._engine = None
        self._set(status)

    @property
    def status(self) -> ModelStatus:
        with self._lock:
            return self._status

    def add_listener(self, listener: StatusListener) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(listener)

        def remove() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return remove

    def start_loading(self) -> None:
        """Start loading the configured model unless it is loading or loaded. Returns at once."""
        settings, paths = self._settings, self._paths
        last = [-1]

        def progress(fraction: float) -> None:
            percent = int(fraction * 100)
            if percent != last[0]:
                last[0] = percent
                self._set(
                    ModelStatus(ModelState.LOADING, self._configured_name(), progress=fraction)
                )

        with self._lock:
            if self._status.state in (ModelState.LOADING, ModelState.READY):
                return
            future: Future[LoadedModelInfo] | None = None
            if settings is None or paths is None:
                status = ModelStatus(ModelState.UNAVAILABLE, reason="no model is configured")
            else:
                status = ModelStatus(ModelState.LOADING, model_name=self._configured_name())
                if self._llama is None:
                    self._llama = LlamaEngine()
                # Only queued here: the file checks and the load run on the engine's thread.
                future = self._llama.load_async(
                    lambda: prepare_load(settings, paths, model_name=self._model_name), progress
                )
            self._status, self._future = status, future
        self._notify(status)
        if future is not None:
            future.add_done_callback(self._loaded)

    def reload(self) -> None:
        """Try again after the model was unavailable (a file was imported, memory freed)."""
        with self._lock:
            if self._status.state is ModelState.LOADING:
                return
            self._status = ModelStatus(ModelState.NOT_LOADED)
        self.start_loading()

    def acquire(self, timeout: float | None = None) -> ModelChoice:
        """The engine to answer with; starts loading and waits for it (at most `timeout`)."""
        if self.status.state is ModelState.NOT_LOADED:
            self.start_loading()
        with self._lock:
            future = self._future
        if future is not None and self.status.state is ModelState.LOADING:
            try:
                future.exception(timeout)  # waits
            except TimeoutError:
                return ModelChoice(None, unavailable_reason="the model is still loading")
            # Waiters wake before done-callbacks run: settle the outcome here too.
            self._loaded(future)
        with self._lock:
            status, engine = self._status, self._engine
        if status.state is ModelState.READY and engine is not None:
            return ModelChoice(engine, name=status.model_name, sha256=status.sha256)
        return ModelChoice(None, unavailable_reason=status.reason or "the model is not loaded")

    def cancel(self) -> None:
        with self._lock:
            engine = self._engine
        if engine is not None:
            engine.cancel()

    def close(self) -> None:
        with self._lock:
            llama, self._llama, self._engine = self._llama, None, None
        if llama is not None:
            llama.close()

    # -- internals ------------------------------------------------------------------------
    def _configured_name(self) -> str | None:
        if self._model_name:
            return self._model_name
        return self._settings.model_name if self._settings is not None else None

    def _loaded(self, future: Future[LoadedModelInfo]) -> None:
        """The outcome of a load (from its done-callback or a waiter; the first one counts,
        and the other returns only once the status says it)."""
        with self._settle_lock:
            with self._lock:
                if self._settled is future or self._future is not future:
                    return
                self._settled = future
                llama = self._llama
            exc = future.exception()
            if exc is None and llama is not None:
                info = future.result()
                self._ready(llama, info.name, info.sha256)
                return
            if isinstance(exc, KnownError):
                reason = exc.message
            else:
                error_id = new_error_id()
                _log.opt(exception=exc).error("Loading the model failed ({})", error_id)
                reason = f"an unexpected error occurred while loading (error id {error_id})"
            if self._degradation is not None:
                self._degradation.mark_degraded(LOCAL_MODEL, reason)
            self._set(ModelStatus(ModelState.UNAVAILABLE, self._configured_name(), reason=reason))

    def _ready(self, engine: InferenceEngine, name: str, sha256: str | None) -> None:
        with self._lock:
            self._engine = engine
        if self._degradation is not None:
            self._degradation.mark_healthy(LOCAL_MODEL)
        self._set(ModelStatus(ModelState.READY, name, sha256, progress=1.0))

    def _set(self, status: ModelStatus) -> None:
        with self._lock:
            self._status = status
        self._notify(status)

    def _notify(self, status: ModelStatus) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(status)
            except Exception:
                _log.exception("model status listener failed")


class ExecutorRetriever:
    """A `Retriever` whose searches run on the database's thread (the knowledge base reads
    the encrypted database, whose connection belongs to that thread)."""

    def __init__(self, executor: SerialExecutor, retriever: Retriever) -> None:
        self._executor = executor
        self._retriever = retriever

    def search(self, query: str, k: int = 5, *, query_embedding: Any = None) -> RetrievalResult:
        return self._executor.submit(
            lambda _db: self._retriever.search(query, k, query_embedding=query_embedding)
        ).result()


class ExecutorAudit:
    """An `AuditSink` for a consult running off the database's thread (the GUI's worker).

    SQLite connections belong to the thread that opened them; in the GUI that is the
    serial database executor. Each entry is written there, and `append` waits for it,
    so an answer is never returned before its audit entry is committed.
    """

    def __init__(self, executor: SerialExecutor, audit: AuditLog) -> None:
        self._executor = executor
        self._audit = audit

    def append(
        self,
        user_id: int | None,
        action: str,
        resource: str,
        outcome: Outcome,
        *,
        ip_address: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> int:
        def write(_db: Database) -> int:
            return self._audit.append(
                user_id, action, resource, outcome, ip_address=ip_address, details=details
            )

        return self._executor.submit(write).result()


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
        if load_model:
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
                choice = self.model.acquire(self._model_wait_s)
                if choice.engine is None:
                    return choice
                engine = self._engine_for(choice.engine)
                with self._state_lock:
                    self._engine_in_use = engine
                return ModelChoice(engine, name=choice.name, sha256=choice.sha256)

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
        options=ConsultOptions(params=params_from_settings(settings)),
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
