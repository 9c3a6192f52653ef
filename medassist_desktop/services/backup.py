"""Encrypted, self-describing backups of the clinic's database, and restoring them.

A backup is a folder `medassist-backup-<clinic>-<UTC time>/` (on a USB stick, say):
- `medassist.db`: a consistent copy made while the app runs (`Database.export_copy`),
  encrypted with the backup key. It also holds the audit key, so the restored audit
  chain still verifies on a new laptop;
- `medassist.db.kdf.json` (passphrase clinics): the salt and cost that turn the
  clinic's passphrase into the backup key;
- `manifest.json`: format, app and schema versions, clinic, time, how it unlocks, the
  row count of every table and the sha256 of each file. A truncated or altered file
  fails the check before anything is restored.

The backup key: a passphrase clinic's database key (the passphrase restores it); a
keyring clinic's separate random `backup-key`, shown once to the admin as a recovery
key to write down, because a dead laptop takes its keyring with it. The window's
first-run setup makes it (`create_recovery_key`) and asks the admin to confirm it was
written down; a clinic set up otherwise gets it with its first backup made by hand.

Restore never overwrites: the backup is exported into a new file beside the database,
the admin's password is checked against the accounts in it, and only then is the
current database (if any) moved aside and the new one moved in. A wrong passphrase or
recovery key stops before anything in the data folder changes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import secrets
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from loguru import logger

from medassist_desktop import __version__
from medassist_desktop.atomic_io import atomic_write_bytes
from medassist_desktop.config import LoadedSettings, load_settings
from medassist_desktop.core.security.accounts import AccountStore, Role
from medassist_desktop.core.security.audit import AuditLog, Outcome
from medassist_desktop.core.security.audit_anchor import (
    AnchorStorage,
    AuditAnchor,
    FileAnchorStorage,
    KeyringAnchorStorage,
)
from medassist_desktop.core.security.secrets import (
    AUDIT_KEY_NAME,
    DB_KEY_NAME,
    KdfParams,
    SecretStore,
    kdf_file_for,
)
from medassist_desktop.core.security.sessions import Session
from medassist_desktop.errors import KnownError
from medassist_desktop.i18n.catalogue import N_
from medassist_desktop.services.accounts import AccountService, authorize
from medassist_desktop.services.security import SecurityServices
from medassist_desktop.storage.database import KEY_BYTES, Database
from medassist_desktop.storage.errors import CannotUnlockError

log = logger.bind(area="backup")

FORMAT = 1
BACKUP_KEY_NAME = "backup-key"
DB_FILE = "medassist.db"
KDF_FILE = DB_FILE + ".kdf.json"
MANIFEST_FILE = "manifest.json"
PREFIX = "medassist-backup-"
DAILY = timedelta(days=1)
SECRETS_TABLE = "backup_secrets"  # only in backup files: the audit key travels with the data


class BackupError(KnownError):
    """A backup that cannot be made, read or restored as asked."""


class BackupDamagedError(BackupError):
    """The backup's files do not match its manifest: truncated, altered or incomplete."""

    exit_code = 3


@dataclass(frozen=True)
class BackupResult:
    folder: Path
    manifest: dict[str, Any]
    recovery_key: str | None  # set only when this backup created the clinic's backup key
    pruned: list[Path]


# --- recovery keys -----------------------------------------------------------------------


def format_recovery_key(key: bytes) -> str:
    """32 bytes as 13 groups of 4 base32 letters/digits: easy to copy by hand."""
    text = base64.b32encode(key).decode("ascii").rstrip("=")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def parse_recovery_key(text: str) -> bytes:
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    try:
        key = base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise BackupError(N_("That is not a recovery key (13 groups of 4 letters and digits)."))
    return key


