"""The Knowledge page: search the clinic's reference library and read the passages.

Searches run on the database thread as the signed-in user (the library lives in the
encrypted database); the page only shows what comes back. On a new clinic's first run the
starter library is still being imported on a thread of its own: a search asked then says
how far that is and runs once the library is in. Importing documents is an admin task
(Settings > Knowledge, or `medassist kb import`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from medassist_desktop.core.knowledge.relevance import relevant_passages
from medassist_desktop.ui.consult.citation_dialog import CitationDialog
from medassist_desktop.ui.errors import describe_error
from medassist_desktop.ui.session import ServiceCalls

if TYPE_CHECKING:
    from medassist_desktop.core.knowledge.importer import ImportProgress
    from medassist_desktop.core.knowledge.passages import RetrievalResult
    from medassist_desktop.core.security.sessions import Session
    from medassist_desktop.services.knowledge import KnowledgeService
    from medassist_desktop.workers.knowledge_jobs import PreparationSignals

RESULTS = 8


class KnowledgePage(QWidget):
    def __init__(
        self,
        knowledge: KnowledgeService,
        calls: ServiceCalls,
        parent: QWidget | None = None,
        *,
        preparation: PreparationSignals | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("knowledgePage")
        self.setAccessibleName(self.tr("Knowledge"))
        self._knowledge = knowledge
        self._calls = calls
        self._preparation = preparation
        self.passages: list[dict[str, Any]] = []
        self._generation = 0  # bumped by clear(): a search answered after it is dropped
        self._waiting: str | None = None  # a search asked while the library is prepared
        if preparation is not None:
            preparation.progress.connect(self._preparing)
            preparation.finished.connect(self._library_changed)

        self.query = QLineEdit(self)
        self.query.setObjectName("knowledgeQuery")
        self.query.setAccessibleName(self.tr("Search the library"))
        self.query.setPlaceholderText(self.tr("Search the clinical library…"))
        self.search_button = QPushButton(self.tr("&Search"), self)
        self.results = QListWidget(self)
        self.results.setObjectName("knowledgeResults")
        self.results.setAccessibleName(self.tr("Passages found"))
        self.status = QLabel(self)
        self.status.setObjectName("knowledgeStatus")
        self.status.setWordWrap(True)

        row = QHBoxLayout()
        row.addWidget(self.query, 1)
        row.addWidget(self.search_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)

        self.query.returnPressed.connect(self.search)
        self.search_button.clicked.connect(self.search)
        self.results.itemActivated.connect(self._open)

    def search(self) -> None:
        text = self.query.text().strip()
        if not text:
            return
        preparation = self._preparation.preparation if self._preparation is not None else None
        if preparation is not None and not preparation.library_ready.is_set():
            self._waiting = text
            preparation.start()
            self.status.setText(
                self.tr("Preparing the library on this computer; the search runs when it is in.")
            )
            return
        self._waiting = None
        self.status.setText(self.tr("Searching…"))
        knowledge, generation = self._knowledge, self._generation

        def work(_session: Session) -> RetrievalResult:
            return knowledge.search(text, RESULTS)

        def show(result: RetrievalResult) -> None:
            if generation == self._generation:
                self._show(result)

        self._calls.call(work, show, self._failed)

    def _preparing(self, progress: ImportProgress) -> None:
        if self._waiting is None:
            return
        assert self._preparation is not None
        if self._preparation.preparation.library_ready.is_set():
            self._library_changed()
            return
        self.status.setText(
            self.tr("Preparing the library on this computer: {percent}%…").format(
                percent=int(progress.percent)
            )
        )

    def _library_changed(self) -> None:
        """The library is in: run the search that waited for it."""
        if self._waiting is not None and self.query.text().strip() == self._waiting:
            self.search()
        else:
            self._waiting = None

    def clear(self) -> None:
        """Forget the search on screen (at sign-out: the next person starts empty)."""
        self._generation += 1
        self._waiting = None
        self.query.clear()
        self.results.clear()
        self.passages = []
        self.status.clear()

    def _show(self, result: RetrievalResult) -> None:
        self.results.clear()
        relevant = relevant_passages(result.passages)
        self.passages = [passage.to_dict() for passage in relevant]
        for passage in self.passages:
            where = " — ".join(part for part in (passage["section"],) if part)
            item = QListWidgetItem(f"{passage['title']}" + (f" — {where}" if where else ""))
            item.setToolTip(str(passage["source"]))
            self.results.addItem(item)
        if result.passages and not self.passages:
            self.status.setText(
                self.tr("No relevant passage: nothing in the library is close to this search.")
            )
        elif not self.passages:
            self.status.setText(self.tr("Nothing in the library matches this search."))
        elif result.mode == "keyword":
            self.status.setText(
                self.tr("Keyword search only: {why}").format(
                    why=result.degraded_reason or self.tr("the embedding model is not loaded")
                )
            )
        else:
            self.status.setText(self.tr("{n} passages").format(n=len(self.passages)))

    def _failed(self, error: BaseException) -> None:
        self.status.setText(describe_error(error))

    def _open(self, item: QListWidgetItem) -> None:
        dialog = CitationDialog(self.passages[self.results.row(item)], self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
