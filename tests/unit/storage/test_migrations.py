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


def test_the_real_schema_is_numbered_one_to_n_in_order() -> None:
    assert [m.version for m in ALL_MIGRATIONS] == list(range(1, len(ALL_MIGRATIONS) + 1))
    assert len({m.name for m in ALL_MIGRATIONS}) == len(ALL_MIGRATIONS)


def test_a_new_migration_takes_the_highest_version_plus_one() -> None:
    latest = ALL_MIGRATIONS[-1].version
    extended = collect_migrations(ALL_MIGRATIONS, [Migration(latest + 1, "next", "")])
    assert extended[-1].version == latest + 1
    for wrong in (latest, latest + 2, 23):  # taken, a gap, an "area block" number
        with pytest.raises(ValueError, match="highest version plus one"):
            collect_migrations(ALL_MIGRATIONS, [Migration(wrong, "next", "")])


def test_gaps_duplicates_and_disorder_fail_loudly() -> None:
    with pytest.raises(ValueError, match="expected 2"):
        collect_migrations([Migration(1, "a", "")], [Migration(3, "b", "")])
    with pytest.raises(ValueError, match="expected 2"):
        collect_migrations([Migration(1, "a", ""), Migration(1, "b", "")])
    with pytest.raises(ValueError, match="expected 1"):
        collect_migrations([Migration(2, "b", ""), Migration(1, "a", "")])
    with pytest.raises(ValueError, match="both named 'a'"):
        collect_migrations([Migration(1, "a", ""), Migration(2, "a", "")])


def test_a_migration_numbered_below_the_database_fails_loudly(tmp_path: Path) -> None:
    with _open(tmp_path / "a.db") as db:
        migrate(db, [Migration(1, "a", "CREATE TABLE a (x);"), Migration(2, "e", "")])
        # A merge put "late" before "e", which the database already has.
        with pytest.raises(MigrationError, match="never applied"):
            migrate(db, [Migration(1, "a", ""), Migration(2, "late", ""), Migration(3, "e", "")])


# The versions the schema had when they were grouped by area (names are unchanged).
AREA_VERSIONS = {1: 1, 2: 2, 3: 10, 4: 20, 5: 21, 6: 22, 7: 30, 8: 31}


def _legacy_database(path: Path, up_to_old_version: int) -> Database:
    """A database as the area-numbered schema left it: same SQL, old bookkeeping."""
    db = _open(path)
    with db.transaction() as conn:
        conn.execute(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))"
        )
    for migration in ALL_MIGRATIONS[: len(AREA_VERSIONS)]:
        old = AREA_VERSIONS[migration.version]
        if old > up_to_old_version:
            break
        with db.transaction() as conn:
            migration.apply(conn)
            conn.execute(
                "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                (old, migration.name),
            )
            conn.execute(f"PRAGMA user_version = {old}")
    return db


def test_an_area_numbered_database_is_renumbered_not_migrated_again(tmp_path: Path) -> None:
    with _legacy_database(tmp_path / "a.db", up_to_old_version=31) as db:
        assert db.user_version == 31
        applied = migrate(db, ALL_MIGRATIONS)
        assert applied == [m.version for m in ALL_MIGRATIONS[len(AREA_VERSIONS) :]]
        assert db.user_version == ALL_MIGRATIONS[-1].version
        recorded = db.query_all("SELECT version, name FROM schema_migrations ORDER BY version")
        assert [(int(v), str(n)) for v, n in recorded] == [
            (m.version, m.name) for m in ALL_MIGRATIONS
        ]


def test_a_half_migrated_area_numbered_database_gets_the_rest(tmp_path: Path) -> None:
    with _legacy_database(tmp_path / "a.db", up_to_old_version=22) as db:  # no sync tables
        assert "sync_outbox" not in _tables(db)
        applied = migrate(db, ALL_MIGRATIONS)
        assert applied[:2] == [7, 8]
        assert {"sync_outbox", "secrets", "cases", "consults"} <= _tables(db)
        assert db.user_version == ALL_MIGRATIONS[-1].version


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
