"""Known errors of accounts and sessions: each tells a person what to do next."""

from __future__ import annotations

from medassist_desktop.errors import KnownError, MessageText


class AuthError(KnownError):
    """Wrong username or password (deliberately the same message for both)."""


class AccountLockedError(AuthError):
    """Too many wrong passwords in a row: refused until `locked_until`."""

    def __init__(
        self, message: MessageText, *, locked_until: float, hint: MessageText | None = None
    ) -> None:
        super().__init__(message, hint=hint)
        self.locked_until = locked_until


class AccountDisabledError(AuthError):
    """An admin disabled this account."""


class PermissionDenied(KnownError):  # noqa: N818 - the name the services and UI use
    """The signed-in user's role does not allow this operation."""


class SessionLockedError(KnownError):
    """The session locked itself after inactivity (or was locked); sign in again to go on."""


class InvalidCredentialError(KnownError):
    """A new username or password that does not meet the rules."""


class UserExistsError(KnownError):
    """The username is taken."""


class UserNotFoundError(KnownError):
    """No such user."""
