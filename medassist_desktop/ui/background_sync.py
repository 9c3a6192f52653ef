"""Opportunistic sync while the app runs: the schedule on its own thread and connection.

When sync is switched on, the schedule starts once the database is open: every
`sync_interval_minutes` (or only on "Sync now" on a metered link) it checks that the
server is reachable and pushes and pulls. It talks to the network on its own thread
with its own database connection, so neither the GUI nor the GUI's database thread
ever waits on the network; failures show as the `cloud_sync` degraded capability.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from loguru import logger
from PySide6.QtCore import QObject, QTimer, Signal

from medassist_desktop.context import AppContext
from medassist_desktop.core.degradation import CLOUD_SYNC
from medassist_desktop.ui.errors import describe_error
from medassist_desktop.ui.session import SessionManager
from medassist_desktop.ui.widgets.status_bar import SyncStatus

STATUS_CHECK_MS = 2000

if TYPE_CHECKING:
    from medassist_desktop.core.sync.scheduler import SyncScheduler


class BackgroundSync(QObject):
    """Signal: status_changed(SyncStatus, detail) - for the status bar.

    The status is read on the GUI thread every `STATUS_CHECK_MS` from what the schedule
    and the degradation registry hold (the schedule runs on a thread of its own).
    """

    status_changed = Signal(object, str)

    def __init__(
        self, context: AppContext, sessions: SessionManager, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._sessions = sessions
        self.scheduler: SyncScheduler[Any] | None = None
        self.status: tuple[SyncStatus, str] | None = None
        sessions.database_ready.connect(self._start)
        self._status_timer = QTimer(self)
        self._status_timer.setInterval(STATUS_CHECK_MS)
        self._status_timer.timeout.connect(self.check_status)
        self._status_timer.start()

    def check_status(self) -> tuple[SyncStatus, str]:
        """Set up or not, and whether the last sync reached the server; emitted on change."""
        settings = self._context.settings
        degraded = self._context.degradation.get(CLOUD_SYNC)
        if not settings.sync_enabled or not settings.sync_url:
            status = (SyncStatus.NOT_SET_UP, "")
        elif degraded is not None:
            status = (SyncStatus.UNREACHABLE, degraded.reason)
        elif self.scheduler is None or self.scheduler.runs == 0:
            status = (SyncStatus.WAITING, "")
        else:
            status = (SyncStatus.REACHABLE, "")
        if status != self.status:
            self.status = status
            self.status_changed.emit(*status)
        return status

    @property
    def running(self) -> bool:
        return self.scheduler is not None and self.scheduler.running

    def _start(self) -> None:
        settings = self._context.settings
        if not settings.sync_enabled or self.scheduler is not None:
            return
        app = self._sessions.app
        # On the database thread: the sync password may be kept in the database.
        self._sessions.tasks.run_in_background(
            lambda _db: app.sync_scheduler(), self._started, self._failed
        )

    def _started(self, scheduler: SyncScheduler[Any]) -> None:
        self.scheduler = scheduler
        scheduler.start()
        logger.bind(area="sync").info("Background sync started")

    def _failed(self, error: BaseException) -> None:
        reason = describe_error(error)
        logger.bind(area="sync").warning("Background sync not started: {}", reason)
        self._context.degradation.mark_degraded(CLOUD_SYNC, reason)

    def sync_now(self) -> None:
        if self.scheduler is not None:
            self.scheduler.sync_now()

    def shutdown(self) -> None:
        self._status_timer.stop()
        if self.scheduler is not None:
            self.scheduler.stop(timeout=5.0)
            self.scheduler = None
