"""What the admin's Settings page changes: sign-in policy, sync and cloud, the model in use.

Every call takes the admin's `Session` and checks it here (a health worker's session
is refused and the refusal audited), writes the settings file atomically, keeps
passwords and API keys in the keyring only, and records the change in the audit
chain. The values that protect accounts and decide where data goes (the clinic
policy: lockout, auto-lock, sync and cloud endpoints) are also stored in the
encrypted database in the same transaction as the audit entry, and win over the file
and the environment. Settings are read once per run, so the new values apply at the
next start; the result says which environment variables would hide the others.

Runs on the database thread (authorization and audit use the database).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medassist_desktop.config import LoadedSettings
from medassist_desktop.config.settings import UiLanguage, _read_config_file
from medassist_desktop.config.settings_file import (
    overridden_by_environment,
    settings_file_for_update,
    update_settings_file,
)
from medassist_desktop.core.security.accounts import AccountStore, Role, User
from medassist_desktop.core.security.audit import AuditLog, Outcome
from medassist_desktop.core.security.clinic_secrets import (
    CLOUD_API_KEY,
    SYNC_PASSWORD,
    NamedSecrets,
)
from medassist_desktop.core.security.policy import POLICY_SETTINGS as CLINIC_POLICY
from medassist_desktop.core.security.policy import ClinicPolicy
from medassist_desktop.core.security.sessions import Session
from medassist_desktop.services.accounts import authorize

POLICY_SETTINGS = ["session_timeout_minutes", "max_login_attempts"]
SYNC_SETTINGS = ["sync_enabled", "sync_url", "sync_db", "sync_user"]
CLOUD_SETTINGS = ["cloud_inference_enabled", "cloud_url", "cloud_model"]
BACKUP_SETTINGS = ["backup_folder", "backup_keep", "backup_daily"]
LANGUAGE_SETTINGS = ["ui_language"]


@dataclass(frozen=True)
class SettingsView:
    """The values the page shows: the settings file's, else this run's effective ones."""

    values: dict[str, Any]
    settings_file: Path
    sync_password_stored: bool
    cloud_api_key_stored: bool
    hidden_by_environment: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SaveResult:
    settings_file: Path
    saved: dict[str, Any]
    hidden_by_environment: list[str]


class AdminSettingsService:
    """Admin-only changes to the settings file and the keyring secrets of sync and cloud."""

    def __init__(
        self,
        loaded: Callable[[], LoadedSettings],
        environ: Mapping[str, str],
        store: AccountStore,
        audit: AuditLog,
        secrets: NamedSecrets,
        *,
        policy: ClinicPolicy | None = None,
    ) -> None:
        self._loaded = loaded  # a getter: the context's settings may be reloaded
        self._environ = environ
        self._store = store
        self._audit = audit
        self._secrets = secrets
        self._policy = policy  # where the admin's values are kept (they win at next start)

    def authorize(self, session: Session, action: str) -> User:
        """Refuse anyone but an admin (audited) before asking them for a secret."""
        return authorize(session, Role.ADMIN, self._store, self._audit, action)

    def read(self, session: Session) -> SettingsView:
        self.authorize(session, "settings.read")
        loaded = self._loaded()
        path = settings_file_for_update(loaded)
        file_values = _read_config_file(path) if path.is_file() else {}
        effective = loaded.settings.model_dump(mode="json")
        stored = self._policy.values() if self._policy is not None else {}
        keys = [
            *POLICY_SETTINGS,
            *SYNC_SETTINGS,
            *CLOUD_SETTINGS,
            *BACKUP_SETTINGS,
            *LANGUAGE_SETTINGS,
            "model_name",
            "clinic_id",
        ]
        return SettingsView(
            values={key: stored.get(key, file_values.get(key, effective[key])) for key in keys}
            | {"clinic_name": file_values.get("clinic_name", effective["clinic_name"])},
            settings_file=path,
            sync_password_stored=self._secrets.get(SYNC_PASSWORD) is not None,
            cloud_api_key_stored=self._secrets.get(CLOUD_API_KEY) is not None,
            hidden_by_environment=self._hidden(
                [
                    *POLICY_SETTINGS,
                    *SYNC_SETTINGS,
                    *CLOUD_SETTINGS,
                    *BACKUP_SETTINGS,
                    *LANGUAGE_SETTINGS,
                    "model_name",
                ]
            ),
        )

    def save_policy(
        self, session: Session, *, session_timeout_minutes: int, max_login_attempts: int
    ) -> SaveResult:
        """Auto-lock after this many idle minutes; lock an account after this many failures."""
        updates = {
            "session_timeout_minutes": session_timeout_minutes,
            "max_login_attempts": max_login_attempts,
        }
        return self._save(session, "settings.policy", updates, POLICY_SETTINGS)

    def save_language(self, session: Session, *, language: str) -> SaveResult:
        """The window's language (auto, en, id or vi); applies at the next start."""
        value = UiLanguage(language).value  # refuses a language the app does not ship
        return self._save(session, "settings.language", {"ui_language": value}, LANGUAGE_SETTINGS)

    def save_backup(self, session: Session, *, folder: str, keep: int, daily: bool) -> SaveResult:
        """Where backups go (empty: nowhere yet), how many to keep, the daily automatic one.
        Applies at once: the app reads the backup plan afresh before each backup."""
        updates = {
            "backup_folder": folder.strip() or None,
            "backup_keep": keep,
            "backup_daily": daily,
        }
        return self._save(session, "settings.backup", updates, BACKUP_SETTINGS)

    def save_sync(
        self,
        session: Session,
        *,
        enabled: bool,
        url: str,
        db: str,
        user: str,
        password: str = "",
    ) -> SaveResult:
        """The sync server; an empty `password` keeps the one already in the keyring."""
        from medassist_desktop.services.sync_service import configure_sync  # httpx: lazily

        admin = self.authorize(session, "settings.sync")
        loaded = self._loaded()
        if not url.strip() and not enabled:
            return self._write(admin, "settings.sync", {"sync_enabled": False}, SYNC_SETTINGS)
        result = configure_sync(
            loaded,
            self._environ,
            self._secrets,
            url=url,
            db=db.strip(),
            user=user.strip(),
            password=password or self._secrets.get(SYNC_PASSWORD) or "",
            enable=enabled,
        )
        saved = {"sync_url": result.url, "sync_db": result.db, "sync_user": result.user}
        self._audit_change(admin, "settings.sync", saved | {"sync_enabled": enabled}, password)
        return SaveResult(result.settings_file, saved, self._hidden(SYNC_SETTINGS))

    def save_cloud(
        self,
        session: Session,
        *,
        enabled: bool,
        url: str,
        model: str,
        api_key: str = "",
        clear_key: bool = False,
    ) -> SaveResult:
        """The cloud endpoint; an empty `api_key` keeps the one already stored, unless
        `clear_key` (an endpoint without a key)."""
        from medassist_desktop.services.cloud_service import configure_cloud  # httpx: lazily

        admin = self.authorize(session, "settings.cloud")
        loaded = self._loaded()
        if not url.strip() and not enabled:
            updates = {"cloud_inference_enabled": False}
            return self._write(admin, "settings.cloud", updates, CLOUD_SETTINGS)
        result = configure_cloud(
            loaded,
            self._environ,
            self._secrets,
            url=url,
            model=model.strip(),
            api_key=api_key or ("" if clear_key else self._secrets.get(CLOUD_API_KEY) or ""),
            enable=enabled,
        )
        saved = {"cloud_url": result.url, "cloud_model": result.model}
        changed = saved | {"cloud_inference_enabled": enabled}
        self._audit_change(admin, "settings.cloud", changed, api_key)
        return SaveResult(result.settings_file, saved, self._hidden(CLOUD_SETTINGS))

    # -- helpers ---------------------------------------------------------------------
    def _save(
        self, session: Session, action: str, updates: dict[str, Any], names: list[str]
    ) -> SaveResult:
        admin = self.authorize(session, action)
        return self._write(admin, action, updates, names)

    def _write(
        self, admin: User, action: str, updates: dict[str, Any], names: list[str]
    ) -> SaveResult:
        path = settings_file_for_update(self._loaded())
        update_settings_file(path, updates)
        self._audit_change(admin, action, updates, "")
        return SaveResult(path, updates, self._hidden(names))

    def _hidden(self, names: list[str]) -> list[str]:
        """The variables that would hide these settings: none of those the database keeps."""
        kept = set(CLINIC_POLICY) if self._policy is not None else set()
        return overridden_by_environment(self._environ, [n for n in names if n not in kept])

    def _audit_change(self, admin: User, action: str, values: dict[str, Any], secret: str) -> None:
        """The audit entry, and the clinic policy among `values`, in one transaction."""
        details: dict[str, Any] = dict(values)
        if secret:
            details["secret_replaced"] = True  # never the secret itself
        policy_values = {k: v for k, v in values.items() if k in CLINIC_POLICY}
        with self._store.transaction() as conn:
            if self._policy is not None and policy_values:
                self._policy.write(conn, policy_values, admin.id)
            self._audit.append(admin.id, action, "settings", Outcome.SUCCESS, details=details)
