"""The case list: find a patient by name, clinic id or case number; open or start a case.

The list is loaded on the database thread (the search is audited and reads the
disk); the GUI thread only shows the result. Each row carries the triage level in
words and colour, so it reads the same to someone colour-blind.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from medassist_desktop.core.cases.models import CaseSummary
from medassist_desktop.core.security.sessions import Session
from medassist_desktop.services.cases import CaseService
from medassist_desktop.ui.errors import describe_error
from medassist_desktop.ui.session import ServiceCalls
from medassist_desktop.ui.translations import format_datetime
from medassist_desktop.ui.widgets.triage_banner import LEVEL_STYLE

SEARCH_DELAY_MS = 300


class CaseListPage(QWidget):
    """Signals: new_case_requested(), case_opened(int case id), loaded(int row count)."""

    new_case_requested = Signal()
    case_opened = Signal(int)
    loaded = Signal(int)

    def __init__(
        self,
        cases: CaseService,
        calls: ServiceCalls,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("caseListPage")
        self.setAccessibleName(self.tr("Cases"))
        self._cases = cases
        self._calls = calls
        self._generation = 0
        self.summaries: list[CaseSummary] = []

        self.search = QLineEdit(self)
        self.search.setObjectName("caseSearch")
        self.search.setAccessibleName(self.tr("Search cases"))
        self.search.setPlaceholderText(self.tr("Search by name, clinic id or #case number"))
        self.search.setClearButtonEnabled(True)
        self.new_button = QPushButton(self.tr("&New case"), self)
        self.new_button.setObjectName("newCaseButton")
        self.new_button.setToolTip(self.tr("Start a new case (Ctrl+N)"))
        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("caseTable")
        self.table.setAccessibleName(self.tr("Case list"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Patient"), self.tr("Date"), self.tr("Triage")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.status = QLabel(self)
        self.status.setObjectName("caseListStatus")

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self.setTabOrder(self.search, self.new_button)
        self.setTabOrder(self.new_button, self.table)
        self.setFocusProxy(self.search)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self._open_first)
        self.new_button.clicked.connect(self.new_case_requested)
        self.table.itemActivated.connect(lambda item: self._open_row(item.row()))
        QShortcut(QKeySequence.StandardKey.New, self, self.new_case_requested.emit)

    def refresh(self) -> None:
        """Load the cases matching the search box (in the background)."""
        self._search_timer.stop()
        self._generation += 1
        generation, text = self._generation, self.search.text().strip()
        self.status.setText(self.tr("Loading…"))

        def work(session: Session) -> list[CaseSummary]:
            return self._cases.list_cases(session, text=text)

        def done(found: list[CaseSummary]) -> None:
            if generation == self._generation:  # an older search answering late is ignored
                self._show(found)

        self._calls.call(work, done, self._failed)

    def _show(self, found: list[CaseSummary]) -> None:
        self.summaries = found
        self.table.setRowCount(len(found))
        for row, case in enumerate(found):
            who = f"#{case.id}  {case.name}"
            if case.patient_id:
                who += f"  ({case.patient_id})"
            date = format_datetime(case.created_at)
            level = case.triage_level.value
            background, foreground = LEVEL_STYLE.get(level, ("#eceff1", "#000000"))
            level_item = QTableWidgetItem(self._level_word(level))
            level_item.setBackground(QBrush(QColor(background)))
            level_item.setForeground(QBrush(QColor(foreground)))
            level_item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            for column, item in enumerate(
                (QTableWidgetItem(who), QTableWidgetItem(date), level_item)
            ):
                item.setData(Qt.ItemDataRole.UserRole, case.id)
                self.table.setItem(row, column, item)
        self.status.setText(self.tr("%n case(s)", "", len(found)))
        self.loaded.emit(len(found))

    def _level_word(self, level: str) -> str:
        words = {
            "emergency": self.tr("EMERGENCY"),
            "urgent": self.tr("URGENT"),
            "routine": self.tr("ROUTINE"),
        }
        return words.get(level, level.upper())

    def _failed(self, error: BaseException) -> None:
        self.status.setText(describe_error(error))

    def _open_row(self, row: int) -> None:
        if 0 <= row < len(self.summaries):
            self.case_opened.emit(self.summaries[row].id)

    def _open_first(self) -> None:
        if self.summaries:
            self._open_row(max(self.table.currentRow(), 0))
