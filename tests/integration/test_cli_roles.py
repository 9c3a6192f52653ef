"""The command line is no way around roles and the audit trail.

Every command that changes the clinic's set-up (sync, cloud, models, knowledge vectors)
needs `--as ADMIN`; a health worker gets "permission denied", a `denied` audit entry,
and nothing changes. Commands that answer questions need `--as USER` (any role). A user
an admin gave a temporary password can do nothing but choose their own.
Real encrypted database, real CLI subprocesses, the file keyring of the tests.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medassist_desktop.core.security.clinic_secrets import CLOUD_API_KEY, SYNC_PASSWORD
from medassist_desktop.core.security.secrets import SecretStore
from tests.support.cli import ADMIN_PW, WORKER_PW, init_clinic
from tests.support.cli import run_cli as run
from tests.support.keyrings import FileKeyring

CLINIC = "clinic-roles-01"


@pytest.fixture
def env(cli_env: dict[str, str]) -> dict[str, str]:
    cli_env["CLINIC_ID"] = CLINIC
    init_clinic(cli_env, worker="hoa")
    return cli_env


def audit_entries(env: dict[str, str]) -> list[tuple[str, str, str]]:
    result = run(env, "audit", "export", "--as", "admin", stdin=ADMIN_PW + "\n")
    assert result.returncode == 0, result.stderr
    entries = [json.loads(line) for line in result.stdout.splitlines()]
    return [(e["actor"], e["action"], e["outcome"]) for e in entries]


def config_file(env: dict[str, str]) -> Path:
    return Path(env["MEDASSIST_DATA_DIR"]) / "config" / "config.json"


ADMIN_COMMANDS = [
    (
        ["sync", "configure", "--url", "https://evil.example.org", "--db", "x", "--user", "u"],
        "settings.sync",
    ),
    (["sync", "run"], "sync.run"),
    (
        ["cloud", "configure", "--url", "https://evil.example.org/v1", "--model", "m"],
        "settings.cloud",
    ),
    (["models", "use", "gemma3-270m-q4_k_m"], "model.use"),
    (["models", "verify"], "model.verify"),
    (["models", "import", "/nonexistent/model.gguf"], "model.import"),
    (["kb", "reembed"], "kb.reembed"),
]


def test_a_health_worker_is_refused_every_admin_command_and_it_is_audited(
    env: dict[str, str],
) -> None:
    for args, action in ADMIN_COMMANDS:
        result = run(env, *args, "--as", "hoa", stdin=f"{WORKER_PW}\nsecret-they-typed\n")
        assert result.returncode == 1, (args, result.stderr)
        assert "Permission denied" in result.stderr and action in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    assert not config_file(env).exists(), "a refused command changed the settings"
    store = SecretStore(CLINIC, FileKeyring())
    assert store.get(SYNC_PASSWORD) is None and store.get(CLOUD_API_KEY) is None
    entries = audit_entries(env)
    for _args, action in ADMIN_COMMANDS:
        assert ("hoa", action, "denied") in entries, action


def test_admin_commands_need_the_admin_signed_in(env: dict[str, str]) -> None:
    missing = run(
        env, "sync", "configure", "--url", "https://s.example.org", "--db", "d", "--user", "u"
    )
    assert missing.returncode == 2 and "--as" in missing.stderr  # a usage error: no --as
    wrong = run(
        env,
        "cloud",
        "configure",
        "--url",
        "https://llm.example.org/v1",
        "--model",
        "m",
        "--as",
        "admin",
        stdin="not-the-password\nsk-key\n",
    )
    assert wrong.returncode == 1 and "Wrong username or password" in wrong.stderr
    assert not config_file(env).exists()
    assert ("admin", "auth.login", "failure") in audit_entries(env)


def test_admin_configures_sync_and_cloud_audited(env: dict[str, str]) -> None:
    synced = run(
        env,
        "sync",
        "configure",
        "--url",
        "https://sync.example.org",
        "--db",
        "clinic",
        "--user",
        "clinic-01",
        "--json",
        "--as",
        "admin",
        stdin=f"{ADMIN_PW}\nsync-secret-123\n",
    )
    assert synced.returncode == 0, synced.stderr
    assert json.loads(synced.stdout)["url"] == "https://sync.example.org"
    cloud = run(
        env,
        "cloud",
        "configure",
        "--url",
        "https://llm.example.org/v1",
        "--model",
        "m",
        "--disable",
        "--as",
        "admin",
        stdin=f"{ADMIN_PW}\n\n",
    )
    assert cloud.returncode == 0, cloud.stderr
    store = SecretStore(CLINIC, FileKeyring())
    assert store.get(SYNC_PASSWORD) == "sync-secret-123" and store.get(CLOUD_API_KEY) is None
    entries = audit_entries(env)
    assert ("admin", "settings.sync", "success") in entries
    assert ("admin", "settings.cloud", "success") in entries


def test_question_commands_need_a_signed_in_user(env: dict[str, str]) -> None:
    for args in (["generate", "hi"], ["ask", "What is ORS?"]):
        no_user = run(env, *args)
        assert no_user.returncode == 2 and "--as" in no_user.stderr
        wrong = run(env, *args, "--as", "hoa", stdin="000000-wrong\n")
        assert wrong.returncode == 1 and "Wrong username or password" in wrong.stderr


def test_a_reset_password_must_be_changed_before_anything_else(env: dict[str, str]) -> None:
    reset = run(
        env, "users", "reset-password", "hoa", "--as", "admin", stdin=f"{ADMIN_PW}\ntemp-pass-77\n"
    )
    assert reset.returncode == 0, reset.stderr
    listed = run(env, "cases", "list", "--as", "hoa", stdin="temp-pass-77\n")
    assert listed.returncode == 1 and "new password" in listed.stderr
    changed = run(
        env, "users", "change-password", "--as", "hoa", stdin="temp-pass-77\nmy-own-pass-88\n"
    )
    assert changed.returncode == 0, changed.stderr
    listed = run(env, "cases", "list", "--as", "hoa", "--json", stdin="my-own-pass-88\n")
    assert listed.returncode == 0, listed.stderr
    entries = audit_entries(env)
    assert ("hoa", "case.search", "denied") in entries
    assert ("hoa", "user.change_password", "success") in entries


def test_clinic_policy_in_the_database_wins_over_environment_and_file(
    env: dict[str, str],
) -> None:
    """A local user cannot raise their own lockout limit or redirect sync by environment."""
    saved = run(
        env,
        "users",
        "policy",
        "--max-login-attempts",
        "3",
        "--as",
        "admin",
        "--json",
        stdin=ADMIN_PW + "\n",
    )
    assert saved.returncode == 0, saved.stderr
    assert json.loads(saved.stdout)["max_login_attempts"] == 3
    refused = run(
        env, "users", "policy", "--max-login-attempts", "9", "--as", "hoa", stdin=WORKER_PW + "\n"
    )
    assert refused.returncode == 1 and "Permission denied" in refused.stderr
    synced = run(
        env,
        *("sync", "configure", "--url", "https://sync.example.org", "--db", "clinic"),
        *("--user", "clinic-01", "--disable", "--as", "admin"),
        stdin=f"{ADMIN_PW}\nsync-secret-123\n",
    )
    assert synced.returncode == 0, synced.stderr

    local = {
        **env,
        "MAX_LOGIN_ATTEMPTS": "100",
        "SYNC_URL": "https://attacker.example.org",
        "SYNC_ENABLED": "true",
    }
    config_file(env).write_text(json.dumps({"max_login_attempts": 50, "sync_db": "mine"}))
    status = run(local, "sync", "status", "--json")
    assert status.returncode == 0, status.stderr
    report = json.loads(status.stdout)
    assert (report["url"], report["db"], report["enabled"]) == (
        "https://sync.example.org",
        "clinic",
        False,
    )
    for _ in range(3):
        wrong = run(local, "cases", "list", "--as", "hoa", stdin="000000-wrong\n")
        assert wrong.returncode == 1
    locked = run(local, "cases", "list", "--as", "hoa", stdin=WORKER_PW + "\n")
    assert locked.returncode == 1 and "locked" in locked.stderr  # 3, not 100 or 50

    entries = audit_entries(env)
    assert ("admin", "settings.policy", "success") in entries
    assert ("hoa", "settings.read", "denied") in entries
