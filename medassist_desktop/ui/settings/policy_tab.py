"""Sign-in and lock: the idle time before the screen locks, wrong passwords before a lockout."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from medassist_desktop.services.admin_settings import SaveResult, SettingsView
from medassist_desktop.ui.errors import describe_error
from medassist_desktop.ui.session import SessionManager


def saved_text(result: SaveResult) -> str:
    from PySide6.QtCore import QCoreApplication

    text = QCoreApplication.translate(
        "Settings", "Saved in {file}. It applies the next time MedAssist starts."
    ).format(file=result.settings_file)
    if result.hidden_by_environment:
        text += " " + QCoreApplication.translate(
            "Settings", "Note: {names} set in the environment win over the file."
        ).format(names=", ".join(result.hidden_by_environment))
    return text


class PolicyTab(QWidget):
    def __init__(self, sessions: SessionManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("policyTab")
        self._sessions = sessions
        self.timeout = QSpinBox(self)
        self.timeout.setObjectName("sessionTimeout")
        self.timeout.setAccessibleName(self.tr("Lock the screen after this many idle minutes"))
        self.timeout.setRange(1, 24 * 60)
        self.timeout.setSuffix(self.tr(" min"))
        self.attempts = QSpinBox(self)
        self.attempts.setObjectName("maxLoginAttempts")
        self.attempts.setAccessibleName(self.tr("Wrong passwords before an account is locked"))
        self.attempts.setRange(1, 100)
        self.save_button = QPushButton(self.tr("&Save"), self)
        self.save_button.setObjectName("savePolicyButton")
        self.save_button.clicked.connect(self.save)
        self.message = QLabel(self)
        self.message.setObjectName("policyMessage")
        self.message.setWordWrap(True)
        form = QFormLayout()
        for text, widget in (
            (self.tr("Lock the screen after &idle time"), self.timeout),
            (self.tr("&Wrong passwords before a lockout"), self.attempts),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            form.addRow(label, widget)
        note = QLabel(
            self.tr(
                "A locked-out account waits 5 minutes, doubling with each further lockout; "
                "an admin's password reset ends it."
            ),
            self,
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.save_button)
        layout.addWidget(self.message)
        layout.addStretch(1)

    def show_values(self, view: SettingsView) -> None:
        self.timeout.setValue(int(view.values["session_timeout_minutes"]))
        self.attempts.setValue(int(view.values["max_login_attempts"]))

    def save(self) -> None:
        service = self._sessions.admin_settings()
        timeout, attempts = self.timeout.value(), self.attempts.value()
        self._sessions.call(
            lambda session: service.save_policy(
                session, session_timeout_minutes=timeout, max_login_attempts=attempts
            ),
            lambda result: self.message.setText(saved_text(result)),
            lambda error: self.message.setText(describe_error(error)),
        )
