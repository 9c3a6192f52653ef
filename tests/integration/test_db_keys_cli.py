"""`medassist db change-passphrase | rotate-key --as ADMIN` on a real encrypted file.

After either, the old key no longer opens the file, the new one does, and the audit
chain still verifies (its key is kept across a passphrase change).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medassist_desktop.core.security.secrets import (
    PASSPHRASE_VAR,
    KdfCost,
    KdfParams,
    begin_passphrase_change,
    kdf_file_for,
)
from medassist_desktop.logging_setup import Redactor
from medassist_desktop.services.security import open_security
from medassist_desktop.storage.database import Database
from medassist_desktop.storage.errors import CannotUnlockError
from tests.support.cli import ADMIN_PW, init_clinic
from tests.support.cli import run_cli as run
from tests.support.security import settings_for

OLD = "mango river lantern thirty bicycle"
NEW = "copper kettle window seventeen harbour"
CLINIC = "clinic-keys-01"


@pytest.fixture
def env(cli_env: dict[str, str]) -> dict[str, str]:
    cli_env["CLINIC_ID"] = CLINIC
    return cli_env


def verified(env: dict[str, str]) -> bool:
    result = run(env, "audit", "verify", "--as", "admin", "--json", stdin=ADMIN_PW + "\n")
    assert result.returncode in (0, 3), result.stderr
    return bool(json.loads(result.stdout)["ok"])


def test_change_passphrase(env: dict[str, str]) -> None:
    env.update(PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", **{PASSPHRASE_VAR: OLD})
    init_clinic(env)
    typo = run(
        env, "db", "change-passphrase", "--as", "admin", stdin=f"{ADMIN_PW}\n{NEW}\n{NEW}x\n"
    )
    assert typo.returncode == 1 and "different" in typo.stderr
    weak = run(
        env,
        "db",
        "change-passphrase",
        "--as",
        "admin",
        stdin=f"{ADMIN_PW}\naaaaaaaaaaaa\naaaaaaaaaaaa\n",
    )
    assert weak.returncode == 1 and "too easy to guess" in weak.stderr
    changed = run(
        env,
        "db",
        "change-passphrase",
        "--as",
        "admin",
        "--json",
        stdin=f"{ADMIN_PW}\n{NEW}\n{NEW}\n",
    )
    assert changed.returncode == 0, changed.stderr
    assert json.loads(changed.stdout)["changed"] is True
    old = run(env, "db", "check")
    assert old.returncode == 1 and "Cannot unlock" in old.stderr
    env[PASSPHRASE_VAR] = NEW
    assert run(env, "db", "check").returncode == 0
    assert verified(env), "the chain's key must survive the change"
    params = json.loads(kdf_file_for(Path(env["MEDASSIST_DATA_DIR"]) / "medassist.db").read_text())
    assert params["memory_cost_kib"] >= 65536 and "audit_key_wrapped" in params


def test_rotate_key_in_the_keyring(env: dict[str, str]) -> None:
    init_clinic(env)
    keyring_file = Path(env["MEDASSIST_TEST_KEYRING_FILE"])
    name = f"MedAssist/{CLINIC}|database-key"
    before = json.loads(keyring_file.read_text())[name]
    rotated = run(env, "db", "rotate-key", "--as", "admin", "--json", stdin=ADMIN_PW + "\n")
    assert rotated.returncode == 0, rotated.stderr
    after = json.loads(keyring_file.read_text())[name]
    assert after != before
    db_path = Path(env["MEDASSIST_DATA_DIR"]) / "medassist.db"
    with pytest.raises(CannotUnlockError):
        Database.open(db_path, bytes.fromhex(before)).close()
    assert run(env, "db", "check").returncode == 0
    assert verified(env)
    export = run(env, "audit", "export", "--as", "admin", stdin=ADMIN_PW + "\n")
    assert '"db.rekey"' in export.stdout


def test_an_interrupted_passphrase_change_finishes_at_the_next_open(tmp_path: Path) -> None:
    """Crash after the file was re-encrypted but before the new parameters were promoted."""
    from keyring.backends import fail

    data = tmp_path / "data"
    cost = KdfCost(time_cost=3, memory_cost_kib=65536, parallelism=1)

    def open_with(phrase: str):  # type: ignore[no-untyped-def]
        return open_security(
            settings_for(data),
            Redactor(),
            {PASSPHRASE_VAR: phrase},
            create=True,
            keyring_backend=fail.Keyring(),
            kdf_cost=cost,
        )

    services = open_with(OLD)
    services.accounts.create_first_admin("admin", ADMIN_PW)
    change = begin_passphrase_change(
        services.db.path, NEW, services.keys.audit_key, clinic_id="c", cost=cost
    )
    services.db.rekey(change.db_key)  # ... and the process dies here
    services.close()
    assert KdfParams.load(kdf_file_for(services.db.path)).salt != change.params.salt

    reopened = open_with(NEW)
    try:
        assert reopened.audit_log.verify().ok
        assert KdfParams.load(kdf_file_for(reopened.db.path)).salt == change.params.salt
    finally:
        reopened.close()
