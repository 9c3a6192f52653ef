"""The first page after sign-in: who is signed in, and what the app is (and is not)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from medassist_desktop import APP_NAME
from medassist_desktop.ui.session import SessionManager

if TYPE_CHECKING:
    from medassist_desktop.core.security.sessions import Session


class HomePage(QWidget):
    def __init__(self, sessions: SessionManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("homePage")
        self._sessions = sessions
        self.heading = QLabel(self.tr("Welcome to {app}").format(app=APP_NAME), self)
        self.heading.setObjectName("welcomeHeading")
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.greeting = QLabel(self)
        self.greeting.setObjectName("welcomeGreeting")
        self.greeting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        note = QLabel(
            self.tr(
                "Decision support for trained health workers. It does not replace "
                "clinical judgement. Danger signs found by the triage rules always come first."
            ),
            self,
        )
        note.setObjectName("welcomeNote")
        note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.heading)
        layout.addWidget(self.greeting)
        layout.addWidget(note)
        layout.addStretch(2)
        sessions.signed_in.connect(self._signed_in)
        sessions.signed_out.connect(self.greeting.clear)

    def _signed_in(self, session: Session) -> None:
        name = session.user.display_name or session.user.username
        self.greeting.setText(self.tr("Signed in as {name}.").format(name=name))
