"""The audit chain's genesis entry and its anchor outside the database, on a real file."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from medassist_desktop.core.security.audit import GENESIS_ACTION, AuditLog, Outcome
from medassist_desktop.core.security.audit_anchor import AuditAnchor, FileAnchorStorage
from medassist_desktop.storage.database import Database
from medassist_desktop.storage.migrations import migrate
from medassist_desktop.storage.schema import ALL_MIGRATIONS
from tests.support.security import FakeClock

AUDIT_KEY = secrets.token_bytes(32)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database.open(tmp_path / "a.db", secrets.token_bytes(32), create=True)
    migrate(database, ALL_MIGRATIONS)
    yield database
    database.close()


def add_user(db: Database) -> None:
    db.execute(
        "INSERT INTO users (username, role, password_hash, created_at, updated_at) "
        "VALUES ('admin', 'admin', 'x', 'now', 'now')"
    )


def test_genesis_is_written_once_and_never_over_a_wiped_chain(db: Database) -> None:
    audit = AuditLog(db, AUDIT_KEY, clock=FakeClock())
    assert audit.write_genesis({"database": "a.db"}) == 1
    assert audit.write_genesis() is None
    assert [e.action for e in audit.entries()] == [GENESIS_ACTION]

    wiped = AuditLog(db, AUDIT_KEY, clock=FakeClock())
    db.execute("DROP TRIGGER audit_log_no_delete")
    db.execute("DELETE FROM audit_log")
    add_user(db)
    assert wiped.write_genesis() is None, "a genesis entry would hide the wipe"


def test_an_empty_chain_with_accounts_is_broken(db: Database) -> None:
    audit = AuditLog(db, AUDIT_KEY, clock=FakeClock())
    assert audit.verify().ok  # a database with no accounts yet
    add_user(db)
    result = audit.verify()
    assert not result.ok and "empty but accounts exist" in (result.reason or "")


def test_the_anchor_catches_a_shorter_or_different_chain(db: Database, tmp_path: Path) -> None:
    audit = AuditLog(db, AUDIT_KEY, clock=FakeClock())
    anchor = AuditAnchor(FileAnchorStorage(tmp_path / "a.db"), AUDIT_KEY)
    assert audit.attach_anchor(anchor) is None
    audit.write_genesis()
    for n in range(4):
        audit.append(None, "case.view", f"case:{n}", Outcome.SUCCESS)
    audit.save_anchor()
    assert anchor.load() is not None and anchor.load().last_id == 5  # type: ignore[union-attr]
    assert audit.verify().ok

    db.execute("DROP TRIGGER audit_log_no_delete")
    db.execute("DELETE FROM audit_log WHERE id > 3")
    db.execute("DROP TRIGGER audit_head_no_delete")
    db.execute("DELETE FROM audit_head")
    db.execute("UPDATE sqlite_sequence SET seq = 3 WHERE name = 'audit_log'")  # as in a copy
    problem = audit.attach_anchor(anchor)
    assert problem is not None and "rolled back or truncated" in problem
    for n in range(2):  # new entries 4 and 5 reach the anchored id, with other hashes
        audit.append(None, "case.view", f"case:new{n}", Outcome.SUCCESS)
    audit.save_anchor()  # frozen: the anchor does not move to fit
    assert anchor.load().last_id == 5  # type: ignore[union-attr]
    problem = audit.anchor_problem()
    assert problem is not None and "rolled back or replaced" in problem
    assert not audit.verify().ok
