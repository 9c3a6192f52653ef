"""Sign-in: user name and password (or PIN). Shows what happened, never which part was wrong.

The dialog only asks and shows; the start-up flow signs in through the account
service on the database thread and calls `show_failure` with what came back. A
lockout shows the time left, counting down, computed from the error's
`locked_until` with the same clock the services use.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from medassist_desktop import APP_NAME
from medassist_desktop.core.security.errors import AccountLockedError, AuthError
from medassist_desktop.ui.errors import describe_error, format_wait


def lockout_text(until: float, now: float) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate(
        "LoginDialog",
        "Too many wrong passwords: this account is locked. Try again in {time}, "
        "or ask a clinic admin to reset the password.",
    ).format(time=format_wait(until - now))


class LoginDialog(QDialog):
    """Signal: submitted(username, password). Rejecting it (Quit, Esc) quits the app."""

    submitted = Signal(str, str)

    def __init__(
        self,
        clinic: str,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._locked_until: float | None = None
        self.setObjectName("loginDialog")
        self.setWindowTitle(self.tr("Sign in — {app}").format(app=APP_NAME))
        self.setModal(True)

        heading = QLabel(self.tr("Sign in to {clinic}").format(clinic=clinic), self)
        heading.setObjectName("dialogHeading")
        self.username = QLineEdit(self)
        self.username.setObjectName("loginUsername")
        self.username.setAccessibleName(self.tr("User name"))
        self.password = QLineEdit(self)
        self.password.setObjectName("loginPassword")
        self.password.setAccessibleName(self.tr("Password or PIN"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel(self)
        self.message.setObjectName("loginMessage")
        self.message.setAccessibleName(self.tr("Sign-in message"))
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.message.hide()

        form = QFormLayout()
        user_label = QLabel(self.tr("&User name"), self)
        user_label.setBuddy(self.username)
        password_label = QLabel(self.tr("&Password or PIN"), self)
        password_label.setBuddy(self.password)
        form.addRow(user_label, self.username)
        form.addRow(password_label, self.password)

        buttons = QDialogButtonBox(self)
        self.sign_in_button = QPushButton(self.tr("&Sign in"), self)
        self.sign_in_button.setObjectName("signInButton")
        self.sign_in_button.setDefault(True)
        self.quit_button = QPushButton(self.tr("&Quit"), self)
        buttons.addButton(self.sign_in_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.sign_in_button.clicked.connect(self._submit)
        self.quit_button.clicked.connect(self.reject)

        self._layout = layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._refresh_lockout)

    def _submit(self) -> None:
        username = self.username.text().strip()
        if not username or not self.password.text():
            self._show(self.tr("Enter your user name and password."))
            (self.username if not username else self.password).setFocus()
            return
        self.set_busy(True)
        self.submitted.emit(username, self.password.text())

    def set_busy(self, busy: bool) -> None:
        for widget in (self.username, self.password, self.sign_in_button):
            widget.setEnabled(not busy)
        self.sign_in_button.setText(self.tr("Signing in…") if busy else self.tr("&Sign in"))

    def show_failure(self, error: BaseException) -> None:
        """What the account service said, in words that do not tell which part was wrong."""
        self.set_busy(False)
        self.password.clear()
        self._countdown.stop()
        self._locked_until = None
        if isinstance(error, AccountLockedError):
            self._locked_until = error.locked_until
            self._refresh_lockout()
            self._countdown.start()
        elif isinstance(error, AuthError) and type(error) is AuthError:
            self._show(self.tr("Wrong user name or password."))
        else:
            self._show(describe_error(error))
        self.password.setFocus()

    def _refresh_lockout(self) -> None:
        until = self._locked_until
        if until is None or until <= self._clock():
            self._countdown.stop()
            self._show(self.tr("You can try to sign in again."))
            return
        self._show(lockout_text(until, self._clock()))

    def _show(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        self._fit_height()

    def _fit_height(self) -> None:
        """Grow to fit a wrapped message, so the fields above it keep their height."""
        layout = self._layout
        layout.activate()
        width = self.width()
        needed = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else -1
        needed = max(needed, layout.totalMinimumSize().height())
        self.setMinimumHeight(needed)
        if self.height() < needed:
            self.resize(width, needed)

    def reset(self) -> None:
        """Empty fields, no message: for the next person after a sign-out."""
        self._countdown.stop()
        self.set_busy(False)
        self.username.clear()
        self.password.clear()
        self.message.hide()
        self.username.setFocus()
