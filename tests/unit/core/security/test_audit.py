"""The audit chain on a real database: appends, and every kind of tampering is found."""

from __future__ import annotations

import io
import itertools
import json
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from medassist_desktop.core.security.audit import AuditLog, Outcome
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


@pytest.fixture
def audit(db: Database) -> AuditLog:
    log = AuditLog(db, AUDIT_KEY, clock=FakeClock())
    log.log_auth_event(None, "login", False, "127.0.0.1", username="ghost")
    log.log_access(None, "kb.search", "kb:malaria", True)
    log.log_case_access(1, 42, "view")
    log.log_config_change(None, "session_timeout_minutes", 60, 30)
    log.append(None, "user.create", "user:bob", Outcome.SUCCESS)
    return log


def _drop_triggers(db: Database) -> None:
    db.execute("DROP TRIGGER audit_log_no_update")
    db.execute("DROP TRIGGER audit_log_no_delete")


def test_an_intact_chain_verifies(audit: AuditLog) -> None:
    result = audit.verify()
    assert result.ok and result.entries_checked == 5 and result.first_broken_id is None
    entries = list(audit.entries())
    assert [e.id for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].action == "auth.login" and entries[0].outcome == "failure"
    assert entries[0].ip_address == "127.0.0.1"
    assert entries[2].resource == "case:42"
    assert json.loads(entries[3].details) == {"new": 30, "old": 60}
    assert all(e.prev_hash == p.hash for p, e in itertools.pairwise(entries))


def test_triggers_refuse_edits_and_deletions(audit: AuditLog, db: Database) -> None:
    with pytest.raises(Exception, match="append-only"):
        db.execute("UPDATE audit_log SET outcome = 'success' WHERE id = 1")
    with pytest.raises(Exception, match="append-only"):
        db.execute("DELETE FROM audit_log WHERE id = 1")
    assert audit.verify().ok


def test_an_edited_entry_is_found(audit: AuditLog, db: Database) -> None:
    _drop_triggers(db)
    db.execute("UPDATE audit_log SET action = 'case.print' WHERE id = 3")
    result = audit.verify()
    assert not result.ok and result.first_broken_id == 3 and "altered" in (result.reason or "")
    assert result.entries_checked == 2


def test_an_edit_with_a_recomputed_hash_without_the_key_is_found(
    audit: AuditLog, db: Database
) -> None:
    _drop_triggers(db)
    forger = AuditLog(db, secrets.token_bytes(32))  # someone without the key
    db.execute("DELETE FROM audit_log WHERE id >= 4")
    forger.append(None, "user.create", "user:mallory", Outcome.SUCCESS)
    result = audit.verify()
    assert not result.ok and result.first_broken_id == 6


def test_a_deleted_entry_is_found(audit: AuditLog, db: Database) -> None:
    _drop_triggers(db)
    db.execute("DELETE FROM audit_log WHERE id = 2")
    result = audit.verify()
    assert not result.ok and result.first_broken_id == 3
    assert "2-2 are missing" in (result.reason or "")


def test_deleting_the_newest_entries_is_found(audit: AuditLog, db: Database) -> None:
    _drop_triggers(db)
    db.execute("DELETE FROM audit_log WHERE id >= 4")
    result = audit.verify()
    assert not result.ok and result.first_broken_id == 4
    assert "end of the log" in (result.reason or "")
    db.execute("DROP TRIGGER audit_head_no_delete")
    db.execute("DELETE FROM audit_head")
    result = audit.verify()
    assert not result.ok and "head record is missing" in (result.reason or "")


def test_a_forged_head_is_found(audit: AuditLog, db: Database) -> None:
    db.execute("UPDATE audit_head SET last_id = 3")
    assert not audit.verify().ok


def test_a_different_key_fails_at_the_first_entry(audit: AuditLog, db: Database) -> None:
    result = AuditLog(db, secrets.token_bytes(32)).verify()
    assert not result.ok and result.first_broken_id == 1


def test_an_entry_joins_the_callers_transaction(audit: AuditLog, db: Database) -> None:
    with pytest.raises(RuntimeError), db.transaction():
        audit.log_access(None, "case.delete", "case:1", True)
        raise RuntimeError("the action failed")
    assert [e.id for e in audit.entries()] == [1, 2, 3, 4, 5]
    assert audit.log_access(None, "case.delete", "case:1", True) == 6
    assert audit.verify().ok


def test_export_writes_json_lines(audit: AuditLog) -> None:
    out = io.StringIO()
    assert audit.export_jsonl(out, after_id=3) == 2
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["id"] for line in lines] == [4, 5]
    assert lines[0]["details"] == {"new": 30, "old": 60}


def test_a_short_key_is_refused(db: Database) -> None:
    with pytest.raises(ValueError, match="at least 32 bytes"):
        AuditLog(db, b"short")
