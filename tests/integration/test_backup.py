"""Encrypted backups on real databases: made while cases are saved, restored on a new
laptop table by table, refused when damaged, and a wrong key changes nothing."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest

from medassist_desktop.core.security.secrets import SecretStore
from medassist_desktop.services.backup import (
    BackupDamagedError,
    BackupError,
    create_backup,
    read_manifest,
    restore_backup,
    verify_backup,
)
from medassist_desktop.services.cases import CaseService
from medassist_desktop.storage.database import Database
from tests.conftest import REPO_ROOT
from tests.support.cli import run_cli
from tests.support.keyrings import MemoryKeyring
from tests.support.security import open_services, settings_for

pytestmark = pytest.mark.timeout(300)

CLINIC = "kh-02"
ADMIN_PW = "Admin-password-1"
PASSPHRASE = "correct horse battery staple 42"
CASE: dict[str, Any] = {"name": "Sok Dara", "age_months": 14, "signs": ["lethargic"]}


def table_digests(db: Database) -> dict[str, str]:
    """Every table's rows, sorted and hashed: equal digests, equal tables."""
    digests = {}
    for (name,) in db.query_all(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' AND name != 'backup_secrets' ORDER BY name"
    ):
        rows = sorted(repr(tuple(r)) for r in db.query_all(f'SELECT * FROM "{name}"'))
        digests[str(name)] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return digests


def test_a_backup_made_while_cases_are_saved_restores_table_by_table_on_a_new_laptop(
    tmp_path: Path,
) -> None:
    old_laptop = MemoryKeyring()
    services = open_services(tmp_path / "old", old_laptop, CLINIC_ID=CLINIC)
    services.accounts.create_first_admin("admin", ADMIN_PW)
    admin = services.accounts.login("admin", ADMIN_PW)
    cases = CaseService.from_security(
        services, settings_for(tmp_path / "old", CLINIC_ID=CLINIC).settings
    )
    before = [cases.create_case(admin, {**CASE, "name": f"Before {n}"}).id for n in range(20)]

    # A second connection keeps saving cases (as the app's database thread would).
    stop = threading.Event()
    saved_meanwhile: list[int] = []

    def keep_saving() -> None:
        writer = open_services(tmp_path / "old", old_laptop, create=False, CLINIC_ID=CLINIC)
        try:
            session = writer.accounts.login("admin", ADMIN_PW)
            more = CaseService.from_security(
                writer, settings_for(tmp_path / "old", CLINIC_ID=CLINIC).settings
            )
            n = 0
            while not stop.is_set():
                saved_meanwhile.append(more.create_case(session, {**CASE, "name": f"M{n}"}).id)
                n += 1
                stop.wait(0.01)  # a busy clinic, not a tight loop that starves other writers
        finally:
            writer.close()

    thread = threading.Thread(target=keep_saving)
    thread.start()
    try:
        while len(saved_meanwhile) < 5:
            stop.wait(0.01)
        usb = tmp_path / "usb"
        usb.mkdir()
        result = create_backup(
            services, admin, settings_for(tmp_path / "old", CLINIC_ID=CLINIC), usb
        )
    finally:
        stop.set()
        thread.join(timeout=60)
    assert saved_meanwhile, "the writer never saved a case"
    assert result.recovery_key is not None  # shown once, on the first backup
    folder = result.folder
    backup_key = bytes.fromhex(old_laptop.get_password(f"MedAssist/{CLINIC}", "backup-key") or "")
    assert verify_backup(folder, backup_key)["opened"]
    services.close()

    # A new laptop: another data folder, an empty keyring, only the recovery key.
    new_laptop = MemoryKeyring()
    new_settings = settings_for(tmp_path / "new", CLINIC_ID=CLINIC)
    store = SecretStore(CLINIC, new_laptop)
    from medassist_desktop.services.backup import parse_recovery_key

    key = parse_recovery_key(result.recovery_key.lower().replace("-", " "))
    moved = restore_backup(
        folder, key, new_settings, store, admin_name="admin", admin_password=ADMIN_PW
    )
    assert moved is None
    restored = open_services(tmp_path / "new", new_laptop, create=False, CLINIC_ID=CLINIC)
    try:
        with Database.open(folder / "medassist.db", key, read_only=True) as backup_db:
            expected = table_digests(backup_db)
            users_then = backup_db.query_all("SELECT username, role, active FROM users")
        got = table_digests(restored.db)
        differing = {name for name in expected if expected[name] != got.get(name)}
        # The restore signed the admin in and audited itself in the new database (its
        # audit entries are queued for sync); every other table is as backed up.
        assert differing <= {"audit_log", "audit_head", "sync_outbox", "sync_revisions", "users"}
        users_now = restored.db.query_all("SELECT username, role, active FROM users")
        assert [tuple(u) for u in users_now] == [tuple(u) for u in users_then]
        assert set(got) == set(expected)
        ids = {r[0] for r in restored.db.query_all("SELECT id FROM cases")}
        assert set(before) <= ids  # everything saved before the backup started
        session = restored.accounts.login("admin", ADMIN_PW)
        assert restored.audit.verify(session).ok, restored.audit.verify(
            session
        )  # the audit key came with the backup
        actions = [r[0] for r in restored.db.query_all("SELECT action FROM audit_log")]
        assert "backup.restore" in actions
    finally:
        restored.close()


