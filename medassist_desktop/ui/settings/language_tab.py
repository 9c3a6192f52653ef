"""Language: the window's language for this computer, saved in the settings file."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from medassist_desktop.services.admin_settings import SettingsView
from medassist_desktop.ui.errors import describe_error
from medassist_desktop.ui.session import SessionManager
from medassist_desktop.ui.settings.policy_tab import saved_text
from medassist_desktop.ui.widgets.language_picker import LanguagePicker


class LanguageTab(QWidget):
    def __init__(
        self, sessions: SessionManager, current: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("languageTab")
        self._sessions = sessions
        self.picker = LanguagePicker(current, self)
        label = QLabel(self.picker.label_text(), self)
        label.setBuddy(self.picker)
        form = QFormLayout()
        form.addRow(label, self.picker)
        note = QLabel(self.picker.restart_note(), self)
        note.setObjectName("languageRestartNote")
        note.setWordWrap(True)
        self.save_button = QPushButton(self.tr("&Save"), self)
        self.save_button.setObjectName("saveLanguageButton")
        self.save_button.clicked.connect(self.save)
        self.message = QLabel(self)
        self.message.setObjectName("languageMessage")
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.save_button)
        layout.addWidget(self.message)
        layout.addStretch(1)

    def show_values(self, view: SettingsView) -> None:
        self.picker.set_language(str(view.values["ui_language"]))

    def save(self) -> None:
        service = self._sessions.admin_settings()
        language = self.picker.language()
        self._sessions.call(
            lambda session: service.save_language(session, language=language),
            lambda result: self.message.setText(saved_text(result)),
            lambda error: self.message.setText(describe_error(error)),
        )
