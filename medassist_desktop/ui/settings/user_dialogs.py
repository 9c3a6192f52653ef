"""Dialogs of the Users tab: a new account, a password reset. They only collect input."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from medassist_desktop.core.security.accounts import Role
from medassist_desktop.ui.session import role_label


def _password_field(parent: QWidget, name: str, accessible: str) -> QLineEdit:
    field = QLineEdit(parent)
    field.setObjectName(name)
    field.setAccessibleName(accessible)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class _FormDialog(QDialog):
    """OK checks the input here, then says `submitted`; the tab runs the service and
    accepts the dialog on success, or shows the service's message in it."""

    submitted = Signal()

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.form = QFormLayout()
        self.message = QLabel(self)
        self.message.setObjectName("dialogMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)

    def add_row(self, text: str, widget: QWidget) -> None:
        label = QLabel(text, self)
        label.setBuddy(widget)
        self.form.addRow(label, widget)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def set_busy(self, busy: bool) -> None:
        self.buttons.setEnabled(not busy)

    def _check(self) -> None:
        self.submitted.emit()


class AddUserDialog(_FormDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Add a user"), parent)
        self.setObjectName("addUserDialog")
        self.username = QLineEdit(self)
        self.username.setObjectName("newUsername")
        self.username.setAccessibleName(self.tr("User name"))
        self.display_name = QLineEdit(self)
        self.display_name.setObjectName("newDisplayName")
        self.display_name.setAccessibleName(self.tr("Full name"))
        self.role = QComboBox(self)
        self.role.setObjectName("newRole")
        self.role.setAccessibleName(self.tr("Role"))
        for role in (Role.HEALTH_WORKER, Role.ADMIN):
            self.role.addItem(role_label(role), role.value)
        self.password = _password_field(self, "newUserPassword", self.tr("Password or PIN"))
        self.confirm = _password_field(self, "newUserPasswordConfirm", self.tr("Again"))
        self.add_row(self.tr("&User name"), self.username)
        self.add_row(self.tr("&Full name"), self.display_name)
        self.add_row(self.tr("&Role"), self.role)
        self.add_row(self.tr("&Password or PIN"), self.password)
        self.add_row(self.tr("&Again"), self.confirm)

    def selected_role(self) -> Role:
        return Role(str(self.role.currentData()))

    def _check(self) -> None:
        if not self.username.text().strip():
            self.show_message(self.tr("Enter a user name."))
        elif self.password.text() != self.confirm.text() or not self.password.text():
            self.show_message(self.tr("Type the same password twice."))
        else:
            self.submitted.emit()


class ResetPasswordDialog(_FormDialog):
    def __init__(self, username: str, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Reset the password of {user}").format(user=username), parent)
        self.setObjectName("resetPasswordDialog")
        self.password = _password_field(self, "resetPassword", self.tr("New password or PIN"))
        self.confirm = _password_field(self, "resetPasswordConfirm", self.tr("Again"))
        self.must_change = QCheckBox(self.tr("They must choose their own at next sign-in"), self)
        self.must_change.setChecked(True)
        self.add_row(self.tr("&New password or PIN"), self.password)
        self.add_row(self.tr("&Again"), self.confirm)
        self.form.addRow(self.must_change)
        note = QLabel(self.tr("A reset also ends a lockout."), self)
        self.form.addRow(note)

    def _check(self) -> None:
        if self.password.text() != self.confirm.text() or not self.password.text():
            self.show_message(self.tr("Type the same password twice."))
        else:
            self.submitted.emit()
