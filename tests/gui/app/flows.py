"""Steps a person takes in the app, driven through the real widgets."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from medassist_desktop.ui.app_controller import AppController
from medassist_desktop.ui.login_dialog import LoginDialog
from medassist_desktop.ui.setup_wizard import SetupWizard

WAIT_MS = 15_000


def login_dialog(qtbot: QtBot, controller: AppController) -> LoginDialog:
    qtbot.waitUntil(
        lambda: (
            controller.flow.login_dialog is not None and controller.flow.login_dialog.isVisible()
        ),
        timeout=WAIT_MS,
    )
    dialog = controller.flow.login_dialog
    assert dialog is not None
    return dialog


def submit_login(qtbot: QtBot, dialog: LoginDialog, username: str, password: str) -> None:
    qtbot.waitUntil(dialog.sign_in_button.isEnabled, timeout=WAIT_MS)
    dialog.username.setText(username)
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, password)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)


def sign_in(qtbot: QtBot, controller: AppController, username: str, password: str) -> None:
    submit_login(qtbot, login_dialog(qtbot, controller), username, password)
    qtbot.waitUntil(lambda: controller.sessions.current is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not controller.overlay.isVisible(), timeout=WAIT_MS)


def wizard_of(qtbot: QtBot, controller: AppController) -> SetupWizard:
    qtbot.waitUntil(
        lambda: controller.flow.wizard is not None and controller.flow.wizard.isVisible(),
        timeout=WAIT_MS,
    )
    wizard = controller.flow.wizard
    assert wizard is not None
    return wizard


def go_next(qtbot: QtBot, wizard: SetupWizard, expected_page: int) -> None:
    """Press Next (or Create) and wait for the page the wizard should reach."""
    button = wizard.button(
        QWizard.WizardButton.CommitButton
        if wizard.currentPage().isCommitPage()
        else QWizard.WizardButton.NextButton
    )
    qtbot.waitUntil(button.isEnabled, timeout=WAIT_MS)
    button.click()
    qtbot.waitUntil(lambda: wizard.currentId() == expected_page, timeout=WAIT_MS)
