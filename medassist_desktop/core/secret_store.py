"""Where the sync password and the cloud API key live: a `SecretStore`, the OS keyring.

Secrets are never settings (settings files and environment variables end up in
backups, screenshots and support emails). The keyring service is
`MedAssist/<clinic_id>`, so two clinics on one PC keep separate secrets.

TODO(lead): unify with the storage area's secrets module; where no keyring exists the
issue wants the secret kept inside the encrypted database (`no_keyring_fallback`).
"""

from __future__ import annotations

import contextlib
import threading
from typing import Protocol

from medassist_desktop.core.sync.errors import NoKeyringError

SYNC_PASSWORD = "sync-password"
CLOUD_API_KEY = "cloud-api-key"
SYNC_STATE_DB_KEY = "sync-state-db-key"  # interim: the sync state file's SQLCipher key


class SecretStore(Protocol):
    def get(self, name: str) -> str | None: ...

    def set(self, name: str, value: str) -> None: ...

    def delete(self, name: str) -> None: ...


def keyring_service(clinic_id: str) -> str:
    return f"MedAssist/{clinic_id}"


class KeyringSecretStore:
    """Secrets in the OS keyring (Secret Service, Windows Credential Manager, macOS Keychain)."""

    def __init__(self, clinic_id: str) -> None:
        self.service = keyring_service(clinic_id)

    def _backend(self) -> object:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
        chained = getattr(backend, "backends", None)
        if isinstance(backend, fail.Keyring) or chained == []:
            raise no_keyring_fallback()
        return backend

    def get(self, name: str) -> str | None:
        import keyring.errors

        backend = self._backend()
        try:
            value: str | None = backend.get_password(self.service, name)  # type: ignore[attr-defined]
        except keyring.errors.KeyringError as exc:
            raise NoKeyringError(f"The OS keyring could not be read ({exc}).") from exc
        return value

    def set(self, name: str, value: str) -> None:
        import keyring.errors

        backend = self._backend()
        try:
            backend.set_password(self.service, name, value)  # type: ignore[attr-defined]
        except keyring.errors.KeyringError as exc:
            raise NoKeyringError(f"The OS keyring could not be written ({exc}).") from exc

    def delete(self, name: str) -> None:
        import keyring.errors

        backend = self._backend()
        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            backend.delete_password(self.service, name)  # type: ignore[attr-defined]


def no_keyring_fallback() -> NoKeyringError:
    """TODO(lead): keep the secret inside the encrypted database instead of failing."""
    return NoKeyringError(
        "No OS keyring is available to keep the password or API key in.",
        hint="Install and unlock a keyring (GNOME Keyring/KWallet on Linux). Keeping the "
        "secret inside the encrypted database instead is not available yet.",
    )


class MemorySecretStore:
    """Secrets in memory: for tests of the code around the store, and for one-off tools."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: dict[str, str] = {}

    def get(self, name: str) -> str | None:
        with self._lock:
            return self._values.get(name)

    def set(self, name: str, value: str) -> None:
        with self._lock:
            self._values[name] = value

    def delete(self, name: str) -> None:
        with self._lock:
            self._values.pop(name, None)
