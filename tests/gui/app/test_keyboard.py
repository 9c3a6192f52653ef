"""Keyboard and screen readers: every input has a name, every action a key."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tests.gui.app.conftest import ADMIN_PASSWORD, StartApp
from tests.gui.app.flows import WAIT_MS, login_dialog, sign_in

INPUTS = (QLineEdit, QAbstractSpinBox, QComboBox, QAbstractItemView)


def unnamed_controls(root: QWidget) -> list[str]:
    """Inputs without an accessible name or a label pointing at them; buttons without text."""
    labelled = {id(label.buddy()) for label in root.findChildren(QLabel) if label.buddy()}
    problems = []
    for widget in root.findChildren(QWidget):
        if isinstance(widget, INPUTS) and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            if isinstance(widget.parent(), QComboBox | QAbstractSpinBox):
                continue  # the inner line edit of a combo or spin box
            if not widget.accessibleName() and id(widget) not in labelled:
                problems.append(f"{type(widget).__name__} {widget.objectName()!r}")
        elif isinstance(widget, QAbstractButton) and not widget.text().strip():
            if widget.objectName().startswith("qt_") or not widget.isVisibleTo(root):
                continue
            if not widget.accessibleName() and not widget.toolTip():
                problems.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return problems


def test_sign_in_by_keyboard_alone_and_every_control_is_named(
    qtbot: QtBot, clinic_with_users: Path, start_app: StartApp
) -> None:
    controller = start_app()
    dialog = login_dialog(qtbot, controller)
    assert unnamed_controls(dialog) == []
    dialog.activateWindow()
    qtbot.waitUntil(dialog.username.hasFocus, timeout=WAIT_MS)
    qtbot.keyClicks(dialog.username, "amara")
    qtbot.keyClick(dialog.username, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.password
    qtbot.keyClick(dialog.password, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is dialog.username, "Alt+U: the label's mnemonic"
    qtbot.keyClick(dialog.username, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is dialog.password
    qtbot.keyClicks(dialog.password, ADMIN_PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: controller.sessions.current is not None, timeout=WAIT_MS)

    window = controller.window
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page_key() == "settings"
    settings = window.stack.currentWidget()
    qtbot.waitUntil(lambda: window.findChild(QWidget, "usersTable") is not None, timeout=WAIT_MS)
    assert unnamed_controls(window) == []
    for tab in range(4):  # every tab of Settings, built and named
        settings.findChild(QWidget, "settingsTabs").setCurrentIndex(tab)  # type: ignore[union-attr]
        assert unnamed_controls(window) == []

    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(controller.overlay.isVisible, timeout=WAIT_MS)
    assert unnamed_controls(controller.overlay) == []
    qtbot.keyClick(controller.overlay.password, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page_key() == "settings", "no page change under the lock screen"
    qtbot.keyClick(
        controller.overlay.password,
        Qt.Key.Key_L,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert controller.sessions.current is not None, "no sign-out through a shortcut either"
    qtbot.keyClicks(controller.overlay.password, ADMIN_PASSWORD)
    qtbot.keyClick(controller.overlay.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not controller.overlay.isVisible(), timeout=WAIT_MS)
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page_key() == "home", "shortcuts work again once unlocked"


def test_sign_in_after_sign_out_with_the_keyboard(
    qtbot: QtBot, clinic_with_users: Path, start_app: StartApp
) -> None:
    controller = start_app()
    sign_in(qtbot, controller, "amara", ADMIN_PASSWORD)
    qtbot.keyClick(
        controller.window,
        Qt.Key.Key_L,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert controller.sessions.current is None
    sign_in(qtbot, controller, "amara", ADMIN_PASSWORD)
