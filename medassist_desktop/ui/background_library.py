"""The first-run library preparation while the app runs, with its progress in the status bar.

A few seconds after the database is open (not in the middle of start-up, while a person
is still typing in the set-up or sign-in window), the starter library is imported (with
its shipped vectors) and vectors the embedding model lacks are made, on a thread of its
own with a database connection of its own, so saving a case never waits for it. The
status bar says how far it is; a question asked meanwhile waits for the library on its
own worker thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QStatusBar

from medassist_desktop.ui.session import SessionManager

if TYPE_CHECKING:
    from medassist_desktop.core.knowledge.importer import ImportProgress
    from medassist_desktop.workers.knowledge_jobs import PreparationSignals

DONE_MESSAGE_MS = 5000
START_DELAY_MS = 3000


def preparation_text(progress: ImportProgress) -> str:
    """'Preparing the library: 40%' (or 'embedding' after a model change)."""
    from PySide6.QtCore import QCoreApplication

    if progress.stage == "embed":
        return QCoreApplication.translate(
            "Library", "Preparing the library: embedding passages {percent}%"
        ).format(percent=int(progress.percent))
    return QCoreApplication.translate("Library", "Preparing the library: {percent}%").format(
        percent=int(progress.percent)
    )


class BackgroundLibrary(QObject):
    """Starts the preparation when the database opens (`start_at_open`), or on first need."""

    def __init__(
        self,
        sessions: SessionManager,
        status_bar: QStatusBar,
        parent: QObject | None = None,
        *,
        start_at_open: bool = True,
        start_delay_ms: int = START_DELAY_MS,
    ) -> None:
        super().__init__(parent)
        self._sessions = sessions
        self._bar = status_bar
        self._start_at_open = start_at_open
        self.signals: PreparationSignals | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(start_delay_ms)
        self._timer.timeout.connect(self._start)
        sessions.database_ready.connect(self._database_ready)

    def _database_ready(self) -> None:
        from medassist_desktop.workers.knowledge_jobs import PreparationSignals

        preparation = self._sessions.app.library_preparation()
        self.signals = PreparationSignals(preparation, self)
        self.signals.progress.connect(self._show_progress)
        self.signals.finished.connect(self._finished)
        if self._start_at_open:
            self._timer.start()

    def _start(self) -> None:
        if self.signals is not None:
            self.signals.preparation.start()

    def shutdown(self) -> None:
        self._timer.stop()

    def _show_progress(self, progress: ImportProgress) -> None:
        self._bar.showMessage(preparation_text(progress))

    def _finished(self) -> None:
        assert self.signals is not None
        preparation = self.signals.preparation
        if preparation.error is not None:
            self._bar.showMessage(self.tr("The library could not be prepared (see the log)."))
        elif preparation.progress is not None:  # there was something to do
            self._bar.showMessage(self.tr("Library ready"), DONE_MESSAGE_MS)
