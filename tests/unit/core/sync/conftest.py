"""A real SQLCipher file with the sync tables, for the outbox and local-state tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from medassist_desktop.core.sync.outbox import SYNC_MIGRATION
from medassist_desktop.storage.interim_sync_db import EncryptedStateFile


@pytest.fixture
def db_key() -> bytes:
    return os.urandom(32)


@pytest.fixture
def state_db(tmp_path: Path, db_key: bytes) -> Iterator[EncryptedStateFile]:
    with EncryptedStateFile(tmp_path / "sync.db", db_key, migrations=(SYNC_MIGRATION,)) as db:
        yield db
