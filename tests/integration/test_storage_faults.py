"""Faults on a real encrypted file: SIGKILL mid-transaction and mid-migration, disk full,
read-only data folder. Nothing committed is lost; nothing half-written remains."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from medassist_desktop.storage.database import Database
from medassist_desktop.storage.errors import CannotUnlockError, DatabaseReadOnlyError
from medassist_desktop.storage.migrations import Migration, migrate
from tests.conftest import REPO_ROOT, venv_script
from tests.support.fault_child import BASE, ROWS_PER_BATCH

KEY = secrets.token_bytes(32)


def _start(scenario: str, db: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.fault_child", scenario, str(db), KEY.hex(), *extra],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )


def _wait_for(child: subprocess.Popen[str], prefix: str) -> list[str]:
    assert child.stdout is not None
    lines: list[str] = []
    for line in child.stdout:
        lines.append(line.strip())
        if line.startswith(prefix):
            return lines
    raise AssertionError(f"child ended before {prefix!r}: {lines}")


def _kill(child: subprocess.Popen[str]) -> None:
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL


def _check_batches(db: Database) -> dict[int, int]:
    """Every record intact, every batch whole; returns rows per batch."""
    counts: dict[int, int] = {}
    for batch, _n, payload, sha in db.query_all("SELECT batch, n, payload, sha FROM records"):
        assert hashlib.sha256(payload).hexdigest() == sha, "a half-written record"
        counts[batch] = counts.get(batch, 0) + 1
    assert all(count == ROWS_PER_BATCH for count in counts.values()), counts
    return counts


def test_sigkill_inside_a_write_transaction(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    child = _start("hang-in-transaction", path)
    _wait_for(child, "IN_TRANSACTION 11")
    wal = path.with_name("a.db-wal")
    assert wal.stat().st_size > 1_000_000, "the open transaction reached the disk (WAL)"
    _kill(child)
    before = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (path, wal)]
    with pytest.raises(CannotUnlockError):  # a wrong key must not touch the crashed files
        Database.open(path, secrets.token_bytes(32))
    assert [hashlib.sha256(p.read_bytes()).hexdigest() for p in (path, wal)] == before
    with Database.open(path, KEY) as db:
        assert db.integrity_check(full=True) == []
        counts = _check_batches(db)
        assert sorted(counts) == list(range(1, 11)), "all committed, none of the open one"


def test_sigkill_at_a_random_moment_of_a_commit_loop(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    child = _start("commit-loop", path)
    target = random.randint(20, 60)
    lines = _wait_for(child, f"COMMITTED {target}")
    _kill(child)
    last_reported = int(lines[-1].split()[1])
    with Database.open(path, KEY) as db:
        assert db.integrity_check(full=True) == []
        counts = _check_batches(db)
    assert sorted(counts) == list(range(1, max(counts) + 1))
    assert max(counts) >= last_reported


def test_sigkill_inside_a_migration(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    child = _start("hang-in-migration", path)
    _wait_for(child, "IN_MIGRATION")
    _kill(child)
    with Database.open(path, KEY) as db:
        assert db.user_version == 1
        tables = {r[0] for r in db.query_all("SELECT name FROM sqlite_master")}
        assert "half" not in tables
        columns = {r[1] for r in db.query_all("PRAGMA table_info(records)")}
        assert "added" not in columns
        assert db.integrity_check(full=True) == []
        quick = Migration(2, "slow", "CREATE TABLE half (x BLOB);")
        assert migrate(db, [BASE, quick]) == [2]  # the next start simply runs it again
        assert db.user_version == 2


def test_two_processes_appending_to_the_audit_chain_keep_it_intact(tmp_path: Path) -> None:
    from medassist_desktop.core.security.audit import AuditLog
    from medassist_desktop.storage.schema import ALL_MIGRATIONS

    path = tmp_path / "a.db"
    audit_key = secrets.token_bytes(32)
    with Database.open(path, KEY, create=True) as db:
        migrate(db, ALL_MIGRATIONS)
    go = tmp_path / "go"
    writers = [_start("audit-writer", path, audit_key.hex(), "300", str(go)) for _ in range(2)]
    for writer in writers:
        _wait_for(writer, "READY")
    go.touch()
    for writer in writers:
        out, _ = writer.communicate(timeout=120)
        assert writer.returncode == 0 and out.strip().endswith("DONE"), out
    with Database.open(path, KEY) as db:
        result = AuditLog(db, audit_key).verify()
        assert result.ok and result.entries_checked == 600, result
        order = [r[0].split(":")[1] for r in db.query_all("SELECT resource FROM audit_log")]
    switches = sum(a != b for a, b in itertools.pairwise(order))
    assert len(set(order)) == 2 and switches > 2, "the writers did interleave"


def test_disk_full_is_a_clear_error_and_corrupts_nothing(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    with Database.open(path, KEY, create=True) as db:
        migrate(db, [BASE])
        with db.transaction() as conn:
            conn.execute(
                "INSERT INTO records VALUES (1, 0, x'00', ?)", (hashlib.sha256(b"\0").hexdigest(),)
            )
    limit = path.stat().st_size + 256 * 1024
    child = _start("disk-full", path, str(limit))
    out, _ = child.communicate(timeout=120)
    assert child.returncode == 0, out
    report = json.loads(out.strip().splitlines()[-1])
    assert report["error"] == "DiskFullError", report
    assert (
        "disk is full" in report["message"] and "Nothing from this operation" in report["message"]
    )
    with Database.open(path, KEY) as db:
        assert db.integrity_check(full=True) == []
        assert [tuple(r) for r in db.query_all("SELECT batch FROM records")] == [(1,)]


def _read_only_command(folder: Path) -> list[str] | None:
    """A prefix that runs a command with `folder` read-only, or None when we cannot."""
    if os.geteuid() != 0:
        return []  # chmod is enough for an ordinary user
    unshare = shutil.which("unshare")
    if unshare is None:
        return None
    probe = subprocess.run(
        [
            unshare,
            "-m",
            "sh",
            "-c",
            f"mount --bind '{folder}' '{folder}' && mount -o remount,bind,ro '{folder}'",
        ],
        capture_output=True,
        check=False,
    )
    if probe.returncode != 0:
        return None
    return [
        unshare,
        "-m",
        "sh",
        "-c",
        f"mount --bind '{folder}' '{folder}' && mount -o remount,bind,ro '{folder}' && exec \"$@\"",
        "sh",
    ]


def test_read_only_data_folder(tmp_path: Path, app_env: dict[str, str]) -> None:
    data = Path(app_env["MEDASSIST_DATA_DIR"])
    data.mkdir(parents=True)
    path = data / "medassist.db"
    with Database.open(path, KEY, create=True) as db:
        migrate(db, [BASE])
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    prefix = _read_only_command(data)
    if prefix is None:
        pytest.skip("cannot make a folder read-only here (root without mount namespaces)")
    if os.geteuid() != 0:
        data.chmod(0o555)
    try:
        code = (
            "import sys; from pathlib import Path\n"
            "from medassist_desktop.storage.database import Database\n"
            "from medassist_desktop.storage.errors import StorageError\n"
            "try:\n"
            f"    db = Database.open(Path({str(path)!r}), bytes.fromhex({KEY.hex()!r}))\n"
            "    db.execute('INSERT INTO records VALUES (1, 1, x\\'00\\', \\'\\')')\n"
            "except StorageError as exc:\n"
            "    print(type(exc).__name__, exc)\n"
        )
        direct = subprocess.run(
            [*prefix, sys.executable, "-c", code],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert direct.stdout.startswith(DatabaseReadOnlyError.__name__), direct
        assert "cannot be written" in direct.stdout or "read-only" in direct.stdout
        cli = subprocess.run(
            [*prefix, venv_script("medassist"), "db", "check"],
            env=app_env,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert cli.returncode == 1, cli
        assert "Cannot write to the folder" in cli.stderr and "Traceback" not in cli.stderr
    finally:
        data.chmod(0o755)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
