"""The SQLCipher database on a real file: encryption, wrong keys, transactions, checks, rekey."""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

import pytest

from medassist_desktop.storage.database import Database, _raw_key_pragma
from medassist_desktop.storage.errors import (
    CannotUnlockError,
    DatabaseMissingError,
    DatabaseReadOnlyError,
)

PATIENT = "Nguyen Thi Hoa"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def key() -> bytes:
    return secrets.token_bytes(32)


def _make(path: Path, key: bytes | None) -> None:
    with (
        Database.open(path, key, create=True, cache_size_kib=2048) as db,
        db.transaction() as conn,
    ):
        conn.execute("CREATE TABLE patients (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
        conn.execute("INSERT INTO patients (name) VALUES (?)", (PATIENT,))


def test_round_trip_and_pragmas(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "a.db"
    _make(path, key)
    with Database.open(path, key) as db:
        assert db.scalar("SELECT name FROM patients") == PATIENT
        assert db.scalar("PRAGMA journal_mode") == "wal"
        assert db.scalar("PRAGMA foreign_keys") == 1
        assert db.scalar("PRAGMA synchronous") == 2  # FULL
        assert db.scalar("PRAGMA cache_size") == -65536
        assert db.scalar("PRAGMA cipher_version").startswith("4.")
        assert db.encrypted
    assert path.stat().st_mode & 0o077 == 0


def test_file_holds_no_plaintext(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "a.db"
    _make(path, key)
    data = path.read_bytes()
    assert not data.startswith(b"SQLite format 3")
    assert PATIENT.encode() not in data
    assert b"patients" not in data  # not even the schema
    with Database.open(path, key) as db:  # the WAL of an open database is encrypted too
        db.execute("INSERT INTO patients (name) VALUES (?)", ("Tran Van Minh",))
        wal = path.with_name("a.db-wal").read_bytes()
        assert len(wal) > 4096 and b"Tran Van Minh" not in wal
    plain = tmp_path / "plain.db"
    _make(plain, None)  # the control: the same content unencrypted is readable
    assert plain.read_bytes().startswith(b"SQLite format 3")
    assert PATIENT.encode() in plain.read_bytes()


def test_wrong_key_is_a_clear_error_and_the_file_is_untouched(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "a.db"
    _make(path, key)
    before = _digest(path)
    for wrong in (secrets.token_bytes(32), None):
        with pytest.raises(CannotUnlockError, match="Cannot unlock"):
            Database.open(path, wrong)
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.db"]  # no -wal / -shm left


def test_plaintext_file_with_a_key_cannot_be_unlocked(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "plain.db"
    _make(path, None)
    with pytest.raises(CannotUnlockError):
        Database.open(path, key)


def test_keys_must_be_32_bytes(tmp_path: Path) -> None:
    for bad in (b"", b"x" * 31, b"x" * 33):
        with pytest.raises(ValueError, match="32 bytes"):
            Database.open(tmp_path / "a.db", bad, create=True)
    with pytest.raises(ValueError, match="not a key pragma"):
        _raw_key_pragma("key; DROP TABLE x", b"x" * 32)
    assert not (tmp_path / "a.db").exists()
    assert _raw_key_pragma("key", bytes(range(32))) == (
        "PRAGMA key = \"x'" + bytes(range(32)).hex() + "'\""
    )


def test_missing_file_is_not_created_without_create(tmp_path: Path, key: bytes) -> None:
    with pytest.raises(DatabaseMissingError, match="medassist init"):
        Database.open(tmp_path / "none.db", key)
    assert not (tmp_path / "none.db").exists()


def test_transaction_rolls_back_on_error_and_nests(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "a.db"
    _make(path, key)
    with Database.open(path, key) as db:
        with pytest.raises(RuntimeError), db.transaction() as conn:
            conn.execute("INSERT INTO patients (name) VALUES ('half')")
            raise RuntimeError("boom")
        assert db.scalar("SELECT count(*) FROM patients") == 1
        with db.transaction() as conn:
            conn.execute("INSERT INTO patients (name) VALUES ('outer')")
            with pytest.raises(RuntimeError), db.transaction() as inner:
                inner.execute("INSERT INTO patients (name) VALUES ('inner')")
                raise RuntimeError("inner fails")
        names = [r[0] for r in db.query_all("SELECT name FROM patients ORDER BY id")]
        assert names == [PATIENT, "outer"]
        assert not db.in_transaction


def test_integrity_check_finds_damage(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "a.db"
    with Database.open(path, key, create=True) as db:
        with db.transaction() as conn:
            conn.execute("CREATE TABLE t (x BLOB)")
            for _ in range(50):
                conn.execute("INSERT INTO t VALUES (randomblob(2000))")
        assert db.integrity_check(full=True) == []
    size = path.stat().st_size
    with path.open("r+b") as handle:  # flip bytes in the middle of a page
        handle.seek(size // 2)
        handle.write(os.urandom(64))
    with Database.open(path, key) as db:
        assert db.integrity_check() != []


def test_rekey_proves_the_new_key(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "a.db"
    _make(path, key)
    new_key = secrets.token_bytes(32)
    with Database.open(path, key) as db:
        db.rekey(new_key)
        assert db.scalar("SELECT name FROM patients") == PATIENT
    with pytest.raises(CannotUnlockError):
        Database.open(path, key)
    with Database.open(path, new_key) as db:
        assert db.scalar("SELECT count(*) FROM patients") == 1


def test_read_only_open_refuses_writes_clearly(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "a.db"
    _make(path, key)
    before = _digest(path)
    with Database.open(path, key, read_only=True) as db:
        assert db.scalar("SELECT name FROM patients") == PATIENT
        with pytest.raises(DatabaseReadOnlyError, match="read-only"), db.transaction() as conn:
            conn.execute("INSERT INTO patients (name) VALUES ('x')")
    assert _digest(path) == before
