"""Where the database key and the audit key come from: the OS keyring, or a passphrase.

- Keyring (the normal case): under the service `MedAssist/<clinic_id>`; the first run
  generates 32 random bytes for the database and 32 for the audit chain.
- No secure keyring (a headless Linux box, or only a plain-file "keyring"): we say so
  and derive the database key from a passphrase (`MEDASSIST_DB_PASSPHRASE`, or a prompt
  in the GUI) with Argon2id. The salt and KDF parameters, never the key, are stored
  beside the database in `<db>.kdf.json`. The audit key is then derived from the
  database key, so one secret opens and verifies everything.

Every key is registered with the log `Redactor` the moment it exists.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import keyring
import keyring.errors
from argon2.low_level import Type, hash_secret_raw
from keyring.backend import KeyringBackend
from loguru import logger

from medassist_desktop.atomic_io import atomic_write_bytes
from medassist_desktop.core.security.passphrase import (
    MIN_PASSPHRASE_LENGTH,
    passphrase_problem,
)
from medassist_desktop.errors import KnownError
from medassist_desktop.i18n.catalogue import N_
from medassist_desktop.logging_setup import Redactor
from medassist_desktop.storage.database import KEY_BYTES
from medassist_desktop.storage.errors import CannotUnlockError, DatabaseMissingError

PASSPHRASE_VAR = "MEDASSIST_DB_PASSPHRASE"
DB_KEY_NAME = "database-key"
DB_KEY_NEXT_NAME = "database-key-next"  # written before a rekey, promoted after it
AUDIT_KEY_NAME = "audit-key"
_DEV_AUDIT_KEY = hashlib.sha256(b"medassist development audit key (not secret)").digest()
_log = logger.bind(area="security")


class SecretsError(KnownError):
    """The keys cannot be obtained: no keyring, no passphrase, a broken KDF file."""


def service_name(clinic_id: str) -> str:
    return f"MedAssist/{clinic_id}"


def kdf_file_for(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".kdf.json")


def keyring_problem(backend: KeyringBackend) -> str | None:
    """Why this backend must not hold our keys, or None when it is a real OS keyring.

    Backends below priority 1 (keyring's own "not recommended" mark) are refused:
    that excludes keyrings.alt's plain-text file, the null and the fail backends.
    """
    from keyring.backends import chainer, fail, null

    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if isinstance(backend, fail.Keyring | null.Keyring):
        return f"no keyring backend is available ({name})"
    if isinstance(backend, chainer.ChainerBackend):
        if any(keyring_problem(inner) is None for inner in backend.backends):
            return None
        return "no secure keyring backend is available"
    try:
        priority = float(backend.priority)
    except Exception as exc:
        return f"the keyring {name} cannot be used ({exc})"
    if priority < 1:
        return f"the keyring {name} is not a secure store (priority {priority})"
    return None


class SecretStore:
    """Named secrets of one clinic in the OS keyring (hex text for bytes)."""

    def __init__(self, clinic_id: str, backend: KeyringBackend | None = None) -> None:
        self.service = service_name(clinic_id)
        self.backend = backend if backend is not None else keyring.get_keyring()

    def problem(self) -> str | None:
        return keyring_problem(self.backend)

    def get(self, name: str) -> str | None:
        value = self.backend.get_password(self.service, name)
        return None if value is None else str(value)

    def set(self, name: str, value: str) -> None:
        self.backend.set_password(self.service, name, value)

    def delete(self, name: str) -> None:
        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            self.backend.delete_password(self.service, name)

    def get_key(self, name: str) -> bytes | None:
        value = self.get(name)
        if value is None:
            return None
        try:
            key = bytes.fromhex(value)
        except ValueError:
            key = b""
        if len(key) != KEY_BYTES:
            raise SecretsError(
                N_(
                    "The keyring entry '{name}' of {service} is damaged.",
                    name=name,
                    service=self.service,
                ),
                hint=N_(
                    "Restore the keyring from a backup; the database cannot be opened without it."
                ),
            )
        return key

    def set_key(self, name: str, key: bytes) -> None:
        self.set(name, key.hex())


MIN_SALT_BYTES = 16


@dataclass(frozen=True)
class KdfCost:
    """Argon2id cost. Defaults: RFC 9106's second recommended option (64 MiB, t=3, p=4)."""

    time_cost: int = 3
    memory_cost_kib: int = 65536
    parallelism: int = 4


@dataclass(frozen=True)
class KdfParams:
    """What is stored beside the database: the salt and the cost, never the key."""

    salt: bytes
    cost: KdfCost
    algorithm: str = "argon2id"
    version: int = 1
    # After a passphrase change: the audit key the chain was begun with, wrapped with the
    # new database key (the chain's MACs must keep verifying under a new passphrase).
    audit_key_wrapped: bytes | None = None

    @classmethod
    def new(cls, cost: KdfCost) -> KdfParams:
        return cls(salt=secrets.token_bytes(16), cost=cost)

    def derive(self, passphrase: str) -> bytes:
        return hash_secret_raw(
            secret=passphrase.encode("utf-8"),
            salt=self.salt,
            time_cost=self.cost.time_cost,
            memory_cost=self.cost.memory_cost_kib,
            parallelism=self.cost.parallelism,
            hash_len=KEY_BYTES,
            type=Type.ID,
        )

    def audit_key(self, db_key: bytes) -> bytes:
        """The audit key for this database key: unwrapped after a passphrase change, else
        derived from the database key (one secret opens and verifies everything)."""
        if self.audit_key_wrapped is None:
            return derive_audit_key(db_key)
        return _xor(self.audit_key_wrapped, _wrap_pad(db_key))

    def with_audit_key(self, db_key: bytes, audit_key: bytes) -> KdfParams:
        """These parameters carrying `audit_key`, wrapped with `db_key` (when it differs
        from the key derived anyway)."""
        if hmac.compare_digest(audit_key, derive_audit_key(db_key)):
            return dataclasses.replace(self, audit_key_wrapped=None)
        return dataclasses.replace(self, audit_key_wrapped=_xor(audit_key, _wrap_pad(db_key)))

    def to_json(self) -> bytes:
        data: dict[str, Any] = {
            "version": self.version,
            "algorithm": self.algorithm,
            "salt": base64.b64encode(self.salt).decode("ascii"),
            "time_cost": self.cost.time_cost,
            "memory_cost_kib": self.cost.memory_cost_kib,
            "parallelism": self.cost.parallelism,
        }
        if self.audit_key_wrapped is not None:
            data["audit_key_wrapped"] = self.audit_key_wrapped.hex()
        return (json.dumps(data, indent=2) + "\n").encode("utf-8")

    def weaker_than(self, floor: KdfCost) -> str | None:
        """Why these parameters are below `floor` (None: they are not)."""
        if len(self.salt) < MIN_SALT_BYTES:
            return f"a {len(self.salt)}-byte salt (at least {MIN_SALT_BYTES})"
        if len(set(self.salt)) == 1:
            return "a salt of one repeated byte"
        if self.cost.memory_cost_kib < floor.memory_cost_kib:
            return f"{self.cost.memory_cost_kib} KiB of memory (at least {floor.memory_cost_kib})"
        if self.cost.time_cost < floor.time_cost:
            return f"{self.cost.time_cost} passes (at least {floor.time_cost})"
        if self.cost.parallelism < 1:
            return "no lanes"
        return None

    @classmethod
    def load(cls, path: Path, floor: KdfCost | None = None) -> KdfParams:
        """The parameters in `path`; refused when weaker than `floor` (default: ours).

        A planted file with a tiny memory cost or a zero salt would make every guess at
        the passphrase cheap: it is refused, never used.
        """
        params = cls._read(path)
        weakness = params.weaker_than(floor or KdfCost())
        if weakness is not None:
            raise SecretsError(
                N_(
                    "The key derivation file {path} asks for {weakness}: too weak to "
                    "protect the database, so it is not used.",
                    path=path,
                    weakness=weakness,
                ),
                hint=N_("Restore the file from the backup taken with the database."),
            )
        return params

    @classmethod
    def _read(cls, path: Path) -> KdfParams:
        try:
            data: Any = json.loads(path.read_text(encoding="utf-8"))
            if data["algorithm"] != "argon2id" or data["version"] != 1:
                raise ValueError(f"unknown KDF {data['algorithm']!r} v{data['version']}")
            return cls(
                salt=base64.b64decode(data["salt"], validate=True),
                cost=KdfCost(
                    time_cost=int(data["time_cost"]),
                    memory_cost_kib=int(data["memory_cost_kib"]),
                    parallelism=int(data["parallelism"]),
                ),
                audit_key_wrapped=(
                    bytes.fromhex(data["audit_key_wrapped"])
                    if data.get("audit_key_wrapped")
                    else None
                ),
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise SecretsError(
                N_(
                    "The key derivation file {path} is unreadable or damaged ({reason}).",
                    path=path,
                    reason=exc,
                ),
                hint=N_(
                    "Restore it from the backup taken with the database: without it the "
                    "passphrase cannot open the database."
                ),
            ) from exc


@dataclass(frozen=True)
class KeyMaterial:
    """The keys of one run. `db_key` is None only when encryption is disabled (development)."""

    db_key: bytes | None
    audit_key: bytes
    source: Literal["keyring", "passphrase", "none"]


def derive_audit_key(db_key: bytes) -> bytes:
    return hmac.new(db_key, b"medassist/audit-chain/v1", hashlib.sha256).digest()


def _wrap_pad(db_key: bytes) -> bytes:
    """A one-time pad for the audit key under this database key (a fresh salt, so a fresh
    key, at every passphrase change: never reused)."""
    return hmac.new(db_key, b"medassist/audit-key-wrap/v1", hashlib.sha256).digest()


def _xor(left: bytes, right: bytes) -> bytes:
    if len(left) != len(right):
        raise SecretsError(N_("The wrapped audit key in the key derivation file is damaged."))
    return bytes(a ^ b for a, b in zip(left, right, strict=True))


def next_kdf_file_for(db_path: Path) -> Path:
    """Where a passphrase change keeps the new parameters until the file is re-encrypted."""
    return db_path.with_name(db_path.name + ".kdf.next.json")


@dataclass(frozen=True)
class PassphraseChange:
    """A new passphrase's key and parameters, saved as pending before the rekey."""

    params: KdfParams
    db_key: bytes


def begin_passphrase_change(
    db_path: Path,
    new_phrase: str,
    audit_key: bytes,
    *,
    clinic_id: str,
    cost: KdfCost | None = None,
) -> PassphraseChange:
    """Check the new passphrase, derive its key, and save its parameters as pending.

    Then the caller re-encrypts the file and calls `finish_passphrase_change`; a crash in
    between leaves the pending file, which the next open with the new passphrase uses.
    """
    weak = passphrase_problem(new_phrase, [clinic_id])
    if weak is not None:
        raise SecretsError(weak[0], hint=weak[1])
    params = KdfParams.new(cost or KdfCost())
    db_key = params.derive(new_phrase)
    params = params.with_audit_key(db_key, audit_key)
    atomic_write_bytes(next_kdf_file_for(db_path), params.to_json())
    return PassphraseChange(params, db_key)


def finish_passphrase_change(db_path: Path, change: PassphraseChange) -> None:
    """The file is re-encrypted: its new parameters become the current ones."""
    atomic_write_bytes(kdf_file_for(db_path), change.params.to_json())
    next_kdf_file_for(db_path).unlink(missing_ok=True)


def pending_passphrase_keys(
    db_path: Path, phrase: str, floor: KdfCost | None = None
) -> tuple[KeyMaterial, KdfParams] | None:
    """The keys of an interrupted passphrase change, if one is pending."""
    pending = next_kdf_file_for(db_path)
    if not pending.exists():
        return None
    params = KdfParams.load(pending, floor=floor)
    db_key = params.derive(phrase)
    return KeyMaterial(db_key, params.audit_key(db_key), "passphrase"), params


def resolve_keys(
    *,
    store: SecretStore,
    db_path: Path,
    encryption: bool,
    create: bool,
    environ: Mapping[str, str],
    redactor: Redactor,
    passphrase: str | None = None,
    kdf_cost: KdfCost | None = None,
) -> KeyMaterial:
    """The keys for `db_path`: from the keyring, or derived from a passphrase.

    `create` allows generating keys for a database that does not exist yet (first run).
    `passphrase` (the GUI's prompt) wins over `MEDASSIST_DB_PASSPHRASE`.
    """
    phrase = passphrase or environ.get(PASSPHRASE_VAR) or None
    if phrase:
        redactor.add_secret(phrase)
    material = _resolve(
        store=store,
        db_path=db_path,
        encryption=encryption,
        create=create,
        phrase=phrase,
        cost=kdf_cost or KdfCost(),
    )
    for key in (material.db_key, material.audit_key):
        if key is not None and key != _DEV_AUDIT_KEY:
            redactor.add_secret(key)
    return material


def _resolve(
    *,
    store: SecretStore,
    db_path: Path,
    encryption: bool,
    create: bool,
    phrase: str | None,
    cost: KdfCost,
) -> KeyMaterial:
    kdf_file = kdf_file_for(db_path)
    exists = db_path.exists()
    if not exists and not create:
        raise DatabaseMissingError(
            N_("There is no database at {db_path}.", db_path=db_path),
            hint=N_("Run `medassist init` to create it, or check MEDASSIST_DATA_DIR and DB_PATH."),
        )
    if kdf_file.exists() and not exists:
        # Parameters for a database that is not there (left over, or planted): a new
        # database always gets fresh ones.
        _log.warning("Ignoring {}: its database does not exist; writing fresh parameters", kdf_file)
        kdf_file.unlink(missing_ok=True)
    if kdf_file.exists():
        if not phrase:
            raise SecretsError(
                N_("The database {db_path} is protected by a passphrase.", db_path=db_path),
                hint=N_(
                    "Set {passphrase_var} (or enter it when asked).", passphrase_var=PASSPHRASE_VAR
                ),
            )
        params = KdfParams.load(kdf_file, floor=cost)
        db_key = params.derive(phrase)
        return KeyMaterial(db_key, params.audit_key(db_key), "passphrase")
    problem = store.problem()
    if problem is None:
        try:
            return _from_keyring(store, db_path, encryption, exists)
        except keyring.errors.KeyringError as exc:
            problem = f"the keyring failed ({exc})"
    _log.info("No secure OS keyring: {}", problem)
    if not encryption:
        _log.warning("Encryption is off and no keyring: the audit chain uses a development key")
        return KeyMaterial(None, _DEV_AUDIT_KEY, "none")
    if exists:
        raise CannotUnlockError(
            N_(
                "Cannot unlock the database {db_path}: its key is in an OS keyring "
                "that is not available now ({problem}).",
                db_path=db_path,
                problem=problem,
            ),
            hint=N_(
                "Start MedAssist in this user's desktop session so the keyring can be reached."
            ),
        )
    if not phrase:
        raise SecretsError(
            N_("No secure OS keyring is available: {problem}.", problem=problem),
            hint=N_(
                "To protect the database with a passphrase instead, set "
                "{passphrase_var} (at least {min_passphrase_length} characters) and "
                "run this again.",
                passphrase_var=PASSPHRASE_VAR,
                min_passphrase_length=MIN_PASSPHRASE_LENGTH,
            ),
        )
    weak = passphrase_problem(phrase, [store.service.split("/", 1)[-1]])
    if weak is not None:  # the same rule as the setup window
        raise SecretsError(weak[0], hint=weak[1])
    params = KdfParams.new(cost)
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(kdf_file, params.to_json())
    except OSError as exc:
        raise SecretsError(
            N_(
                "Cannot write the key derivation file {kdf_file} ({value}).",
                kdf_file=kdf_file,
                value=exc.strerror or exc,
            )
        ) from exc
    _log.info("Database key will be derived from a passphrase (parameters in {})", kdf_file)
    db_key = params.derive(phrase)
    return KeyMaterial(db_key, derive_audit_key(db_key), "passphrase")


def _from_keyring(store: SecretStore, db_path: Path, encryption: bool, exists: bool) -> KeyMaterial:
    db_key = store.get_key(DB_KEY_NAME) if encryption else None
    audit_key = store.get_key(AUDIT_KEY_NAME)
    if exists and ((encryption and db_key is None) or audit_key is None):
        missing = DB_KEY_NAME if encryption and db_key is None else AUDIT_KEY_NAME
        raise CannotUnlockError(
            N_(
                "Cannot unlock the database {db_path}: the keyring of this user has no "
                "'{missing}' for {service}.",
                db_path=db_path,
                missing=missing,
                service=store.service,
            ),
            hint=N_(
                "Log in as the user who set MedAssist up, check CLINIC_ID, or restore the keyring."
            ),
        )
    if encryption and db_key is None:
        db_key = secrets.token_bytes(KEY_BYTES)
        store.set_key(DB_KEY_NAME, db_key)
        _log.info("Generated a new database key in the keyring ({})", store.service)
    if audit_key is None:
        audit_key = secrets.token_bytes(KEY_BYTES)
        store.set_key(AUDIT_KEY_NAME, audit_key)
    return KeyMaterial(db_key, audit_key, "keyring" if encryption else "none")


def rotate_database_key(store: SecretStore, rekey: Any) -> bytes:
    """Give the database a new random key without ever risking the only copy of it.

    The new key is saved under `database-key-next` first, then `rekey(new_key)` re-encrypts
    (and proves it), then it is promoted. A crash in between leaves both keys in the keyring;
    `open_with_recovery` tries the pending one.
    """
    new_key = secrets.token_bytes(KEY_BYTES)
    store.set_key(DB_KEY_NEXT_NAME, new_key)
    rekey(new_key)
    store.set_key(DB_KEY_NAME, new_key)
    store.delete(DB_KEY_NEXT_NAME)
    return new_key
