"""The district's view of this clinic: `/metrics` and `/health/*` on 127.0.0.1, started
once the database is open when `metrics_port` is set (off by default). A port already
in use shows as the degraded `monitoring` capability; the app itself carries on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from loguru import logger
from PySide6.QtCore import QObject

from medassist_desktop.core.degradation import MONITORING
from medassist_desktop.ui.session import SessionManager

if TYPE_CHECKING:
    from medassist_desktop.services.monitoring import MonitoringServer

_log = logger.bind(area="health")


class Monitoring(QObject):
    def __init__(self, sessions: SessionManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sessions = sessions
        self.server: MonitoringServer | None = None
        sessions.database_ready.connect(self._start)

    def _start(self) -> None:
        port = self._sessions.context.settings.metrics_port
        if not port or self.server is not None:
            return
        from medassist_desktop.services.monitoring import MonitoringServer

        app = self._sessions.app
        try:
            self.server = MonitoringServer(app.metrics(), app.health(), port).start()
        except OSError as exc:
            reason = self.tr("Port {port} on 127.0.0.1 cannot be used ({why}).").format(
                port=port, why=exc.strerror or exc
            )
            _log.warning("Monitoring not started: {}", reason)
            self._sessions.context.degradation.mark_degraded(MONITORING, reason)

    def shutdown(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