def create_recovery_key(services: SecurityServices, session: Session) -> str | None:
    """The clinic's recovery key, made at first-run setup for a keyring clinic (admins).

    The database key lives in this laptop's keyring and dies with the laptop; backups
    are encrypted with a separate random key whose written-down form, the recovery key,
    restores them anywhere. Made (and shown) once: None for a passphrase clinic (the
    passphrase restores its backups) and when the key exists already.
    """
    admin = authorize(
        session, Role.ADMIN, services.account_store, services.audit_log, "backup.recovery_key"
    )
    if services.keys.source != "keyring" or services.secret_store.get_key(BACKUP_KEY_NAME):
        return None
    key = _new_backup_key(services)
    services.audit_log.append(admin.id, "backup.recovery_key", BACKUP_KEY_NAME, Outcome.SUCCESS)
    return format_recovery_key(key)


# --- creating ----------------------------------------------------------------------------


def create_backup(
    services: SecurityServices,
    session: Session,
    loaded: LoadedSettings,
    destination: Path,
    *,
    keep: int = 7,
) -> BackupResult:
    """Back the database up into a new folder under `destination` (admins; audited)."""
    admin = authorize(
        session, Role.ADMIN, services.account_store, services.audit_log, "backup.create"
    )
    return _backup(services, loaded, destination, keep=keep, actor_id=admin.id)


def create_automatic_backup(
    services: SecurityServices, loaded: LoadedSettings, destination: Path, *, keep: int = 7
) -> BackupResult:
    """The daily backup the app makes by itself (audited as the system, not a person).

    Never the first backup of a keyring clinic: that one creates the recovery key, which
    an admin must see and write down, so it is made by hand.
    """
    if services.keys.source == "keyring" and services.secret_store.get_key(BACKUP_KEY_NAME) is None:
        raise BackupError(
            N_("Automatic backups start after the first backup made by hand."),
            hint=N_("An admin makes it in Settings > Backup and writes down its recovery key."),
        )
    return _backup(services, loaded, destination, keep=keep, actor_id=None)


def back_up_if_due(
    services: SecurityServices,
    loaded: LoadedSettings,
    environ: Mapping[str, str],
    now: datetime,
) -> BackupResult | None:
    """The daily automatic backup, when the plan says one is due; None when not.
    `now` is on the audit trail's clock (the services' clock)."""
    plan = BackupPlan.current(environ)
    last = last_backup(services)
    if plan.folder is None or not plan.due(None if last is None else last["at"], now):
        return None
    return create_automatic_backup(services, loaded, plan.folder, keep=plan.keep)


def last_backup(services: SecurityServices) -> dict[str, Any] | None:
    """When the newest backup was made and where (from the audit trail), or None."""
    row = services.db.query_one(
        "SELECT ts, resource FROM audit_log WHERE action = 'backup.create' AND outcome = ?"
        " ORDER BY id DESC LIMIT 1",
        (Outcome.SUCCESS.value,),
    )
    return None if row is None else {"at": str(row[0]), "backup": str(row[1])}


