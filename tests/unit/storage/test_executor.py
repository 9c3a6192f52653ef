"""The serial executor: one thread owns the connection; work runs in order."""

from __future__ import annotations

import secrets
import threading
from pathlib import Path

import pytest

from medassist_desktop.storage.database import Database
from medassist_desktop.storage.errors import CannotUnlockError
from medassist_desktop.storage.executor import SerialExecutor

KEY = secrets.token_bytes(32)


def test_work_runs_in_order_on_one_thread(tmp_path: Path) -> None:
    executor = SerialExecutor(lambda: Database.open(tmp_path / "a.db", KEY, create=True))
    executor.opened.result(timeout=10)
    executor.submit(lambda db: db.execute("CREATE TABLE t (x)")).result(timeout=10)
    threads: list[int] = []

    def insert(value: int) -> None:
        def work(db: Database) -> None:
            threads.append(threading.get_ident())
            db.execute("INSERT INTO t VALUES (?)", (value,))

        executor.submit(work)

    for value in range(20):
        insert(value)
    rows = executor.submit(lambda db: db.query_all("SELECT x FROM t ORDER BY rowid")).result(10)
    assert [r[0] for r in rows] == list(range(20))
    assert len(set(threads)) == 1 and threads[0] != threading.get_ident()
    executor.close()


def test_an_open_failure_reaches_every_caller(tmp_path: Path) -> None:
    Database.open(tmp_path / "a.db", KEY, create=True).close()
    executor = SerialExecutor(lambda: Database.open(tmp_path / "a.db", secrets.token_bytes(32)))
    with pytest.raises(CannotUnlockError):
        executor.opened.result(timeout=10)
    with pytest.raises(CannotUnlockError):
        executor.submit(lambda db: db.user_version).result(timeout=10)
    executor.close()
