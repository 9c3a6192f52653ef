"""Audit (admins): who did what and when, filtered; verify the chain; export for an inspector.

Looking at the trail is itself recorded in it (`audit.view`), as the CLI's export and
verify are. The newest 500 entries that match are shown, newest first.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

from PySide6.QtCore import QDate, QStandardPaths
from PySide6.QtWidgets import (
    QDateEdit,
    QFileDialog,
    QFormLayout,
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

from medassist_desktop.core.security.audit import AuditEntry, VerifyResult
from medassist_desktop.core.security.sessions import Session
from medassist_desktop.ui.errors import describe_error
from medassist_desktop.ui.session import SessionManager

SHOWN = 500


def day_start_utc(day: QDate) -> str:
    """Local midnight of `day` as the UTC timestamp the audit trail stores."""
    local = datetime.combine(date(day.year(), day.month(), day.day()), time()).astimezone()
    return local.astimezone(UTC).isoformat(timespec="milliseconds")


class AuditTab(QWidget):
    def __init__(self, sessions: SessionManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditTab")
        self._sessions = sessions
        self.user = QLineEdit(self)
        self.user.setObjectName("auditUser")
        self.user.setPlaceholderText(self.tr("any user"))
        self.action = QLineEdit(self)
        self.action.setObjectName("auditAction")
        self.action.setPlaceholderText(self.tr("any action, or the start of one: case."))
        today = QDate.currentDate()
        self.date_from = QDateEdit(today.addDays(-30), self)
        self.date_from.setObjectName("auditFrom")
        self.date_to = QDateEdit(today, self)
        self.date_to.setObjectName("auditTo")
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.search_button = QPushButton(self.tr("&Show"), self)
        self.search_button.setObjectName("auditSearch")
        self.search_button.clicked.connect(self.search)
        self.verify_button = QPushButton(self.tr("&Verify the chain"), self)
        self.verify_button.setObjectName("auditVerify")
        self.verify_button.clicked.connect(self.verify)
        self.export_button = QPushButton(self.tr("E&xport…"), self)
        self.export_button.setObjectName("auditExport")
        self.export_button.clicked.connect(self.choose_export)
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("auditTable")
        self.table.setAccessibleName(self.tr("Audit entries"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Time (UTC)"),
                self.tr("User"),
                self.tr("Action"),
                self.tr("On"),
                self.tr("Result"),
            ]
        )
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.message = QLabel(self)
        self.message.setObjectName("auditMessage")
        self.message.setWordWrap(True)
        self._lay_out()

    def _lay_out(self) -> None:
        form = QFormLayout()
        for text, widget in (
            (self.tr("U&ser"), self.user),
            (self.tr("&Action"), self.action),
            (self.tr("&From"), self.date_from),
            (self.tr("&To"), self.date_to),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            form.addRow(label, widget)
        buttons = QHBoxLayout()
        for button in (self.search_button, self.verify_button, self.export_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)

    def search(self) -> None:
        audit = self._sessions.security.audit
        actor, action = self.user.text().strip(), self.action.text().strip()
        since = day_start_utc(self.date_from.date())
        before = day_start_utc(self.date_to.date().addDays(1))
        self._sessions.call(
            lambda session: audit.search(
                session, actor=actor, action=action, since=since, before=before, limit=SHOWN
            ),
            self._show,
            self._failed,
        )

    def _show(self, entries: list[AuditEntry]) -> None:
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            values = [
                entry.ts[:19].replace("T", " "),
                entry.actor or self.tr("(system)"),
                entry.action,
                entry.resource,
                entry.outcome,
            ]
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.message.setText(
            self.tr("%n entry(ies) (the newest {shown} at most).", "", len(entries)).format(
                shown=SHOWN
            )
        )

    def verify(self) -> None:
        audit = self._sessions.security.audit
        self._sessions.call(audit.verify, self._verified, self._failed)

    def _verified(self, result: VerifyResult) -> None:
        if result.ok:
            self.message.setText(
                self.tr(
                    "The audit trail is intact (%n entry(ies) checked).",
                    "",
                    result.entries_checked,
                )
            )
        else:
            self.message.setText(
                self.tr("The audit trail is BROKEN at entry {id}: {reason}").format(
                    id=result.first_broken_id, reason=result.reason or ""
                )
            )

    def choose_export(self) -> None:
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        stamp = datetime.now(UTC).strftime("%Y%m%d")
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export the audit trail"),
            str(Path(documents) / f"medassist-audit-{stamp}.jsonl"),
            self.tr("JSON lines (*.jsonl)"),
        )
        if chosen:
            self.export_to(Path(chosen))

    def export_to(self, target: Path) -> None:
        audit = self._sessions.security.audit

        def export(session: Session) -> int:
            partial = target.with_name(f".{target.name}.partial")
            with partial.open("w", encoding="utf-8") as out:
                count = audit.export(session, out)
            partial.replace(target)
            return count

        self._sessions.call(export, self._exported, self._failed)

    def _exported(self, count: int) -> None:
        self.message.setText(self.tr("Exported %n entry(ies).", "", count))

    def _failed(self, error: BaseException) -> None:
        self.message.setText(describe_error(error))