def _backup(
    services: SecurityServices,
    loaded: LoadedSettings,
    destination: Path,
    *,
    keep: int,
    actor_id: int | None,
) -> BackupResult:
    destination = destination.expanduser().absolute()
    if not destination.is_dir():
        raise BackupError(
            N_("The backup folder {destination} does not exist.", destination=destination),
            hint=N_("Plug in the USB stick, or choose another folder."),
        )
    clinic = loaded.settings.clinic_id
    key, unlock, recovery_key = _backup_key(services)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    final = destination / f"{PREFIX}{clinic}-{stamp}"
    partial = destination / f".{final.name}.partial"
    try:
        partial.mkdir(mode=0o700)
        services.db.export_copy(partial / DB_FILE, key)
        with Database.open(partial / DB_FILE, key) as copy:
            copy.execute(f"CREATE TABLE {SECRETS_TABLE} (name TEXT PRIMARY KEY, value TEXT)")
            copy.execute(
                f"INSERT INTO {SECRETS_TABLE} VALUES (?, ?)",  # noqa: S608 - a constant name
                (AUDIT_KEY_NAME, services.keys.audit_key.hex()),
            )
            counts = _table_counts(copy)
            schema = copy.user_version
            copy.execute("PRAGMA journal_mode = DELETE")  # one file, no WAL beside it
        if unlock == "passphrase":
            shutil.copyfile(kdf_file_for(services.db.path), partial / KDF_FILE)
        manifest = {
            "format": FORMAT,
            "app_version": __version__,
            "clinic_id": clinic,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "automatic": actor_id is None,
            "schema_version": schema,
            "unlock": unlock,
            "tables": counts,
            "files": {p.name: _sha256(p) for p in sorted(partial.iterdir())},
        }
        atomic_write_bytes(partial / MANIFEST_FILE, _dumps(manifest))
        _fsync_folder(partial)
        partial.rename(final)
        _fsync_folder(destination)
    except OSError as exc:
        shutil.rmtree(partial, ignore_errors=True)
        raise BackupError(
            N_(
                "The backup could not be written to {destination} ({value}).",
                destination=destination,
                value=exc.strerror or exc,
            ),
            hint=N_("Check that the USB stick is plugged in, writable and has room."),
        ) from exc
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    services.audit_log.append(
        actor_id,
        "backup.create",
        final.name,
        Outcome.SUCCESS,
        details={"rows": sum(counts.values()), "unlock": unlock},
    )
    pruned = _keep_newest(destination, clinic, keep)
    log.info("Backup written to {folder}", folder=final)
    return BackupResult(final, manifest, recovery_key, pruned)


def _backup_key(services: SecurityServices) -> tuple[bytes | None, str, str | None]:
    source = services.keys.source
    if source == "passphrase":
        return services.keys.db_key, "passphrase", None
    if source == "none":
        return None, "none", None
    existing = services.secret_store.get_key(BACKUP_KEY_NAME)
    if existing is not None:
        return existing, "recovery-key", None
    key = _new_backup_key(services)
    return key, "recovery-key", format_recovery_key(key)


def _new_backup_key(services: SecurityServices) -> bytes:
    key = secrets.token_bytes(KEY_BYTES)
    services.secret_store.set_key(BACKUP_KEY_NAME, key)
    services.redactor.add_secret(key)
    return key


def _keep_newest(destination: Path, clinic: str, keep: int) -> list[Path]:
    ours = sorted(
        (p for p in destination.glob(f"{PREFIX}{clinic}-*") if (p / MANIFEST_FILE).is_file()),
        key=lambda p: p.name,
    )
    old = ours[: max(0, len(ours) - max(1, keep))]
    for folder in old:
        shutil.rmtree(folder, ignore_errors=True)
    return old


@dataclass(frozen=True)
class BackupPlan:
    folder: Path | None
    keep: int
    daily: bool

    @classmethod
    def current(cls, environ: Mapping[str, str]) -> BackupPlan:
        """Read afresh (environment over settings file over defaults): an admin's change
        in Settings > Backup applies to the next backup without a restart."""
        settings = load_settings(environ).settings
        return cls(settings.backup_folder, settings.backup_keep, settings.backup_daily)

    def due(self, last_at: str | None, now: datetime, *, every: timedelta = DAILY) -> bool:
        """An automatic backup is due: switched on, the folder (USB stick) is there, and
        the newest backup is older than a day (or there is none)."""
        if not self.daily or self.folder is None or not self.folder.is_dir():
            return False
        return last_at is None or now - datetime.fromisoformat(last_at) >= every


