"""The Qt bridge: database work runs on the database thread, callbacks on the GUI thread."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from pytestqt.qtbot import QtBot

from medassist_desktop.storage.database import Database
from medassist_desktop.storage.errors import CannotUnlockError
from medassist_desktop.storage.executor import SerialExecutor
from medassist_desktop.workers.tasks import DatabaseTaskManager

KEY = secrets.token_bytes(32)


@pytest.fixture
def tasks(tmp_path: Path, qtbot: QtBot) -> Iterator[DatabaseTaskManager]:
    executor = SerialExecutor(lambda: Database.open(tmp_path / "a.db", KEY, create=True))
    manager = DatabaseTaskManager(executor)
    yield manager
    manager.shutdown()


def test_success_callback_runs_on_the_gui_thread(tasks: DatabaseTaskManager, qtbot: QtBot) -> None:
    gui_thread = threading.get_ident()
    seen: dict[str, object] = {}

    def work(db: Database) -> int:
        seen["work_thread"] = threading.get_ident()
        db.execute("CREATE TABLE t (x)")
        db.execute("INSERT INTO t VALUES (41)")
        return int(db.scalar("SELECT x + 1 FROM t"))

    def done(value: int) -> None:
        seen["value"] = value
        seen["callback_thread"] = threading.get_ident()

    tasks.run_in_background(work, done)
    qtbot.waitUntil(lambda: "value" in seen, timeout=10_000)
    assert seen["value"] == 42
    assert seen["callback_thread"] == gui_thread
    assert seen["work_thread"] != gui_thread


def test_failures_reach_the_failure_callback(tmp_path: Path, qtbot: QtBot) -> None:
    Database.open(tmp_path / "b.db", KEY, create=True).close()
    executor = SerialExecutor(lambda: Database.open(tmp_path / "b.db", secrets.token_bytes(32)))
    manager = DatabaseTaskManager(executor)
    errors: list[BaseException] = []
    manager.run_in_background(lambda db: db.user_version, lambda _v: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
    assert isinstance(errors[0], CannotUnlockError)
    manager.shutdown()


def test_a_result_for_a_closed_page_is_dropped_but_the_work_is_done(
    tasks: DatabaseTaskManager, qtbot: QtBot
) -> None:
    from PySide6.QtWidgets import QLabel

    label = QLabel()
    release = threading.Event()

    def work(db: Database) -> str:
        release.wait(10)
        db.execute("CREATE TABLE done (x)")
        return "saved"

    future = tasks.run_in_background(work, label.setText)
    label.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(label), timeout=5_000)
    release.set()
    assert future.result(10) == "saved"
    seen: list[int] = []
    tasks.run_in_background(
        lambda db: int(db.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'done'")),
        seen.append,
    )
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)  # the dropped callback raised nothing
    assert seen == [1]
