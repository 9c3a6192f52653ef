"""A walk over the screens a health worker and an admin see, in the real app.

First-run setup (every wizard page), the home page, the case list and a filled case
form with its triage banner, Ask, Knowledge, every Settings tab, the lock screen and
the sign-in dialog; `look(screen, widget)` is called on each, with the main window at 1366x768.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QApplication, QWidget, QWizard
from pytestqt.qtbot import QtBot

from medassist_desktop.ui.app_controller import AppController
from medassist_desktop.ui.widgets.lazy_page import LazyPage
from tests.gui.app.conftest import ADMIN_PASSWORD
from tests.gui.app.flows import WAIT_MS, go_next, login_dialog, sign_in, wizard_of

SCREEN = (1366, 768)
CLINIC_ID, CLINIC_NAME = "kh-pursat-02", "Pursat Health Centre"
ADMIN, ADMIN_NAME = "amara", "Amara Chan"
PATIENT = "Sreymom Chea"
# Values a person typed: shown as they are, in any language.
DATA = {CLINIC_ID, CLINIC_NAME, ADMIN, ADMIN_NAME, PATIENT, f"{ADMIN_NAME} ({ADMIN})"}
# Widgets that show a value the app made (the recovery key), not words to translate.
DATA_OBJECTS = frozenset({"recoveryKey"})

Look = Callable[[str, QWidget], None]


def _settle(qtbot: QtBot) -> None:
    QApplication.processEvents()
    qtbot.wait(50)


def _page(qtbot: QtBot, controller: AppController, key: str) -> QWidget:
    window = controller.window
    assert window.show_page(key), key
    lazy = window.stack.currentWidget()
    assert lazy is not None
    if isinstance(lazy, LazyPage):
        qtbot.waitUntil(lambda: lazy.content is not None, timeout=WAIT_MS)
        assert lazy.content is not None
        _settle(qtbot)
        return lazy.content
    _settle(qtbot)
    return lazy


def walk_setup(qtbot: QtBot, controller: AppController, look: Look) -> None:
    wizard = wizard_of(qtbot, controller)
    _settle(qtbot)
    look("setup: clinic", wizard)
    wizard.clinic_page.clinic_id.setText(CLINIC_ID)
    wizard.clinic_page.clinic_name.setText(CLINIC_NAME)
    go_next(qtbot, wizard, wizard.KEY)
    look("setup: key", wizard)
    go_next(qtbot, wizard, wizard.ADMIN)
    look("setup: admin", wizard)
    page = wizard.admin_page
    page.username.setText(ADMIN)
    page.display_name.setText(ADMIN_NAME)
    page.password.setText(ADMIN_PASSWORD)
    page.confirm.setText(ADMIN_PASSWORD)
    go_next(qtbot, wizard, wizard.RECOVERY)
    look("setup: recovery key", wizard)
    recovery = wizard.recovery_page
    assert recovery.recovery_key is not None
    recovery.confirm.setText(recovery.recovery_key.rsplit("-", 1)[-1])
    go_next(qtbot, wizard, wizard.MODEL)
    look("setup: model", wizard)
    go_next(qtbot, wizard, wizard.DONE)
    look("setup: done", wizard)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: controller.sessions.current is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not controller.overlay.isVisible(), timeout=WAIT_MS)


def walk_main_window(qtbot: QtBot, controller: AppController, look: Look) -> None:
    window = controller.window
    window.resize(*SCREEN)
    _settle(qtbot)
    look("home", window)
    cases = _page(qtbot, controller, "cases")
    look("cases: list", window)
    cases.list.new_case_requested.emit()  # type: ignore[attr-defined]
    form = cases.form  # type: ignore[attr-defined]
    form.set_form_data(
        {
            "name": PATIENT,
            "age_years": 1,
            "age_months": 6,
            "vitals": {"temperature_c": "38.6", "respiratory_rate": "52"},
            "durations": {"cough": 3, "fever": 3},
            "signs": ["cough", "lethargic"],
            "complaint": "Cough and fever for 3 days",
        }
    )
    form.update_triage()
    _settle(qtbot)
    look("case form", window)
    form.clear()
    _page(qtbot, controller, "ask")
    look("ask", window)
    _page(qtbot, controller, "knowledge")
    look("knowledge", window)
    settings = _page(qtbot, controller, "settings")
    tabs = settings.tabs  # type: ignore[attr-defined]
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        _settle(qtbot)
        look(f"settings: tab {index + 1}", window)


def walk_lock(qtbot: QtBot, controller: AppController, look: Look) -> None:
    controller.window.lock_action.trigger()
    qtbot.waitUntil(controller.overlay.isVisible, timeout=WAIT_MS)
    _settle(qtbot)
    look("lock", controller.window)
    controller.overlay.password.setText(ADMIN_PASSWORD)
    controller.overlay.unlock_button.click()
    qtbot.waitUntil(lambda: not controller.overlay.isVisible(), timeout=WAIT_MS)


def walk_sign_in(qtbot: QtBot, controller: AppController, look: Look) -> None:
    controller.window.sign_out_action.trigger()
    dialog = login_dialog(qtbot, controller)
    _settle(qtbot)
    look("sign-in", dialog)
    sign_in(qtbot, controller, ADMIN, ADMIN_PASSWORD)


def walk_all(qtbot: QtBot, controller: AppController, look: Look) -> None:
    walk_setup(qtbot, controller, look)
    walk_main_window(qtbot, controller, look)
    walk_lock(qtbot, controller, look)
    walk_sign_in(qtbot, controller, look)
