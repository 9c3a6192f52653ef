"""First-run setup, keyring clinics: the recovery key, to write down or print, confirmed.

The database key is kept in this laptop's keyring, which goes when the laptop dies or
is stolen. Backups are encrypted with a separate key; its written-down form, the
recovery key, restores them on any computer. The page shows it once, offers to print
it, and goes on only when the admin types its last group back: proof that it was
written down, not just glanced at.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QTextDocument
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from medassist_desktop import APP_NAME


class RecoveryKeyPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("setupRecoveryKeyPage")
        self.recovery_key: str | None = None
        self.clinic_name = ""
        self.setTitle(self.tr("Write down the recovery key"))
        self.setSubTitle(
            self.tr(
                "If this computer breaks or is stolen, the clinic's backups can only be opened "
                "on another computer with this key. It is shown only now."
            )
        )
        explain = QLabel(
            self.tr(
                "Write it on paper (or print it) and keep it locked away, not with this "
                "computer. Anyone who has it and a backup can read the clinic's records."
            ),
            self,
        )
        explain.setWordWrap(True)
        self.key_label = QLabel(self)
        self.key_label.setObjectName("recoveryKey")
        self.key_label.setAccessibleName(self.tr("Recovery key"))
        self.key_label.setWordWrap(True)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setWeight(QFont.Weight.Bold)
        self.key_label.setFont(font)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.print_button = QPushButton(self.tr("&Print…"), self)
        self.print_button.setObjectName("printRecoveryKey")
        self.print_button.clicked.connect(self.print_key)
        self.confirm = QLineEdit(self)
        self.confirm.setObjectName("recoveryKeyConfirm")
        self.confirm.setAccessibleName(self.tr("The last group of the recovery key"))
        self.confirm.setMaxLength(8)
        self.confirm.textChanged.connect(self.completeChanged)
        confirm_label = QLabel(self.tr("To confirm, type its &last group"), self)
        confirm_label.setBuddy(self.confirm)
        row = QHBoxLayout()
        row.addWidget(self.key_label, 1)
        row.addWidget(self.print_button)
        form = QFormLayout()
        form.addRow(confirm_label, self.confirm)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(row)
        layout.addLayout(form)
        layout.addStretch(1)

    def set_key(self, recovery_key: str | None, clinic_name: str = "") -> None:
        self.recovery_key = recovery_key
        self.clinic_name = clinic_name
        self.key_label.setText(recovery_key or "")
        self.confirm.clear()

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        if not self.recovery_key:
            return True
        last = self.recovery_key.rsplit("-", 1)[-1]
        return self.confirm.text().strip().upper() == last.upper()

    def document(self) -> QTextDocument:
        """What is printed: the key, the clinic, and what it is for."""
        document = QTextDocument(self)
        heading = self.tr("{app} recovery key").format(app=APP_NAME)
        clinic = self.clinic_name or ""
        note = self.tr(
            "Opens this clinic's backups on another computer. Keep it locked away, not "
            "with the computer."
        )
        document.setPlainText(f"{heading}\n{clinic}\n\n{self.recovery_key or ''}\n\n{note}\n")
        return document

    def print_key(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter()
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.document().print_(printer)
