"""`medassist diagnostics export` on a real clinic: everything support needs, no secret,
no password and no patient name, even when one had slipped into the log."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO_ROOT
from tests.support.cli import run_cli

pytestmark = pytest.mark.timeout(240)

ADMIN_PW = "Admin-password-1"
WORKER_PW = "582913"
PATIENT: dict[str, Any] = {
    "name": "Chanthavong Souksavanh",
    "patient_id": "LA-99812",
    "age_months": 20,
}


def run(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return run_cli(env, *args, stdin=stdin, timeout=180)


def test_the_bundle_has_what_support_needs_and_no_secret(
    app_env: dict[str, str], tmp_path: Path
) -> None:
    env = {
        **app_env,
        "PYTHON_KEYRING_BACKEND": "tests.support.keyrings.FileKeyring",
        "MEDASSIST_TEST_KEYRING_FILE": str(tmp_path / "keyring.json"),
        "PYTHONPATH": str(REPO_ROOT),
    }
    assert run(env, "init", "--admin", "admin", stdin=ADMIN_PW + "\n").returncode == 0
    added = run(env, "users", "add", "hoa", "--as", "admin", stdin=f"{ADMIN_PW}\n{WORKER_PW}\n")
    assert added.returncode == 0, added.stderr
    (tmp_path / "case.json").write_text(json.dumps(PATIENT))
    saved = run(env, "cases", "add", str(tmp_path / "case.json"), "--as", "hoa", stdin=WORKER_PW)
    assert saved.returncode == 0, saved.stderr
    # A password typed into the user-name box, and lines a bug could have written.
    run(env, "cases", "list", "--as", ADMIN_PW, stdin="x\n")
    keyring = json.loads((tmp_path / "keyring.json").read_text())
    db_key_hex = next(v for k, v in keyring.items() if k.endswith("|database-key"))
    log_file = next((Path(env["MEDASSIST_DATA_DIR"]) / "logs").glob("*.log"))
    with log_file.open("a", encoding="utf-8") as log:
        log.write(
            f"debug: opened with x'{db_key_hex}' for {PATIENT['name']} ({PATIENT['patient_id']})\n"
        )
        log.write(f"debug: retry for Souksavanh password={WORKER_PW}\n")

    out = tmp_path / "support" / "diag.zip"
    refused = run(env, "diagnostics", "export", "-o", str(out), "--as", "hoa", stdin=WORKER_PW)
    assert refused.returncode == 1 and "Only a clinic admin" in refused.stderr
    made = run(
        env, "diagnostics", "export", "-o", str(out), "--as", "admin", "--json", stdin=ADMIN_PW
    )
    assert made.returncode == 0, made.stderr
    report = json.loads(made.stdout)
    assert report["bytes"] == out.stat().st_size < 5 * 1024 * 1024
    with zipfile.ZipFile(out) as bundle:
        names = bundle.namelist()
        text = "\n".join(bundle.read(name).decode("utf-8") for name in names)
        health = json.loads(bundle.read("health.json"))
        db_check = json.loads(bundle.read("db_check.json"))
        sync_state = json.loads(bundle.read("sync.json"))
    assert {"settings.json", "hardware.json", "versions.json", "sync.json"} <= set(names)
    assert any(name.startswith("logs/") for name in names)
    assert set(health) == {"liveness", "readiness", "startup"}
    assert db_check["ok"] is True
    assert sync_state["audit_copy"]["state"] == "unchecked"  # sync never ran here
    assert "debug: opened with" in text  # the planted lines are there, scrubbed
    for secret in (
        db_key_hex,
        db_key_hex.upper(),
        PATIENT["name"],
        "Souksavanh",
        PATIENT["patient_id"],
        WORKER_PW,
        ADMIN_PW,
    ):
        assert secret not in text, secret
    audit = run(env, "audit", "export", "--as", "admin", stdin=ADMIN_PW)
    actions = [json.loads(line)["action"] for line in audit.stdout.splitlines()]
    assert "diagnostics.export" in actions


def test_recent_errors_are_read_from_text_and_json_logs(tmp_path: Path) -> None:
    from medassist_desktop.services.diagnostics import recent_errors

    (tmp_path / "medassist.log.1").write_text(
        "2026-12-01 10:00:00.000 | ERROR    | ui | Unexpected error 1a2b3c4d in the GUI\n",
        encoding="utf-8",
    )
    (tmp_path / "medassist.log").write_text(
        "2026-12-02 09:00:00.000 | INFO     | security | admin signed in\n"
        + json.dumps(
            {
                "timestamp": "2026-12-02T09:01:00",
                "level": "ERROR",
                "area": "sync",
                "message": "Unexpected error 9f8e7d6c during sync",
                "extra": {},
            }
        )
        + "\n",
        encoding="utf-8",
    )
    import os

    os.utime(tmp_path / "medassist.log.1", (1, 1))  # older
    found = recent_errors(tmp_path)
    assert [e["error_id"] for e in found] == ["9f8e7d6c", "1a2b3c4d"]
    assert found[0]["message"].startswith("Unexpected error") and found[1]["at"].startswith("2026")
