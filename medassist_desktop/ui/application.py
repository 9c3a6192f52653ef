"""The application-wide look: name, icon, style sheet. Shared by the app and the
screenshot tool so both look the same."""

from __future__ import annotations

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from medassist_desktop import APP_ID, APP_NAME, __version__
from medassist_desktop.resources import resource_path


def style_application(app: QApplication) -> None:
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_ID)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(QIcon(str(resource_path("icons/medassist.svg"))))
    app.setStyleSheet(resource_path("style.qss").read_text(encoding="utf-8"))
