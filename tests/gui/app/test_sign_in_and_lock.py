"""Sign-in refusals and lockout; auto-lock after idling keeps the work; roles in the window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from medassist_desktop.core.security.errors import PermissionDenied, SessionLockedError
from medassist_desktop.ui.main_window import Page
from medassist_desktop.ui.pages import DEFAULT_PAGES, PageServices
from tests.gui.app.conftest import ADMIN_PASSWORD, WORKER_PASSWORD, StartApp
from tests.gui.app.flows import WAIT_MS, login_dialog, sign_in, submit_login
from tests.support.security import FakeClock


def notes_page(_services: PageServices) -> Page:
    """A page with typed work on it, standing in for a case form."""
    page = QWidget()
    field = QLineEdit(page)
    field.setObjectName("notesField")
    return Page("notes", "Notes", page)


@pytest.fixture
def app_env_three_attempts(app_env: dict[str, str]) -> dict[str, str]:
    app_env["MAX_LOGIN_ATTEMPTS"] = "3"
    return app_env


def test_wrong_passwords_then_lockout_with_the_time_left(
    qtbot: QtBot,
    app_env_three_attempts: dict[str, str],
    clinic_with_users: Path,
    start_app: StartApp,
    clock: FakeClock,
) -> None:
    controller = start_app()
    dialog = login_dialog(qtbot, controller)
    for attempt in (1, 2):
        submit_login(qtbot, dialog, "dara", f"wrong-{attempt}")
        qtbot.waitUntil(lambda: dialog.message.text() != "", timeout=WAIT_MS)
        assert dialog.message.text() == "Wrong user name or password."
        assert dialog.password.text() == "" and dialog.sign_in_button.isEnabled()
        dialog.message.clear()
    submit_login(qtbot, dialog, "nobody", "whatever-1")  # an unknown user: the same words
    qtbot.waitUntil(lambda: dialog.message.text() != "", timeout=WAIT_MS)
    assert dialog.message.text() == "Wrong user name or password."

    submit_login(qtbot, dialog, "dara", "wrong-3")
    qtbot.waitUntil(lambda: "locked" in dialog.message.text(), timeout=WAIT_MS)
    assert "Try again in 5 min 0 s" in dialog.message.text()
    clock.advance(125)  # the countdown follows the services' clock
    qtbot.waitUntil(lambda: "Try again in 2 min 55 s" in dialog.message.text(), timeout=3000)

    dialog.message.clear()
    submit_login(qtbot, dialog, "dara", WORKER_PASSWORD)  # even the right one, while locked
    qtbot.waitUntil(lambda: "Try again in 2 min 55 s" in dialog.message.text(), timeout=WAIT_MS)
    assert dialog.sign_in_button.isEnabled() and controller.sessions.current is None
    clock.advance(180)
    submit_login(qtbot, dialog, "dara", WORKER_PASSWORD)
    qtbot.waitUntil(lambda: controller.sessions.current is not None, timeout=WAIT_MS)


def test_auto_lock_keeps_the_work_and_unlocks_with_the_password(
    qtbot: QtBot, clinic_with_users: Path, start_app: StartApp, idle_clock: FakeClock
) -> None:
    controller = start_app(pages=[*DEFAULT_PAGES[:1], notes_page, *DEFAULT_PAGES[1:]])
    sign_in(qtbot, controller, "dara", WORKER_PASSWORD)
    window = controller.window
    assert window.show_page("notes")
    notes = window.findChild(QLineEdit, "notesField")
    notes.setFocus()
    qtbot.keyClicks(notes, "cough 3 days, RR 52")
    qtbot.wait(60)
    idle_clock.advance(30)
    qtbot.keyClick(notes, Qt.Key.Key_End)  # activity resets the idle time
    idle_clock.advance(45)
    qtbot.wait(80)
    assert not controller.overlay.isVisible(), "75 s in total but only 45 s idle"

    idle_clock.advance(16)
    qtbot.waitUntil(controller.overlay.isVisible, timeout=WAIT_MS)
    session = controller.sessions.current
    assert session is not None and session.locked, "the services refuse a locked session"
    with pytest.raises(SessionLockedError):
        session.check()
    assert not window.centralWidget().isEnabled(), "nothing underneath can be reached"
    assert notes.text() == "cough 3 days, RR 52" and window.current_page_key() == "notes"
    qtbot.waitUntil(controller.overlay.password.hasFocus, timeout=WAIT_MS)
    assert controller.overlay.detail.text().startswith("Dara Sok (health worker) is signed in")

    qtbot.keyClicks(controller.overlay.password, "000000")
    qtbot.keyClick(controller.overlay.password, Qt.Key.Key_Return)
    qtbot.waitUntil(controller.overlay.message.isVisible, timeout=WAIT_MS)
    assert controller.overlay.message.text() == "That password is not right. Try again."
    assert controller.overlay.isVisible()

    qtbot.keyClicks(controller.overlay.password, WORKER_PASSWORD)
    qtbot.keyClick(controller.overlay.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not controller.overlay.isVisible(), timeout=WAIT_MS)
    assert not session.locked and window.centralWidget().isEnabled()
    assert window.current_page_key() == "notes" and notes.text() == "cough 3 days, RR 52"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is notes, timeout=WAIT_MS)

    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # lock by hand
    qtbot.waitUntil(controller.overlay.isVisible, timeout=WAIT_MS)
    controller.overlay.sign_out_button.click()
    assert controller.sessions.current is None
    qtbot.waitUntil(lambda: session.closed, timeout=WAIT_MS)  # signed out in the service too
    dialog = login_dialog(qtbot, controller)
    assert dialog.username.text() == "" and notes.text() == "cough 3 days, RR 52"


def test_a_health_worker_cannot_reach_settings(
    qtbot: QtBot, clinic_with_users: Path, start_app: StartApp
) -> None:
    controller = start_app()
    sign_in(qtbot, controller, "dara", WORKER_PASSWORD)
    window = controller.window
    row = [window.navigation.item(r).data(Qt.ItemDataRole.UserRole) for r in range(5)]
    assert row == ["home", "cases", "ask", "knowledge", "settings"]
    assert window.navigation.item(4).isHidden()
    assert not window.navigation.item(1).isHidden()
    assert not window.show_page("settings")
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page_key() == "home"
    assert window.status.user_label.text() == "Signed in: Dara Sok (health worker)"

    errors: list[BaseException] = []
    service = controller.sessions.admin_settings()
    controller.sessions.call(service.read, lambda _v: None, errors.append)
    accounts = controller.sessions.security.accounts
    controller.sessions.call(accounts.list_users, lambda _v: None, errors.append)
    qtbot.waitUntil(lambda: len(errors) == 2, timeout=WAIT_MS)
    assert all(isinstance(error, PermissionDenied) for error in errors)

    window.sign_out_action.trigger()
    sign_in(qtbot, controller, "amara", ADMIN_PASSWORD)
    assert window.show_page("settings")
