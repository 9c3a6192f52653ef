"""Sync wiring from settings: what is missing is named; the schedule follows the settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from medassist_desktop.config import Settings
from medassist_desktop.core.degradation import DegradationRegistry
from medassist_desktop.core.security.clinic_secrets import SYNC_PASSWORD, ClinicSecrets
from medassist_desktop.core.security.secrets import SecretStore
from medassist_desktop.core.sync.errors import SyncNotConfiguredError
from medassist_desktop.services import sync_service
from tests.support.databases import open_app_db
from tests.support.keyrings import MemoryKeyring


def keyring_secrets() -> ClinicSecrets:
    return ClinicSecrets(SecretStore("kh-01", MemoryKeyring()))


def settings(**values: object) -> Settings:
    return Settings.model_validate({"environment": "development", **values})


def test_missing_configuration_is_named() -> None:
    with pytest.raises(SyncNotConfiguredError, match="sync_db, sync_user not set"):
        sync_service.server_config(settings(sync_url="https://s.example.org"), keyring_secrets())
    with pytest.raises(SyncNotConfiguredError, match="password is not stored on this computer"):
        sync_service.server_config(
            settings(sync_url="https://s.example.org", sync_db="c", sync_user="u"),
            keyring_secrets(),
        )
    with pytest.raises(SyncNotConfiguredError, match="switched off"):
        sync_service.ensure_enabled(settings())


def test_scheduler_follows_settings(tmp_path: Path) -> None:
    store = keyring_secrets()
    store.set(SYNC_PASSWORD, "pw")
    chosen = settings(
        sync_url="https://s.example.org",
        sync_db="c",
        sync_user="u",
        sync_interval_minutes=15,
        sync_metered=True,
    )
    with open_app_db(tmp_path / "medassist.db") as state:
        engine = sync_service.build_engine(chosen, store, state, DegradationRegistry())
        scheduler = sync_service.build_scheduler(chosen, engine)
    assert scheduler.interval_s == 15 * 60
    assert engine.config.password == "pw" and "pw" not in repr(engine.config)


def test_every_engine_keeps_acknowledged_rows_as_long_as_settings_say(tmp_path: Path) -> None:
    """The window's engine and the CLI's (which asks for its own batch size) both take
    the outbox retention from settings."""
    store = keyring_secrets()
    store.set(SYNC_PASSWORD, "pw")
    chosen = settings(sync_url="https://s.example.org", sync_db="c", sync_user="u")
    chosen = chosen.model_copy(update={"sync_retention_days": 7})
    with open_app_db(tmp_path / "medassist.db") as state:
        window = sync_service.build_engine(chosen, store, state, DegradationRegistry())
        cli = sync_service.build_engine(chosen, store, state, DegradationRegistry(), batch_size=5)
        at_least_one = sync_service.build_engine(
            chosen, store, state, DegradationRegistry(), batch_size=0
        )
    assert window.options.retention_days == cli.options.retention_days == 7
    assert (window.options.batch_size, cli.options.batch_size) == (100, 5)
    assert at_least_one.options.batch_size == 1
