"""Sync conflicts (admins): records changed both here and elsewhere, side by side; keep one.

The list and both versions come from the same service as `medassist sync conflicts`;
keeping a version goes through the same service as `medassist sync resolve`, in its
three steps: the database thread prepares and finishes it, and the server is talked to
on a thread of its own, so neither the window nor the database thread waits on the
network. Fields that differ are shown in bold.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from medassist_desktop.core.security.sessions import Session
from medassist_desktop.ui.errors import describe_error
from medassist_desktop.ui.session import SessionManager
from medassist_desktop.workers.background import BackgroundJob

if TYPE_CHECKING:
    from medassist_desktop.core.sync.conflicts import Conflict, Keep
    from medassist_desktop.services.sync_conflicts import Resolution, ResolvePlan


class ConflictsTab(QWidget):
    def __init__(self, sessions: SessionManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictsTab")
        self._sessions = sessions
        self._conflicts: list[Conflict] = []
        self._job: BackgroundJob | None = None
        intro = QLabel(
            self.tr(
                "A record changed on this computer and elsewhere (on the server or another "
                "computer of the clinic) since the last sync. Compare both versions and keep "
                "one; the other is removed from the server. Fields that differ are in bold."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.list = QTableWidget(0, 2, self)
        self.list.setObjectName("conflictList")
        self.list.setAccessibleName(self.tr("Open sync conflicts"))
        self.list.setHorizontalHeaderLabels([self.tr("Record"), self.tr("Found (UTC)")])
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.list.itemSelectionChanged.connect(self._show_selected)
        self.compare = QTableWidget(0, 3, self)
        self.compare.setObjectName("conflictCompare")
        self.compare.setAccessibleName(self.tr("Both versions, field by field"))
        self.compare.setHorizontalHeaderLabels(
            [self.tr("Field"), self.tr("This computer"), self.tr("Server")]
        )
        self.compare.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.compare.verticalHeader().hide()
        header = self.compare.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.refresh_button = QPushButton(self.tr("&Refresh"), self)
        self.refresh_button.setObjectName("conflictRefresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.keep_local_button = QPushButton(self.tr("Keep &this computer's version"), self)
        self.keep_local_button.setObjectName("keepLocalButton")
        self.keep_local_button.clicked.connect(lambda: self.keep(_keep("local")))
        self.keep_server_button = QPushButton(self.tr("Keep the &server's version"), self)
        self.keep_server_button.setObjectName("keepServerButton")
        self.keep_server_button.clicked.connect(lambda: self.keep(_keep("server")))
        self.message = QLabel(self)
        self.message.setObjectName("conflictMessage")
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        buttons.addWidget(self.keep_local_button)
        buttons.addWidget(self.keep_server_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.compare, 2)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self._set_choice_enabled(False)

    # --- reading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the open conflicts (database thread), then list them."""
        app = self._sessions.app

        def read(session: Session) -> list[Conflict]:
            return app.sync_conflicts().list(session)

        self._sessions.call(read, self._show_list, self._failed)

    def _show_list(self, found: list[Conflict]) -> None:
        self._conflicts = found
        self.list.setRowCount(len(found))
        for row, conflict in enumerate(found):
            self.list.setItem(row, 0, QTableWidgetItem(conflict.doc_id))
            self.list.setItem(row, 1, QTableWidgetItem(conflict.detected_at[:19]))
        self.compare.setRowCount(0)
        if found:
            self.list.selectRow(0)
        else:
            self._set_choice_enabled(False)
            if not self.message.text():
                self.message.setText(self.tr("No open sync conflicts."))

    def _selected(self) -> Conflict | None:
        rows = self.list.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self._conflicts):
            return None
        return self._conflicts[rows[0].row()]

    def _show_selected(self) -> None:
        conflict = self._selected()
        pairs = conflict.fields() if conflict is not None else []
        self.compare.setRowCount(len(pairs))
        for row, pair in enumerate(pairs):
            cells = [
                pair.name,
                self.tr("(not set)") if pair.local is None else pair.local,
                self.tr("(not set)") if pair.server is None else pair.server,
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if pair.differs:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.compare.setItem(row, column, item)
        if conflict is not None and conflict.local_body is None:
            self.message.setText(self.tr("This computer's copy of that version is no longer kept."))
        self._set_choice_enabled(conflict is not None)

    def clear(self) -> None:
        """Forget what was shown (at sign-out: both versions hold patient details)."""
        self._conflicts = []
        self.list.setRowCount(0)
        self.compare.setRowCount(0)
        self.message.clear()
        self._set_choice_enabled(False)

    # --- keeping a version -----------------------------------------------------------------

    def keep(self, keep: Keep) -> None:
        conflict = self._selected()
        if conflict is None:
            return
        self._set_choice_enabled(False)
        self.message.setText(self.tr("Settling the conflict with the server…"))
        app = self._sessions.app

        def prepare(session: Session) -> ResolvePlan:
            return app.sync_conflicts().prepare(
                session, conflict.doc_id, keep, remote_rev=conflict.remote_rev
            )

        self._sessions.call(prepare, self._settle, self._failed)

    def _settle(self, plan: ResolvePlan) -> None:
        from medassist_desktop.services.sync_conflicts import SyncConflictService

        def on_server(_progress: Any, _cancel: Any) -> Any:
            return SyncConflictService.settle(plan)

        job = BackgroundJob(on_server, name="medassist-sync-conflict", parent=self)
        job.succeeded.connect(lambda remote: self._finish(plan, remote))
        job.failed.connect(lambda error: self._settle_failed(plan, error))
        self._job = job
        job.start()

    def _finish(self, plan: ResolvePlan, remote: Any) -> None:
        app = self._sessions.app

        def finish(session: Session) -> Resolution:
            return app.sync_conflicts().finish(session, plan, remote)

        self._sessions.call(finish, self._done, self._failed)

    def _done(self, resolution: Resolution) -> None:
        if resolution.keep.value == "local":
            text = self.tr("{record}: this computer's version was kept.")
        else:
            text = self.tr("{record}: the server's version was kept.")
        self.message.setText(text.format(record=resolution.doc_id))
        self.refresh()

    def _settle_failed(self, plan: ResolvePlan, error: BaseException) -> None:
        app = self._sessions.app

        def record(session: Session) -> None:
            app.sync_conflicts().record_failure(session, plan, error)

        self._sessions.call(record, lambda _r: None)
        self._failed(error)

    def _failed(self, error: BaseException) -> None:
        self.message.setText(describe_error(error))
        self._set_choice_enabled(self._selected() is not None)

    def _set_choice_enabled(self, enabled: bool) -> None:
        self.keep_local_button.setEnabled(enabled)
        self.keep_server_button.setEnabled(enabled)


def _keep(value: str) -> Keep:
    from medassist_desktop.core.sync.conflicts import Keep

    return Keep(value)