# --- checking ----------------------------------------------------------------------------


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest, after checking every file it lists against its sha256."""
    try:
        manifest: dict[str, Any] = json.loads((folder / MANIFEST_FILE).read_text("utf-8"))
    except FileNotFoundError:
        raise BackupDamagedError(
            N_("{folder} is not a MedAssist backup (no manifest).", folder=folder)
        ) from None
    except (OSError, ValueError) as exc:
        raise BackupDamagedError(
            N_("The backup's manifest cannot be read ({reason}).", reason=exc)
        ) from exc
    if manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), dict):
        raise BackupDamagedError(N_("The backup's manifest is not in a format this app reads."))
    if DB_FILE not in manifest["files"]:
        raise BackupDamagedError(N_("The backup's manifest lists no database file."))
    for name, expected in manifest["files"].items():
        path = folder / Path(str(name)).name
        if not path.is_file():
            raise BackupDamagedError(N_("The backup is incomplete: {name} is missing.", name=name))
        if _sha256(path) != expected:
            raise BackupDamagedError(
                N_(
                    "The backup is damaged: {name} was changed or cut short since it was written.",
                    name=name,
                )
            )
    return manifest


def verify_backup(folder: Path, key: bytes | None) -> dict[str, Any]:
    """Files against the manifest, then (with the key) every page and the row counts."""
    manifest = read_manifest(folder)
    report: dict[str, Any] = {
        "backup": str(folder),
        "created_at": manifest.get("created_at"),
        "clinic_id": manifest.get("clinic_id"),
        "schema_version": manifest.get("schema_version"),
        "files_ok": True,
        "opened": False,
    }
    if key is None and manifest.get("unlock") != "none":
        return report
    with _open_backup(folder, key) as copy:
        problems = copy.integrity_check(full=True)
        counts = _table_counts(copy)
    if problems:
        raise BackupDamagedError(N_("The backup's database is damaged: {value}", value=problems[0]))
    if counts != manifest.get("tables"):
        raise BackupDamagedError(N_("The backup's tables differ from what its manifest recorded."))
    report.update(opened=True, rows=sum(counts.values()))
    return report


def backup_key_for(
    manifest: dict[str, Any], folder: Path, store: SecretStore, secret: str | None
) -> bytes | None:
    """The key that opens this backup: from the passphrase or recovery key given, else
    this clinic's keyring (the same laptop). None when a secret is still needed."""
    unlock = manifest.get("unlock")
    if unlock == "none":
        return None
    if unlock == "passphrase":
        if not secret:
            return None
        return KdfParams.load(folder / KDF_FILE).derive(secret)
    if secret:
        return parse_recovery_key(secret)
    return store.get_key(BACKUP_KEY_NAME) if store.problem() is None else None


# --- restoring ---------------------------------------------------------------------------


