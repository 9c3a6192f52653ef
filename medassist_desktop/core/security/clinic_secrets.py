"""The sync password and the cloud API key: in the OS keyring, else inside the database.

One way to reach the keyring: `core.security.secrets.SecretStore` (service
`MedAssist/<clinic_id>`, with its check that the backend is a real, secure keyring).
Where there is no such keyring, the database key itself comes from a passphrase, and
these secrets are kept in the database's `secrets` table, encrypted at rest with
everything else by SQLCipher. Never in settings, never in a plain file.

Reads look in the keyring first and then in the database, so a secret saved while no
keyring existed is still found after one was installed; a save in the keyring removes
the database copy, so there is one current value.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Protocol, TypeVar

import keyring.errors

from medassist_desktop.core.security.secrets import PASSPHRASE_VAR, SecretsError, SecretStore
from medassist_desktop.i18n.catalogue import N_
from medassist_desktop.storage.database import Database

SYNC_PASSWORD = "sync-password"
CLOUD_API_KEY = "cloud-api-key"

T = TypeVar("T")


class NoSecretStoreError(SecretsError):
    """Neither a secure OS keyring nor the encrypted database is there to keep a secret in."""


class NamedSecrets(Protocol):
    """What sync and cloud inference need: named text secrets of this clinic."""

    @property
    def location(self) -> str: ...

    def get(self, name: str) -> str | None: ...

    def set(self, name: str, value: str) -> None: ...

    def delete(self, name: str) -> None: ...


class ClinicSecrets:
    """Named secrets of one clinic: the keyring when it is usable, else the database."""

    def __init__(self, keyring_store: SecretStore, db: Database | None = None) -> None:
        self._keyring = keyring_store
        self._db = db
        self._keyring_problem = keyring_store.problem()

    @property
    def in_keyring(self) -> bool:
        return self._keyring_problem is None

    @property
    def location(self) -> str:
        """Where a `set` puts the secret, in words for the person who configured it."""
        if self.in_keyring:
            return f"keyring service {self._keyring.service}"
        if self._db is not None:
            return f"the encrypted database {self._db.path}"
        return "nowhere (no keyring, no database)"

    def get(self, name: str) -> str | None:
        if self.in_keyring:
            value = self._guard("read", lambda: self._keyring.get(name))
            if value is not None:
                return value
        if self._db is None:
            return None
        return _db_get(self._db, name)

    def set(self, name: str, value: str) -> None:
        if self.in_keyring:
            self._guard("written", lambda: self._keyring.set(name, value))
            if self._db is not None:
                _db_delete(self._db, name)
            return
        _db_set(self._usable_db(), name, value)

    def delete(self, name: str) -> None:
        if self.in_keyring:
            self._guard("written", lambda: self._keyring.delete(name))
        if self._db is not None:
            _db_delete(self._db, name)

    def _usable_db(self) -> Database:
        if self._db is None:
            raise NoSecretStoreError(
                N_(
                    "No OS keyring is available to keep the password or API key in "
                    "({keyring_problem}), and the encrypted database is not set up.",
                    keyring_problem=self._keyring_problem,
                ),
                hint=N_(
                    "Create the database protected by a passphrase first "
                    "({passphrase_var}=... `medassist init ...`); the secret is then kept "
                    "inside it.",
                    passphrase_var=PASSPHRASE_VAR,
                ),
            )
        if not self._db.encrypted:
            raise NoSecretStoreError(
                N_(
                    "No OS keyring is available and the database is not encrypted "
                    "(ENABLE_ENCRYPTION=false): the password or API key would be stored in "
                    "clear."
                ),
                hint=N_("Install a keyring, or turn encryption on."),
            )
        return self._db

    def _guard(self, doing: str, action: Callable[[], T]) -> T:
        try:
            return action()
        except keyring.errors.KeyringError as exc:
            raise SecretsError(
                N_("The OS keyring could not be {doing} ({reason}).", doing=doing, reason=exc),
                hint=N_("Unlock the keyring (sign in to the desktop session) and try again."),
            ) from exc


def _db_get(db: Database, name: str) -> str | None:
    value = db.scalar("SELECT value FROM secrets WHERE name = ?", (name,))
    return None if value is None else str(value)


def _db_set(db: Database, name: str, value: str) -> None:
    now = datetime.now(UTC).isoformat(timespec="milliseconds")
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO secrets (name, value, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET value = excluded.value,"
            " updated_at = excluded.updated_at",
            (name, value, now),
        )


def _db_delete(db: Database, name: str) -> None:
    with db.transaction() as conn:
        conn.execute("DELETE FROM secrets WHERE name = ?", (name,))
