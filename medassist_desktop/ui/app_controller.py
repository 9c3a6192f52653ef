"""The GUI's wiring: the window, the start-up flow, the session, auto-lock, model, network.

`AppController(context, environ)` builds everything without blocking (the window can
be shown at once); `start()` then begins the start-up flow on the next turn of the
event loop. What is connected to what is all here, so the widgets stay simple.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from loguru import logger
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMessageBox

from medassist_desktop import APP_NAME
from medassist_desktop.composition import AppServices
from medassist_desktop.context import AppContext
from medassist_desktop.ui.app_options import AppOptions
from medassist_desktop.ui.background_backup import BackgroundBackup
from medassist_desktop.ui.background_library import BackgroundLibrary
from medassist_desktop.ui.background_sync import BackgroundSync
from medassist_desktop.ui.change_password_dialog import ChangePasswordDialog
from medassist_desktop.ui.idle import IdleWatcher
from medassist_desktop.ui.lock_overlay import LockOverlay
from medassist_desktop.ui.main_window import MainWindow
from medassist_desktop.ui.model_status import ModelController
from medassist_desktop.ui.monitoring import Monitoring
from medassist_desktop.ui.network_status import NetworkMonitor
from medassist_desktop.ui.pages import DEFAULT_PAGES, PageServices, build_pages
from medassist_desktop.ui.session import SessionManager
from medassist_desktop.workers.degradation_bridge import DegradationBridge

if TYPE_CHECKING:
    from medassist_desktop.core.security.sessions import Session
    from medassist_desktop.ui.startup import StartupFlow

_log = logger.bind(area="ui")


class AppController(QObject):
    def __init__(
        self,
        context: AppContext,
        environ: Mapping[str, str],
        options: AppOptions | None = None,
    ) -> None:
        super().__init__()
        self.context = context
        self.options = options = options or AppOptions()
        # The composition root: every service of this window is built there.
        self.app = AppServices(context, environ, options=options.security, wait_for_models=False)
        self.sessions = SessionManager(self.app, self, clock=options.security.clock)
        self.models = ModelController(self.app, self)
        self.sync = BackgroundSync(context, self.sessions, self)
        self.backup = BackgroundBackup(self.sessions, self)
        self.monitoring = Monitoring(self.sessions, self)
        services = PageServices(context, self.sessions, self.models)
        self.window = MainWindow(context, build_pages(services, options.pages or DEFAULT_PAGES))
        self.window.set_admin(False)
        self.window.set_signed_in(None)
        self.library = BackgroundLibrary(
            self.sessions, self.window.status, self, start_at_open=options.prepare_library
        )
        self.overlay = LockOverlay(self.window, clock=options.security.clock)
        self.degradation = DegradationBridge(context.degradation, self)
        self.network = NetworkMonitor(self.degradation, self)
        timeout = options.session_timeout_s or context.settings.session_timeout_minutes * 60
        self.idle = IdleWatcher(
            timeout, clock=options.idle_clock, check_interval_ms=options.idle_check_ms, parent=self
        )
        self._environ = environ
        self._flow: StartupFlow | None = None
        self.password_dialog: ChangePasswordDialog | None = None
        self.error_box: QMessageBox | None = None
        self._shut_down = False
        self._connect()

    def _connect(self) -> None:
        bar = self.window.status
        self.models.state_changed.connect(lambda: self.models.show_on(bar))
        self.degradation.changed.connect(bar.set_degraded)
        self.network.changed.connect(bar.set_network)
        self.sync.status_changed.connect(bar.set_sync)
        self.sync.check_status()

        sessions = self.sessions
        sessions.signed_in.connect(self._signed_in)
        sessions.signed_out.connect(self._signed_out)
        sessions.locked.connect(self._locked)
        sessions.unlocked.connect(self._unlocked)
        self.idle.idle.connect(sessions.lock)
        self.idle.active.connect(sessions.note_activity)
        self.overlay.unlock_requested.connect(
            lambda password: sessions.unlock(password, self.overlay.show_failure)
        )
        self.overlay.sign_out_requested.connect(sessions.logout)
        self.window.lock_action.triggered.connect(sessions.lock)
        self.window.sign_out_action.triggered.connect(sessions.logout)
        self.window.change_password_action.triggered.connect(
            lambda: self._change_password(required=False)
        )

    # -- life cycle ----------------------------------------------------------------------
    def show(self) -> None:
        """Show the window at once, covered until someone signs in."""
        self.window.show()
        self.overlay.show_message(self.tr("Starting…"), self.tr("Opening the clinic's database."))
        bar = self.window.status
        bar.set_degraded(self.degradation.current())

    def start(self) -> None:
        """Begin the start-up flow after the first paint (nothing heavy before it)."""
        QTimer.singleShot(0, self._start_now)

    @property
    def flow(self) -> StartupFlow:
        """Set-up, unlock and sign-in; built on `start()` (it loads the security stack)."""
        if self._flow is None:
            from medassist_desktop.ui.startup import StartupFlow

            self._flow = StartupFlow(
                self.context,
                self._environ,
                self.sessions,
                self.window,
                options=self.options.security,
                parent=self,
            )
            self._flow.failed.connect(self._cannot_start)
            self._flow.cancelled.connect(self.window.close)
            self._flow.prompting.connect(lambda: self.overlay.show_message(""))
        return self._flow

    def _start_now(self) -> None:
        if self.options.load_model:
            self.models.prefetch()
        if self.options.watch_network:
            self.network.start()
        else:
            self.network.start(use_os_backend=False)
        self.flow.start()

    def shutdown(self) -> None:
        """At exit: sign out, close the database, stop the model thread. Safe to call twice."""
        if self._shut_down:
            return
        self._shut_down = True
        self.idle.stop()
        self.sync.shutdown()
        self.backup.shutdown()
        self.library.shutdown()
        self.monitoring.shutdown()
        self.degradation.close()
        self.sessions.shutdown()
        self.models.shutdown()

    # -- reactions -----------------------------------------------------------------------
    def _signed_in(self, session: Session) -> None:
        self.window.set_signed_in(self.sessions.user_display())
        self.window.set_admin(self.sessions.is_admin())
        self.window.refresh_title()
        self.overlay.uncover()
        self.window.show_page("home")
        self.window.activateWindow()  # keyboard users land in the window, not nowhere
        self.window.navigation.setFocus()
        self.idle.start()
        if session.user.must_change_password:
            self._change_password(required=True)
        if self.options.load_model and not self.models.started:
            self.models.start()

    def _signed_out(self) -> None:
        self.idle.stop()
        if self.password_dialog is not None:
            self.password_dialog.close()
        self.window.set_signed_in(None)
        self.window.set_admin(False)
        self.window.show_page("home")
        self.flow.show_login()  # over a blank cover

    def _locked(self) -> None:
        self.overlay.show_locked(self.sessions.user_display())

    def _unlocked(self) -> None:
        self.overlay.uncover()
        self.idle.reset()

    def _change_password(self, *, required: bool) -> None:
        dialog = ChangePasswordDialog(self.sessions, self.window, required=required)
        self.password_dialog = dialog
        if required:
            dialog.rejected.connect(self.sessions.logout)
        dialog.finished.connect(lambda _r: self._password_dialog_closed(dialog))
        dialog.open()

    def _password_dialog_closed(self, dialog: ChangePasswordDialog) -> None:
        if self.password_dialog is dialog:
            self.password_dialog = None
        dialog.deleteLater()

    def _cannot_start(self, message: str) -> None:
        _log.error("Cannot start: {}", message)
        self.overlay.show_message(self.tr("MedAssist cannot start"), message)
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            APP_NAME,
            message,
            QMessageBox.StandardButton.Close,
            self.window,
        )
        box.setObjectName("startupErrorBox")
        box.finished.connect(lambda _r: self.window.close())
        self.error_box = box
        box.open()
