"""Child processes for the crash and disk tests.

Run as `python -m tests.support.fault_child SCENARIO DB KEYHEX`.

Each prints progress lines the parent waits for, so the parent can SIGKILL it at a
known point (inside an open write transaction, inside a migration).
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import signal
import sys
import time
from pathlib import Path

from medassist_desktop.storage.database import Connection, Database
from medassist_desktop.storage.errors import StorageError
from medassist_desktop.storage.migrations import Migration, migrate

ROWS_PER_BATCH = 20
BASE = Migration(
    1, "records", "CREATE TABLE records (batch INTEGER, n INTEGER, payload BLOB, sha TEXT);"
)


def say(line: str) -> None:
    print(line, flush=True)


def record(batch: int, n: int) -> tuple[int, int, bytes, str]:
    payload = os.urandom(512)
    return batch, n, payload, hashlib.sha256(payload).hexdigest()


def commit_loop(db: Database, *, then_hang: bool) -> None:
    """Commit batches; with `then_hang`, open a large transaction after 10 and wait to be killed."""
    migrate(db, [BASE])
    batch = 0
    while True:
        batch += 1
        if then_hang and batch == 11:
            db.execute("BEGIN IMMEDIATE")
            for n in range(5000):  # far more than the small page cache: spills into the WAL
                db.execute("INSERT INTO records VALUES (?, ?, ?, ?)", record(batch, n))
            say(f"IN_TRANSACTION {batch}")
            time.sleep(600)
        with db.transaction() as conn:
            conn.executemany(
                "INSERT INTO records VALUES (?, ?, ?, ?)",
                [record(batch, n) for n in range(ROWS_PER_BATCH)],
            )
        say(f"COMMITTED {batch}")


def slow_migration(conn: Connection) -> None:
    conn.execute("CREATE TABLE half (x BLOB)")
    conn.executemany("INSERT INTO half VALUES (?)", [(os.urandom(1024),) for _ in range(3000)])
    conn.execute("ALTER TABLE records ADD COLUMN added TEXT")
    say("IN_MIGRATION")
    time.sleep(600)


def disk_full(db: Database, limit: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    try:
        with db.transaction() as conn:
            for n in range(4000):
                conn.execute("INSERT INTO records VALUES (?, ?, ?, ?)", record(999, n))
    except StorageError as exc:
        say(json.dumps({"error": type(exc).__name__, "message": str(exc)}))
        return
    say(json.dumps({"error": None}))


def audit_writer(db: Database, audit_key_hex: str, count: int, go: Path) -> None:
    """Append entries one transaction each, racing another process doing the same."""
    from medassist_desktop.core.security.audit import AuditLog, Outcome
    from medassist_desktop.storage.schema import ALL_MIGRATIONS

    migrate(db, ALL_MIGRATIONS)
    audit = AuditLog(db, bytes.fromhex(audit_key_hex))
    say("READY")
    while not go.exists():  # start together with the other writer
        time.sleep(0.005)
    for n in range(count):
        audit.append(None, "race", f"pid:{os.getpid()}:{n}", Outcome.SUCCESS)
        time.sleep(0.002)  # a pause between writes, as real use has, lets the other in
    say("DONE")


def main() -> None:
    scenario, db_path, key_hex = sys.argv[1:4]
    db = Database.open(Path(db_path), bytes.fromhex(key_hex), create=True, cache_size_kib=1024)
    if scenario == "commit-loop":
        commit_loop(db, then_hang=False)
    elif scenario == "hang-in-transaction":
        commit_loop(db, then_hang=True)
    elif scenario == "hang-in-migration":
        migrate(db, [BASE, Migration(2, "slow", slow_migration)])
    elif scenario == "audit-writer":
        audit_writer(db, sys.argv[4], int(sys.argv[5]), Path(sys.argv[6]))
    elif scenario == "disk-full":
        disk_full(db, int(sys.argv[4]))
    else:
        raise SystemExit(f"unknown scenario {scenario}")


if __name__ == "__main__":
    main()
