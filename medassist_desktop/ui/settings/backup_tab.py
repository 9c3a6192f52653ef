"""Backup: a folder (a USB stick), "Back up now", the daily automatic backup, the last one.

The backup runs on the database thread (it reads the database through its connection);
saving a case waits for it, a second or two for a clinic's database. A keyring clinic
set up in the window wrote its recovery key down at setup; one set up otherwise gets it
with its first backup, shown here once to be written down.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from medassist_desktop.services.admin_settings import SettingsView
from medassist_desktop.services.backup import BackupResult, create_backup, last_backup
from medassist_desktop.ui.errors import describe_error
from medassist_desktop.ui.session import SessionManager
from medassist_desktop.ui.settings.policy_tab import saved_text
from medassist_desktop.ui.translations import format_datetime


class BackupTab(QWidget):
    def __init__(self, sessions: SessionManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backupTab")
        self._sessions = sessions
        self.folder = QLineEdit(self)
        self.folder.setObjectName("backupFolder")
        self.folder.setAccessibleName(self.tr("Backup folder"))
        self.folder.setPlaceholderText(self.tr("A folder on a USB stick or another disk"))
        self.browse_button = QPushButton(self.tr("&Browse…"), self)
        self.browse_button.setObjectName("browseBackupFolder")
        self.browse_button.clicked.connect(self._browse)
        self.keep = QSpinBox(self)
        self.keep.setObjectName("backupKeep")
        self.keep.setAccessibleName(self.tr("Backups to keep"))
        self.keep.setRange(1, 365)
        self.daily = QCheckBox(self.tr("Back up &every day when the folder is there"), self)
        self.daily.setObjectName("backupDaily")
        self.save_button = QPushButton(self.tr("&Save"), self)
        self.save_button.setObjectName("saveBackupButton")
        self.save_button.clicked.connect(self.save)
        self.backup_button = QPushButton(self.tr("Back up &now"), self)
        self.backup_button.setObjectName("backupNowButton")
        self.backup_button.clicked.connect(self.back_up_now)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("backupProgress")
        self.progress.setRange(0, 0)  # busy: the copy reports no steps
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.last = QLabel(self)
        self.last.setObjectName("lastBackup")
        self.last.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setObjectName("backupMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._lay_out()

    def _lay_out(self) -> None:
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.browse_button)
        form = QFormLayout()
        folder_label = QLabel(self.tr("&Folder"), self)
        folder_label.setBuddy(self.folder)
        form.addRow(folder_label, folder_row)
        keep_label = QLabel(self.tr("&Keep the newest"), self)
        keep_label.setBuddy(self.keep)
        form.addRow(keep_label, self.keep)
        form.addRow("", self.daily)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.backup_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.last)
        layout.addWidget(self.message)
        layout.addStretch(1)

    def show_values(self, view: SettingsView) -> None:
        self.folder.setText(str(view.values.get("backup_folder") or ""))
        self.keep.setValue(int(view.values.get("backup_keep") or 7))
        self.daily.setChecked(bool(view.values.get("backup_daily", True)))
        self.refresh_last()

    def refresh_last(self) -> None:
        if self._sessions.current is None:  # shown while nobody is signed in: nothing to read
            return
        security = self._sessions.security
        self._sessions.call(lambda _session: last_backup(security), self._show_last)

    def _show_last(self, last: dict[str, str] | None) -> None:
        if last is None:
            self.last.setText(self.tr("No backup has been made yet."))
            return
        when = datetime.fromisoformat(last["at"]).astimezone()
        self.last.setText(
            self.tr("Last backup: {when} ({name})").format(
                when=format_datetime(when), name=last["backup"]
            )
        )

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, self.tr("Choose the backup folder"), self.folder.text()
        )
        if chosen:
            self.folder.setText(chosen)

    def save(self) -> None:
        service = self._sessions.admin_settings()
        folder, keep, daily = self.folder.text(), self.keep.value(), self.daily.isChecked()
        self._sessions.call(
            lambda session: service.save_backup(session, folder=folder, keep=keep, daily=daily),
            lambda result: self.message.setText(saved_text(result)),
            lambda error: self.message.setText(describe_error(error)),
        )

    def back_up_now(self) -> None:
        from pathlib import Path

        text = self.folder.text().strip()
        if not text:
            self.message.setText(self.tr("Choose the backup folder first."))
            return
        security = self._sessions.security
        loaded = self._sessions.context.loaded
        keep = self.keep.value()
        self._busy(True)
        self.message.setText(self.tr("Backing up…"))
        self._sessions.call(
            lambda session: create_backup(security, session, loaded, Path(text), keep=keep),
            self._done,
            self._failed,
        )

    def _done(self, result: BackupResult) -> None:
        self._busy(False)
        self.message.setText(self.tr("Backup written to {folder}.").format(folder=result.folder))
        self.refresh_last()
        if result.recovery_key:
            box = QMessageBox(self)
            box.setObjectName("recoveryKeyBox")
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle(self.tr("Write down the recovery key"))
            box.setText(
                self.tr(
                    "These backups open on another computer only with this recovery key. "
                    "Write it down now and keep it away from this laptop: it is not shown "
                    "again.\n\n{key}"
                ).format(key=result.recovery_key)
            )
            box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            box.open()

    def _failed(self, error: BaseException) -> None:
        self._busy(False)
        self.message.setText(describe_error(error))

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.backup_button.setEnabled(not busy)
        self.save_button.setEnabled(not busy)
