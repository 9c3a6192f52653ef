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

from PySide6.QtCore import QObject, Qt, Signal, Slot

from medassist_desktop.core.knowledge.importer import ImportProgress, ProgressCallback
from medassist_desktop.workers.background import ThreadJob

if TYPE_CHECKING:
    from medassist_desktop.services.knowledge_background import LibraryPreparation

# work(on_progress, cancel) -> result; runs on the job's thread.
KnowledgeWork = Callable[[ProgressCallback, threading.Event], Any]


class KnowledgeJob(ThreadJob):
    """One import or re-embed. Signals: progress(ImportProgress), succeeded(result),
    failed(exception); exactly one of the last two is heard."""

    progress = Signal(object)

    _posted_progress = Signal(object)

    def __init__(
        self,
        work: KnowledgeWork,
        *,
        name: str = "medassist-knowledge",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(work, name=name, parent=parent)
        self._posted_progress.connect(self._deliver_progress, Qt.ConnectionType.QueuedConnection)

    def _progress_sink(self) -> ProgressCallback:
        return self._posted_progress.emit

    @Slot(object)
    def _deliver_progress(self, progress: ImportProgress) -> None:
        self.progress.emit(progress)


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
