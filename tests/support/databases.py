"""The app's real encrypted database for tests: a SQLCipher file with every migration."""

from __future__ import annotations

import os
from pathlib import Path

from medassist_desktop.storage.database import Database
from medassist_desktop.storage.migrations import migrate
from medassist_desktop.storage.schema import ALL_MIGRATIONS


def open_app_db(path: Path, key: bytes | None = None) -> Database:
    """Open (creating) `path` with `key` (random when None) and bring its schema up to date."""
    db = Database.open(path, key if key is not None else os.urandom(32), create=True)
    try:
        migrate(db, ALL_MIGRATIONS)
    except BaseException:
        db.close()
        raise
    return db
