"""Account use cases: first-run setup, sign-in, lock/unlock, and the admin operations.

Every method that needs a signed-in user takes the `Session` and checks it here:
still active (not idle past the timeout), the user still enabled, and the role
allowed. The UI hides admin screens too, but this is where the rule is kept.
"""

from __future__ import annotations

import time

from medassist_desktop.core.security.accounts import AccountStore, Role, User
from medassist_desktop.core.security.audit import AuditLog, Clock, Outcome
from medassist_desktop.core.security.errors import (
    AuthError,
    InvalidCredentialError,
    PermissionDenied,
    SessionLockedError,
)
from medassist_desktop.core.security.sessions import Session
from medassist_desktop.i18n.catalogue import N_

# The only thing a user whose password was reset may do: choose their own.
PASSWORD_CHANGE_ACTIONS = frozenset({"user.change_password"})


def authorize(
    session: Session, role: Role | None, store: AccountStore, audit: AuditLog, action: str
) -> User:
    """Check the session and the role for `action`; refusals are audited.

    A user an admin gave a temporary password may only change it: every other action
    is refused here, so no door (window, CLI, sync) works with a password someone else
    knows.
    """
    session.check()
    current = store.find(session.user.username)
    if current is None or current.id != session.user.id or not current.active:
        session.closed = True
        raise SessionLockedError(N_("This account was disabled."), hint=N_("Ask a clinic admin."))
    session.user = current  # a role change by an admin applies at once
    if current.must_change_password and action not in PASSWORD_CHANGE_ACTIONS:
        audit.append(current.id, action, "", Outcome.DENIED, details={"needs": "new password"})
        raise PermissionDenied(
            N_("You must choose a new password before doing anything else."),
            hint=N_(
                "Sign in again and set a new password (or `medassist users "
                "change-password --as YOU`)."
            ),
        )
    if role is not None and current.role is not role:
        audit.append(current.id, action, "", Outcome.DENIED, details={"needs": str(role)})
        raise PermissionDenied(
            N_(
                "Permission denied. Only a clinic {replace} can do this ({action}).",
                replace=role.replace("_", " "),
                action=action,
            ),
            hint=N_("Ask a clinic admin."),
        )
    session.touch()
    return current


class AccountService:
    """What the GUI and the CLI call for accounts; never the storage directly."""

    def __init__(
        self,
        store: AccountStore,
        audit: AuditLog,
        *,
        session_timeout_s: float,
        clock: Clock = time.time,
    ) -> None:
        self._store = store
        self._audit = audit
        self._timeout_s = session_timeout_s
        self._clock = clock

    # -- no session needed -------------------------------------------------------------

    def needs_setup(self) -> bool:
        """True on first run: no user exists, so the first admin must be created."""
        return self._store.count() == 0

    def create_first_admin(self, username: str, password: str, display_name: str = "") -> User:
        if not self.needs_setup():
            raise PermissionDenied(
                N_("MedAssist is already set up: the first admin exists."),
                hint=N_("Sign in as an admin to add users."),
            )
        with self._store.transaction():
            user = self._store.create(username, password, Role.ADMIN, display_name)
            self._audit.append(
                user.id,
                "user.create",
                f"user:{username}",
                Outcome.SUCCESS,
                details={"role": "admin", "first_admin": True},
            )
        return user

    def login(self, username: str, password: str, *, ip_address: str | None = None) -> Session:
        user = self._store.authenticate(username, password, ip_address=ip_address)
        # Idle time on the monotonic clock: changing the system time neither locks a
        # session early nor keeps an idle one open (an injected test clock is used as is).
        idle_clock = time.monotonic if self._clock is time.time else self._clock
        return Session(user=user, timeout_s=self._timeout_s, clock=idle_clock)

    def logout(self, session: Session) -> None:
        if not session.closed:
            self._audit.log_auth_event(session.user_id, "logout", True)
        session.closed = True

    def lock(self, session: Session) -> None:
        session.lock()
        self._audit.log_auth_event(session.user_id, "session_lock", True)

    def unlock(self, session: Session, password: str) -> None:
        """Re-enter the password after an auto-lock; wrong ones count toward the lockout."""
        if session.closed:
            raise SessionLockedError(N_("You have signed out."), hint=N_("Sign in again."))
        user = self._store.authenticate(session.user.username, password)
        session.unlocked(user)

    def change_own_password(self, session: Session, old_password: str, new: str) -> None:
        user = authorize(session, None, self._store, self._audit, "user.change_password")
        try:
            self._store.authenticate(user.username, old_password)
        except AuthError as exc:
            raise AuthError(N_("The current password is wrong.")) from exc
        with self._store.transaction():
            self._store.set_password(user, new, must_change=False)
            self._audit.append(
                user.id, "user.change_password", f"user:{user.username}", Outcome.SUCCESS
            )

    # -- admin only --------------------------------------------------------------------

    def add_user(
        self,
        session: Session,
        username: str,
        password: str,
        role: Role = Role.HEALTH_WORKER,
        display_name: str = "",
    ) -> User:
        admin = authorize(session, Role.ADMIN, self._store, self._audit, "user.create")
        with self._store.transaction():
            user = self._store.create(username, password, role, display_name)
            self._audit.append(
                admin.id,
                "user.create",
                f"user:{username}",
                Outcome.SUCCESS,
                details={"role": str(role)},
            )
        return user

    def list_users(self, session: Session) -> list[User]:
        authorize(session, Role.ADMIN, self._store, self._audit, "user.list")
        return self._store.list()

    def disable_user(self, session: Session, username: str) -> User:
        admin = authorize(session, Role.ADMIN, self._store, self._audit, "user.disable")
        user = self._store.get(username)
        if user.id == admin.id:
            raise InvalidCredentialError(N_("You cannot disable your own account."))
        with self._store.transaction():
            self._store.set_active(user.id, False)
            self._audit.append(admin.id, "user.disable", f"user:{username}", Outcome.SUCCESS)
        return self._store.get(username)

    def enable_user(self, session: Session, username: str) -> User:
        admin = authorize(session, Role.ADMIN, self._store, self._audit, "user.enable")
        user = self._store.get(username)
        with self._store.transaction():
            self._store.set_active(user.id, True)
            self._audit.append(admin.id, "user.enable", f"user:{username}", Outcome.SUCCESS)
        return self._store.get(username)

    def reset_password(
        self, session: Session, username: str, new_password: str, *, must_change: bool = True
    ) -> User:
        """Set a new password (and clear a lockout); the user changes it at next sign-in."""
        admin = authorize(session, Role.ADMIN, self._store, self._audit, "user.reset_password")
        user = self._store.get(username)
        with self._store.transaction():
            self._store.set_password(user, new_password, must_change=must_change)
            self._audit.append(admin.id, "user.reset_password", f"user:{username}", Outcome.SUCCESS)
        return self._store.get(username)
