"""Unlocking the database with its passphrase (where no OS keyring holds the key)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from medassist_desktop import APP_NAME
from medassist_desktop.storage.errors import CannotUnlockError
from medassist_desktop.ui.errors import describe_error


class PassphraseDialog(QDialog):
    """Signal: submitted(passphrase). Rejecting it quits the app."""

    submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("passphraseDialog")
        self.setWindowTitle(self.tr("Unlock the database — {app}").format(app=APP_NAME))
        self.setModal(True)
        intro = QLabel(
            self.tr(
                "This computer keeps the clinic's database locked with a passphrase. "
                "Enter it to open the database."
            ),
            self,
        )
        intro.setWordWrap(True)
        label = QLabel(self.tr("&Database passphrase"), self)
        self.passphrase = QLineEdit(self)
        self.passphrase.setObjectName("unlockPassphrase")
        self.passphrase.setAccessibleName(self.tr("Database passphrase"))
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        label.setBuddy(self.passphrase)
        self.message = QLabel(self)
        self.message.setObjectName("unlockMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.message.hide()

        buttons = QDialogButtonBox(self)
        self.unlock_button = QPushButton(self.tr("&Unlock"), self)
        self.unlock_button.setObjectName("unlockDatabaseButton")
        self.unlock_button.setDefault(True)
        quit_button = QPushButton(self.tr("&Quit"), self)
        buttons.addButton(self.unlock_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(quit_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.unlock_button.clicked.connect(self._submit)
        quit_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(label)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)

    def _submit(self) -> None:
        if not self.passphrase.text():
            self.passphrase.setFocus()
            return
        self.set_busy(True)
        self.submitted.emit(self.passphrase.text())

    def set_busy(self, busy: bool) -> None:
        self.passphrase.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy)
        self.unlock_button.setText(self.tr("Unlocking…") if busy else self.tr("&Unlock"))

    def show_failure(self, error: BaseException | None) -> None:
        self.set_busy(False)
        self.passphrase.clear()
        if isinstance(error, CannotUnlockError):
            text = self.tr("That passphrase does not open the database. Try again.")
        else:
            text = describe_error(error)
        self.message.setText(text)
        self.message.show()
        self.passphrase.setFocus()
