"""The GUI's handle on the consult service: ask, stream, stop, never wait.

`ConsultService.ask` blocks (retrieval, the model, the audit entry), so it runs on
this worker's own thread, one question at a time. The service calls back with
tokens on that thread (or the model's engine thread); they are posted through
internal signals with queued connections and re-emitted on the GUI thread only
while they still belong to the current question; tokens faster than the screen
repaints are joined into one `token` signal (TokenBatcher). `stop()` asks the service to
cancel and reports `cancelled` at once: what the stopped question still sends
afterwards is dropped on arrival, so `cancelled` is the last the screen hears of it.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from loguru import logger
from PySide6.QtCore import QObject, Qt, Signal, Slot

from medassist_desktop.core.assistant.answer import ConsultAnswer
from medassist_desktop.services.consult import ConsultService
from medassist_desktop.workers.errors import describe_error
from medassist_desktop.workers.token_batch import TokenBatcher

_log = logger.bind(area="consult")


class ConsultWorker(QObject):
    """Signals (GUI thread): token(str), discard(str), finished(dict answer),
    failed(str message), cancelled()."""

    token = Signal(str)
    discard = Signal(str)
    finished = Signal(dict)
    failed = Signal(str)
    cancelled = Signal()

    # Posted from the consult thread, delivered on the GUI thread (queued).
    _post_token = Signal(int, str)
    _post_discard = Signal(int, str)
    _post_done = Signal(int, object)

    def __init__(
        self,
        service: ConsultService,
        *,
        origin: str = "desktop",
        max_tokens: int | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.origin = origin
        self.max_tokens = max_tokens
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="medassist-consult")
        self._request = 0
        self._current: int | None = None
        self._lock = threading.Lock()
        queued = Qt.ConnectionType.QueuedConnection
        self._post_token.connect(self._on_token, queued)
        self._post_discard.connect(self._on_discard, queued)
        self._post_done.connect(self._on_done, queued)

    @property
    def busy(self) -> bool:
        """A question is being answered (a stopped one no longer counts)."""
        return self._current is not None

    def ask(
        self,
        question: str,
        case: Mapping[str, Any] | None = None,
        *,
        actor_id: int | None = None,
    ) -> bool:
        """Start answering; returns at once. False (and nothing starts) while busy."""
        with self._lock:
            if self._current is not None:
                return False
            self._request += 1
            request = self._current = self._request
        case_data = None if case is None else dict(case)
        batcher = TokenBatcher(lambda text: self._post_token.emit(request, text))

        def discard(text: str) -> None:
            batcher.flush()  # the tokens it takes back are posted before it
            self._post_discard.emit(request, text)

        def work() -> ConsultAnswer:
            return self.service.ask(
                question,
                case_data,
                actor_id=actor_id,
                origin=self.origin,
                max_tokens=self.max_tokens,
                on_token=batcher.push,
                on_discard=discard,
            )

        def done(finished: Future[ConsultAnswer]) -> None:
            batcher.flush()
            self._post_done.emit(request, finished)

        future = self._pool.submit(work)
        future.add_done_callback(done)
        return True

    def stop(self) -> None:
        """Cancel the question in progress; `cancelled` is emitted before this returns."""
        with self._lock:
            was_running, self._current = self._current is not None, None
        self.service.cancel()
        if was_running:
            self.cancelled.emit()

    def shutdown(self) -> None:
        """At exit: stop, and let the thread end once the service returns."""
        self.stop()
        self._pool.shutdown(wait=False, cancel_futures=True)

    # -- deliveries on the GUI thread -----------------------------------------------------
    @Slot(int, str)
    def _on_token(self, request: int, text: str) -> None:
        if request == self._current:
            self.token.emit(text)

    @Slot(int, str)
    def _on_discard(self, request: int, text: str) -> None:
        if request == self._current:
            self.discard.emit(text)

    @Slot(int, object)
    def _on_done(self, request: int, future: Future[ConsultAnswer]) -> None:
        with self._lock:
            if request != self._current:
                return  # stopped: already reported
            self._current = None
        error = future.exception()
        if error is not None:
            self.failed.emit(describe_error(error))
            return
        answer = future.result()
        if answer.cancelled:
            self.cancelled.emit()
        else:
            self.finished.emit(answer.to_dict())


__all__ = ["ConsultWorker"]
