"""Migrations: order, atomicity, and loud failures for numbering mistakes."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from medassist_desktop.storage.database import Connection, Database
from medassist_desktop.storage.errors import MigrationError
from medassist_desktop.storage.migrations import (
    Migration,
    collect_migrations,
    migrate,
    split_statements,
)
from medassist_desktop.storage.schema import ALL_MIGRATIONS

KEY = secrets.token_bytes(32)


def _open(path: Path) -> Database:
    return Database.open(path, KEY, create=True)


def _tables(db: Database) -> set[str]:
    return {r[0] for r in db.query_all("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_real_schema_applies_once(tmp_path: Path) -> None:
    with _open(tmp_path / "a.db") as db:
        assert migrate(db, ALL_MIGRATIONS) == [m.version for m in ALL_MIGRATIONS]
        assert db.user_version == ALL_MIGRATIONS[-1].version
        assert {"users", "audit_log", "audit_head", "schema_migrations"} <= _tables(db)
        assert migrate(db, ALL_MIGRATIONS) == []


def test_a_failing_migration_leaves_nothing_behind(tmp_path: Path) -> None:
    good = Migration(1, "one", "CREATE TABLE a (x);")
    bad = Migration(2, "two", "CREATE TABLE b (x);\nINSERT INTO no_such_table VALUES (1);")
    with _open(tmp_path / "a.db") as db:
        with pytest.raises(Exception, match="no_such_table"):
            migrate(db, [good, bad])
        assert db.user_version == 1
        assert "b" not in _tables(db)
        fixed = Migration(2, "two", "CREATE TABLE b (x);")
        assert migrate(db, [good, fixed]) == [2]


def test_callable_migrations_run_in_the_transaction(tmp_path: Path) -> None:
    def fill(conn: Connection) -> None:
        conn.execute("CREATE TABLE c (x)")
        conn.executemany("INSERT INTO c VALUES (?)", [(i,) for i in range(10)])

    with _open(tmp_path / "a.db") as db:
        migrate(db, [Migration(1, "fill", fill)])
        assert db.scalar("SELECT count(*) FROM c") == 10


def test_duplicate_versions_fail_loudly() -> None:
    with pytest.raises(ValueError, match="duplicate migration version 3"):
        collect_migrations([Migration(3, "a", "")], [Migration(3, "b", "")])
    with pytest.raises(ValueError, match="start at 1"):
        collect_migrations([Migration(0, "zero", "")])


def test_a_migration_numbered_below_the_database_fails_loudly(tmp_path: Path) -> None:
    with _open(tmp_path / "a.db") as db:
        migrate(db, [Migration(1, "a", "CREATE TABLE a (x);"), Migration(5, "e", "")])
        with pytest.raises(MigrationError, match="never applied"):
            migrate(db, [Migration(1, "a", ""), Migration(3, "late", ""), Migration(5, "e", "")])


def test_a_newer_database_is_refused(tmp_path: Path) -> None:
    with _open(tmp_path / "a.db") as db:
        migrate(db, [Migration(1, "a", ""), Migration(2, "b", "")])
        with pytest.raises(MigrationError, match="newer version"):
            migrate(db, [Migration(1, "a", "")])


def test_split_statements_keeps_triggers_whole() -> None:
    script = """
    CREATE TABLE t (x);
    CREATE TRIGGER t_no_delete BEFORE DELETE ON t
    BEGIN
        SELECT RAISE(ABORT, 'no; really');
    END;
    INSERT INTO t VALUES ('a;b');
    """
    statements = split_statements(script)
    assert len(statements) == 3
    assert statements[1].endswith("END;")
    with pytest.raises(ValueError, match="incomplete"):
        split_statements("CREATE TABLE t (x")
