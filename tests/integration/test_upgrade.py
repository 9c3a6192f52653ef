"""A newer version of the app opened on an older version's data folder.

What an upgrade must keep: the database (accounts and everything in it), the settings
file and imported models. What it must do: run each new migration once, after writing a
backup copy of the database that opens with the same key. Version N+1 is the real app
with one more migration appended, exactly as a release adds one.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from medassist_desktop.core.security.secrets import service_name
from medassist_desktop.services import security as security_module
from medassist_desktop.storage.database import Database
from medassist_desktop.storage.migrations import Migration, backup_path
from medassist_desktop.storage.schema import ALL_MIGRATIONS
from tests.support.keyrings import MemoryKeyring
from tests.support.security import open_services, settings_for

LATEST = max(m.version for m in ALL_MIGRATIONS)
NEXT_RELEASE = (
    *ALL_MIGRATIONS,
    Migration(LATEST + 1, "upgrade test: a table the next release adds", "CREATE TABLE t (x);"),
)


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_version_n_plus_1_keeps_the_data_migrates_once_and_backs_up_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    keyring = MemoryKeyring()
    # Version N: set up, one admin, a settings file and an imported model.
    security = open_services(data, keyring)
    security.accounts.create_first_admin("admin", "admin-password-1")
    db_path = security.db.path
    security.close()
    settings_file = settings_for(data).paths.default_config_file
    settings_file.parent.mkdir(parents=True, exist_ok=True)
    settings_file.write_text(json.dumps({"model_max_tokens": 300}), encoding="utf-8")
    models = settings_for(data).paths.models_dir
    models.mkdir(parents=True, exist_ok=True)
    (models / "medgemma-imported.gguf").write_bytes(b"GGUF" + bytes(1000))
    (models / "registry.json").write_text('{"models": []}', encoding="utf-8")
    kept = {"settings": settings_file.read_bytes(), "models": fingerprint(models)}

    # Version N+1 over it.
    monkeypatch.setattr(security_module, "ALL_MIGRATIONS", NEXT_RELEASE)
    upgraded = open_services(data, keyring, create=False)
    try:
        assert upgraded.db.user_version == LATEST + 1
        assert upgraded.accounts.login("admin", "admin-password-1").user.username == "admin"
        assert upgraded.db.scalar("SELECT count(*) FROM schema_migrations") == LATEST + 1
    finally:
        upgraded.close()
    assert settings_file.read_bytes() == kept["settings"]
    assert settings_for(data).settings.model_max_tokens == 300
    assert fingerprint(models) == kept["models"]

    backup = backup_path(db_path, LATEST)
    assert backup.is_file(), "no backup of the database was taken before migrating"
    key = keyring.get_password(service_name(settings_for(data).settings.clinic_id), "database-key")
    assert key is not None
    with Database.open(backup, bytes.fromhex(key)) as old:
        assert old.user_version == LATEST  # the copy is the database as version N left it
        assert old.scalar("SELECT count(*) FROM users WHERE username = 'admin'") == 1

    # A second start of N+1: nothing to migrate, no second backup, the first one untouched.
    before = backup.stat().st_mtime_ns
    again = open_services(data, keyring, create=False)
    try:
        assert again.db.scalar("SELECT count(*) FROM schema_migrations") == LATEST + 1
    finally:
        again.close()
    assert backup.stat().st_mtime_ns == before
    assert sorted(p.name for p in db_path.parent.glob("*.bak")) == [backup.name]


def test_a_new_database_gets_no_backup(tmp_path: Path) -> None:
    security = open_services(tmp_path / "data", MemoryKeyring())
    try:
        assert not list(security.db.path.parent.glob("*.bak"))
    finally:
        security.close()