def test_damaged_backups_and_wrong_keys_are_refused_and_change_nothing(tmp_path: Path) -> None:
    keyring = MemoryKeyring()
    services = open_services(tmp_path / "data", keyring, CLINIC_ID=CLINIC)
    services.accounts.create_first_admin("admin", ADMIN_PW)
    admin = services.accounts.login("admin", ADMIN_PW)
    settings = settings_for(tmp_path / "data", CLINIC_ID=CLINIC)
    usb = tmp_path / "usb"
    usb.mkdir()
    good = create_backup(services, admin, settings, usb).folder
    services.close()
    key = bytes.fromhex(keyring.get_password(f"MedAssist/{CLINIC}", "backup-key") or "")
    data_files = {p: p.read_bytes() for p in (tmp_path / "data").rglob("*") if p.is_file()}

    wrong_key = bytes(32)
    with pytest.raises(BackupError, match="does not open this backup"):
        restore_backup(
            good,
            wrong_key,
            settings,
            SecretStore(CLINIC, keyring),
            admin_name="admin",
            admin_password=ADMIN_PW,
        )
    with pytest.raises(Exception, match="Wrong username or password"):
        restore_backup(
            good,
            key,
            settings,
            SecretStore(CLINIC, keyring),
            admin_name="admin",
            admin_password="not-the-password",
        )

    truncated = tmp_path / "truncated"
    altered = tmp_path / "altered"
    for copy in (truncated, altered):
        shutil.copytree(good, copy)
    db_file = truncated / "medassist.db"
    db_file.write_bytes(db_file.read_bytes()[: db_file.stat().st_size // 2])
    manifest = json.loads((altered / "manifest.json").read_text())
    manifest["tables"]["cases"] = 5
    (altered / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(BackupDamagedError, match="changed or cut short"):
        verify_backup(truncated, key)
    with pytest.raises(BackupDamagedError, match="changed or cut short"):
        restore_backup(
            truncated,
            key,
            settings,
            SecretStore(CLINIC, keyring),
            admin_name="admin",
            admin_password=ADMIN_PW,
        )
    with pytest.raises(BackupDamagedError, match="differ from what its manifest"):
        verify_backup(altered, key)
    assert read_manifest(good)["clinic_id"] == CLINIC

    # Nothing in the data folder changed through all of that.
    after = {p: p.read_bytes() for p in (tmp_path / "data").rglob("*") if p.is_file()}
    assert after == data_files


def run(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return run_cli(env, *args, stdin=stdin, timeout=180)


def test_a_passphrase_clinic_backs_up_and_restores_with_the_command_line(
    app_env: dict[str, str], tmp_path: Path
) -> None:
    env = {**app_env, "MEDASSIST_DB_PASSPHRASE": PASSPHRASE, "PYTHONPATH": str(REPO_ROOT)}
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"  # no OS keyring
    assert run(env, "init", "--admin", "admin", stdin=ADMIN_PW + "\n").returncode == 0
    (tmp_path / "case.json").write_text(json.dumps(CASE))
    added = run(env, "cases", "add", str(tmp_path / "case.json"), "--as", "admin", stdin=ADMIN_PW)
    assert added.returncode == 0, added.stderr
    usb = tmp_path / "usb"
    usb.mkdir()
    made = run(env, "backup", "create", "--to", str(usb), "--as", "admin", "--json", stdin=ADMIN_PW)
    assert made.returncode == 0, made.stderr
    report = json.loads(made.stdout)
    assert report["unlock"] == "passphrase" and "recovery_key" not in report
    folder = report["backup"]
    verified = run(env, "backup", "verify", folder, "--json")
    assert verified.returncode == 0 and json.loads(verified.stdout)["opened"] is True

    # Restore over the running clinic's data: the current database is moved aside.
    restored = run(env, "backup", "restore", folder, "--as", "admin", "--json", stdin=ADMIN_PW)
    assert restored.returncode == 0, restored.stderr
    previous = json.loads(restored.stdout)["previous_database"]
    assert previous and Path(previous).is_file()
    listed = run(env, "cases", "list", "--as", "admin", "--json", stdin=ADMIN_PW)
    assert [c["name"] for c in json.loads(listed.stdout)["cases"]] == ["Sok Dara"]
    assert run(env, "audit", "verify", "--as", "admin", stdin=ADMIN_PW).returncode == 0

    # A fresh laptop with the wrong passphrase: refused, nothing written.
    fresh = {**env, "MEDASSIST_DATA_DIR": str(tmp_path / "fresh"), "MEDASSIST_DB_PASSPHRASE": ""}
    wrong = run(fresh, "backup", "restore", folder, "--as", "admin", stdin=f"{ADMIN_PW}\nnot it\n")
    assert wrong.returncode == 1 and "does not open this backup" in wrong.stderr
    assert not (tmp_path / "fresh" / "medassist.db").exists()
    right = run(
        fresh, "backup", "restore", folder, "--as", "admin", stdin=f"{ADMIN_PW}\n{PASSPHRASE}\n"
    )
    assert right.returncode == 0, right.stderr

    (Path(folder) / "medassist.db").write_bytes(b"SQLite format 3\x00" + bytes(100))
    damaged = run(env, "backup", "verify", folder)
    assert damaged.returncode == 3 and "changed or cut short" in damaged.stderr
