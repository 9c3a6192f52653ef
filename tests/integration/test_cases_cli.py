"""`medassist cases add|list|show` as a script runs them, on a real encrypted database;
a draft survives the app being killed."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from medassist_desktop.services.security import SecurityServices
from tests.conftest import REPO_ROOT, app_environment, venv_script
from tests.support.case_child import COMMITTED
from tests.support.cli import WORKER_PW, init_clinic, with_file_keyring
from tests.support.cli import run_cli as run
from tests.support.keyrings import FileKeyring
from tests.support.security import open_services

pytestmark = pytest.mark.timeout(180)

CLINIC = "clinic-lao-01"

SICK_CHILD: dict[str, Any] = {
    "name": "Phommachanh Noy",
    "patient_id": "LA-7",
    "age_months": 14,
    "vitals": {"respiratory_rate": 58, "temperature_c": 38.6},
    "signs": ["cough", "lethargic"],
    "duration_days": {"cough": 2},
}


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """One clinic set up once for the module: an admin and a health worker."""
    root = tmp_path_factory.mktemp("cases-cli")
    environ = with_file_keyring(app_environment(root / "data"), root)
    environ["CLINIC_ID"] = CLINIC
    init_clinic(environ, worker="hoa")
    return environ


@pytest.fixture
def db(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[SecurityServices]:
    """The same database opened in this process, to check what the CLI wrote."""
    monkeypatch.setenv("MEDASSIST_TEST_KEYRING_FILE", env["MEDASSIST_TEST_KEYRING_FILE"])
    services = open_services(
        Path(env["MEDASSIST_DATA_DIR"]), FileKeyring(), create=False, CLINIC_ID=CLINIC
    )
    yield services
    services.close()


def as_worker(*args: str) -> tuple[str, ...]:
    return (*args, "--as", "hoa")


def test_add_list_show_as_a_health_worker(
    env: dict[str, str], tmp_path: Path, db: SecurityServices
) -> None:
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(SICK_CHILD), encoding="utf-8")
    added = run(env, *as_worker("cases", "add", str(case_file), "--json"), stdin=WORKER_PW + "\n")
    assert added.returncode == 0, added.stderr
    case_id = json.loads(added.stdout)["id"]

    many = [{"name": "Keo Mali", "age_months": 300}, {"name": "Vong Bounmy", "age_months": 40}]
    bulk = run(env, *as_worker("cases", "add", "-"), stdin=WORKER_PW + "\n" + json.dumps(many))
    assert bulk.returncode == 0, bulk.stderr
    bulk_ids = [int(line) for line in bulk.stdout.split()]
    assert len(bulk_ids) == 2 and case_id not in bulk_ids

    listed = run(env, *as_worker("cases", "list", "--json"), stdin=WORKER_PW + "\n")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)["cases"]
    assert [r["id"] for r in rows][:3] == [bulk_ids[1], bulk_ids[0], case_id]
    levels = {r["id"]: r["triage_level"] for r in rows}
    assert levels[case_id] == "emergency" and levels[bulk_ids[0]] == "routine"
    found = run(
        env,
        *as_worker("cases", "list", "--search", "la-7", "--level", "emergency", "--json"),
        stdin=WORKER_PW + "\n",
    )
    assert [r["id"] for r in json.loads(found.stdout)["cases"]] == [case_id]

    shown = run(env, *as_worker("cases", "show", str(case_id), "--json"), stdin=WORKER_PW + "\n")
    assert shown.returncode == 0, shown.stderr
    case = json.loads(shown.stdout)
    assert case["name"] == "Phommachanh Noy" and case["patient_id"] == "LA-7"
    assert case["triage"]["level"] == "emergency"
    assert "imci.pink.cough_with_danger_sign" in [f["rule"] for f in case["triage"]["findings"]]
    assert case["created_by"] == "hoa"
    text = run(env, *as_worker("cases", "show", str(case_id)), stdin=WORKER_PW + "\n")
    assert "EMERGENCY" in text.stdout and "General danger sign" in text.stdout
    assert "not recorded: " in text.stdout  # what the rules could not check

    # Audited like the GUI, and every case queued for the clinic's server.
    audit = db.db.query_all(
        "SELECT actor, action, resource FROM audit_log WHERE action LIKE 'case.%' ORDER BY id"
    )
    actions = [(r[0], r[1], r[2]) for r in audit]
    assert ("hoa", "case.create", f"case:{case_id}") in actions
    assert ("hoa", "case.search", "case:*") in actions
    assert ("hoa", "case.view", f"case:{case_id}") in actions
    queued = db.db.scalar("SELECT COUNT(DISTINCT doc_id) FROM sync_outbox WHERE doc_type = 'case'")
    assert queued == db.db.scalar("SELECT COUNT(*) FROM cases")


def test_refusals_save_nothing(env: dict[str, str], db: SecurityServices) -> None:
    before = db.db.scalar("SELECT COUNT(*) FROM cases")
    one = json.dumps(SICK_CHILD)
    wrong = run(env, *as_worker("cases", "add", "-", "--json"), stdin="000000\n" + one)
    assert wrong.returncode == 1
    assert json.loads(wrong.stdout) == {"error": "Wrong username or password."}

    bad = [SICK_CHILD, {**SICK_CHILD, "vitals": {"spo2": 140}}, {"age_months": 3}]
    refused = run(env, *as_worker("cases", "add", "-"), stdin=WORKER_PW + "\n" + json.dumps(bad))
    assert refused.returncode == 1
    assert "Nothing was saved" in refused.stderr
    assert "case 1: vitals.spo2=140 is not possible" in refused.stderr
    assert "case 2: name is required" in refused.stderr
    assert "Traceback" not in refused.stderr

    missing = run(env, *as_worker("cases", "show", "99999"), stdin=WORKER_PW + "\n")
    assert missing.returncode == 1 and "There is no case 99999" in missing.stderr
    no_user = run(env, "cases", "list", "--as", "nobody", stdin="whatever-1\n")
    assert no_user.returncode == 1
    assert db.db.scalar("SELECT COUNT(*) FROM cases") == before


def test_a_draft_survives_the_app_being_killed(env: dict[str, str], db: SecurityServices) -> None:
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.support.case_child",
            env["MEDASSIST_DATA_DIR"],
            "hoa",
            WORKER_PW,
        ],
        env=env,
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        lines = [child.stdout.readline(), child.stdout.readline()]
        assert lines[0].startswith("SAVED") and lines[1].strip() == "IN_TRANSACTION", (
            lines,
            child.stderr.read() if child.stderr else "",
        )
        child.send_signal(signal.SIGKILL)  # killed inside the next autosave's transaction
    finally:
        child.kill()
        child.communicate(timeout=30)

    # Reopened after the crash (the WAL is recovered): the committed draft is all there.
    db.close()
    from medassist_desktop.services.cases import CaseService
    from tests.support.security import settings_for

    reopened = open_services(
        Path(env["MEDASSIST_DATA_DIR"]), FileKeyring(), create=False, CLINIC_ID=CLINIC
    )
    try:
        assert reopened.check_database()["ok"]
        service = CaseService.from_security(
            reopened, settings_for(Path(env["MEDASSIST_DATA_DIR"])).settings
        )
        session = reopened.accounts.login("hoa", WORKER_PW)
        draft = service.load_draft(session)
        assert draft is not None and draft.form == COMMITTED
    finally:
        reopened.close()


def test_a_batch_killed_midway_saves_nothing_and_a_rerun_saves_each_case_once(
    env: dict[str, str], tmp_path: Path, db: SecurityServices
) -> None:
    import time
    import uuid

    before = db.db.scalar("SELECT COUNT(*) FROM cases")
    batch = [
        {"name": f"Batch patient {n}", "age_months": 12 + n % 600, "uuid": str(uuid.uuid4())}
        for n in range(1500)
    ]
    batch_file = tmp_path / "batch.json"
    batch_file.write_text(json.dumps(batch), encoding="utf-8")
    wal = Path(env["MEDASSIST_DATA_DIR"]) / "medassist.db-wal"
    start_size = wal.stat().st_size if wal.exists() else 0
    # A small page cache makes the open transaction spill into the WAL, which shows from
    # outside that the process is inside the batch's transaction.
    child = subprocess.Popen(
        [venv_script("medassist"), *as_worker("cases", "add", str(batch_file))],
        env={**env, "DB_CACHE_SIZE": "1024"},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdin is not None
        child.stdin.write(WORKER_PW + "\n")
        child.stdin.close()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and child.poll() is None:
            if wal.exists() and wal.stat().st_size > start_size + 2_000_000:
                break
            time.sleep(0.02)
        assert child.poll() is None, "the batch finished before it could be interrupted"
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=30)

    db.close()
    reopened = open_services(
        Path(env["MEDASSIST_DATA_DIR"]), FileKeyring(), create=False, CLINIC_ID=CLINIC
    )
    try:
        assert reopened.db.scalar("SELECT COUNT(*) FROM cases") == before  # all or nothing
    finally:
        reopened.close()

    first = run(env, *as_worker("cases", "add", str(batch_file), "--json"), stdin=WORKER_PW + "\n")
    assert first.returncode == 0, first.stderr
    saved = json.loads(first.stdout)
    assert len(saved["ids"]) == len(batch) and saved["already_saved"] == []
    again = run(env, *as_worker("cases", "add", str(batch_file), "--json"), stdin=WORKER_PW + "\n")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout) == {"ids": saved["ids"], "already_saved": saved["ids"]}
    reopened = open_services(
        Path(env["MEDASSIST_DATA_DIR"]), FileKeyring(), create=False, CLINIC_ID=CLINIC
    )
    try:
        assert reopened.db.scalar("SELECT COUNT(*) FROM cases") == before + len(batch)
    finally:
        reopened.close()
