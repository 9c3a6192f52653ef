"""The little the sync code needs from a database: a DB-API connection and transactions.

SQLCipher connections (sqlcipher3) are DB-API connections like sqlite3's; the storage
layer's `Database` provides `transaction()`. Sync code is written against these two
protocols so it runs on the shared database and, in tests, on any SQLCipher file.
Rows are read by position only, so any row factory (tuples, sqlite3.Row) works.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any, Protocol


class DBCursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class DBConnection(Protocol):
    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> DBCursor: ...


class TransactionProvider(Protocol):
    """`with provider.transaction() as conn:` commits on success, rolls back on error."""

    def transaction(self) -> AbstractContextManager[DBConnection]: ...


def utc_now() -> str:
    """A timestamp for the sync tables: ISO 8601, UTC, microseconds."""
    return datetime.now(UTC).isoformat(timespec="microseconds")
