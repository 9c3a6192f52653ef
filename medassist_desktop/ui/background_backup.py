"""The daily automatic backup while the app runs: checked every half hour on the
database thread; made when the backup folder (a USB stick) is there and the newest
backup is older than a day. A failure shows as the degraded `backup` capability in
the status bar, with its reason, until a backup succeeds again."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from loguru import logger
from PySide6.QtCore import QObject, QTimer

from medassist_desktop.core.degradation import BACKUP
from medassist_desktop.ui.errors import describe_error
from medassist_desktop.ui.session import SessionManager

if TYPE_CHECKING:
    from medassist_desktop.services.backup import BackupResult

_log = logger.bind(area="backup")
CHECK_INTERVAL_MS = 30 * 60 * 1000
FIRST_CHECK_MS = 60 * 1000  # not in the middle of start-up


class BackgroundBackup(QObject):
    def __init__(
        self,
        sessions: SessionManager,
        parent: QObject | None = None,
        *,
        interval_ms: int = CHECK_INTERVAL_MS,
        first_check_ms: int = FIRST_CHECK_MS,
    ) -> None:
        super().__init__(parent)
        self._sessions = sessions
        self._stopped = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        self._first = QTimer(self)
        self._first.setSingleShot(True)
        self._first.setInterval(first_check_ms)
        self._first.timeout.connect(self.check)
        sessions.database_ready.connect(self._start)

    def _start(self) -> None:
        if not self._stopped:
            self.timer.start()
            self._first.start()

    def check(self) -> None:
        from medassist_desktop.services.backup import back_up_if_due

        if self._stopped or not self._sessions.ready:
            return

        loaded = self._sessions.context.loaded
        environ = self._sessions.environ
        now = datetime.fromtimestamp(self._sessions.clock(), UTC)
        self._sessions.run(
            lambda security: back_up_if_due(security, loaded, environ, now),
            self._done,
            self._failed,
        )

    def _done(self, result: BackupResult | None) -> None:
        if result is not None:
            _log.info("Daily backup written to {}", result.folder)
            self._sessions.context.degradation.mark_healthy(BACKUP)

    def _failed(self, error: BaseException) -> None:
        reason = describe_error(error)
        _log.warning("Daily backup failed: {}", reason)
        self._sessions.context.degradation.mark_degraded(BACKUP, reason)

    def shutdown(self) -> None:
        self._stopped = True
        self.timer.stop()
        self._first.stop()
