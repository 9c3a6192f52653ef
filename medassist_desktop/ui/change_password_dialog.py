"""Changing one's own password: after an admin reset (required), or from the Account menu."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from medassist_desktop.ui.errors import describe_error
from medassist_desktop.ui.session import SessionManager


class ChangePasswordDialog(QDialog):
    """Accepted once the account service has changed the password."""

    def __init__(
        self, sessions: SessionManager, parent: QWidget | None = None, *, required: bool = False
    ) -> None:
        super().__init__(parent)
        self._sessions = sessions
        self.setObjectName("changePasswordDialog")
        self.setWindowTitle(self.tr("Change your password"))
        self.setModal(True)
        intro = QLabel(
            self.tr("An admin reset your password. Choose your own before you continue.")
            if required
            else self.tr("Use 8+ characters, or a PIN of 6+ digits."),
            self,
        )
        intro.setWordWrap(True)
        self.current = QLineEdit(self)
        self.current.setAccessibleName(self.tr("Current password"))
        self.new = QLineEdit(self)
        self.new.setObjectName("newPassword")
        self.new.setAccessibleName(self.tr("New password"))
        self.confirm = QLineEdit(self)
        self.confirm.setObjectName("newPasswordConfirm")
        self.confirm.setAccessibleName(self.tr("New password again"))
        for widget in (self.current, self.new, self.confirm):
            widget.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel(self)
        self.message.setObjectName("changePasswordMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.message.hide()
        form = QFormLayout()
        for text, widget in (
            (self.tr("&Current password"), self.current),
            (self.tr("&New password"), self.new),
            (self.tr("&Again"), self.confirm),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            form.addRow(label, widget)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("&Change password"))
        if required:
            cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
            cancel.setText(self.tr("Sign &out"))
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def _submit(self) -> None:
        if self.new.text() != self.confirm.text():
            self._show(self.tr("The two new passwords are different."))
            return
        old, new = self.current.text(), self.new.text()
        accounts = self._sessions.security.accounts
        self.ok_button.setEnabled(False)
        self._sessions.call(
            lambda session: accounts.change_own_password(session, old, new),
            lambda _r: self.accept(),
            self._failed,
        )

    def _failed(self, error: BaseException) -> None:
        self.ok_button.setEnabled(True)
        self._show(describe_error(error))

    def _show(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
