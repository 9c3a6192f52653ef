"""Settings (admin only): Users, Sign-in & lock, Model, Knowledge, Sync & cloud, Conflicts,
Backup, System, Audit, Language.

The main window hides this page from health workers; the services refuse a health
worker's session anyway. The page reads its values when an admin signs in and
forgets them when they sign out. Sync conflicts are read when their tab is shown
(looking at them is audited: they hold patient details).
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from medassist_desktop.core.security.sessions import Session
from medassist_desktop.services.admin_settings import SettingsView
from medassist_desktop.ui.errors import describe_error
from medassist_desktop.ui.model_status import ModelController
from medassist_desktop.ui.session import SessionManager
from medassist_desktop.ui.settings.audit_tab import AuditTab
from medassist_desktop.ui.settings.backup_tab import BackupTab
from medassist_desktop.ui.settings.conflicts_tab import ConflictsTab
from medassist_desktop.ui.settings.connections_tab import ConnectionsTab
from medassist_desktop.ui.settings.knowledge_tab import KnowledgeTab
from medassist_desktop.ui.settings.language_tab import LanguageTab
from medassist_desktop.ui.settings.model_tab import ModelTab
from medassist_desktop.ui.settings.policy_tab import PolicyTab
from medassist_desktop.ui.settings.system_tab import SystemTab
from medassist_desktop.ui.settings.users_tab import UsersTab


class SettingsPage(QWidget):
    def __init__(
        self, sessions: SessionManager, models: ModelController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsPage")
        self._sessions = sessions
        self.users = UsersTab(sessions, clock=sessions.clock)
        self.policy = PolicyTab(sessions)
        self.model = ModelTab(sessions, models)
        self.knowledge = KnowledgeTab(sessions)
        self.connections = ConnectionsTab(sessions)
        self.conflicts = ConflictsTab(sessions)
        self.backup = BackupTab(sessions)
        self.system = SystemTab(sessions)
        self.audit = AuditTab(sessions)
        self.language = LanguageTab(sessions, sessions.context.settings.ui_language)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("settingsTabs")
        self.tabs.setAccessibleName(self.tr("Settings sections"))
        self.tabs.addTab(self.users, self.tr("&Users"))
        self.tabs.addTab(self.policy, self.tr("Sign-in and &lock"))
        self.tabs.addTab(self.model, self.tr("&Model"))
        self.tabs.addTab(self.knowledge, self.tr("&Knowledge"))
        self.tabs.addTab(self.connections, self.tr("S&ync and cloud"))
        self.tabs.addTab(self.conflicts, self.tr("Co&nflicts"))
        self.tabs.addTab(self.backup, self.tr("&Backup"))
        self.tabs.addTab(self.system, self.tr("Sys&tem"))
        self.tabs.addTab(self.audit, self.tr("&Audit"))
        self.tabs.addTab(self.language, self.tr("Lan&guage"))
        self.message = QLabel(self)
        self.message.setObjectName("settingsMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.message)
        self.tabs.currentChanged.connect(self._tab_shown)
        sessions.signed_in.connect(self._signed_in)
        sessions.signed_out.connect(self.clear)
        if sessions.is_admin():  # built on first opening, after the admin signed in
            self.load()

    def _signed_in(self, session: Session) -> None:  # noqa: ARG002 - the signal's argument
        if self._sessions.is_admin():
            self.load()

    def _tab_shown(self, index: int) -> None:
        if self.tabs.widget(index) is self.conflicts and self._sessions.is_admin():
            self.conflicts.refresh()

    def load(self) -> None:
        """Read users and settings (database thread), then show them."""
        self.users.load()
        self.model.load()
        self.knowledge.load()
        self.system.refresh()
        if self.tabs.currentWidget() is self.conflicts:
            self.conflicts.refresh()
        service = self._sessions.admin_settings()
        self._sessions.call(service.read, self._show_values, self._failed)

    def _show_values(self, view: SettingsView) -> None:
        self.message.hide()
        self.policy.show_values(view)
        self.connections.show_values(view)
        self.backup.show_values(view)
        self.language.show_values(view)

    def _failed(self, error: BaseException) -> None:
        self.message.setText(describe_error(error))
        self.message.show()

    def clear(self) -> None:
        self.users.clear()
        self.conflicts.clear()  # patient details: not left on screen after sign-out
        self.knowledge.clear()
        self.message.hide()
