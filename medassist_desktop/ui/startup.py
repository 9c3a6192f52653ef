"""From the first window to a signed-in user: setup, unlock, sign-in — never blocking.

    start()
      no database ........ probe the keyring (thread) -> setup wizard -> create (db thread)
      passphrase file .... passphrase dialog -> open (db thread), again on a wrong one
      otherwise .......... open (db thread)
    opened -> no users yet? setup wizard (without the key page) : login dialog
    login dialog -> sign in (db thread) -> `SessionManager.begin(session)`

Every blocking step (Argon2, keyring, SQLCipher, migrations) runs off the GUI thread;
the window is up and painted before any of it starts.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping

from loguru import logger
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMainWindow

from medassist_desktop.config import LoadedSettings
from medassist_desktop.context import AppContext
from medassist_desktop.core.security.accounts import check_password, check_username
from medassist_desktop.core.security.sessions import Session
from medassist_desktop.services.security import SecurityServices
from medassist_desktop.services.setup import (
    KeyStorage,
    StartupState,
    passphrase_from_environment,
    probe_key_storage,
    save_clinic,
    startup_state,
)
from medassist_desktop.ui.app_options import SecurityOptions
from medassist_desktop.ui.errors import describe_error
from medassist_desktop.ui.login_dialog import LoginDialog
from medassist_desktop.ui.passphrase_dialog import PassphraseDialog
from medassist_desktop.ui.session import SessionManager
from medassist_desktop.ui.setup_wizard import Failure, SetupRequest, SetupWizard
from medassist_desktop.workers.background import BackgroundJob, Progress
from medassist_desktop.workers.secure_database import SecureDatabase

_log = logger.bind(area="ui")


class StartupFlow(QObject):
    """Signals: failed(message) when the app cannot go on; the session manager says the rest."""

    failed = Signal(str)
    cancelled = Signal()
    prompting = Signal()  # a dialog (wizard, passphrase, sign-in) is about to open

    def __init__(
        self,
        context: AppContext,
        environ: Mapping[str, str],
        sessions: SessionManager,
        window: QMainWindow,
        *,
        options: SecurityOptions,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._environ = environ
        self._sessions = sessions
        self._window = window
        self._options = options
        self._database: SecureDatabase | None = None
        self._probe: BackgroundJob | None = None
        self.wizard: SetupWizard | None = None
        self.login_dialog: LoginDialog | None = None
        self.passphrase_dialog: PassphraseDialog | None = None
        self.state: StartupState | None = None

    # -- start -----------------------------------------------------------------------
    def start(self) -> None:
        self.state = startup_state(self._context.loaded)
        _log.info("Start-up: {}", self.state)
        if self.state is StartupState.FIRST_RUN:
            self._probe_keyring()
        elif self.state is StartupState.PASSPHRASE:
            phrase = passphrase_from_environment(self._environ)
            if phrase:
                self._open(phrase, on_failure=self._fail)
            else:
                self._ask_passphrase()
        else:
            self._open(None, on_failure=self._fail)

    def _open_services(
        self, loaded: LoadedSettings, passphrase: str | None, create: bool
    ) -> SecurityServices:
        """On the database thread: the composition root opens the database."""
        return self._sessions.app.open_database(create=create, passphrase=passphrase, loaded=loaded)

    def _open(
        self,
        passphrase: str | None,
        *,
        on_failure: Failure,
        on_opened: Callable[[], None] | None = None,
    ) -> None:
        loaded = self._context.loaded
        database = SecureDatabase(
            lambda: self._open_services(loaded, passphrase, create=False), self
        )
        database.opened.connect(lambda _s: self._opened(database, on_opened))
        database.failed.connect(lambda error: self._open_failed(database, error, on_failure))

    def _opened(self, database: SecureDatabase, then: Callable[[], None] | None) -> None:
        self._database = database
        assert database.services is not None
        self._sessions.attach(database.services, database.tasks)
        if then is not None:
            then()
        else:
            self._route()

    def _open_failed(
        self, database: SecureDatabase, error: BaseException, on_failure: Failure
    ) -> None:
        database.shutdown()
        database.deleteLater()
        on_failure(error)

    def _fail(self, error: BaseException) -> None:
        self.failed.emit(describe_error(error))

    # -- passphrase --------------------------------------------------------------------
    def _ask_passphrase(self) -> None:
        dialog = PassphraseDialog(self._window)
        self.passphrase_dialog = dialog
        dialog.submitted.connect(
            lambda phrase: self._open(
                phrase, on_failure=dialog.show_failure, on_opened=self._unlocked_by_passphrase
            )
        )
        dialog.rejected.connect(self.cancelled)
        self.prompting.emit()
        dialog.open()

    def _unlocked_by_passphrase(self) -> None:
        dialog = self.passphrase_dialog
        if dialog is not None:
            dialog.accept()
            dialog.deleteLater()
            self.passphrase_dialog = None
        self._route()

    def _route(self) -> None:
        """The database is open: first admin still missing? the wizard; else sign-in."""
        self._sessions.run(
            lambda security: security.accounts.needs_setup(),
            lambda needs: self._show_wizard(None) if needs else self.show_login(),
            self._fail,
        )

    # -- first run -----------------------------------------------------------------------
    def _probe_keyring(self) -> None:
        loaded = self._context.loaded
        backend = self._options.keyring_backend

        def probe(_progress: Progress, _cancel: threading.Event) -> KeyStorage:
            return probe_key_storage(loaded, backend)

        self._probe = BackgroundJob(probe, name="medassist-keyring-probe", parent=self)
        self._probe.succeeded.connect(self._show_wizard)
        self._probe.failed.connect(self._fail)
        self._probe.start()

    def _show_wizard(self, storage: KeyStorage | None) -> None:
        exists = storage is None
        storage = storage or KeyStorage(
            encryption=self._context.settings.enable_encryption,
            keyring_usable=True,
            backend="",
        )
        wizard = SetupWizard(self, self._sessions, storage, database_exists=exists)
        wizard.setParent(self._window, wizard.windowFlags())
        wizard.setModal(True)
        self.wizard = wizard
        wizard.accepted.connect(self._setup_done)
        wizard.rejected.connect(self.cancelled)
        self.prompting.emit()
        wizard.open()

    def create(
        self, request: SetupRequest, on_success: Callable[[Session], None], on_failure: Failure
    ) -> None:
        """SetupBackend: settings, database, first admin, sign-in (all off the GUI thread)."""
        try:
            check_username(request.username)
            check_password(request.password, username=request.username)
        except Exception as exc:
            on_failure(exc)
            return

        def admin_and_sign_in() -> None:
            self._sessions.run(
                lambda security: _first_admin(security, request),
                on_success,
                on_failure,
            )

        if self._sessions.ready:
            self._save_name_then(request, admin_and_sign_in, on_failure)
            return
        environ, loaded = self._environ, self._context.loaded
        saved: list[LoadedSettings] = []

        def open_new() -> SecurityServices:
            result = save_clinic(
                loaded,
                environ,
                clinic_id=request.clinic_id,
                clinic_name=request.clinic_name,
                ui_language=request.ui_language,
            )
            saved.append(result.loaded)
            return self._open_services(result.loaded, request.passphrase, create=True)

        database = SecureDatabase(open_new, self)

        def opened(_services: SecurityServices) -> None:
            self._context.loaded = saved[0]
            self._window_title_changed()
            self._opened(database, admin_and_sign_in)

        database.opened.connect(opened)
        database.failed.connect(lambda error: self._open_failed(database, error, on_failure))

    def _save_name_then(
        self, request: SetupRequest, then: Callable[[], None], on_failure: Failure
    ) -> None:
        """An existing database (setup interrupted before the admin): only the name may change."""
        loaded, environ = self._context.loaded, self._environ

        def work(security: SecurityServices) -> LoadedSettings:  # noqa: ARG001 - a task's form
            return save_clinic(
                loaded,
                environ,
                clinic_id=loaded.settings.clinic_id,
                clinic_name=request.clinic_name,
                ui_language=request.ui_language,
            ).loaded

        def saved(new: LoadedSettings) -> None:
            self._context.loaded = new
            self._window_title_changed()
            then()

        self._sessions.run(work, saved, on_failure)

    def recovery_key(
        self, session: Session, on_success: Callable[[str | None], None], on_failure: Failure
    ) -> None:
        """SetupBackend: the clinic's recovery key for a keyring clinic (None otherwise)."""
        from medassist_desktop.services.backup import create_recovery_key

        self._sessions.run(
            lambda security: create_recovery_key(security, session), on_success, on_failure
        )

    def use_model(self, name: str, on_success: Callable[[], None], on_failure: Failure) -> None:
        """SetupBackend: save the model choice as the new admin (audited)."""
        admin = self._sessions.model_admin()
        current = self._context.settings.model_name

        def done(_result: object) -> None:
            on_success()

        if name == current:
            on_success()
            return
        self._sessions.call(lambda session: admin.use(session, name), done, on_failure)

    def _setup_done(self) -> None:
        wizard = self.wizard
        assert wizard is not None and wizard.session is not None
        self._reload_settings()
        self._sessions.begin(wizard.session)
        wizard.deleteLater()
        self.wizard = None

    def _reload_settings(self) -> None:
        from medassist_desktop.config import load_settings

        try:
            self._context.loaded = load_settings(self._environ)
        except Exception as exc:  # the file was just written by us and validated
            _log.warning("Settings could not be reloaded after setup: {}", exc)
        self._window_title_changed()

    def _window_title_changed(self) -> None:
        refresh = getattr(self._window, "refresh_title", None)
        if callable(refresh):
            refresh()

    # -- sign-in -----------------------------------------------------------------------
    def show_login(self) -> None:
        """The login dialog, over the covered window (also after a sign-out)."""
        if self.login_dialog is None:
            settings = self._context.settings
            dialog = LoginDialog(
                settings.clinic_name or settings.clinic_id,
                self._window,
                clock=self._options.clock,
            )
            dialog.submitted.connect(self._sign_in)
            dialog.rejected.connect(self.cancelled)
            self.login_dialog = dialog
        self.login_dialog.reset()
        self.prompting.emit()
        self.login_dialog.open()

    def _sign_in(self, username: str, password: str) -> None:
        dialog = self.login_dialog
        assert dialog is not None

        def signed_in(session: Session) -> None:
            dialog.accept()
            self._sessions.begin(session)

        self._sessions.run(
            lambda security: security.accounts.login(username, password),
            signed_in,
            dialog.show_failure,
        )


def _first_admin(security: SecurityServices, request: SetupRequest) -> Session:
    """Database thread: create the first admin and sign them in (both audited)."""
    if security.accounts.needs_setup():
        security.accounts.create_first_admin(
            request.username, request.password, request.display_name
        )
    return security.accounts.login(request.username, request.password)
