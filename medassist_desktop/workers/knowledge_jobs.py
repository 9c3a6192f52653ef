"""Knowledge-base work (imports, re-embeds, the first-run library) seen from the GUI thread.

The work itself runs on a thread of its own with a connection of its own
(`AppServices.knowledge_on_own_connection`); these objects live on the GUI thread and
re-emit what the work reports there, through queued connections, so widgets are only
touched by the GUI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from loguru import logger
from PySide6.QtCore import QObject, Qt, Signal, Slot

from medassist_desktop.core.knowledge.importer import ImportProgress, ProgressCallback

if TYPE_CHECKING:
    from medassist_desktop.services.knowledge_background import LibraryPreparation

# work(on_progress, cancel) -> result; runs on the job's thread.
KnowledgeWork = Callable[[ProgressCallback, threading.Event], Any]
_log = logger.bind(area="workers")


class KnowledgeJob(QObject):
    """One import or re-embed. Signals: progress(ImportProgress), succeeded(result),
    failed(exception); exactly one of the last two is heard."""

    progress = Signal(object)
    succeeded = Signal(object)
    failed = Signal(object)

    _posted_progress = Signal(object)
    _posted_done = Signal(bool, object)

    def __init__(
        self,
        work: KnowledgeWork,
        *,
        name: str = "medassist-knowledge",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._work = work
        self._name = name
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        queued = Qt.ConnectionType.QueuedConnection
        self._posted_progress.connect(self._deliver_progress, queued)
        self._posted_done.connect(self._deliver_done, queued)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        """Stop between files and embedding batches; what was stored stays."""
        self._cancel.set()

    def wait(self, timeout: float | None = None) -> bool:
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        try:
            result = self._work(self._posted_progress.emit, self._cancel)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread
            self._posted_done.emit(False, exc)
        else:
            self._posted_done.emit(True, result)

    @Slot(object)
    def _deliver_progress(self, progress: ImportProgress) -> None:
        self.progress.emit(progress)

    @Slot(bool, object)
    def _deliver_done(self, ok: bool, value: Any) -> None:
        if ok:
            self.succeeded.emit(value)
            return
        if not isinstance(value, Exception):
            _log.opt(exception=value).error("Knowledge job {} failed", self._name)
        self.failed.emit(value)


class PreparationSignals(QObject):
    """The first-run library preparation's progress on the GUI thread.

    Signals: progress(ImportProgress) for each step; finished() when it has ended.
    """

    progress = Signal(object)
    finished = Signal()

    _posted = Signal(object)

    def __init__(self, preparation: LibraryPreparation, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.preparation = preparation
        self._posted.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        preparation.add_listener(self._posted.emit)

    @Slot(object)
    def _deliver(self, progress: ImportProgress | None) -> None:
        if progress is None:
            self.finished.emit()
        else:
            self.progress.emit(progress)


__all__ = ["KnowledgeJob", "KnowledgeWork", "PreparationSignals"]
