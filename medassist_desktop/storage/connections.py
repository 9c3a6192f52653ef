"""One connection per thread, for work that runs on a thread of its own (the sync).

A `Database` belongs to the thread that opened it. The GUI's database thread must
never wait on the network, so the sync schedule, which talks to the server between
short transactions, gets its own connection through this provider: WAL lets the two
connections read at the same time, and `BEGIN IMMEDIATE` with the busy timeout makes
their writes take turns.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from medassist_desktop.storage.database import Connection, Database


class PerThreadDatabase:
    """`transaction()` on a connection of the calling thread, opened on first use."""

    def __init__(self, opener: Callable[[], Database]) -> None:
        self._opener = opener
        self._local = threading.local()

    def database(self) -> Database:
        db: Database | None = getattr(self._local, "db", None)
        if db is None:
            db = self._opener()
            self._local.db = db
        return db

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        with self.database().transaction() as conn:
            yield conn

    def close(self) -> None:
        """Close the calling thread's connection (call it on that thread when it ends)."""
        db: Database | None = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None
