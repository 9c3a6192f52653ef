"""Nothing cut off at 1366x768: the sign-in fields after a lockout message and the unlock
error on the lock screen each get the room their text needs."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from medassist_desktop.errors import KnownError
from tests.gui.app.conftest import WORKER_PASSWORD, StartApp
from tests.gui.app.flows import WAIT_MS, login_dialog, sign_in, submit_login

SCREEN = (1366, 768)


@pytest.fixture
def app_env_three_attempts(app_env: dict[str, str]) -> dict[str, str]:
    app_env["MAX_LOGIN_ATTEMPTS"] = "3"
    return app_env


def assert_not_clipped(widgets: list[QWidget]) -> None:
    QApplication.processEvents()
    for widget in widgets:
        if not widget.isVisible():
            continue
        name = widget.objectName() or type(widget).__name__
        if isinstance(widget, QLabel) and widget.wordWrap():
            needed = widget.heightForWidth(widget.width())
            assert widget.height() >= needed, (name, widget.height(), needed, widget.text())
        else:
            hint = widget.sizeHint()
            assert widget.height() >= hint.height(), (name, widget.size(), hint)
            if isinstance(widget, QLabel | QPushButton):
                text_width = widget.fontMetrics().horizontalAdvance(widget.text().replace("&", ""))
                assert text_width <= widget.width(), (name, text_width, widget.width())


def test_sign_in_fields_keep_their_height_under_a_lockout_message(
    qtbot: QtBot,
    app_env_three_attempts: dict[str, str],
    clinic_with_users: Path,
    start_app: StartApp,
) -> None:
    controller = start_app()
    controller.window.resize(*SCREEN)
    dialog = login_dialog(qtbot, controller)
    for attempt in range(3):
        submit_login(qtbot, dialog, "dara", f"wrong-{attempt}")
        qtbot.waitUntil(dialog.message.isVisible, timeout=WAIT_MS)
        qtbot.waitUntil(dialog.sign_in_button.isEnabled, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "locked" in dialog.message.text(), timeout=WAIT_MS)
    assert_not_clipped(
        [
            dialog.username,
            dialog.password,
            dialog.message,
            dialog.sign_in_button,
            *dialog.findChildren(QLabel),
        ]
    )
    assert dialog.height() <= SCREEN[1] and dialog.width() <= SCREEN[0]


def test_the_unlock_error_is_shown_whole_on_the_lock_screen(
    qtbot: QtBot,
    app_env_three_attempts: dict[str, str],
    clinic_with_users: Path,
    start_app: StartApp,
) -> None:
    controller = start_app()
    controller.window.resize(*SCREEN)
    sign_in(qtbot, controller, "dara", WORKER_PASSWORD)
    controller.window.lock_action.trigger()
    overlay = controller.overlay
    qtbot.waitUntil(overlay.password.isVisible, timeout=WAIT_MS)
    fields: list[QWidget] = [
        overlay.title,
        overlay.detail,
        overlay.password,
        overlay.message,
        overlay.unlock_button,
        overlay.sign_out_button,
    ]
    overlay.password.setText("wrong-1")
    overlay.unlock_button.click()
    qtbot.waitUntil(overlay.message.isVisible, timeout=WAIT_MS)
    assert_not_clipped(fields)
    for attempt in (2, 3):
        qtbot.waitUntil(overlay.password.isEnabled, timeout=WAIT_MS)
        overlay.password.setText(f"wrong-{attempt}")
        overlay.unlock_button.click()
    qtbot.waitUntil(lambda: "locked" in overlay.message.text(), timeout=WAIT_MS)
    assert_not_clipped(fields)
    # The longest kind of message: an error with what to do about it.
    overlay.show_failure(
        KnownError(
            "The encrypted database could not be read: the disk may be full or the file damaged.",
            hint="Free some disk space, then restart MedAssist; if it happens again, "
            "restore yesterday's backup from Settings > Backup.",
        )
    )
    assert_not_clipped(fields)
    assert overlay.card.geometry().bottom() <= overlay.height()


def test_taking_focus_never_makes_a_field_want_more_room(
    qtbot: QtBot, styled_app: QApplication
) -> None:
    """The focus ring is wider than a field's border: without room kept for it, the
    focused field (the password after a refused sign-in) was cut by 2 px."""
    window = QWidget()
    layout = QVBoxLayout(window)
    fields: list[QWidget] = [QLineEdit(), QLineEdit(), QComboBox(), QSpinBox(), QPushButton("OK")]
    for field in fields:
        layout.addWidget(field)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    unfocused = [field.sizeHint() for field in fields]
    for field, hint in zip(fields, unfocused, strict=True):
        field.setFocus()
        qtbot.waitUntil(field.hasFocus, timeout=WAIT_MS)
        assert field.sizeHint() == hint, type(field).__name__
