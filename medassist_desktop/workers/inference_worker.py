"""The GUI's handle on the local model: start work, get signals back, never wait.

The blocking work runs on the engine's own thread (`LlamaEngine`); this QObject
lives on the GUI thread. Engine callbacks post internal signals with queued
connections, and the worker re-emits them on the GUI thread only if they still
belong to the current request. So a cancel takes effect on the screen at once:
tokens that were already in flight are dropped on arrival, and `cancelled` is
the last thing the UI hears about that request. Tokens that arrive faster than
the screen repaints are joined into one `token` signal (TokenBatcher).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from medassist_desktop.core.inference.engine import LlamaEngine, LoadedModelInfo
from medassist_desktop.core.inference.errors import OperationCancelledError
from medassist_desktop.core.inference.interface import (
    ChatMessage,
    GenerationParams,
    GenerationResult,
)
from medassist_desktop.core.inference.loading import LoadRequest
from medassist_desktop.workers.errors import describe_error
from medassist_desktop.workers.token_batch import TokenBatcher


class InferenceWorker(QObject):
    """Signals: load_progress(int 0-100), loaded(dict), token(str), finished(dict stats),
    failed(str message), cancelled(), unloaded()."""

    load_progress = Signal(int)
    loaded = Signal(dict)
    token = Signal(str)
    finished = Signal(dict)
    failed = Signal(str)
    cancelled = Signal()
    unloaded = Signal()

    # Posted from the engine thread, delivered on the GUI thread (queued).
    _engine_progress = Signal(int, int)
    _engine_token = Signal(int, str)
    _engine_done = Signal(int, object)

    def __init__(self, engine: LlamaEngine, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self._request = 0
        self._current: int | None = None
        self._id_lock = threading.Lock()
        queued = Qt.ConnectionType.QueuedConnection
        self._engine_progress.connect(self._on_progress, queued)
        self._engine_token.connect(self._on_token, queued)
        self._engine_done.connect(self._on_done, queued)

    @property
    def busy(self) -> bool:
        return self._current is not None

    def _start(self) -> int:
        with self._id_lock:
            self._request += 1
            self._current = self._request
            return self._request

    def _watch(
        self, request: int, future: Future[Any], batcher: TokenBatcher | None = None
    ) -> None:
        def done(finished: Future[Any]) -> None:
            if batcher is not None:
                batcher.flush()  # the last tokens before "done", on the same thread
            self._engine_done.emit(request, finished)

        future.add_done_callback(done)

    # -- requests (return at once) --------------------------------------------------------
    def load(self, request: LoadRequest | Callable[[], LoadRequest]) -> None:
        """Load a model; `request` may be a function preparing it (run off the GUI thread)."""
        request_id = self._start()
        last = [-1]

        def progress(fraction: float) -> None:
            percent = int(fraction * 100)
            if percent != last[0]:  # one signal per percent, not one per tensor
                last[0] = percent
                self._engine_progress.emit(request_id, percent)

        self._watch(request_id, self.engine.load_async(request, progress))

    def generate(self, messages: Sequence[ChatMessage], params: GenerationParams) -> None:
        """Stream a reply: `token` carries one or more tokens' text (see TokenBatcher)."""
        request_id = self._start()
        batcher = TokenBatcher(lambda text: self._engine_token.emit(request_id, text))
        future = self.engine.generate_async(messages, params, batcher.push)
        self._watch(request_id, future, batcher)

    def cancel(self) -> None:
        """Stop the current load or generation; `cancelled` is emitted before this returns."""
        with self._id_lock:
            was_running, self._current = self._current is not None, None
        self.engine.cancel()
        if was_running:
            self.cancelled.emit()

    def unload(self) -> None:
        self.cancel()
        self.engine.unload_async().add_done_callback(lambda _f: self._engine_done.emit(-1, None))

    def shutdown(self) -> None:
        """At exit: cancel, free the model and stop the engine thread."""
        with self._id_lock:
            self._current = None
        self.engine.close()

    # -- deliveries on the GUI thread -----------------------------------------------------
    @Slot(int, int)
    def _on_progress(self, request: int, percent: int) -> None:
        if request == self._current:
            self.load_progress.emit(percent)

    @Slot(int, str)
    def _on_token(self, request: int, text: str) -> None:
        if request == self._current:
            self.token.emit(text)

    @Slot(int, object)
    def _on_done(self, request: int, future: Future[Any] | None) -> None:
        if request == -1:
            self.unloaded.emit()
            return
        if request != self._current or future is None:
            return  # cancelled or superseded: already reported
        self._current = None
        exc = future.exception()
        if isinstance(exc, OperationCancelledError):
            self.cancelled.emit()
        elif exc is not None:
            self.failed.emit(describe_error(exc))
        else:
            result = future.result()
            if isinstance(result, LoadedModelInfo):
                self.loaded.emit(result.as_dict())
            elif isinstance(result, GenerationResult):
                if result.cancelled:
                    self.cancelled.emit()
                else:
                    self.finished.emit(result.as_dict())
