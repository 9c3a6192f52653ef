"""INTERIM: a small SQLCipher file for the sync's local state until the shared database lands.

TODO(lead): replace with the storage layer's `Database` (register
`core.sync.outbox.SYNC_MIGRATION` in its migrations list and hand its `transaction()`
to `SyncEngine`); then delete this module and `sync-state.db`.

The key is 32 random bytes passed as a raw hex key (`PRAGMA key = "x'...'"`), built
from validated bytes, never from text with string formatting.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlcipher3 import dbapi2 as sqlcipher

from medassist_desktop.errors import KnownError

KEY_BYTES = 32
_HEX = re.compile(r"^[0-9a-f]{64}$")


class InterimDatabaseError(KnownError):
    """The sync state file cannot be opened (wrong key, damaged)."""


def raw_key_pragma(key: bytes) -> str:
    """`PRAGMA key = "x'<64 hex>'"` for exactly 32 key bytes; refuses anything else."""
    if not isinstance(key, bytes) or len(key) != KEY_BYTES:
        raise ValueError("a SQLCipher key must be exactly 32 bytes")
    hex_key = key.hex()
    if not _HEX.match(hex_key):  # cannot fail for bytes.hex(), kept as a guard
        raise ValueError("key is not hex")
    return "PRAGMA key = \"x'" + hex_key + "'\""


class EncryptedStateFile:
    """One SQLCipher connection with `transaction()`, shared by threads under a lock."""

    def __init__(self, path: Path, key: bytes, migrations: tuple[str, ...] = ()) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._conn = sqlcipher.connect(str(path), isolation_level=None, check_same_thread=False)
        try:
            self._conn.execute(raw_key_pragma(key))
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = FULL")
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._conn.execute("PRAGMA busy_timeout = 10000")
            for sql in migrations:
                self._conn.executescript(sql)
        except sqlcipher.DatabaseError as exc:
            self._conn.close()
            raise InterimDatabaseError(
                f"Cannot open the sync state file {path} ({exc}).",
                hint="The key in the keyring may not match this file.",
            ) from exc

    @contextmanager
    def transaction(self) -> Iterator[sqlcipher.Connection]:
        """`BEGIN IMMEDIATE` ... `COMMIT`, or `ROLLBACK` on any error."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> EncryptedStateFile:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
