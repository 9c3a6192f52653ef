"""Known sync problems, each with a message a clinic admin can act on."""

from __future__ import annotations

from medassist_desktop.errors import KnownError, MessageText


class SyncError(KnownError):
    """Base of the sync area's known errors."""


class SyncNotConfiguredError(SyncError):
    """No server, database or user set, or sync switched off."""


class InsecureServerURLError(SyncError):
    """A server address that would send data without verified TLS."""


class ServerUnreachableError(SyncError):
    """The server could not be reached (no network, server down, timeouts)."""


class ServerAuthError(SyncError):
    """The server refused our credentials (HTTP 401/403)."""


class RemoteDatabaseMissingError(SyncError):
    """The database named in the settings does not exist on the server."""


class ServerRejectedError(SyncError):
    """The server answered a request with an error that retrying will not fix."""

    def __init__(
        self, message: MessageText, *, status: int, hint: MessageText | None = None
    ) -> None:
        super().__init__(message, hint=hint)
        self.status = status
