"""The signed-in user, as the GUI sees it: one object every page is given.

`SessionManager` exists from start-up (before the database is open) so pages can be
built with it and connect to its signals. Once the database is open it holds the
`SecurityServices` and the database task manager; after sign-in, `current` is the
`Session` the services check on every call.

A page calls the services through `call(work, on_success, on_failure)`: `work(session)`
runs on the database thread (the SQLCipher connection belongs to it), the callbacks
on the GUI thread. If a service finds the session locked (idle too long), the manager
says `locked` so the lock overlay appears; work is never silently dropped.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from typing import TYPE_CHECKING, TypeVar

from loguru import logger
from PySide6.QtCore import QObject, Signal

from medassist_desktop.context import AppContext
from medassist_desktop.core.security.errors import SessionLockedError
from medassist_desktop.errors import KnownError

if TYPE_CHECKING:  # the security stack (SQLCipher, Argon2, keyring) loads after the window
    from medassist_desktop.core.security.accounts import Role
    from medassist_desktop.core.security.sessions import Session
    from medassist_desktop.services.admin_settings import AdminSettingsService
    from medassist_desktop.services.models_admin import ModelAdminService
    from medassist_desktop.services.security import SecurityServices
    from medassist_desktop.workers.secure_database import SecureDatabase
    from medassist_desktop.workers.tasks import DatabaseTaskManager

T = TypeVar("T")
Failure = Callable[[BaseException], None]
_log = logger.bind(area="ui")


class NotReadyError(KnownError):
    """A page asked for the database before it was open, or for a session before sign-in."""


def role_label(role: Role) -> str:
    from PySide6.QtCore import QCoreApplication

    from medassist_desktop.core.security.accounts import Role

    labels = {
        Role.ADMIN: QCoreApplication.translate("Roles", "clinic admin"),
        Role.HEALTH_WORKER: QCoreApplication.translate("Roles", "health worker"),
    }
    return labels.get(role, str(role))


class SessionManager(QObject):
    """Signals: database_ready(), signed_in(Session), signed_out(), locked(), unlocked()."""

    database_ready = Signal()
    signed_in = Signal(object)
    signed_out = Signal()
    locked = Signal()
    unlocked = Signal()

    def __init__(
        self,
        context: AppContext,
        environ: Mapping[str, str],
        parent: QObject | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.environ = environ
        self.clock = clock  # the services' clock: lockout times are on it
        self._database: SecureDatabase | None = None
        self._current: Session | None = None
        self._admin_settings: AdminSettingsService | None = None
        self._model_admin: ModelAdminService | None = None

    # -- state ---------------------------------------------------------------------------
    def attach(self, database: SecureDatabase) -> None:
        """The database is open (called once by the start-up flow)."""
        assert database.services is not None
        self._database = database
        if database.services.loaded is not None:
            self.context.loaded = database.services.loaded  # the clinic policy wins
        self.database_ready.emit()

    @property
    def ready(self) -> bool:
        return self._database is not None

    @property
    def security(self) -> SecurityServices:
        if self._database is None or self._database.services is None:
            raise NotReadyError("The database is not open yet.")
        return self._database.services

    @property
    def tasks(self) -> DatabaseTaskManager:
        if self._database is None:
            raise NotReadyError("The database is not open yet.")
        return self._database.tasks

    @property
    def current(self) -> Session | None:
        """The signed-in user's session, or None when nobody is signed in."""
        return self._current

    @property
    def is_locked(self) -> bool:
        return self._current is not None and self._current.locked

    def is_admin(self) -> bool:
        from medassist_desktop.core.security.accounts import Role

        return self._current is not None and self._current.role is Role.ADMIN

    def user_display(self) -> str:
        """'Dara Sok (health worker)' for the status bar."""
        if self._current is None:
            return ""
        user = self._current.user
        return self.tr("{name} ({role})").format(
            name=user.display_name or user.username, role=role_label(user.role)
        )

    def admin_settings(self) -> AdminSettingsService:
        if self._admin_settings is None:
            from medassist_desktop.services.admin_settings import AdminSettingsService

            security = self.security
            self._admin_settings = AdminSettingsService(
                lambda: self.context.loaded,
                self.environ,
                security.account_store,
                security.audit_log,
                security.clinic_secrets(),
                policy=security.policy,
            )
        return self._admin_settings

    def model_admin(self) -> ModelAdminService:
        if self._model_admin is None:
            from medassist_desktop.services.models_admin import ModelAdminService

            security = self.security
            self._model_admin = ModelAdminService(
                lambda: self.context.loaded,
                self.environ,
                security.account_store,
                security.audit_log,
            )
        return self._model_admin

    # -- running service calls -----------------------------------------------------------
    def run(
        self,
        work: Callable[[SecurityServices], T],
        on_success: Callable[[T], None],
        on_failure: Failure | None = None,
    ) -> Future[T]:
        """`work(services)` on the database thread, no session needed (sign-in, setup)."""
        security = self.security
        return self.tasks.run_in_background(
            lambda _db: work(security), on_success, on_failure or self._log_failure
        )

    def call(
        self,
        work: Callable[[Session], T],
        on_success: Callable[[T], None],
        on_failure: Failure | None = None,
    ) -> Future[T]:
        """`work(session)` on the database thread as the signed-in user."""
        session = self._current
        if session is None:
            raise NotReadyError("Nobody is signed in.")
        failure = on_failure or self._log_failure

        def failed(error: BaseException) -> None:
            if (
                isinstance(error, SessionLockedError)
                and session is self._current
                and session.locked
                and not session.closed
            ):
                self.locked.emit()
            failure(error)

        return self.tasks.run_in_background(lambda _db: work(session), on_success, failed)

    @staticmethod
    def _log_failure(error: BaseException) -> None:
        _log.opt(exception=error).error("Service call failed")

    # -- signing in and out ----------------------------------------------------------------
    def login(self, username: str, password: str, on_failure: Failure) -> None:
        self.run(
            lambda security: security.accounts.login(username, password),
            self.begin,
            on_failure,
        )

    def begin(self, session: Session) -> None:
        """Make `session` the current one (after sign-in or first-run setup)."""
        self._current = session
        self.signed_in.emit(session)

    def lock(self) -> None:
        """Lock now (Ctrl+L or idle); the overlay appears at once, the audit entry follows."""
        session = self._current
        if session is None or session.locked:
            return
        session.lock()
        self.locked.emit()
        self.run(lambda security: security.accounts.lock(session), lambda _r: None)

    def unlock(self, password: str, on_failure: Failure) -> None:
        session = self._current
        if session is None:
            return

        def unlocked(_result: None) -> None:
            self.unlocked.emit()

        self.run(lambda security: security.accounts.unlock(session, password), unlocked, on_failure)

    def logout(self) -> None:
        session = self._current
        if session is None:
            return
        self._current = None
        self.signed_out.emit()
        self.run(lambda security: security.accounts.logout(session), lambda _r: None)

    def note_activity(self) -> None:
        """Someone is working in the window: keep the session from idling out in the services."""
        session = self._current
        if session is None or session.locked or session.closed:
            return
        try:
            session.touch()
        except SessionLockedError:
            self.locked.emit()

    def shutdown(self) -> None:
        """At exit: sign out (audited), finish queued database work, close the database."""
        if self._current is not None and not self._current.closed:
            self.logout()
        if self._database is not None:
            self._database.shutdown()
