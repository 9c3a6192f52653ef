"""An audit trail that cannot be wiped or rolled back, proven on the real CLI and file.

Wiping: with the database key, drop the triggers and delete every entry and the head
record. Rolling back: put an older copy of the database file back (no key needed).
Both must fail `audit verify` (exit 3), and any other command must refuse to open.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from medassist_desktop.core.security.audit_anchor import anchor_file_for
from medassist_desktop.core.security.secrets import PASSPHRASE_VAR
from medassist_desktop.storage.database import Database
from tests.support.cli import ADMIN_PW, WORKER_PW, init_clinic
from tests.support.cli import run_cli as run

CLINIC = "clinic-anchor-01"
PASSPHRASE = "a long clinic passphrase for anchors"


@pytest.fixture
def env(cli_env: dict[str, str]) -> dict[str, str]:
    cli_env["CLINIC_ID"] = CLINIC
    return cli_env


def db_path(env: dict[str, str]) -> Path:
    return Path(env["MEDASSIST_DATA_DIR"]) / "medassist.db"


def keyring(env: dict[str, str]) -> dict[str, str]:
    data: dict[str, str] = json.loads(Path(env["MEDASSIST_TEST_KEYRING_FILE"]).read_text())
    return data


def add_worker(env: dict[str, str], name: str) -> None:
    added = run(env, "users", "add", name, "--as", "admin", stdin=f"{ADMIN_PW}\n{WORKER_PW}\n")
    assert added.returncode == 0, added.stderr


def verify(env: dict[str, str]) -> tuple[int, dict[str, object]]:
    result = run(env, "audit", "verify", "--as", "admin", "--json", stdin=ADMIN_PW + "\n")
    return result.returncode, json.loads(result.stdout)


def export(env: dict[str, str]) -> list[dict[str, object]]:
    result = run(env, "audit", "export", "--as", "admin", stdin=ADMIN_PW + "\n")
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_init_writes_a_genesis_entry_and_anchors_it(env: dict[str, str]) -> None:
    init_clinic(env)
    entries = export(env)
    assert (entries[0]["id"], entries[0]["action"], entries[0]["actor"]) == (
        1,
        "audit.genesis",
        None,
    )
    assert entries[1]["action"] == "user.create"
    anchor = json.loads(keyring(env)[f"MedAssist/{CLINIC}|audit-anchor"])
    assert anchor["last_id"] >= 2 and len(anchor["mac"]) == 64
    code, report = verify(env)
    assert code == 0 and report["ok"] is True, report


def test_a_wiped_chain_fails_verify(env: dict[str, str]) -> None:
    init_clinic(env)
    add_worker(env, "hoa")
    key = bytes.fromhex(keyring(env)[f"MedAssist/{CLINIC}|database-key"])
    with Database.open(db_path(env), key) as db:
        for trigger in ("audit_log_no_delete", "audit_head_no_delete"):
            db.execute(f"DROP TRIGGER {trigger}")
        db.execute("DELETE FROM audit_log")
        db.execute("DELETE FROM audit_head")
    code, report = verify(env)
    assert code == 3, report  # the sign-in of `verify` is the only entry: 1-5 are missing
    assert report["ok"] is False and "entries 1-5 are missing" in str(report["reason"])
    refused = run(env, "users", "list", "--as", "admin", stdin=ADMIN_PW + "\n")
    assert refused.returncode == 3 and "rolled back or truncated" in refused.stderr

    # Wiping again with the id counter reset and the anchor removed does not help either:
    # an empty chain, or one not starting at its genesis entry, in a database with accounts.
    store = keyring(env)
    del store[f"MedAssist/{CLINIC}|audit-anchor"]
    Path(env["MEDASSIST_TEST_KEYRING_FILE"]).write_text(json.dumps(store))
    with Database.open(db_path(env), key) as db:
        db.execute("DELETE FROM audit_log")
        db.execute("DELETE FROM audit_head")
        db.execute("DELETE FROM sqlite_sequence WHERE name = 'audit_log'")
    code, report = verify(env)
    assert code == 3 and "does not begin with its genesis entry" in str(report["reason"])


def test_an_older_copy_of_the_database_fails_verify(env: dict[str, str], tmp_path: Path) -> None:
    init_clinic(env)
    add_worker(env, "lan")
    backup = tmp_path / "backup"
    backup.mkdir()
    for file in db_path(env).parent.glob("medassist.db*"):
        shutil.copy2(file, backup / file.name)
    add_worker(env, "hoa")
    add_worker(env, "dara")
    for file in db_path(env).parent.glob("medassist.db*"):
        file.unlink()
    for file in backup.iterdir():
        shutil.copy2(file, db_path(env).parent / file.name)

    refused = run(env, "users", "list", "--as", "admin", stdin=ADMIN_PW + "\n")
    assert refused.returncode == 3, refused.stderr
    assert "rolled back or truncated" in refused.stderr and "Traceback" not in refused.stderr
    code, report = verify(env)
    assert code == 3 and "rolled back or truncated" in str(report["reason"])
    # New entries written after the rollback do not wash it out: the anchored entry differs.
    code, report = verify(env)
    assert code == 3 and report["ok"] is False

    # The backup was restored on purpose: an admin accepts it, and that stays on record.
    denied = run(env, "audit", "accept-rollback", "--as", "lan", stdin=WORKER_PW + "\n")
    assert denied.returncode == 1 and "Permission denied" in denied.stderr
    accepted = run(env, "audit", "accept-rollback", "--as", "admin", stdin=ADMIN_PW + "\n")
    assert accepted.returncode == 0, accepted.stderr
    assert run(env, "users", "list", "--as", "admin", stdin=ADMIN_PW + "\n").returncode == 0
    code, report = verify(env)
    assert code == 0, report
    entries = export(env)
    assert ("lan", "audit.accept_rollback", "denied") in [
        (e["actor"], e["action"], e["outcome"]) for e in entries
    ]
    [entry] = [
        e for e in entries if e["action"] == "audit.accept_rollback" and e["outcome"] == "success"
    ]
    assert "rolled back" in str(entry["details"]) and entry["actor"] == "admin"


def test_passphrase_databases_keep_the_anchor_beside_the_kdf_file(env: dict[str, str]) -> None:
    env.update(
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", **{PASSPHRASE_VAR: PASSPHRASE}
    )
    init_clinic(env)
    anchor_file = anchor_file_for(db_path(env))
    assert anchor_file.exists() and anchor_file.stat().st_mode & 0o077 == 0
    add_worker(env, "hoa")
    data = json.loads(anchor_file.read_text())
    data["last_id"] = 1  # an anchor moved down to fit a rolled-back copy: its MAC breaks
    anchor_file.write_text(json.dumps(data))
    refused = run(env, "users", "list", "--as", "admin", stdin=ADMIN_PW + "\n")
    assert refused.returncode == 3 and "was altered" in refused.stderr
    anchor_file.unlink()
    refused = run(env, "users", "list", "--as", "admin", stdin=ADMIN_PW + "\n")
    assert refused.returncode == 3 and "is missing" in refused.stderr
