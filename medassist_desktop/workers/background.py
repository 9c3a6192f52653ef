"""Blocking work that is not database work (copying a model, probing the keyring),
run on its own thread with progress and cancel, results back on the GUI thread.

The job object lives on the GUI thread; the work posts internal signals with
queued connections, and the job re-emits them there. A cancelled job says
`failed` with the work's own cancellation error (the work decides what a cancel
leaves behind), so exactly one of `succeeded` / `failed` is heard.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from loguru import logger
from PySide6.QtCore import QObject, Qt, Signal, Slot

# (done, total) in any unit; called from the job's thread.
Progress = Callable[[int, int], None]
Work = Callable[[Progress, threading.Event], Any]
_log = logger.bind(area="workers")


class ThreadJob(QObject):
    """One piece of work on a thread of its own; exactly one of `succeeded(result)` and
    `failed(exception)` is heard, on the GUI thread. Subclasses say how progress is
    reported (`_progress_sink`) and declare their own `progress` signal."""

    succeeded = Signal(object)
    failed = Signal(object)

    _posted_done = Signal(bool, object)

    def __init__(
        self,
        work: Callable[[Any, threading.Event], Any],
        *,
        name: str = "medassist-job",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._work = work
        self._name = name
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._posted_done.connect(self._deliver_done, Qt.ConnectionType.QueuedConnection)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        """Ask the work to stop at its next check; what it already stored stays."""
        self._cancel.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the thread ends (for shutdown and tests); True when it did."""
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _progress_sink(self) -> Callable[..., None]:
        raise NotImplementedError

    def _run(self) -> None:
        try:
            result = self._work(self._progress_sink(), self._cancel)
        except BaseException as exc:
            self._posted_done.emit(False, exc)
        else:
            self._posted_done.emit(True, result)

    @Slot(bool, object)
    def _deliver_done(self, ok: bool, value: Any) -> None:
        if ok:
            self.succeeded.emit(value)
            return
        if not isinstance(value, Exception):
            _log.opt(exception=value).error("Job {} failed", self._name)
        self.failed.emit(value)


class BackgroundJob(ThreadJob):
    """Signals: progress(done, total), succeeded(result), failed(exception)."""

    progress = Signal(object, object)  # Python ints: files exceed 2 GiB

    _posted_progress = Signal(object, object)

    def __init__(self, work: Work, *, name: str = "medassist-job", parent: QObject | None = None):
        super().__init__(work, name=name, parent=parent)
        self._last_percent = -1
        self._posted_progress.connect(self._deliver_progress, Qt.ConnectionType.QueuedConnection)

    def _progress_sink(self) -> Progress:
        return self._report

    def _report(self, done: int, total: int) -> None:
        percent = int(done * 100 / total) if total else 100
        if percent != self._last_percent:  # one signal per percent, not per block
            self._last_percent = percent
            self._posted_progress.emit(done, total)

    @Slot(object, object)
    def _deliver_progress(self, done: int, total: int) -> None:
        self.progress.emit(done, total)
