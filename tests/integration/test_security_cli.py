"""`medassist init|users|audit|db` as an admin or a script runs them, on a real encrypted file.

The keyring is a real backend class of ours persisted to a file (a subprocess cannot
share memory), selected the standard way: PYTHON_KEYRING_BACKEND.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from medassist_desktop.core.security.secrets import PASSPHRASE_VAR
from medassist_desktop.storage.database import Database
from tests.support.cli import ADMIN_PW, WORKER_PW, init_clinic
from tests.support.cli import run_cli as run

PASSPHRASE = "a long clinic passphrase"


@pytest.fixture
def env(cli_env: dict[str, str]) -> dict[str, str]:
    cli_env.update(CLINIC_ID="clinic-lao-01", LOG_LEVEL="TRACE")
    return cli_env


def _db_path(env: dict[str, str]) -> Path:
    return Path(env["MEDASSIST_DATA_DIR"]) / "medassist.db"


def _keyring(env: dict[str, str]) -> dict[str, str]:
    data: dict[str, str] = json.loads(Path(env["MEDASSIST_TEST_KEYRING_FILE"]).read_text())
    return data


def test_first_run_then_admin_work(env: dict[str, str]) -> None:
    report = init_clinic(env)
    assert report["key_source"] == "keyring" and report["encrypted"] is True
    assert set(_keyring(env)) == {
        "MedAssist/clinic-lao-01|database-key",
        "MedAssist/clinic-lao-01|audit-key",
        "MedAssist/clinic-lao-01|audit-anchor",  # the chain's newest entry, outside the file
    }
    data = _db_path(env).read_bytes()
    assert not data.startswith(b"SQLite format 3") and b"admin" not in data

    again = run(env, "init", "--admin", "other", stdin=ADMIN_PW + "\n")
    assert again.returncode == 1 and "already set up" in again.stderr

    added = run(
        env,
        "users",
        "add",
        "hoa",
        "--as",
        "admin",
        "--display-name",
        "Hoa",
        "--json",
        stdin=f"{ADMIN_PW}\n{WORKER_PW}\n",
    )
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["role"] == "health_worker"

    listed = run(env, "users", "list", "--as", "admin", "--json", stdin=ADMIN_PW + "\n")
    assert [u["username"] for u in json.loads(listed.stdout)["users"]] == ["admin", "hoa"]
    text = run(env, "users", "list", "--as", "admin", stdin=ADMIN_PW + "\n")
    assert "hoa" in text.stdout and "health_worker" in text.stdout

    denied = run(env, "users", "list", "--as", "hoa", stdin=WORKER_PW + "\n")
    assert denied.returncode == 1 and "Only a clinic admin" in denied.stderr

    reset = run(
        env,
        "users",
        "reset-password",
        "hoa",
        "--as",
        "admin",
        "--json",
        stdin=f"{ADMIN_PW}\nnew-password-9\n",
    )
    assert json.loads(reset.stdout)["must_change_password"] is True
    disabled = run(env, "users", "disable", "hoa", "--as", "admin", stdin=ADMIN_PW + "\n")
    assert disabled.returncode == 0 and "Disabled hoa" in disabled.stdout
    refused = run(env, "users", "list", "--as", "hoa", stdin="new-password-9\n")
    assert refused.returncode == 1 and "disabled" in refused.stderr

    check = run(env, "db", "check", "--json")
    assert check.returncode == 0 and json.loads(check.stdout)["ok"] is True

    verify = run(env, "audit", "verify", "--as", "admin", "--json", stdin=ADMIN_PW + "\n")
    assert verify.returncode == 0, verify.stderr
    assert json.loads(verify.stdout)["ok"] is True

    out = Path(env["MEDASSIST_DATA_DIR"]) / "audit.jsonl"
    exported = run(
        env, "audit", "export", "--as", "admin", "-o", str(out), "--json", stdin=ADMIN_PW + "\n"
    )
    assert exported.returncode == 0, exported.stderr
    entries = [json.loads(line) for line in out.read_text().splitlines()]
    assert json.loads(exported.stdout)["exported"] == len(entries)
    actions = [(e["actor"], e["action"], e["outcome"]) for e in entries]
    assert ("admin", "user.create", "success") in actions
    assert ("hoa", "user.list", "denied") in actions
    assert ("hoa", "auth.login", "failure") in actions  # the disabled account's attempt
    assert ("admin", "user.disable", "success") in actions


def test_missing_stdin_and_wrong_admin_password(env: dict[str, str]) -> None:
    missing = run(env, "init", "--admin", "admin")
    assert missing.returncode == 1 and "standard input" in missing.stderr
    weak = run(env, "init", "--admin", "admin", stdin="12345\n")
    assert weak.returncode == 1 and "at least 6 digits" in weak.stderr
    assert not _db_path(env).exists(), "nothing is created before the input is checked"
    init_clinic(env)
    wrong = run(env, "users", "list", "--as", "admin", "--json", stdin="nope-nope-nope\n")
    assert wrong.returncode == 1
    assert json.loads(wrong.stdout) == {"error": "Wrong username or password."}


def test_lockout_through_the_cli(env: dict[str, str]) -> None:
    init_clinic(env)
    for _ in range(5):
        assert run(env, "users", "list", "--as", "admin", stdin="wrong-password\n").returncode == 1
    sixth = run(env, "users", "list", "--as", "admin", stdin=ADMIN_PW + "\n")
    assert sixth.returncode == 1 and "locked for 5 more minute" in sixth.stderr


def test_a_tampered_audit_entry_fails_verify(env: dict[str, str]) -> None:
    init_clinic(env)
    key = bytes.fromhex(_keyring(env)["MedAssist/clinic-lao-01|database-key"])
    with Database.open(_db_path(env), key) as db:
        db.execute("DROP TRIGGER audit_log_no_update")
        db.execute("UPDATE audit_log SET actor = 'someone-else' WHERE id = 1")
    verify = run(env, "audit", "verify", "--as", "admin", "--json", stdin=ADMIN_PW + "\n")
    assert verify.returncode == 3, verify.stderr
    report = json.loads(verify.stdout)
    assert report["ok"] is False and report["first_broken_id"] == 1
    text = run(env, "audit", "verify", "--as", "admin", stdin=ADMIN_PW + "\n")
    assert text.returncode == 3 and "BROKEN at entry 1" in text.stdout


def test_a_deleted_audit_entry_fails_verify(env: dict[str, str]) -> None:
    init_clinic(env)
    run(env, "users", "list", "--as", "admin", stdin=ADMIN_PW + "\n")  # entries 2 and 3
    key = bytes.fromhex(_keyring(env)["MedAssist/clinic-lao-01|database-key"])
    with Database.open(_db_path(env), key) as db:
        db.execute("DROP TRIGGER audit_log_no_delete")
        db.execute("DELETE FROM audit_log WHERE id = 2")
    verify = run(env, "audit", "verify", "--as", "admin", "--json", stdin=ADMIN_PW + "\n")
    assert verify.returncode == 3
    report = json.loads(verify.stdout)
    assert report["first_broken_id"] == 3 and "missing" in report["reason"]


def test_no_keyring_and_no_passphrase_says_what_to_do(env: dict[str, str]) -> None:
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    result = run(env, "init", "--admin", "admin", stdin=ADMIN_PW + "\n")
    assert result.returncode == 1
    assert "No secure OS keyring" in result.stderr and PASSPHRASE_VAR in result.stderr
    assert "Traceback" not in result.stderr
    assert not _db_path(env).exists()


def test_passphrase_path_and_wrong_passphrase(env: dict[str, str]) -> None:
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    env[PASSPHRASE_VAR] = PASSPHRASE
    assert init_clinic(env)["key_source"] == "passphrase"
    kdf = _db_path(env).with_name("medassist.db.kdf.json")
    assert kdf.exists()
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (_db_path(env), kdf)}
    env[PASSPHRASE_VAR] = "the wrong passphrase"
    wrong = run(env, "db", "check")
    assert wrong.returncode == 1 and "Cannot unlock" in wrong.stderr
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in before} == before
    env[PASSPHRASE_VAR] = PASSPHRASE
    assert run(env, "db", "check").returncode == 0


def test_secrets_never_reach_the_log_file(env: dict[str, str]) -> None:
    env[PASSPHRASE_VAR] = PASSPHRASE  # set but unused with a keyring: must not leak either
    init_clinic(env)
    run(env, "users", "add", "hoa", "--as", "admin", stdin=f"{ADMIN_PW}\n{WORKER_PW}\n")
    run(env, "users", "list", "--as", "admin", stdin="wrong-password-x\n")
    run(env, "audit", "verify", "--as", "admin", stdin=ADMIN_PW + "\n")
    run(env, "db", "check")
    logs = "".join(
        p.read_text(errors="replace")
        for p in (Path(env["MEDASSIST_DATA_DIR"]) / "logs").glob("*.log*")
    )
    assert "Applying migration" in logs and "wrong password for admin" in logs
    secrets = [*_keyring(env).values(), ADMIN_PW, WORKER_PW, "wrong-password-x", PASSPHRASE]
    for value in secrets:
        assert value not in logs
        assert value.upper() not in logs
