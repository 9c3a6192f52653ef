"""A single thread that owns the database connection and runs submitted work in order.

SQLite connections belong to one thread, and the GUI must never wait on the disk:
the GUI submits callables here and gets a `concurrent.futures.Future` back (the Qt
bridge in `workers/` turns its completion into a callback on the GUI thread).
Work runs strictly one at a time, in submission order, so no locking is needed.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from medassist_desktop.i18n.catalogue import N_
from medassist_desktop.storage.database import Database
from medassist_desktop.storage.errors import StorageError

T = TypeVar("T")


class SerialExecutor:
    """Opens the database on its own thread (with `opener`) and runs work against it."""

    def __init__(self, opener: Callable[[], Database]) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="medassist-db")
        self._db: Database | None = None
        self._opened: Future[None] = self._pool.submit(self._open, opener)

    def _open(self, opener: Callable[[], Database]) -> None:
        self._db = opener()

    @property
    def opened(self) -> Future[None]:
        """Completes when the database is open, or carries the error that prevented it."""
        return self._opened

    def submit(self, work: Callable[[Database], T]) -> Future[T]:
        """Run `work(db)` on the database thread, after everything submitted before it."""
        return self._pool.submit(self._run, work)

    def _run(self, work: Callable[[Database], T]) -> T:
        if self._db is None:
            error = self._opened.exception()
            if isinstance(error, Exception):
                raise error  # the reason it could not be opened (wrong key, disk...)
            raise StorageError(N_("The database is not open."))
        return work(self._db)

    def close(self, *, wait: bool = True) -> None:
        """Finish queued work, close the connection on its own thread, stop the thread."""
        self._pool.submit(self._close)
        self._pool.shutdown(wait=wait)

    def _close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
