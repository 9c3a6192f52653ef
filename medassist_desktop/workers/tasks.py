"""Run database work off the GUI thread; get the result back on the GUI thread.

Anki's TaskManager pattern: `run_in_background(work, on_success, on_failure)` hands
`work` to the serial database executor; when its future completes (on the database
thread), a queued Qt signal carries it to this object, which lives on the GUI thread,
and the callback runs there. Widgets are therefore only touched by the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

import shiboken6
from loguru import logger
from PySide6.QtCore import QObject, Qt, Signal, Slot

from medassist_desktop.storage.database import Database
from medassist_desktop.storage.executor import SerialExecutor

T = TypeVar("T")
_log = logger.bind(area="workers")


def _receiver_deleted(callback: Any) -> bool:
    """A bound method of a Qt object whose C++ side no longer exists."""
    owner = getattr(callback, "__self__", None)
    return isinstance(owner, QObject) and not shiboken6.isValid(owner)


def _log_failure(error: BaseException) -> None:
    _log.opt(exception=error).error("Background database task failed")


class DatabaseTaskManager(QObject):
    """The GUI's door to the database: one executor, callbacks on the GUI thread."""

    _finished = Signal(object, object, object)  # future, on_success, on_failure

    def __init__(self, executor: SerialExecutor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = executor
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def executor(self) -> SerialExecutor:
        """The database's own thread, for services that must write there (the audit)."""
        return self._executor

    def run_in_background(
        self,
        work: Callable[[Database], T],
        on_success: Callable[[T], None],
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> Future[T]:
        """Queue `work(db)`; exactly one of the callbacks later runs on the GUI thread."""
        future = self._executor.submit(work)
        future.add_done_callback(
            lambda done: self._finished.emit(done, on_success, on_failure or _log_failure)
        )
        return future

    @Slot(object, object, object)
    def _deliver(self, future: Future[Any], on_success: Any, on_failure: Any) -> None:
        error = future.exception()
        callback = on_failure if error is not None else on_success
        if _receiver_deleted(callback):
            # The page that asked was closed while the work ran (its widgets are gone):
            # the work is done and committed; only showing its result is skipped.
            _log.debug("Result of a background task dropped: its receiver was deleted")
            return
        callback(error if error is not None else future.result())

    def shutdown(self) -> None:
        self._executor.close()
