"""Opening the encrypted database and building the security services from settings.

The order matters: keys first (keyring or passphrase), then the database is opened
and proven with them, then migrations, then the services. A key rotation that was
cut short (new key saved as pending, file maybe re-encrypted) is finished here.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from keyring.backend import KeyringBackend
from loguru import logger
from pydantic import ValidationError

from medassist_desktop.config import LoadedSettings, Settings
from medassist_desktop.core.security.accounts import AccountStore, Role, User
from medassist_desktop.core.security.audit import AuditLog, AuditTrailBrokenError, Clock, Outcome
from medassist_desktop.core.security.audit_anchor import (
    AnchorStorage,
    AuditAnchor,
    FileAnchorStorage,
    KeyringAnchorStorage,
)
from medassist_desktop.core.security.clinic_secrets import ClinicSecrets
from medassist_desktop.core.security.policy import POLICY_SOURCE, ClinicPolicy
from medassist_desktop.core.security.secrets import (
    DB_KEY_NAME,
    DB_KEY_NEXT_NAME,
    PASSPHRASE_VAR,
    KdfCost,
    KeyMaterial,
    PassphraseChange,
    SecretStore,
    begin_passphrase_change,
    finish_passphrase_change,
    pending_passphrase_keys,
    resolve_keys,
    rotate_database_key,
)
from medassist_desktop.core.security.sessions import Session
from medassist_desktop.i18n.catalogue import N_
from medassist_desktop.logging_setup import Redactor
from medassist_desktop.services.accounts import AccountService, authorize
from medassist_desktop.services.audit import AuditService
from medassist_desktop.storage.database import Database
from medassist_desktop.storage.errors import CannotUnlockError
from medassist_desktop.storage.migrations import migrate
from medassist_desktop.storage.schema import ALL_MIGRATIONS

_log = logger.bind(area="security")


@dataclass
class SecurityServices:
    """The open database and the services built on it, for one run (GUI) or one command."""

    db: Database
    keys: KeyMaterial
    secret_store: SecretStore
    audit_log: AuditLog
    account_store: AccountStore
    accounts: AccountService
    audit: AuditService
    redactor: Redactor
    # The settings of this run with the clinic policy stored in the database applied.
    loaded: LoadedSettings | None = None
    policy: ClinicPolicy | None = None
    applied_migrations: list[int] = field(default_factory=list)

    def check_database(self) -> dict[str, Any]:
        """Integrity (SQLCipher page HMACs + SQLite's full check) and schema version."""
        problems = self.db.integrity_check(full=True)
        return {
            "database": str(self.db.path),
            "encrypted": self.db.encrypted,
            "key_source": self.keys.source,
            "schema_version": self.db.user_version,
            "ok": not problems,
            "problems": problems,
        }

    def authorize_admin(self, session: Session, action: str) -> User:
        """Admins only (a refusal is audited as `denied`); for commands without a service."""
        return authorize(session, Role.ADMIN, self.account_store, self.audit_log, action)

    def authorize_user(self, session: Session, action: str) -> User:
        """Any role, but a signed-in, enabled user whose password is their own."""
        return authorize(session, None, self.account_store, self.audit_log, action)

    def record(
        self,
        session: Session,
        action: str,
        resource: str,
        *,
        ok: bool = True,
        details: dict[str, Any] | None = None,
    ) -> int:
        """The audit entry of an action that changed nothing in this database."""
        outcome = Outcome.SUCCESS if ok else Outcome.FAILURE
        return self.audit_log.append(
            session.user_id, action, resource, outcome, details=details or {}
        )

    def rotate_database_key(self, session: Session) -> None:
        """Re-encrypt the database with a new random key (admin; keyring mode only)."""
        admin = authorize(session, Role.ADMIN, self.account_store, self.audit_log, "db.rekey")
        if self.keys.source != "keyring":
            raise CannotUnlockError(
                N_("Only a keyring-protected database can get a new random key.")
            )
        new_key = rotate_database_key(self.secret_store, self._rekey)
        self.keys = KeyMaterial(new_key, self.keys.audit_key, "keyring")
        self.audit_log.append(admin.id, "db.rekey", "database", Outcome.SUCCESS)

    def change_passphrase(
        self, session: Session, new_phrase: str, *, kdf_cost: KdfCost | None = None
    ) -> None:
        """Re-encrypt a passphrase-protected database under a new passphrase (admin).

        Fresh salt, the same strength rule as the setup window, and the audit key kept
        (wrapped under the new key), so the chain verifies as before. With the same
        passphrase this rotates the key (a new salt gives a new key).
        """
        admin = self.authorize_admin(session, "db.change_passphrase")
        if self.keys.source != "passphrase":
            raise CannotUnlockError(
                N_("This database is protected by the OS keyring, not a passphrase."),
                hint=N_("Use `medassist db rotate-key --as ADMIN` for a new random key."),
            )
        self.redactor.add_secret(new_phrase)
        change = begin_passphrase_change(
            self.db.path,
            new_phrase,
            self.keys.audit_key,
            clinic_id=self.secret_store.service.split("/", 1)[-1],
            cost=kdf_cost,
        )
        self._rekey(change.db_key)
        finish_passphrase_change(self.db.path, change)
        self.keys = KeyMaterial(change.db_key, self.keys.audit_key, "passphrase")
        self.audit_log.append(admin.id, "db.change_passphrase", "database", Outcome.SUCCESS)

    def _rekey(self, new_key: bytes) -> None:
        self.redactor.add_secret(new_key)
        self.db.rekey(new_key)

    def clinic_secrets(self) -> ClinicSecrets:
        """The sync password and cloud API key: keyring, or this database without one."""
        return ClinicSecrets(self.secret_store, self.db)

    def close(self) -> None:
        try:
            self.audit_log.save_anchor()
        except Exception as exc:  # noqa: BLE001 - the keyring went away: the anchor stays
            _log.warning("Could not update the audit anchor: {}", exc)
        self.db.close()


def open_security(
    loaded: LoadedSettings,
    redactor: Redactor,
    environ: Mapping[str, str],
    *,
    create: bool = False,
    passphrase: str | None = None,
    keyring_backend: KeyringBackend | None = None,
    hasher: PasswordHasher | None = None,
    kdf_cost: KdfCost | None = None,
    clock: Clock = time.time,
    allow_broken_audit: bool = False,
) -> SecurityServices:
    """Open (with `create`, create) the database of these settings and build the services.

    The audit chain must reach its anchor outside the database; when it does not (an
    older copy of the file was put back, or the chain was cut), opening fails with
    `AuditTrailBrokenError` (exit 3) unless `allow_broken_audit` (for `audit verify`
    and `audit export`, which show the admin what happened).
    """
    settings = loaded.settings
    db_path = settings.database_path(loaded.paths)
    fresh = not db_path.exists()  # a new database: an old anchor is not its anchor
    store = SecretStore(settings.clinic_id, keyring_backend)
    keys = resolve_keys(
        store=store,
        db_path=db_path,
        encryption=settings.enable_encryption,
        create=create,
        environ=environ,
        redactor=redactor,
        passphrase=passphrase,
        kdf_cost=kdf_cost,
    )
    phrase = passphrase or environ.get(PASSPHRASE_VAR) or None
    db, keys = _open_with_recovery(
        db_path, keys, store, settings.db_cache_size, create, phrase=phrase, kdf_cost=kdf_cost
    )
    if keys.db_key is not None:
        redactor.add_secret(keys.db_key)  # a recovered pending key is new to the redactor
    try:
        applied = migrate(db, ALL_MIGRATIONS)
    except BaseException:
        db.close()
        raise
    policy = ClinicPolicy(db)
    try:
        loaded = apply_policy(loaded, policy.values())
    except BaseException:
        db.close()
        raise
    settings = loaded.settings  # from here on: the admin's policy wins
    # Audit entries are shared with the clinic's sync server (queued with each entry).
    audit = AuditLog(db, keys.audit_key, clock=clock, share_with_clinic=settings.clinic_id)
    try:
        _anchor_audit(
            audit, keys, store, db_path, create=create, fresh=fresh, allow=allow_broken_audit
        )
    except BaseException:
        db.close()
        raise
    account_store = AccountStore(
        db, audit, max_login_attempts=settings.max_login_attempts, hasher=hasher, clock=clock
    )
    accounts = AccountService(
        account_store, audit, session_timeout_s=settings.session_timeout_minutes * 60, clock=clock
    )
    return SecurityServices(
        db=db,
        keys=keys,
        secret_store=store,
        audit_log=audit,
        account_store=account_store,
        accounts=accounts,
        audit=AuditService(audit, account_store),
        redactor=redactor,
        loaded=loaded,
        policy=policy,
        applied_migrations=applied,
    )


def apply_policy(loaded: LoadedSettings, values: Mapping[str, Any]) -> LoadedSettings:
    """`loaded` with the clinic policy from the database over the file and environment.

    A stored value this build no longer accepts is skipped (and logged), never fatal:
    the file's value then applies, as before the admin changed it.
    """
    if not values:
        return loaded
    settings = loaded.settings
    applied: dict[str, Any] = {}
    for name, value in values.items():
        try:
            settings = Settings.model_validate({**settings.model_dump(), name: value})
        except ValidationError as exc:
            _log.warning("Clinic policy {} = {!r} cannot be used: {}", name, value, exc)
            continue
        applied[name] = value
    sources = {**loaded.sources, **dict.fromkeys(applied, POLICY_SOURCE)}
    return dataclasses.replace(loaded, settings=settings, sources=sources)


def _anchor_audit(
    audit: AuditLog,
    keys: KeyMaterial,
    store: SecretStore,
    db_path: Path,
    *,
    create: bool,
    fresh: bool,
    allow: bool,
) -> None:
    storage: AnchorStorage = (
        KeyringAnchorStorage(store) if keys.source == "keyring" else FileAnchorStorage(db_path)
    )
    if fresh:
        storage.clear()
    problem = audit.attach_anchor(AuditAnchor(storage, keys.audit_key))
    if problem is not None:
        _log.error("Audit trail check failed at open: {}", problem)
        if not allow:
            raise AuditTrailBrokenError(
                N_("The audit trail cannot be trusted: {problem}.", problem=problem),
                hint=N_(
                    "Ask a clinic admin to run `medassist audit verify --as ADMIN`; "
                    "restore the newest backup of the database."
                ),
            )
    if create:
        audit.write_genesis({"database": db_path.name})


def _open_with_recovery(
    db_path: Path,
    keys: KeyMaterial,
    store: SecretStore,
    cache_kib: int,
    create: bool,
    *,
    phrase: str | None = None,
    kdf_cost: KdfCost | None = None,
) -> tuple[Database, KeyMaterial]:
    try:
        return Database.open(db_path, keys.db_key, cache_size_kib=cache_kib, create=create), keys
    except CannotUnlockError:
        if keys.source == "passphrase" and phrase:
            recovered = pending_passphrase_keys(db_path, phrase, floor=kdf_cost)
            if recovered is None:
                raise
            material, params = recovered
            db = Database.open(db_path, material.db_key, cache_size_kib=cache_kib)
            _log.warning("Finished an interrupted passphrase change")
            finish_passphrase_change(db_path, PassphraseChange(params, material.db_key or b""))
            return db, material
        pending = store.get_key(DB_KEY_NEXT_NAME) if keys.source == "keyring" else None
        if pending is None:
            raise
    db = Database.open(db_path, pending, cache_size_kib=cache_kib)
    _log.warning("Finished an interrupted database key rotation")
    store.set_key(DB_KEY_NAME, pending)
    store.delete(DB_KEY_NEXT_NAME)
    return db, KeyMaterial(pending, keys.audit_key, "keyring")
