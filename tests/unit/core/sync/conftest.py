"""The app's real encrypted database (every migration), for the outbox and local-state tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from medassist_desktop.storage.database import Database
from tests.support.databases import open_app_db


@pytest.fixture
def db_key() -> bytes:
    return os.urandom(32)


@pytest.fixture
def state_db(tmp_path: Path, db_key: bytes) -> Iterator[Database]:
    with open_app_db(tmp_path / "medassist.db", db_key) as db:
        yield db
