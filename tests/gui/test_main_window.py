"""The main window opens offscreen with the right title, navigation and status bar."""

from __future__ import annotations

import sys

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QLabel, QStatusBar, QWidget
from pytestqt.qtbot import QtBot

from medassist_desktop.context import build_context
from medassist_desktop.resources import resource_path
from medassist_desktop.ui.main_window import MainWindow, Page
from medassist_desktop.ui.self_test import HEAVY_MODULES, check_main_window


def test_window_title_and_status_bar(qtbot: QtBot, app_env: dict[str, str]) -> None:
    app_env["CLINIC_ID"] = "kh-pursat-02"
    window = MainWindow(build_context(app_env, console_level="CRITICAL"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.windowTitle() == "MedAssist Desktop — kh-pursat-02"
    assert window.findChild(QStatusBar, "statusBar") is window.statusBar()
    texts = {
        name: window.findChild(QLabel, name).text()
        for name in ("modelStatus", "networkStatus", "userStatus")
    }
    assert texts == {
        "modelStatus": "Model: not loaded",
        "networkStatus": "Network: unknown",
        "userStatus": "Not signed in",
    }


def test_navigation_and_admin_pages(qtbot: QtBot, app_env: dict[str, str]) -> None:
    pages = [
        Page("cases", "Cases", QWidget()),
        Page("ask", "Ask", QWidget()),
        Page("settings", "Settings", QWidget(), admin_only=True),
    ]
    window = MainWindow(build_context(app_env, console_level="CRITICAL"), pages)
    qtbot.addWidget(window)
    window.show()
    assert window.current_page_key() == "cases"
    assert window.show_page("settings")
    assert window.current_page_key() == "settings"
    window.set_admin(False)
    assert window.current_page_key() == "cases"
    assert not window.show_page("settings")
    window.set_admin(True)
    assert window.show_page("settings")


def test_larger_text_scales_the_font(qtbot: QtBot, app_env: dict[str, str]) -> None:
    window = MainWindow(build_context(app_env, console_level="CRITICAL"))
    qtbot.addWidget(window)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.font().pointSizeF()
    window.larger_text_action.setChecked(True)
    assert app.font().pointSizeF() == before * 1.25
    window.larger_text_action.setChecked(False)
    assert app.font().pointSizeF() == before


def test_self_test_check_finds_nothing_wrong(qtbot: QtBot, app_env: dict[str, str]) -> None:
    window = MainWindow(build_context(app_env, console_level="CRITICAL"))
    qtbot.addWidget(window)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setWindowIcon(QIcon(str(resource_path("icons/medassist.svg"))))
    app.setStyleSheet(resource_path("style.qss").read_text())
    problems = check_main_window(app, window)
    heavy_loaded = [m for m in HEAVY_MODULES if m in sys.modules]
    # In a shared test process another test may have imported a model library; the
    # check must then report it, which is what a real launch relies on.
    expected = (
        ["heavy modules imported before the first window: " + ", ".join(heavy_loaded)]
        if heavy_loaded
        else []
    )
    assert problems == expected
