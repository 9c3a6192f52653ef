"""`medassist sync configure | run | status` as an admin or a script runs them, app killed too.

The outbox is in the app's encrypted database; the keyring is a real backend class of
ours persisted to a file (a subprocess cannot share memory), selected the standard
way (PYTHON_KEYRING_BACKEND), or no keyring at all (the fail backend).
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from medassist_desktop.config.settings_upgrades import SETTINGS_VERSION
from medassist_desktop.core.security.clinic_secrets import CLOUD_API_KEY, SYNC_PASSWORD
from medassist_desktop.core.security.secrets import PASSPHRASE_VAR, SecretStore
from medassist_desktop.core.sync.outbox import enqueue_change
from medassist_desktop.core.sync.shared import CASE, doc_id
from medassist_desktop.services.cases import CaseService
from tests.conftest import venv_script
from tests.integration.sync.conftest import assert_server_has_exactly
from tests.servers import ADMIN_PASSWORD, ADMIN_USER, FaultProxy, PouchServer, Seen
from tests.support.cli import ADMIN_PW, init_clinic
from tests.support.cli import run_cli as medassist
from tests.support.keyrings import FileKeyring
from tests.support.security import open_services

pytestmark = pytest.mark.timeout(180)

CLINIC = "kh-battambang-01"
NO_KEYRING = "keyring.backends.fail.Keyring"
CASES = f"case:{CLINIC}:"


@pytest.fixture
def cli_env(cli_env: dict[str, str]) -> dict[str, str]:
    cli_env["CLINIC_ID"] = CLINIC
    return cli_env


@pytest.fixture
def admin_env(cli_env: dict[str, str]) -> dict[str, str]:
    """`cli_env` after `medassist init` (keyring-protected database, admin signed up)."""
    init_clinic(cli_env)
    return cli_env


def pending(env: dict[str, str]) -> int:
    status = medassist(env, "sync", "status", "--json")
    assert status.returncode == 0, status.stderr
    return int(json.loads(status.stdout)["pending"])


def as_admin(*args: str) -> tuple[str, ...]:
    return (*args, "--as", "admin")


def keyring_secret(name: str) -> str | None:
    return SecretStore(CLINIC, FileKeyring()).get(name)


def configure(env: dict[str, str], url: str, db: str) -> dict[str, Any]:
    result = medassist(
        env,
        "sync",
        "configure",
        "--url",
        url,
        "--db",
        db,
        "--user",
        ADMIN_USER,
        "--json",
        "--as",
        "admin",
        stdin=f"{ADMIN_PW}\n{ADMIN_PASSWORD}\n",
    )
    assert result.returncode == 0, result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def enqueue(env: dict[str, str], count: int) -> dict[str, str]:
    """Queue cases in the app's database (created here if new), as the app's writes would."""
    services = open_services(Path(env["MEDASSIST_DATA_DIR"]), FileKeyring(), CLINIC_ID=CLINIC)
    revs: dict[str, str] = {}
    try:
        with services.db.transaction() as conn:
            for i in range(count):
                entry = enqueue_change(conn, f"case:{CLINIC}:{i:05d}", "case", {"n": i})
                assert entry is not None
                revs[entry.doc_id] = entry.rev
    finally:
        services.close()
    return revs


@pytest.fixture
def pouch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PouchServer]:
    with PouchServer(tmp_path_factory.mktemp("pouch-cli")) as server:
        server.create_db("clinic")
        yield server


def test_configure_keeps_the_password_out_of_settings(
    admin_env: dict[str, str], pouch: PouchServer
) -> None:
    report = configure(admin_env, pouch.url + "/", "clinic")
    assert report["url"] == pouch.url and report["enabled"] is True
    assert report["password_stored_in"] == f"keyring service MedAssist/{CLINIC}"
    settings_file = Path(report["settings_file"])
    saved = json.loads(settings_file.read_text())
    assert saved == {
        "sync_db": "clinic",
        "sync_enabled": True,
        "sync_url": pouch.url,
        "sync_user": ADMIN_USER,
        "settings_version": SETTINGS_VERSION,
    }
    assert ADMIN_PASSWORD not in settings_file.read_text()
    assert keyring_secret(SYNC_PASSWORD) == ADMIN_PASSWORD
    log_dir = Path(admin_env["MEDASSIST_DATA_DIR"]) / "logs"
    for log in log_dir.glob("*"):
        assert ADMIN_PASSWORD not in log.read_text(errors="replace")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://sync.example.org", "plain http:// is refused"),
        ("https://admin:pw@sync.example.org", "must not contain a user name or password"),
    ],
)
def test_configure_refuses_unsafe_urls(admin_env: dict[str, str], url: str, expected: str) -> None:
    result = medassist(
        admin_env,
        *as_admin("sync", "configure", "--url", url, "--db", "clinic", "--user", "u"),
        stdin=f"{ADMIN_PW}\npw\n",
    )
    assert result.returncode == 1
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_configure_before_init_is_a_clear_error(
    cli_env: dict[str, str],
) -> None:
    cli_env["PYTHON_KEYRING_BACKEND"] = NO_KEYRING
    result = medassist(
        cli_env,
        "sync",
        "configure",
        "--url",
        "https://sync.example.org",
        "--db",
        "clinic",
        "--user",
        "u",
        "--as",
        "admin",
        stdin=f"{ADMIN_PW}\npw\n",
    )
    assert result.returncode == 1
    assert "Run `medassist init`" in result.stderr  # the admin who signs for it must exist
    config_file = Path(cli_env["MEDASSIST_DATA_DIR"]) / "config" / "config.json"
    assert not config_file.exists(), "nothing may be saved without the password"


def test_without_a_keyring_the_secrets_live_in_the_encrypted_database(
    cli_env: dict[str, str], pouch: PouchServer
) -> None:
    cli_env.update(
        PYTHON_KEYRING_BACKEND=NO_KEYRING, **{PASSPHRASE_VAR: "a long clinic passphrase"}
    )
    assert init_clinic(cli_env)["key_source"] == "passphrase"

    report = configure(cli_env, pouch.url, "clinic")
    db_path = Path(cli_env["MEDASSIST_DATA_DIR"]) / "medassist.db"
    assert report["password_stored_in"] == f"the encrypted database {db_path}"
    cloud = medassist(
        cli_env,
        "cloud",
        "configure",
        "--url",
        "https://llm.example.org/v1",
        "--model",
        "m",
        "--json",
        "--as",
        "admin",
        stdin=f"{ADMIN_PW}\nsk-test-in-the-database\n",
    )
    assert cloud.returncode == 0, cloud.stderr
    assert json.loads(cloud.stdout)["api_key_stored_in"] == f"the encrypted database {db_path}"

    # The password read back from the database authenticates against the real server.
    result = medassist(cli_env, *as_admin("sync", "run", "--json"), stdin=ADMIN_PW + "\n")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["state"] == "idle"
    on_disk = b"".join(p.read_bytes() for p in db_path.parent.glob("medassist.db*"))
    settings_text = Path(report["settings_file"]).read_text()
    for secret in (ADMIN_PASSWORD, "sk-test-in-the-database"):
        assert secret.encode() not in on_disk and secret not in settings_text
    assert not Path(cli_env["MEDASSIST_TEST_KEYRING_FILE"]).exists()


def test_run_and_status(admin_env: dict[str, str], pouch: PouchServer) -> None:
    result = medassist(admin_env, *as_admin("sync", "run", "--json"), stdin=ADMIN_PW + "\n")
    assert result.returncode == 1 and "Sync is switched off" in result.stderr

    configure(admin_env, pouch.url, "clinic")
    audit_pending = pending(admin_env)  # the audit entries of init and configure
    expected = enqueue(admin_env, 30)
    status = json.loads(medassist(admin_env, "sync", "status", "--json").stdout)
    assert (status["state"], status["pending"], status["last_success_at"]) == (
        "idle",
        30 + audit_pending,
        None,
    )

    result = medassist(admin_env, *as_admin("sync", "run", "--json"), stdin=ADMIN_PW + "\n")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (
        report["state"],
        report["pushed"],
        report["pulled"],
        report["skipped"],
        report["conflicts"],
        report["pending"],
    ) == ("idle", 30 + audit_pending + 1, 0, 0, 0, 0)  # + this run's sign-in entry
    assert_server_has_exactly(pouch, "clinic", expected, prefix=CASES)

    status = json.loads(medassist(admin_env, "sync", "status", "--json").stdout)
    assert status["state"] == "idle" and status["pending"] == 2  # the run's own audit entries
    assert status["last_success_at"] is not None and status["circuit"] == "closed"

    text = medassist(admin_env, "sync", "status")
    assert "last success:" in text.stdout and "pending 2" in text.stdout


def test_run_reports_offline_with_exit_1(admin_env: dict[str, str], pouch: PouchServer) -> None:
    configure(admin_env, pouch.url, "clinic")
    enqueue(admin_env, 3)
    before = pending(admin_env)
    pouch.kill()
    result = medassist(admin_env, *as_admin("sync", "run", "--json"), stdin=ADMIN_PW + "\n")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["state"] == "offline" and report["pending"] == before + 1  # + the sign-in
    assert "not reachable" in result.stderr


def test_app_killed_mid_sync_resumes(admin_env: dict[str, str], pouch: PouchServer) -> None:
    expected = enqueue(admin_env, 250)

    def hang_third_batch(seen: Seen, count: int) -> Any:
        return "hang" if "_bulk_docs" in seen.path and count == 3 else "forward"

    with FaultProxy(pouch.url, rule=hang_third_batch) as proxy:
        configure(admin_env, proxy.url, "clinic")
        total = pending(admin_env) + 1  # + the sign-in entry of the run about to die
        child = subprocess.Popen(
            [venv_script("medassist"), *as_admin("sync", "run", "--batch-size", "50", "--json")],
            env=admin_env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert child.stdin is not None
        child.stdin.write(f"{ADMIN_PW}\n".encode())
        child.stdin.flush()  # one line: the process reads it and goes on
        deadline = time.monotonic() + 60
        while proxy.counts.get("_bulk_docs", 0) < 3 and time.monotonic() < deadline:
            assert child.poll() is None, child.communicate()
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)  # the app dies in the middle of batch 3
        child.communicate(timeout=30)
        proxy.release.set()  # the hung request is dropped without reaching the server
        proxy.rule = lambda _seen, _count: "forward"
        first_pushed = set(pouch.all_docs("clinic"))
        assert len(first_pushed) == 100

        seen_before = len(proxy.seen)
        result = medassist(
            admin_env,
            *as_admin("sync", "run", "--batch-size", "50", "--json"),
            stdin=ADMIN_PW + "\n",
        )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    rest = total + 1 - 100  # + this run's sign-in entry
    assert (report["pushed"], report["skipped"], report["pending"]) == (rest, 0, 0)
    resent = [
        d["_id"]
        for s in proxy.seen[seen_before:]
        if "_bulk_docs" in s.path
        for d in json.loads(s.body)["docs"]
    ]
    assert len(resent) == rest and not set(resent) & first_pushed
    assert_server_has_exactly(pouch, "clinic", expected, prefix=CASES)


def test_cloud_configure_keeps_the_key_in_the_keyring(admin_env: dict[str, str]) -> None:
    result = medassist(
        admin_env,
        "cloud",
        "configure",
        "--url",
        "https://llm.example.org/v1",
        "--model",
        "medgemma-27b",
        "--json",
        "--as",
        "admin",
        stdin=f"{ADMIN_PW}\nsk-test-1234567890abcdef\n",
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["enabled"] is True and report["api_key_stored"] is True
    text = Path(report["settings_file"]).read_text()
    assert "sk-test" not in text
    assert json.loads(text)["cloud_model"] == "medgemma-27b"
    assert keyring_secret(CLOUD_API_KEY) == "sk-test-1234567890abcdef"
    refused = medassist(
        admin_env,
        "cloud",
        "configure",
        "--url",
        "http://llm.example.org/v1",
        "--model",
        "m",
        "--as",
        "admin",
        stdin=f"{ADMIN_PW}\n\n",
    )
    assert refused.returncode == 1 and "plain http:// is refused" in refused.stderr


def test_conflicts_are_listed_and_resolved_from_the_command_line(
    admin_env: dict[str, str], pouch: PouchServer, db_name: str
) -> None:
    configure(admin_env, pouch.url, db_name)
    child = {"name": "Sok Dara", "age_months": 30, "sex": "male"}
    services = open_services(Path(admin_env["MEDASSIST_DATA_DIR"]), FileKeyring(), CLINIC_ID=CLINIC)
    try:
        cases = CaseService(
            services.db, services.account_store, services.audit_log, clinic_id=CLINIC
        )
        admin = services.accounts.login("admin", ADMIN_PW)
        case = cases.create_case(admin, child)
    finally:
        services.close()
    assert medassist(admin_env, *as_admin("sync", "run"), stdin=ADMIN_PW + "\n").returncode == 0
    shared_id = doc_id(CASE, CLINIC, case.uid)
    on_server = pouch.get(db_name, shared_id)
    on_server["details"]["age_months"] = 36
    theirs = pouch.put(db_name, on_server)
    services = open_services(Path(admin_env["MEDASSIST_DATA_DIR"]), FileKeyring(), CLINIC_ID=CLINIC)
    try:
        cases = CaseService(
            services.db, services.account_store, services.audit_log, clinic_id=CLINIC
        )
        admin = services.accounts.login("admin", ADMIN_PW)
        cases.update_case(admin, case.id, {**child, "age_months": 31})
    finally:
        services.close()
    run = medassist(admin_env, *as_admin("sync", "run", "--json"), stdin=ADMIN_PW + "\n")
    assert json.loads(run.stdout)["conflicts"] == 1

    listed = medassist(admin_env, *as_admin("sync", "conflicts", "--json"), stdin=ADMIN_PW + "\n")
    assert listed.returncode == 0, listed.stderr
    [conflict] = json.loads(listed.stdout)["conflicts"]
    assert (conflict["doc_id"], conflict["remote_rev"]) == (shared_id, theirs)
    ages = {f["field"]: f for f in conflict["fields"]}["details.age_months"]
    assert (ages["local"], ages["server"], ages["differs"]) == ("31", "36", True)
    text = medassist(admin_env, *as_admin("sync", "conflicts"), stdin=ADMIN_PW + "\n")
    assert "details.age_months: here 31, server 36" in text.stdout

    wrong = medassist(
        admin_env,
        *as_admin("sync", "resolve", "case:nope:1", "--keep", "local"),
        stdin=ADMIN_PW + "\n",
    )
    assert wrong.returncode == 1 and "no open sync conflict" in wrong.stderr
    resolved = medassist(
        admin_env,
        *as_admin("sync", "resolve", shared_id, "--keep", "local", "--json"),
        stdin=ADMIN_PW + "\n",
    )
    assert resolved.returncode == 0, resolved.stderr
    assert json.loads(resolved.stdout)["keep"] == "local"
    assert pouch.get(db_name, shared_id)["details"]["age_months"] == 31
    listed = medassist(admin_env, *as_admin("sync", "conflicts", "--json"), stdin=ADMIN_PW + "\n")
    assert json.loads(listed.stdout)["conflicts"] == []
    audit = medassist(admin_env, *as_admin("audit", "export", "--json"), stdin=ADMIN_PW + "\n")
    assert "sync.conflict.resolve" in audit.stdout


def test_an_audit_entry_changed_on_the_server_shows_in_status_and_health(
    admin_env: dict[str, str], pouch: PouchServer
) -> None:
    configure(admin_env, pouch.url, "clinic")
    result = medassist(admin_env, *as_admin("sync", "run", "--json"), stdin=ADMIN_PW + "\n")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["audit_copy"] == "matches"
    status = json.loads(medassist(admin_env, "sync", "status", "--json").stdout)
    assert status["audit_copy"]["state"] == "matches"
    assert status["audit_copy"]["verified_through"] >= 3  # genesis, admin, configure...

    audit_ids = sorted(
        (doc_id for doc_id in pouch.all_docs("clinic") if doc_id.startswith("audit:")),
        key=lambda doc_id: int(doc_id.rsplit(".", 1)[1]),
    )
    changed = pouch.get("clinic", audit_ids[1])
    pouch.put("clinic", {**changed, "outcome": "failure"})
    entry = int(audit_ids[1].rsplit(".", 1)[1])

    result = medassist(admin_env, *as_admin("sync", "run", "--json"), stdin=ADMIN_PW + "\n")
    assert result.returncode == 0, result.stderr  # the sync itself worked
    report = json.loads(result.stdout)
    assert (report["audit_copy"], report["audit_first_bad_id"]) == ("gap", entry)
    assert f"audit: audit entry {entry} differs on the sync server" in result.stderr
    status = json.loads(medassist(admin_env, "sync", "status", "--json").stdout)
    assert status["audit_copy"]["state"] == "gap"
    assert status["audit_copy"]["first_bad_id"] == entry
    assert "audit copy on the server:" in medassist(admin_env, "sync", "status").stdout

    health = medassist(admin_env, "health", "--json", "--probe", "readiness")
    assert health.returncode == 1, health.stderr  # degraded
    checks = {c["name"]: c for c in json.loads(health.stdout)["checks"]}
    capabilities = checks["capabilities"]
    assert capabilities["status"] == "degraded"
    assert f"audit entry {entry}" in capabilities["details"]["capabilities"]["audit"]


PATIENT_NAME, PATIENT_ID = "Sokha Chanthy", "KH-PT-40917"
PATIENT = {"name": PATIENT_NAME, "patient_id": PATIENT_ID, "age_months": 20}
QUESTION = "write me a limerick about Sokha Chanthy's pancakes"


def metrics_docs(pouch: PouchServer) -> dict[str, dict[str, Any]]:
    return {
        doc_id: pouch.get("clinic", doc_id)
        for doc_id in pouch.all_docs("clinic")
        if doc_id.startswith(f"metrics:{CLINIC}:")
    }


def test_the_daily_metrics_document_has_counts_and_no_patient_data(
    admin_env: dict[str, str], pouch: PouchServer, tmp_path: Path
) -> None:
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(PATIENT))
    added = medassist(admin_env, *as_admin("cases", "add", str(case_file)), stdin=ADMIN_PW + "\n")
    assert added.returncode == 0, added.stderr
    asked = medassist(
        admin_env, *as_admin("ask", QUESTION, "--keyword-only", "--json"), stdin=ADMIN_PW + "\n"
    )
    assert asked.returncode == 0, asked.stderr
    configure(admin_env, pouch.url, "clinic")

    result = medassist(admin_env, *as_admin("sync", "run", "--json"), stdin=ADMIN_PW + "\n")
    assert result.returncode == 0, result.stderr
    assert metrics_docs(pouch) == {}  # off by default

    admin_env["SYNC_METRICS_DAILY"] = "true"
    result = medassist(admin_env, *as_admin("sync", "run", "--json"), stdin=ADMIN_PW + "\n")
    assert result.returncode == 0, result.stderr
    docs = metrics_docs(pouch)
    assert len(docs) == 1
    doc_id, doc = next(iter(docs.items()))
    assert doc_id == f"metrics:{CLINIC}:{doc['node']}.{doc['day']}"
    assert doc["type"] == "metrics" and doc["clinic"] == CLINIC
    assert doc["activity"]["case.create"] == {"success": 1}
    assert doc["consults"]["total"] == 1 and doc["consults"]["by_engine"] == {"rules": 1}
    assert doc["consults"]["latency_ms"]["count"] == 1
    assert doc["totals"]["cases"] == 1 and doc["totals"]["users"] == 1
    assert doc["versions"]["app"] and doc["versions"]["schema"] > 0
    assert doc["sync"]["audit_copy"] == "matches" and doc["capabilities"] == {}

    text = json.dumps(doc, ensure_ascii=False).lower()
    for secret in (
        *PATIENT_NAME.lower().split(),
        PATIENT_ID.lower(),
        "limerick",
        "pancakes",
        ADMIN_PASSWORD.lower(),
    ):
        assert secret not in text, secret

    # The next sync updates the same document (its counts moved: a sign-in, a sync).
    first_rev = doc["_rev"]
    result = medassist(admin_env, *as_admin("sync", "run", "--json"), stdin=ADMIN_PW + "\n")
    assert result.returncode == 0, result.stderr
    again = metrics_docs(pouch)
    assert list(again) == [doc_id]
    assert int(again[doc_id]["_rev"].split("-")[0]) > int(first_rev.split("-")[0])
    assert again[doc_id]["activity"]["sync.run"]["success"] > doc["activity"]["sync.run"]["success"]
    assert pouch.leaf_revs("clinic", doc_id) == [again[doc_id]["_rev"]]  # one branch
