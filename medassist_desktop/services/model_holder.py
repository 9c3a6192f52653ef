"""The local model's life cycle: one owner loads it, says how it is doing, hands it out.

`ModelHolder` loads the configured model in the background on the engine's own
thread (or is given one ready-made) and reports its `ModelStatus` (not loaded /
loading / ready / unavailable + reason) to listeners: the consult service asks it
for the engine, the status bar shows its state. A failed load marks the
`local_model` capability degraded, so answers fall back to the rules and passages.

Threads: `start_loading()`, `reload()`, `status` and `cancel()` return at once and are
safe from any thread; `acquire()` blocks (it waits for a model that is loading).
Listeners run on the engine thread, or on the caller's thread for the "loading"
notice: keep them quick and never touch a widget from them (emit a Qt signal).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future

from loguru import logger

from medassist_desktop.config import Settings
from medassist_desktop.config.paths import AppPaths
from medassist_desktop.core.assistant.pipeline import ModelChoice
from medassist_desktop.core.degradation import LOCAL_MODEL, DegradationRegistry
from medassist_desktop.core.inference.engine import LlamaEngine, LoadedModelInfo
from medassist_desktop.core.inference.interface import InferenceEngine
from medassist_desktop.core.inference.loading import prepare_load
from medassist_desktop.core.inference.models import writes_clinical_answers
from medassist_desktop.errors import KnownError, new_error_id
from medassist_desktop.i18n.catalogue import gettext_noop
from medassist_desktop.services.model_state import ModelState, ModelStatus

_log = logger.bind(area="model")


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
        self.clinical_answers_override: bool | None = None
        if engine is not None and engine.info is not None:
            self._ready(engine, engine.info.name, engine.info.sha256)

    @classmethod
    def given(
        cls,
        engine: InferenceEngine,
        *,
        name: str,
        sha256: str | None,
        clinical_answers: bool | None = None,
    ) -> ModelHolder:
        """A holder of an engine that is already loaded (another engine, tests).

        `clinical_answers` None: as the manifest says for `name` / `sha256`.
        """
        holder = cls()
        holder.clinical_answers_override = clinical_answers
        holder.adopt(engine, name=name, sha256=sha256)
        return holder

    def writes_clinical_answers(self) -> bool:
        """Whether the model this holder loads (or has) may write clinical answers.

        Known before the model is loaded (from its name), so a consult with a model that
        may not never waits for it.
        """
        if self.clinical_answers_override is not None:
            return self.clinical_answers_override
        return writes_clinical_answers(*self.identity())

    def identity(self) -> tuple[str | None, str | None]:
        """The model's name and sha256 (the sha256 only once it is loaded)."""
        status = self.status
        return status.model_name or self._configured_name(), status.sha256

    def adopt(self, engine: InferenceEngine, *, name: str, sha256: str | None) -> None:
        """Answer with an engine loaded elsewhere (a benchmark's or a test's engine)."""
        self._ready(engine, name, sha256)

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

    @property
    def engine(self) -> InferenceEngine | None:
        """The loaded engine, or None (for a status check; answer through `acquire`)."""
        with self._lock:
            return self._engine

    def start_loading(self, model_name: str | None = None) -> None:
        """Start loading the configured model unless it is loading or loaded. Returns at once.

        `model_name` other than the current one: load that one instead (it replaces the
        loaded model; the admin chose another). Progress: assembling an embedded model
        file is the first half, the load itself the second.
        """
        settings, paths = self._settings, self._paths
        last = [-1]
        assembling = [False]

        def report(fraction: float) -> None:
            percent = int(fraction * 100)
            if percent != last[0]:
                last[0] = percent
                self._set(
                    ModelStatus(ModelState.LOADING, self._configured_name(), progress=fraction)
                )

        def file_progress(done: int, total: int) -> None:
            assembling[0] = True
            report(0.5 * (done / total if total else 1.0))

        def load_progress(fraction: float) -> None:
            report(min(0.5 + fraction / 2 if assembling[0] else fraction, 0.99))

        with self._lock:
            switching = model_name is not None and model_name != self._configured_name()
            if switching:
                self._model_name, self._engine = model_name, None
            elif self._status.state in (ModelState.LOADING, ModelState.READY):
                return
            future: Future[LoadedModelInfo] | None = None
            if settings is None or paths is None:
                status = ModelStatus(ModelState.UNAVAILABLE, reason="no model is configured")
            else:
                status = ModelStatus(ModelState.LOADING, model_name=self._configured_name())
                if self._llama is None:
                    self._llama = LlamaEngine()
                name = self._model_name
                # Only queued here: the file checks and the load run on the engine's thread.
                future = self._llama.load_async(
                    lambda: prepare_load(
                        settings, paths, model_name=name, on_file_progress=file_progress
                    ),
                    load_progress,
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
                return ModelChoice(
                    None, unavailable_reason=gettext_noop("the model is still loading")
                )
            # Waiters wake before done-callbacks run: settle the outcome here too.
            self._loaded(future)
        with self._lock:
            status, engine = self._status, self._engine
        if status.state is ModelState.READY and engine is not None:
            return ModelChoice(engine, name=status.model_name, sha256=status.sha256)
        return ModelChoice(
            None, unavailable_reason=status.reason or gettext_noop("the model is not loaded")
        )

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
            except Exception:  # noqa: BLE001 - one listener's bug must not stop the others
                _log.exception("model status listener failed")


__all__ = ["ModelHolder", "ModelState", "ModelStatus", "StatusListener"]
