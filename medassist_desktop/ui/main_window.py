"""The main window: a frame for the pages, and a status bar a health worker can trust.

The window only lays out views and reflects state; the work happens in services
reached through the application context.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QStatusBar, QVBoxLayout, QWidget

from medassist_desktop import APP_NAME
from medassist_desktop.context import AppContext


class MainWindow(QMainWindow):
    """Top-level window. Pages are added by the features that own them."""

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self._context = context
        self.setObjectName("mainWindow")
        self.setWindowTitle(
            self.tr("{app} — {clinic}").format(app=APP_NAME, clinic=context.settings.clinic_id)
        )
        self.resize(1280, 720)
        self.setMinimumSize(960, 600)
        self.setCentralWidget(self._build_welcome())
        self._build_status_bar()

    def _build_welcome(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        heading = QLabel(self.tr("Welcome to {app}").format(app=APP_NAME), page)
        heading.setObjectName("welcomeHeading")
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        heading.setFont(font)
        note = QLabel(
            self.tr(
                "Decision support for trained health workers. It does not replace "
                "clinical judgement."
            ),
            page,
        )
        note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        note.setWordWrap(True)
        layout.addStretch(1)
        layout.addWidget(heading)
        layout.addWidget(note)
        layout.addStretch(2)
        return page

    def _build_status_bar(self) -> None:
        bar = QStatusBar(self)
        bar.setObjectName("statusBar")
        self.model_status = self._status_label("modelStatus", self.tr("Model: not loaded"))
        self.network_status = self._status_label("networkStatus", self.tr("Offline"))
        self.user_status = self._status_label("userStatus", self.tr("Not signed in"))
        for label in (self.model_status, self.network_status, self.user_status):
            bar.addPermanentWidget(label)
        self.setStatusBar(bar)

    def _status_label(self, name: str, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setObjectName(name)
        label.setAccessibleName(name)
        return label
