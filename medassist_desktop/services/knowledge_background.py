"""Knowledge-base work on a thread of its own, with a database connection of its own.

Why: importing the starter library on first use, a clinic's documents, or embedding
them again after a model change takes seconds to minutes. On the database thread every
save of the window waits on, that would freeze saving a case; so this work opens its
own connection on its own thread, as the sync does (WAL lets the connections read at
once; each document is its own short write transaction, so a save waits at most for one).

`LibraryPreparation` is the first-run preparation of one run of the app: the starter
library (with its shipped vectors), then vectors the embedding model lacks. It runs once,
on its own thread; its progress goes to listeners (the status bar, the Knowledge page),
and a search that needs the library waits for it on the searching thread (a consult's
worker), never on the database thread. `library_ready` is set once the starter library
is in (the re-embed that may follow can take minutes, and searches do not wait for it:
chunks without a vector are found by keyword meanwhile).

`WaitForLibrary` is the consult's retriever in the window: it waits (bounded) for the
library, then searches through the retriever it wraps.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from loguru import logger

from medassist_desktop.core.knowledge.importer import EmbedSummary, ImportProgress, ImportSummary
from medassist_desktop.core.knowledge.passages import RetrievalResult, Retriever

if TYPE_CHECKING:
    from medassist_desktop.services.knowledge import KnowledgeService

_log = logger.bind(area="knowledge")

# A consult waits at most this long for the first-run starter library (with the shipped
# vectors it takes seconds; a slow disk or a busy machine, a minute); then it answers
# from what is there.
LIBRARY_WAIT_S = 120.0

OpenKnowledge = Callable[[], AbstractContextManager["KnowledgeService"]]
# Told every progress step, then None once the preparation has finished (or failed).
PreparationListener = Callable[[ImportProgress | None], None]


class LibraryPreparation:
    """The starter library and missing vectors, prepared once on a thread of its own.

    `open_knowledge()`: a context manager giving a `KnowledgeService` on a connection
    opened on the calling thread (closed at its end).
    """

    def __init__(self, open_knowledge: OpenKnowledge, *, name: str = "medassist-library") -> None:
        self._open_knowledge = open_knowledge
        self._name = name
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._cancel = threading.Event()
        self.library_ready = threading.Event()  # the starter library is in (or failed)
        self.finished = threading.Event()  # the whole preparation has ended
        self._listeners: list[PreparationListener] = []
        self.progress: ImportProgress | None = None
        self.error: BaseException | None = None
        self.starter: ImportSummary | None = None
        self.embedded: EmbedSummary | None = None

    def add_listener(self, listener: PreparationListener) -> None:
        """`listener` is called on the preparation's thread: post to your own thread."""
        with self._lock:
            self._listeners.append(listener)

    @property
    def started(self) -> bool:
        return self._thread is not None

    @property
    def running(self) -> bool:
        return self.started and not self.finished.is_set()

    def start(self) -> None:
        """Start the preparation (once; later calls do nothing)."""
        with self._lock:
            if self._thread is not None:
                return
            self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
            self._thread.start()

    def wait_for_library(self, timeout: float | None = LIBRARY_WAIT_S) -> bool:
        """Start if needed and wait for the starter library; True when it is in."""
        self.start()
        return self.library_ready.wait(timeout)

    def stop(self, timeout: float = 10.0) -> bool:
        """Cancel (between files and embedding batches) and wait for the thread to end.
        What was stored stays; the next run imports the rest."""
        self._cancel.set()
        thread = self._thread
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()

    def _tell(self, progress: ImportProgress | None) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(progress)
            except Exception:  # noqa: BLE001 - a broken listener must not stop the import
                _log.opt(exception=True).error("A library progress listener failed")

    def _report(self, progress: ImportProgress) -> None:
        self.progress = progress
        self._tell(progress)

    def _run(self) -> None:
        try:
            with self._open_knowledge() as knowledge:
                try:
                    self.starter = knowledge.import_starter_library(
                        on_progress=self._report, cancel=self._cancel
                    )
                finally:
                    self.library_ready.set()
                if not self._cancel.is_set():
                    self.embedded = knowledge.reembed_missing(
                        on_progress=self._report, cancel=self._cancel
                    )
        except BaseException as exc:  # noqa: BLE001 - kept for the UI; searches go on
            self.error = exc
            _log.opt(exception=exc).error("Preparing the knowledge library failed")
        finally:
            self.library_ready.set()
            self.finished.set()
            self._tell(None)


class WaitForLibrary:
    """A `Retriever` that lets the library be prepared before its first search.

    Called on a consult's worker thread: waiting there holds up nobody else.
    """

    def __init__(
        self,
        preparation: LibraryPreparation,
        retriever: Retriever,
        *,
        timeout_s: float = LIBRARY_WAIT_S,
    ) -> None:
        self._preparation = preparation
        self._retriever = retriever
        self._timeout_s = timeout_s

    def search(self, query: str, k: int = 5, *, query_embedding: Any = None) -> RetrievalResult:
        if not self._preparation.wait_for_library(self._timeout_s):
            _log.warning("Searching before the starter library is in (still importing)")
        return self._retriever.search(query, k, query_embedding=query_embedding)


__all__ = ["LIBRARY_WAIT_S", "LibraryPreparation", "OpenKnowledge", "WaitForLibrary"]
