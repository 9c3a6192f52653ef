"""Opening the encrypted database on the database thread, and the task manager on it.

Unlocking runs Argon2 (a passphrase) or talks to the OS keyring, then proves the key
and migrates: up to seconds. So the whole `open_security` call runs as the serial
executor's opener, on the database thread; the GUI hears `opened(services)` or
`failed(error)` on its own thread. Afterwards every service call goes through
`tasks` (the same thread), because the SQLCipher connection belongs to it.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future

from PySide6.QtCore import QObject, Qt, Signal, Slot

from medassist_desktop.services.security import SecurityServices
from medassist_desktop.storage.database import Database
from medassist_desktop.storage.executor import SerialExecutor
from medassist_desktop.workers.tasks import DatabaseTaskManager


class SecureDatabase(QObject):
    """Signals: opened(SecurityServices), failed(BaseException). One attempt per object."""

    opened = Signal(object)
    failed = Signal(object)
    _posted = Signal(object)

    def __init__(
        self, open_services: Callable[[], SecurityServices], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.services: SecurityServices | None = None

        def opener() -> Database:
            services = open_services()
            self.services = services  # set before the executor's `opened` completes
            return services.db

        self._posted.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._executor = SerialExecutor(opener)
        self.tasks = DatabaseTaskManager(self._executor, self)
        self._executor.opened.add_done_callback(self._posted.emit)

    @Slot(object)
    def _deliver(self, future: Future[None]) -> None:
        error = future.exception()
        if error is not None or self.services is None:
            self.failed.emit(error)
        else:
            self.opened.emit(self.services)

    def shutdown(self) -> None:
        """Finish queued work, close the connection on its thread, stop the thread."""
        self.tasks.shutdown()
