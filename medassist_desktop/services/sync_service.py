"""Sync use cases: configure the server, build the engine from settings, run, read status.

The composition root (or a CLI command) calls these with what they need; nothing
here is global. Until the shared encrypted database lands, the sync's local state
lives in an interim SQLCipher file (`storage/interim_sync_db.py`) whose key is kept
in the keyring.
"""

from __future__ import annotations

import secrets as random_secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medassist_desktop.config import LoadedSettings, Settings
from medassist_desktop.config.paths import AppPaths
from medassist_desktop.config.settings_file import (
    overridden_by_environment,
    settings_file_for_update,
    update_settings_file,
)
from medassist_desktop.config.urls import check_server_url
from medassist_desktop.core.secret_store import SYNC_PASSWORD, SYNC_STATE_DB_KEY, SecretStore
from medassist_desktop.core.sync.breaker import CircuitBreaker
from medassist_desktop.core.sync.couchdb import ServerConfig
from medassist_desktop.core.sync.degradation import DegradationRegistry
from medassist_desktop.core.sync.engine import SyncEngine, SyncOptions, SyncReport
from medassist_desktop.core.sync.errors import InsecureServerURLError, SyncNotConfiguredError
from medassist_desktop.core.sync.outbox import SYNC_MIGRATION
from medassist_desktop.core.sync.resilience import RetryPolicy
from medassist_desktop.core.sync.scheduler import SyncScheduler
from medassist_desktop.storage.interim_sync_db import KEY_BYTES, EncryptedStateFile

SYNC_STATE_FILE = "sync-state.db"
SYNC_SETTINGS = ["sync_url", "sync_db", "sync_user", "sync_enabled"]


@dataclass(frozen=True)
class ConfigureResult:
    settings_file: Path
    url: str
    db: str
    user: str
    enabled: bool
    hidden_by_environment: list[str]


def configure_sync(
    loaded: LoadedSettings,
    environ: Mapping[str, str],
    store: SecretStore,
    *,
    url: str,
    db: str,
    user: str,
    password: str,
    enable: bool = True,
) -> ConfigureResult:
    """Check the address, keep the password in the secret store, save the rest as settings.

    The password is stored first: if there is no keyring, nothing is written.
    """
    try:
        clean_url = check_server_url(url)
    except ValueError as exc:
        raise InsecureServerURLError(f"The sync server address cannot be used: {exc}.") from None
    if not password:
        raise SyncNotConfiguredError(
            "No password or API key was given on standard input.",
            hint='Pipe it in: `printf %s "$PASSWORD" | medassist sync configure ...`.',
        )
    store.set(SYNC_PASSWORD, password)
    path = settings_file_for_update(loaded)
    update_settings_file(
        path, {"sync_url": clean_url, "sync_db": db, "sync_user": user, "sync_enabled": enable}
    )
    return ConfigureResult(
        settings_file=path,
        url=clean_url,
        db=db,
        user=user,
        enabled=enable,
        hidden_by_environment=overridden_by_environment(environ, SYNC_SETTINGS),
    )


def server_config(settings: Settings, store: SecretStore) -> ServerConfig:
    """The server to sync with, or a clear error naming what is missing."""
    missing = [
        name for name in ("sync_url", "sync_db", "sync_user") if getattr(settings, name) is None
    ]
    if missing:
        raise SyncNotConfiguredError(
            f"Sync is not configured ({', '.join(missing)} not set).",
            hint="Run `medassist sync configure --url URL --db NAME --user USER`.",
        )
    password = store.get(SYNC_PASSWORD)
    if password is None:
        raise SyncNotConfiguredError(
            "The sync password is not in the keyring.",
            hint="Run `medassist sync configure` again to store it.",
        )
    assert settings.sync_url and settings.sync_db and settings.sync_user
    return ServerConfig(
        url=settings.sync_url, db=settings.sync_db, user=settings.sync_user, password=password
    )


def open_interim_state(paths: AppPaths, store: SecretStore) -> EncryptedStateFile:
    """The sync state file, with its key from the secret store (made on first use).

    TODO(lead): use the shared `Database` instead (SYNC_MIGRATION in its migrations).
    """
    path = paths.data_dir / SYNC_STATE_FILE
    key_hex = store.get(SYNC_STATE_DB_KEY)
    if key_hex is None:
        if path.exists():
            raise SyncNotConfiguredError(
                f"The key of the sync state file {path} is not in the keyring.",
                hint="Move the file away to start sync state afresh (the server keeps "
                "everything already sent).",
            )
        key_hex = random_secrets.token_bytes(KEY_BYTES).hex()
        store.set(SYNC_STATE_DB_KEY, key_hex)
    return EncryptedStateFile(path, bytes.fromhex(key_hex), migrations=(SYNC_MIGRATION,))


def build_engine(
    settings: Settings,
    store: SecretStore,
    state: EncryptedStateFile,
    degradation: DegradationRegistry,
    *,
    breaker: CircuitBreaker | None = None,
    retry_policy: RetryPolicy | None = None,
    options: SyncOptions | None = None,
    **engine_kwargs: Any,
) -> SyncEngine:
    """A `SyncEngine` from settings. The breaker should live as long as the app does."""
    return SyncEngine(
        state,
        server_config(settings, store),
        breaker=breaker if breaker is not None else CircuitBreaker("sync"),
        degradation=degradation,
        retry_policy=retry_policy,
        options=options,
        **engine_kwargs,
    )


def build_scheduler(settings: Settings, engine: SyncEngine) -> SyncScheduler[SyncReport]:
    """The background schedule from settings: interval, switched off, metered link."""
    return SyncScheduler(
        engine.run_once,
        interval_s=settings.sync_interval_minutes * 60,
        enabled=lambda: settings.sync_enabled,
        metered=lambda: settings.sync_metered,
    )


def ensure_enabled(settings: Settings) -> None:
    if not settings.sync_enabled:
        raise SyncNotConfiguredError(
            "Sync is switched off (sync_enabled is false).",
            hint="Run `medassist sync configure ...` or set SYNC_ENABLED=true.",
        )
