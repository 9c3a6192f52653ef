"""Knowledge: the documents the answers rest on; import files or a folder, remove one,
re-embed after a change of embedding model.

Imports and re-embeds take seconds to minutes: they run on a thread of their own with a
database connection of their own (`AppServices.knowledge_on_own_connection`), so saving
a case never waits for them; the progress bar follows them, each file's result is
listed as `medassist kb import` lists it, and Cancel stops between files. Every action
goes through `KnowledgeService` with the admin's session, which checks the role and
writes the same audit entries as the command line (`kb.import`, `kb.remove`,
`kb.reembed`). The list and a removal are short reads and writes on the database thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from medassist_desktop.core.knowledge.importer import (
    EmbedSummary,
    FileOutcome,
    ImportOutcome,
    ImportProgress,
    ImportSummary,
)
from medassist_desktop.core.knowledge.store import STARTER_ORIGIN_PREFIX
from medassist_desktop.ui.errors import describe_error
from medassist_desktop.ui.session import SessionManager
from medassist_desktop.workers.knowledge_jobs import KnowledgeJob

if TYPE_CHECKING:
    import threading

    from medassist_desktop.core.knowledge.importer import ProgressCallback
    from medassist_desktop.core.knowledge.store import StoredDocument
    from medassist_desktop.core.security.sessions import Session
    from medassist_desktop.services.knowledge import DocumentInfo

COLUMNS = 6


class KnowledgeTab(QWidget):
    def __init__(self, sessions: SessionManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("knowledgeTab")
        self._sessions = sessions
        self.documents: list[DocumentInfo] = []
        self.job: KnowledgeJob | None = None
        self.confirm: QMessageBox | None = None

        self.table = QTableWidget(0, COLUMNS, self)
        self.table.setObjectName("knowledgeDocuments")
        self.table.setAccessibleName(self.tr("Documents in the library"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Title"),
                self.tr("Source"),
                self.tr("Date"),
                self.tr("Language"),
                self.tr("Passages"),
                self.tr("Library"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)

        self.import_files_button = self._button("importFilesButton", self.tr("Import &files…"))
        self.import_folder_button = self._button("importFolderButton", self.tr("Import a f&older…"))
        self.remove_button = self._button("removeDocumentButton", self.tr("&Remove…"))
        self.reembed_button = self._button("reembedButton", self.tr("Re-&embed"))
        self.cancel_button = self._button("cancelImportButton", self.tr("&Cancel"))
        self.import_files_button.clicked.connect(self._choose_files)
        self.import_folder_button.clicked.connect(self._choose_folder)
        self.remove_button.clicked.connect(self.ask_remove_selected)
        self.reembed_button.clicked.connect(self.reembed)
        self.cancel_button.clicked.connect(self.cancel)

        self.progress = QProgressBar(self)
        self.progress.setObjectName("knowledgeProgress")
        self.progress.setAccessibleName(self.tr("Import progress"))
        self.progress.hide()
        self.results = QListWidget(self)
        self.results.setObjectName("knowledgeImportResults")
        self.results.setAccessibleName(self.tr("Results of the last import"))
        self.message = QLabel(self)
        self.message.setObjectName("knowledgeMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._lay_out()
        self._update_buttons()

    def _button(self, name: str, text: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        return button

    def _lay_out(self) -> None:
        buttons = QHBoxLayout()
        for button in (
            self.import_files_button,
            self.import_folder_button,
            self.remove_button,
            self.reembed_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        running = QHBoxLayout()
        running.addWidget(self.progress, 1)
        running.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 3)
        layout.addLayout(buttons)
        layout.addLayout(running)
        layout.addWidget(self.message)
        layout.addWidget(self.results, 1)

    # -- the list ------------------------------------------------------------------------

    def load(self) -> None:
        """Read the documents (database thread), then show them."""
        if self._sessions.current is None:
            return
        knowledge = self._sessions.app.knowledge()
        self._sessions.call(lambda _session: knowledge.list_documents(), self._show, self._failed)

    def _show(self, documents: list[DocumentInfo]) -> None:
        self.documents = documents
        self.table.setRowCount(len(documents))
        for row, info in enumerate(documents):
            doc = info.document
            library = (
                self.tr("starter library")
                if doc.origin.startswith(STARTER_ORIGIN_PREFIX)
                else self.tr("clinic")
            )
            if info.needs_embedding:
                library += self.tr(" (needs embedding)")
            values = [
                doc.title,
                doc.source,
                doc.date or "",
                doc.language,
                str(doc.chunk_count),
                library,
            ]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(doc.path)
                self.table.setItem(row, column, item)
        self._update_buttons()

    def selected(self) -> DocumentInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.documents[rows[0].row()] if rows else None

    def clear(self) -> None:
        """At sign-out: stop showing the library's documents and the last results."""
        self.documents = []
        self.table.setRowCount(0)
        self.results.clear()
        self.message.clear()

    # -- importing -----------------------------------------------------------------------

    def _choose_files(self) -> None:
        names, _filter = QFileDialog.getOpenFileNames(
            self,
            self.tr("Import documents"),
            "",
            self.tr("Documents (*.pdf *.md *.markdown *.txt *.html *.htm)"),
        )
        if names:
            self.import_paths([Path(name) for name in names])

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Import a folder"))
        if folder:
            self.import_paths([Path(folder)])

    def import_paths(self, paths: list[Path]) -> None:
        """Import files and folders as the signed-in admin, off the database thread."""
        session = self._sessions.session()
        app = self._sessions.app

        def work(on_progress: ProgressCallback, cancel: threading.Event) -> ImportSummary:
            with app.knowledge_on_own_connection() as knowledge:
                return knowledge.import_paths(
                    session, paths, on_progress=on_progress, cancel=cancel
                )

        self.results.clear()
        self._start(work, self.tr("Importing…"), self._imported)

    def _imported(self, summary: ImportSummary) -> None:
        self._finished()
        if self._sessions.current is None:  # signed out meanwhile: the import is done
            return
        for result in summary.results:
            self.results.addItem(self._result_line(result))
        for path in summary.not_processed:
            self.results.addItem(self.tr("not processed: {name}").format(name=path.name))
        counts = {outcome: len(summary.of(outcome)) for outcome in ImportOutcome}
        text = self.tr(
            "{total} file(s): {imported} imported, {replaced} replaced, {unchanged} unchanged, "
            "{failed} failed, {skipped} skipped."
        ).format(total=summary.total, **{o.value: n for o, n in counts.items()})
        if summary.cancelled:
            text += " " + self.tr("Cancelled: the files not processed can be imported again.")
        if summary.embedding_error:
            text += " " + self.tr(
                "Stored without embeddings ({reason}): keyword search finds them now; "
                "Re-embed adds vectors once the model works."
            ).format(reason=summary.embedding_error)
        self.message.setText(text)
        self.load()

    def _result_line(self, result: FileOutcome) -> str:
        """One file's result, worded as `medassist kb import` words it."""
        outcome = result.outcome.value
        if result.outcome in (ImportOutcome.FAILED, ImportOutcome.SKIPPED):
            return f"{outcome}: {result.message}"
        line = self.tr("{outcome}: {name} ({chunks} passages)").format(
            outcome=outcome, name=result.path.name, chunks=result.chunks
        )
        return f"{line}: {result.message}" if result.message else line

    # -- re-embedding --------------------------------------------------------------------

    def reembed(self) -> None:
        """Embed every passage lacking a vector of the configured model (admin)."""
        session = self._sessions.session()
        app = self._sessions.app

        def work(on_progress: ProgressCallback, cancel: threading.Event) -> EmbedSummary:
            with app.knowledge_on_own_connection() as knowledge:
                return knowledge.reembed(session, on_progress=on_progress, cancel=cancel)

        self.results.clear()
        self._start(work, self.tr("Embedding…"), self._reembedded)

    def _reembedded(self, summary: EmbedSummary) -> None:
        self._finished()
        if self._sessions.current is None:
            return
        text = self.tr(
            "Embedded {embedded} passage(s) of {documents} document(s) with {model}; "
            "{remaining} still without vectors."
        ).format(
            embedded=summary.embedded,
            documents=summary.documents,
            model=summary.model_id,
            remaining=summary.remaining,
        )
        if summary.error:
            text += " " + self.tr("The embedding model cannot be used: {reason}").format(
                reason=summary.error
            )
        self.message.setText(text)
        self.load()

    # -- removing ------------------------------------------------------------------------

    def ask_remove_selected(self) -> None:
        info = self.selected()
        if info is None:
            return
        self.confirm = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Remove document"),
            self.tr("Remove “{title}” from the library? Answers will no longer quote it.").format(
                title=info.document.title
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        self.confirm.setDefaultButton(QMessageBox.StandardButton.No)
        doc_id = info.document.doc_id
        self.confirm.finished.connect(lambda result: self._confirmed(result, doc_id))
        self.confirm.open()

    def _confirmed(self, result: int, doc_id: str) -> None:
        self.confirm = None
        if result == QMessageBox.StandardButton.Yes:
            self.remove(doc_id)

    def remove(self, doc_id: str) -> None:
        """Remove one document as the signed-in admin (audited as `kb.remove`)."""
        knowledge = self._sessions.app.knowledge()

        def work(session: Session) -> StoredDocument:
            return knowledge.remove_document(session, doc_id)

        self._sessions.call(work, self._removed, self._failed)

    def _removed(self, document: StoredDocument) -> None:
        self.message.setText(self.tr("Removed “{title}”.").format(title=document.title))
        self.load()

    # -- running -------------------------------------------------------------------------

    def _start(self, work: Any, text: str, done: Any) -> None:
        job = KnowledgeJob(work, name="medassist-kb-admin", parent=self)
        job.progress.connect(self._progressed)
        job.succeeded.connect(done)
        job.failed.connect(self._job_failed)
        self.job = job
        self.progress.setRange(0, 0)  # busy until the first step says how many
        self.progress.show()
        self.message.setText(text)
        self._update_buttons()
        job.start()

    def _progressed(self, progress: ImportProgress) -> None:
        self.progress.setRange(0, max(progress.total, 1))
        self.progress.setValue(progress.done)
        if progress.stage == "import":
            self.message.setText(
                self.tr("Importing {done} of {total}: {name}").format(
                    done=progress.done, total=progress.total, name=progress.item
                )
            )
        else:
            self.message.setText(
                self.tr("Embedding passages: {done} of {total}").format(
                    done=progress.done, total=progress.total
                )
            )

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.message.setText(self.tr("Cancelling after the current file…"))

    def _finished(self) -> None:
        self.job = None
        self.progress.hide()
        self._update_buttons()

    def _job_failed(self, error: BaseException) -> None:
        self._finished()
        self._failed(error)

    def _failed(self, error: BaseException) -> None:
        self.message.setText(describe_error(error))

    def _update_buttons(self) -> None:
        running = self.job is not None
        for button in (self.import_files_button, self.import_folder_button, self.reembed_button):
            button.setEnabled(not running)
        self.remove_button.setEnabled(not running and self.selected() is not None)
        self.cancel_button.setEnabled(running)
        self.cancel_button.setVisible(running)

    def shutdown(self) -> None:
        """At exit: cancel a running job and wait a little for it to stop."""
        if self.job is not None:
            self.job.cancel()
            self.job.wait(10.0)
