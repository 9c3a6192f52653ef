"""Parallel sign-ins cannot slip past the lockout, and typed names never reach the record.

24 sign-ins race on one account (each thread with its own connection to the real
encrypted file, Argon2 releasing the GIL while it hashes): at most the allowed number of
passwords may be checked before the lock, whatever the order.
"""

from __future__ import annotations

import json
import secrets
import threading
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from medassist_desktop.core.security.accounts import AccountStore, Role
from medassist_desktop.core.security.audit import AuditLog
from medassist_desktop.core.security.errors import AuthError
from medassist_desktop.storage.database import Database
from medassist_desktop.storage.migrations import migrate
from medassist_desktop.storage.schema import ALL_MIGRATIONS

KEY = secrets.token_bytes(32)
AUDIT_KEY = secrets.token_bytes(32)
RIGHT = "the-right-password-1"
LIMIT = 5
# Slow enough (a few ms per check) that unreserved attempts would all overlap.
HASHER = PasswordHasher(time_cost=2, memory_cost=4096, parallelism=1)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "race.db"
    with Database.open(path, KEY, create=True) as db:
        migrate(db, ALL_MIGRATIONS)
        audit = AuditLog(db, AUDIT_KEY)
        audit.write_genesis()
        AccountStore(db, audit, hasher=HASHER).create("hoa", RIGHT, Role.HEALTH_WORKER)
    return path


def sign_in_in_parallel(db_path: Path, passwords: list[str]) -> list[str]:
    barrier = threading.Barrier(len(passwords))
    outcomes: list[str] = [""] * len(passwords)

    def attempt(index: int, password: str) -> None:
        with Database.open(db_path, KEY, busy_timeout_s=60) as db:
            store = AccountStore(
                db, AuditLog(db, AUDIT_KEY), max_login_attempts=LIMIT, hasher=HASHER
            )
            barrier.wait()
            try:
                store.authenticate("hoa", password)
                outcomes[index] = "signed in"
            except AuthError as exc:
                outcomes[index] = type(exc).__name__

    threads = [threading.Thread(target=attempt, args=(i, p)) for i, p in enumerate(passwords)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def login_entries(db_path: Path) -> list[dict[str, object]]:
    with Database.open(db_path, KEY) as db:
        audit = AuditLog(db, AUDIT_KEY)
        assert audit.verify().ok
        return [
            {"action": e.action, "outcome": e.outcome, **json.loads(e.details)}
            for e in audit.entries()
            if e.action.startswith("auth.")
        ]


def test_24_parallel_wrong_passwords_check_at_most_the_limit(db_path: Path) -> None:
    outcomes = sign_in_in_parallel(db_path, [f"wrong-{n:02d}-password" for n in range(24)])
    entries = login_entries(db_path)
    checked = [e for e in entries if e.get("reason") == "password"]
    assert len(checked) == LIMIT, entries  # only the reserved attempts were checked
    assert sum(e["action"] == "auth.lockout" for e in entries) == 1
    assert outcomes.count("AccountLockedError") == 24 - LIMIT + 1  # the 5th locks
    with Database.open(db_path, KEY) as db:
        row = db.query_one("SELECT locked_until, failed_attempts FROM users")
        assert row is not None and row[0] is not None and row[1] == 0


def test_the_right_password_among_wrong_ones_never_beats_the_limit(db_path: Path) -> None:
    passwords = [f"wrong-{n:02d}-password" for n in range(23)] + [RIGHT]
    outcomes = sign_in_in_parallel(db_path, passwords)
    entries = login_entries(db_path)
    successes = [e for e in entries if e["action"] == "auth.login" and e["outcome"] == "success"]
    wrong_checked = [e for e in entries if e.get("reason") == "password"]
    # A success resets the count (the user is in), so at most one limit's worth of wrong
    # passwords is checked before it and one after it: never all 23.
    assert len(wrong_checked) <= LIMIT * len(successes) + LIMIT, entries
    assert sum(e["action"] == "auth.lockout" for e in entries) <= 1
    assert outcomes[-1] in ("signed in", "AccountLockedError")
    assert (outcomes[-1] == "signed in") == bool(successes)


def test_an_unknown_name_is_recorded_as_a_keyed_hash(db_path: Path) -> None:
    typed = "my-secret-password-typed-in-the-user-box"
    with Database.open(db_path, KEY) as db:
        audit = AuditLog(db, AUDIT_KEY)
        store = AccountStore(db, audit, hasher=HASHER)
        for _ in range(2):
            with pytest.raises(AuthError):
                store.authenticate(typed, "whatever-password")
        details = [json.loads(e.details) for e in audit.entries() if e.action == "auth.login"]
    assert all(typed not in json.dumps(d) for d in details)
    hashes = {d["username_hash"] for d in details}
    assert len(hashes) == 1 and len(next(iter(hashes))) == 16  # the same name, told apart