def restore_backup(
    folder: Path,
    key: bytes | None,
    loaded: LoadedSettings,
    store: SecretStore,
    *,
    admin_name: str,
    admin_password: str,
) -> Path | None:
    """Make the backup the clinic's database; returns where the previous one was moved.

    Order, so that any failure leaves the data folder as it was: check the files, open
    the backup with the key, export it to a new file, sign the admin in against it and
    audit the restore there, then move the current database aside and the new one in,
    and only then change the keyring.
    """
    manifest = read_manifest(folder)
    settings = loaded.settings
    if manifest.get("clinic_id") != settings.clinic_id:
        raise BackupError(
            N_(
                "This backup belongs to clinic {get!r}, this installation is {clinic_id!r}.",
                get=manifest.get("clinic_id"),
                clinic_id=settings.clinic_id,
            ),
            hint=N_("Set CLINIC_ID={get} to restore it here.", get=manifest.get("clinic_id")),
        )
    db_path = settings.database_path(loaded.paths)
    unlock = manifest.get("unlock")
    keyring_mode = unlock == "recovery-key"
    if keyring_mode:
        current = store.get_key(DB_KEY_NAME) if store.problem() is None else None
        target_key: bytes | None = current or secrets.token_bytes(KEY_BYTES)
    else:
        target_key = key  # passphrase: the same passphrase and salt open the restored file
    with _open_backup(folder, key) as copy:  # a wrong key stops here, nothing written
        audit_key = bytes.fromhex(
            str(
                copy.scalar(
                    f"SELECT value FROM {SECRETS_TABLE} WHERE name = ?",  # noqa: S608 - constant
                    (AUDIT_KEY_NAME,),
                )
            )
        )
    db_path.parent.mkdir(parents=True, exist_ok=True)
    staged = db_path.with_name(f".{db_path.name}.restoring-{secrets.token_hex(4)}")
    try:
        shutil.copyfile(folder / DB_FILE, staged)
        with Database.open(staged, key) as restored:
            if target_key != key and target_key is not None:
                restored.rekey(target_key)
            restored.execute(f"DROP TABLE {SECRETS_TABLE}")
            audit = AuditLog(restored, audit_key, share_with_clinic=settings.clinic_id)
            account_store = AccountStore(
                restored, audit, max_login_attempts=settings.max_login_attempts
            )
            accounts = AccountService(
                account_store, audit, session_timeout_s=settings.session_timeout_minutes * 60
            )
            session = accounts.login(admin_name, admin_password, ip_address="cli")
            admin = authorize(session, Role.ADMIN, account_store, audit, "backup.restore")
            audit.append(
                admin.id,
                "backup.restore",
                folder.name,
                Outcome.SUCCESS,
                details={"created_at": manifest.get("created_at")},
            )
            restored.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except BaseException:
        _remove_database_files(staged)
        raise
    moved = _move_aside(db_path) if db_path.exists() else None
    os.replace(staged, db_path)
    if unlock == "passphrase":
        shutil.copyfile(folder / KDF_FILE, kdf_file_for(db_path))
    if keyring_mode:
        assert key is not None and target_key is not None
        old_audit = store.get_key(AUDIT_KEY_NAME)
        if old_audit is not None and old_audit != audit_key and moved is not None:
            store.set_key(f"{AUDIT_KEY_NAME}-{moved.name}", old_audit)  # the old chain's key
        store.set_key(DB_KEY_NAME, target_key)
        store.set_key(AUDIT_KEY_NAME, audit_key)
        store.set_key(BACKUP_KEY_NAME, key)
    _anchor_restored_chain(db_path, target_key, audit_key, store, keyring_mode=keyring_mode)
    log.info("Restored {backup} into {db}", backup=folder, db=db_path)
    return moved


def _anchor_restored_chain(
    db_path: Path, key: bytes | None, audit_key: bytes, store: SecretStore, *, keyring_mode: bool
) -> None:
    """The restore is a deliberate, audited step back in time: the audit anchor outside
    the database moves to the restored chain's newest entry, or every later open would
    (rightly, for a copy put back by someone else) refuse it as rolled back."""
    storage: AnchorStorage = (
        KeyringAnchorStorage(store) if keyring_mode else FileAnchorStorage(db_path)
    )
    with Database.open(db_path, key) as restored:
        head = AuditLog(restored, audit_key).head()
    storage.clear()
    if head is not None:
        AuditAnchor(storage, audit_key).save(head)


def _open_backup(folder: Path, key: bytes | None) -> Database:
    try:
        return Database.open(folder / DB_FILE, key, read_only=True)
    except CannotUnlockError:
        raise BackupError(
            N_("The passphrase or recovery key does not open this backup."),
            hint=N_("Nothing was changed. Check it and try again."),
        ) from None


def _move_aside(db_path: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = db_path.with_name(f"{db_path.name}.before-restore-{stamp}")
    for suffix in ("-wal", "-shm", ".kdf.json", ".audit-anchor.json"):
        companion = db_path.with_name(db_path.name + suffix)
        if companion.exists():
            os.replace(companion, aside.with_name(aside.name + suffix))
    os.replace(db_path, aside)
    return aside


def _remove_database_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _table_counts(db: Database) -> dict[str, int]:
    names = [
        str(r[0])
        for r in db.query_all(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name"
        )
    ]
    # The names come from sqlite_master, never from input.
    return {name: int(db.scalar(f'SELECT COUNT(*) FROM "{name}"')) for name in names}  # noqa: S608


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync_folder(folder: Path) -> None:
    for path in folder.iterdir():
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows cannot open folders
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _dumps(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
