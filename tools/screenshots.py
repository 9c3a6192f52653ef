"""Screenshots of the main screens, for the README: offscreen, 1366x768, real services.

Runs the real app in a throw-away data folder: first-run setup (passphrase path, to
show the strength hint), sign-in, the main window with its status bar once the
embedded model has loaded, the admin's Settings page, and the lock screen. Each PNG
is the main window with the dialog of that moment drawn centred on it, as a person
would see it.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots.py [--out docs/screenshots]
        [--language id]   # the window in Indonesian (or vi), into docs/screenshots/id/
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from keyring.backend import KeyringBackend
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QWidget, QWizard

from medassist_desktop.context import build_context
from medassist_desktop.core.security.accounts import Role
from medassist_desktop.i18n import SHIPPED_LANGUAGES
from medassist_desktop.ui.app_controller import AppController
from medassist_desktop.ui.app_options import AppOptions, SecurityOptions
from medassist_desktop.ui.application import style_application
from medassist_desktop.ui.main_window import MainWindow
from medassist_desktop.ui.translations import apply_language
from medassist_desktop.ui.widgets.status_bar import ModelState

SIZE = (1366, 768)
ROOT = Path(__file__).resolve().parent.parent
ADMIN, ADMIN_PASSWORD = "amara", "clinic-admin-2024"
WORKER, WORKER_PASSWORD = "dara", "482915"
PASSPHRASE = "mango river lantern thirty bicycle"


class NoSecureKeyring(KeyringBackend):
    """Stands in for a computer without a secure OS keyring (so setup asks for a passphrase)."""

    priority = 0.5  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError("not a secure keyring")

    def delete_password(self, service: str, username: str) -> None:
        return None


def wait_until(app: QApplication, condition: Callable[[], bool], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not reach the expected state")
        app.processEvents()
        time.sleep(0.01)
    app.processEvents()


def settle(app: QApplication, seconds: float = 0.3) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def shoot(window: QWidget, dialog: QWidget | None, path: Path) -> None:
    """The window, with `dialog` (a separate top-level window) drawn centred on it."""
    canvas = QPixmap(*SIZE)
    canvas.fill()
    painter = QPainter(canvas)
    painter.drawPixmap(0, 0, window.grab())
    if dialog is not None:
        shot = dialog.grab()
        painter.fillRect(0, 0, SIZE[0], SIZE[1], QColor(0, 0, 0, 70))  # dim the window behind
        painter.drawPixmap((SIZE[0] - shot.width()) // 2, (SIZE[1] - shot.height()) // 2, shot)
    painter.end()
    canvas.save(str(path))
    print(f"wrote {path}")


def run_setup(app: QApplication, controller: AppController, out: Path) -> None:
    """First-run setup on the passphrase path; shoots the passphrase page."""
    wait_until(app, lambda: controller.flow.wizard is not None)
    wizard = controller.flow.wizard
    assert wizard is not None
    wizard.clinic_page.clinic_id.setText("kh-pursat-02")
    wizard.clinic_page.clinic_name.setText("Pursat Provincial Health Centre")
    wizard.next()
    wizard.key_page.passphrase.setText(PASSPHRASE)
    wizard.key_page.confirm.setText(PASSPHRASE)
    settle(app)
    shoot(controller.window, wizard, out / "setup.png")
    wizard.next()
    page = wizard.admin_page
    page.username.setText(ADMIN)
    page.display_name.setText("Amara Chan")
    page.password.setText(ADMIN_PASSWORD)
    page.confirm.setText(ADMIN_PASSWORD)
    wizard.button(QWizard.WizardButton.CommitButton).click()
    wait_until(app, lambda: wizard.currentId() == wizard.MODEL)
    wizard.next()
    wait_until(app, lambda: wizard.currentId() == wizard.DONE)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    wait_until(app, lambda: controller.sessions.current is not None)


def add_health_workers(app: QApplication, controller: AppController) -> None:
    sessions = controller.sessions
    added: list[object] = []
    for name, display in ((WORKER, "Dara Sok"), ("sophal", "Sophal Keo")):
        sessions.call(
            lambda s, n=name, d=display: sessions.security.accounts.add_user(
                s, n, WORKER_PASSWORD, Role.HEALTH_WORKER, d
            ),
            added.append,
        )
    wait_until(app, lambda: len(added) == 2)


def sign_in(app: QApplication, controller: AppController, user: str, password: str) -> None:
    login = controller.flow.login_dialog
    assert login is not None
    login.username.setText(user)
    login.password.setText(password)
    login.sign_in_button.click()
    wait_until(
        app,
        lambda: controller.sessions.current is not None and not controller.overlay.isVisible(),
    )


def shoot_case(app: QApplication, window: MainWindow, path: Path) -> None:
    """A child with fast breathing and a danger sign: the banner turns red."""
    from medassist_desktop.ui.clinical_pages import CasesPage
    from medassist_desktop.ui.widgets.lazy_page import LazyPage

    window.show_page("cases")
    lazy = window.stack.currentWidget()
    assert isinstance(lazy, LazyPage)
    wait_until(app, lambda: lazy.content is not None)
    page = lazy.content
    assert isinstance(page, CasesPage)
    page.list.new_case_requested.emit()
    settle(app, 1.0)
    page.form.set_form_data(
        {
            "name": "Sreymom Chea",
            "age_years": 1,
            "age_months": 6,
            "sex": "female",
            "vitals": {"temperature_c": "38.6", "respiratory_rate": "52"},
            "durations": {"cough": 3, "fever": 3},
            "signs": ["cough", "lethargic"],
            "complaint": "Cough and fever for 3 days, very sleepy today",
        }
    )
    page.form.update_triage()
    settle(app, 0.5)
    shoot(window, None, path)
    page.form.clear()


def shoot_system_tab(app: QApplication, window: MainWindow, path: Path) -> None:
    from medassist_desktop.ui.settings.settings_page import SettingsPage

    page = window.findChild(SettingsPage, "settingsPage")
    assert page is not None
    page.tabs.setCurrentWidget(page.system)
    page.system.refresh()
    wait_until(app, lambda: page.system.checks.topLevelItemCount() == 3)
    settle(app, 0.5)
    shoot(window, None, path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--language", choices=SHIPPED_LANGUAGES, default="en")
    args = parser.parse_args()
    out: Path = args.out or (
        ROOT / "docs" / "screenshots" / ("" if args.language == "en" else args.language)
    )
    out.mkdir(parents=True, exist_ok=True)
    data = Path(tempfile.mkdtemp(prefix="medassist-screenshots-"))
    env = {
        **os.environ,
        "MEDASSIST_DATA_DIR": str(data),
        "MEDASSIST_ENV": "development",
        "UI_LANGUAGE": args.language,
    }
    env.pop("MEDASSIST_CONFIG", None)

    app = QApplication(sys.argv[:1])
    style_application(app)
    if "DejaVu Sans" in QFontDatabase.families():
        app.setFont(QFont("DejaVu Sans", 10))
    apply_language(app, args.language)  # as the app does: catalogues, locale, Noto Sans
    options = AppOptions(security=SecurityOptions(keyring_backend=NoSecureKeyring()))
    controller = AppController(build_context(env, console_level="ERROR"), env, options)
    window = controller.window
    window.resize(*SIZE)
    controller.show()
    controller.start()
    try:
        run_setup(app, controller, out)
        add_health_workers(app, controller)
        wait_until(
            app, lambda: controller.models.state in (ModelState.READY, ModelState.UNAVAILABLE)
        )
        window.sign_out_action.trigger()
        login = controller.flow.login_dialog
        assert login is not None
        wait_until(app, login.isVisible)
        login.username.setText(WORKER)
        settle(app)
        shoot(window, login, out / "login.png")

        sign_in(app, controller, WORKER, WORKER_PASSWORD)
        settle(app)
        shoot(window, None, out / "main-window.png")
        shoot_case(app, window, out / "case.png")
        window.lock_action.trigger()
        settle(app)
        shoot(window, None, out / "lock.png")

        controller.overlay.sign_out_button.click()
        wait_until(app, login.isVisible)
        sign_in(app, controller, ADMIN, ADMIN_PASSWORD)
        window.show_page("settings")
        settle(app, 1.0)
        shoot(window, None, out / "settings.png")
        shoot_system_tab(app, window, out / "settings-system.png")
    finally:
        controller.shutdown()
        shutil.rmtree(data, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
