"""Keys from a real keyring backend of our own, and the passphrase fallback."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import ClassVar

import keyring
import pytest
from keyring.backends import chainer, fail, null
from keyring.errors import KeyringLocked

from medassist_desktop.core.security.secrets import (
    AUDIT_KEY_NAME,
    DB_KEY_NAME,
    PASSPHRASE_VAR,
    SecretsError,
    SecretStore,
    kdf_file_for,
    keyring_problem,
    resolve_keys,
)
from medassist_desktop.logging_setup import REDACTED, Redactor
from medassist_desktop.storage.errors import CannotUnlockError, DatabaseMissingError
from tests.support.keyrings import MemoryKeyring
from tests.support.security import CHEAP_KDF

PASSPHRASE = "correct horse battery staple"


def _resolve(
    store: SecretStore,
    db: Path,
    *,
    create: bool = True,
    env: dict[str, str] | None = None,
    encryption: bool = True,
    redactor: Redactor | None = None,
):  # type: ignore[no-untyped-def]
    return resolve_keys(
        store=store,
        db_path=db,
        encryption=encryption,
        create=create,
        environ=env or {},
        redactor=redactor or Redactor(),
        kdf_cost=CHEAP_KDF,
    )


def test_first_run_generates_and_stores_keys_under_the_clinic(tmp_path: Path) -> None:
    backend = MemoryKeyring()
    store = SecretStore("clinic-7", backend)
    redactor = Redactor()
    first = _resolve(store, tmp_path / "m.db", redactor=redactor)
    assert first.source == "keyring" and first.db_key is not None and len(first.db_key) == 32
    assert first.db_key != first.audit_key
    assert set(backend.entries) == {
        ("MedAssist/clinic-7", DB_KEY_NAME),
        ("MedAssist/clinic-7", AUDIT_KEY_NAME),
    }
    assert backend.entries[("MedAssist/clinic-7", DB_KEY_NAME)] == first.db_key.hex()
    (tmp_path / "m.db").write_bytes(b"")  # the database now exists
    again = _resolve(store, tmp_path / "m.db", create=False)
    assert again == first
    assert (
        redactor.redact_text(f"k={first.db_key.hex()} a {first.audit_key.hex()}").count(REDACTED)
        == 2
    )
    assert not kdf_file_for(tmp_path / "m.db").exists()


def test_the_process_keyring_is_used_by_default(tmp_path: Path) -> None:
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        material = _resolve(SecretStore("c"), tmp_path / "m.db")
    finally:
        keyring.set_keyring(previous)
    assert material.db_key is not None
    assert backend.entries[("MedAssist/c", DB_KEY_NAME)] == material.db_key.hex()


def test_an_existing_database_without_its_key_is_not_given_a_new_one(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    db.write_bytes(b"x")
    backend = MemoryKeyring()
    with pytest.raises(CannotUnlockError, match="no 'database-key'"):
        _resolve(SecretStore("c", backend), db)
    assert backend.entries == {}


def test_missing_database_without_create(tmp_path: Path) -> None:
    with pytest.raises(DatabaseMissingError):
        _resolve(SecretStore("c", MemoryKeyring()), tmp_path / "m.db", create=False)


@pytest.mark.parametrize(
    "backend",
    [fail.Keyring(), null.Keyring()],
    ids=["fail", "null"],
)
def test_no_keyring_asks_for_a_passphrase(
    tmp_path: Path, backend: keyring.backend.KeyringBackend
) -> None:
    with pytest.raises(SecretsError, match=PASSPHRASE_VAR) as caught:
        _resolve(SecretStore("c", backend), tmp_path / "m.db")
    assert "No secure OS keyring" in str(caught.value)
    assert not kdf_file_for(tmp_path / "m.db").exists()


def test_insecure_backends_are_refused() -> None:
    from keyrings.alt.file import PlaintextKeyring

    assert "not a secure store" in (keyring_problem(PlaintextKeyring()) or "")
    assert keyring_problem(fail.Keyring()) is not None
    assert keyring_problem(MemoryKeyring()) is None

    class PlaintextOnlyChainer(chainer.ChainerBackend):
        backends: ClassVar = [PlaintextKeyring()]

    class SecureChainer(chainer.ChainerBackend):
        backends: ClassVar = [PlaintextKeyring(), MemoryKeyring()]

    assert keyring_problem(PlaintextOnlyChainer()) == "no secure keyring backend is available"
    assert keyring_problem(SecureChainer()) is None


def test_passphrase_path_derives_the_same_key_and_stores_no_key(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    store = SecretStore("c", fail.Keyring())
    redactor = Redactor()
    first = _resolve(store, db, env={PASSPHRASE_VAR: PASSPHRASE}, redactor=redactor)
    assert first.source == "passphrase" and first.db_key is not None
    kdf = json.loads(kdf_file_for(db).read_text())
    assert kdf["algorithm"] == "argon2id" and len(kdf["salt"]) == 24
    assert first.db_key.hex() not in kdf_file_for(db).read_text()
    assert redactor.redact_text(f"passphrase is {PASSPHRASE}") == f"passphrase is {REDACTED}"
    db.write_bytes(b"")
    # The KDF file decides: even with a keyring now available, the passphrase is used.
    again = _resolve(
        SecretStore("c", MemoryKeyring()), db, create=False, env={PASSPHRASE_VAR: PASSPHRASE}
    )
    assert again == first
    other = _resolve(store, db, create=False, env={PASSPHRASE_VAR: "another passphrase!"})
    assert other.db_key != first.db_key
    with pytest.raises(SecretsError, match="protected by a passphrase"):
        _resolve(store, db, create=False)


def test_short_passphrase_and_damaged_kdf_file(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    with pytest.raises(SecretsError, match="too short"):
        _resolve(SecretStore("c", fail.Keyring()), db, env={PASSPHRASE_VAR: "short"})
    db.write_bytes(b"")  # an existing database whose parameters file is damaged
    kdf_file_for(db).write_text("{not json")
    with pytest.raises(SecretsError, match="damaged"):
        _resolve(SecretStore("c", fail.Keyring()), db, env={PASSPHRASE_VAR: PASSPHRASE})


class LockedKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("the collection is locked")


def test_a_keyring_that_fails_at_run_time_falls_back_to_the_passphrase(tmp_path: Path) -> None:
    material = _resolve(
        SecretStore("c", LockedKeyring()), tmp_path / "m.db", env={PASSPHRASE_VAR: PASSPHRASE}
    )
    assert material.source == "passphrase"


def test_damaged_keyring_entry(tmp_path: Path) -> None:
    backend = MemoryKeyring()
    backend.set_password("MedAssist/c", DB_KEY_NAME, "not hex")
    with pytest.raises(SecretsError, match="damaged"):
        _resolve(SecretStore("c", backend), tmp_path / "m.db")


def test_encryption_off_needs_no_database_key(tmp_path: Path) -> None:
    material = _resolve(SecretStore("c", MemoryKeyring()), tmp_path / "m.db", encryption=False)
    assert material.db_key is None and len(material.audit_key) == 32


@pytest.mark.parametrize("weak", ["aaaaaaaaaaaa", "password1234", "123456789012"])
def test_a_guessable_passphrase_from_the_environment_is_refused(tmp_path: Path, weak: str) -> None:
    """The variable gets the same strength check as the setup window."""
    db = tmp_path / "m.db"
    with pytest.raises(SecretsError, match="too easy to guess"):
        _resolve(SecretStore("c", fail.Keyring()), db, env={PASSPHRASE_VAR: weak})
    assert not kdf_file_for(db).exists() and not db.exists()


def test_planted_weak_parameters_are_replaced_for_a_new_database(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    planted = {
        "version": 1,
        "algorithm": "argon2id",
        "salt": base64.b64encode(bytes(16)).decode(),
        "time_cost": 1,
        "memory_cost_kib": 8,
        "parallelism": 1,
    }
    kdf_file_for(db).write_text(json.dumps(planted))
    resolve_keys(  # production cost: no test override, so the real floor applies
        store=SecretStore("c", fail.Keyring()),
        db_path=db,
        encryption=True,
        create=True,
        environ={PASSPHRASE_VAR: PASSPHRASE},
        redactor=Redactor(),
    )
    fresh = json.loads(kdf_file_for(db).read_text())
    assert fresh["memory_cost_kib"] >= 65536 and fresh["time_cost"] >= 3
    salt = base64.b64decode(fresh["salt"])
    assert len(salt) >= 16 and salt != bytes(16)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"memory_cost_kib": 8}, "8 KiB of memory"),
        ({"time_cost": 1}, "1 passes"),
        ({"salt": base64.b64encode(bytes(16)).decode()}, "one repeated byte"),
        ({"salt": base64.b64encode(b"short").decode()}, "5-byte salt"),
    ],
)
def test_weak_parameters_of_an_existing_database_are_refused(
    tmp_path: Path, change: dict[str, object], expected: str
) -> None:
    db = tmp_path / "m.db"
    db.write_bytes(b"")
    params = {
        "version": 1,
        "algorithm": "argon2id",
        "salt": base64.b64encode(bytes(range(16))).decode(),
        "time_cost": 3,
        "memory_cost_kib": 65536,
        "parallelism": 4,
    } | change
    kdf_file_for(db).write_text(json.dumps(params))
    with pytest.raises(SecretsError, match=expected):
        resolve_keys(
            store=SecretStore("c", fail.Keyring()),
            db_path=db,
            encryption=True,
            create=False,
            environ={PASSPHRASE_VAR: PASSPHRASE},
            redactor=Redactor(),
        )
