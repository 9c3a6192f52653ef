"""The sync password and cloud API key: keyring first, else the encrypted database."""

from __future__ import annotations

from pathlib import Path

import pytest
from keyring.backends import fail
from keyring.errors import KeyringLocked

from medassist_desktop.core.security.clinic_secrets import (
    CLOUD_API_KEY,
    SYNC_PASSWORD,
    ClinicSecrets,
    NoSecretStoreError,
)
from medassist_desktop.core.security.secrets import SecretsError, SecretStore
from medassist_desktop.storage.database import Database
from tests.support.databases import open_app_db
from tests.support.keyrings import MemoryKeyring


class LockedKeyring(MemoryKeyring):
    """A keyring that is there but locked (a real backend class raising keyring's error)."""

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("the collection is locked")


def test_keyring_when_usable_database_untouched(tmp_path: Path) -> None:
    backend = MemoryKeyring()
    with open_app_db(tmp_path / "m.db") as db:
        secrets = ClinicSecrets(SecretStore("kh-01", backend), db)
        assert secrets.in_keyring and secrets.location == "keyring service MedAssist/kh-01"
        secrets.set(SYNC_PASSWORD, "pw-1")
        assert backend.entries == {("MedAssist/kh-01", SYNC_PASSWORD): "pw-1"}
        assert db.scalar("SELECT COUNT(*) FROM secrets") == 0
        assert secrets.get(SYNC_PASSWORD) == "pw-1"
        secrets.delete(SYNC_PASSWORD)
        assert secrets.get(SYNC_PASSWORD) is None


def test_without_a_keyring_in_the_encrypted_database(tmp_path: Path) -> None:
    key = b"\x07" * 32
    path = tmp_path / "m.db"
    with open_app_db(path, key) as db:
        secrets = ClinicSecrets(SecretStore("kh-01", fail.Keyring()), db)
        assert not secrets.in_keyring and secrets.location == f"the encrypted database {db.path}"
        secrets.set(SYNC_PASSWORD, "SECRET-SYNC-PW")
        secrets.set(CLOUD_API_KEY, "sk-1")
        secrets.set(CLOUD_API_KEY, "sk-2")
        assert secrets.get(CLOUD_API_KEY) == "sk-2"
        secrets.delete(CLOUD_API_KEY)
        assert secrets.get(CLOUD_API_KEY) is None
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("m.db*"))
    assert b"SECRET-SYNC-PW" not in raw  # encrypted at rest
    with Database.open(path, key) as db:
        assert ClinicSecrets(SecretStore("kh-01", fail.Keyring()), db).get(SYNC_PASSWORD) == (
            "SECRET-SYNC-PW"
        )
        # A keyring installed later: the old value is still found, a new save moves it.
        backend = MemoryKeyring()
        later = ClinicSecrets(SecretStore("kh-01", backend), db)
        assert later.get(SYNC_PASSWORD) == "SECRET-SYNC-PW"
        later.set(SYNC_PASSWORD, "new")
        assert db.scalar("SELECT COUNT(*) FROM secrets") == 0
        assert backend.entries[("MedAssist/kh-01", SYNC_PASSWORD)] == "new"


def test_no_keyring_and_no_or_clear_database_is_refused(tmp_path: Path) -> None:
    nowhere = ClinicSecrets(SecretStore("kh-01", fail.Keyring()))
    with pytest.raises(NoSecretStoreError, match="No OS keyring is available"):
        nowhere.set(SYNC_PASSWORD, "pw")
    assert nowhere.get(SYNC_PASSWORD) is None
    clear = Database.open(tmp_path / "clear.db", None, create=True)
    with clear, pytest.raises(NoSecretStoreError, match="not encrypted"):
        ClinicSecrets(SecretStore("kh-01", fail.Keyring()), clear).set(SYNC_PASSWORD, "pw")


def test_a_locked_keyring_is_a_clear_error() -> None:
    secrets = ClinicSecrets(SecretStore("kh-01", LockedKeyring()))
    with pytest.raises(SecretsError, match="could not be read"):
        secrets.get(SYNC_PASSWORD)
