"""First run: setup wizard -> encrypted database + first admin -> signed in; later sign-ins."""

from __future__ import annotations

import itertools
import json
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from medassist_desktop.core.security.secrets import kdf_file_for, service_name
from medassist_desktop.services.setup import StartupState
from tests.gui.app.conftest import ADMIN_PASSWORD, InsecureKeyring, StartApp
from tests.gui.app.flows import WAIT_MS, go_next, sign_in, wizard_of
from tests.support.keyrings import MemoryKeyring


def fill_admin(wizard: QWizard, username: str = "amara", password: str = ADMIN_PASSWORD) -> None:
    page = wizard.admin_page  # type: ignore[attr-defined]
    page.username.setText(username)
    page.display_name.setText("Amara Chan")
    page.password.setText(password)
    page.confirm.setText(password)


def test_first_run_setup_then_sign_in_again(
    qtbot: QtBot, start_app: StartApp, app_env: dict[str, str], keyring_backend: MemoryKeyring
) -> None:
    controller = start_app()
    assert controller.window.isVisible() and controller.overlay.isVisible()
    wizard = wizard_of(qtbot, controller)
    assert controller.flow.state is StartupState.FIRST_RUN
    assert not controller.sessions.ready, "nothing is opened before setup"

    assert not wizard.clinic_page.id_refused.isVisible()
    qtbot.keyClicks(wizard.clinic_page.clinic_id, "kh pursat")  # a space is not allowed
    assert wizard.clinic_page.clinic_id.text() == "khpursat"
    assert wizard.clinic_page.id_refused.isVisible()  # said, not silently dropped
    wizard.clinic_page.clinic_id.setText("kh-pursat-02")
    wizard.clinic_page.clinic_name.setText("Pursat Health Centre")
    go_next(qtbot, wizard, wizard.KEY)
    assert wizard.key_page.passphrase.isHidden(), "a secure keyring needs no passphrase"
    go_next(qtbot, wizard, wizard.ADMIN)

    fill_admin(wizard, password="short")
    wizard.button(QWizard.WizardButton.CommitButton).click()
    qtbot.waitUntil(wizard.admin_page.message.isVisible, timeout=WAIT_MS)
    assert "at least 8 characters" in wizard.admin_page.message.text()
    assert wizard.admin_page.message.property("kind") == "error"  # red; progress is not
    assert not Path(app_env["MEDASSIST_DATA_DIR"], "medassist.db").exists()

    fill_admin(wizard)
    go_next(qtbot, wizard, wizard.RECOVERY)  # a keyring clinic writes down its recovery key
    assert (
        wizard.button(QWizard.WizardButton.BackButton).isHidden()
        or not wizard.button(QWizard.WizardButton.BackButton).isEnabled()
    ), "no way back once the database exists"
    recovery = wizard.recovery_page
    assert recovery.recovery_key is not None
    recovery.confirm.setText(recovery.recovery_key.rsplit("-", 1)[-1].lower())
    go_next(qtbot, wizard, wizard.MODEL)
    assert wizard.model_page.picker.selected_name() == "gemma3-270m-q4_k_m"
    go_next(qtbot, wizard, wizard.DONE)
    wizard.button(QWizard.WizardButton.FinishButton).click()

    qtbot.waitUntil(lambda: controller.sessions.current is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not controller.overlay.isVisible(), timeout=WAIT_MS)
    window = controller.window
    assert window.windowTitle() == "MedAssist Desktop — Pursat Health Centre"
    assert window.status.user_label.text() == "Signed in: Amara Chan (clinic admin)"
    assert window.show_page("settings"), "the admin sees Settings"

    data = Path(app_env["MEDASSIST_DATA_DIR"])
    config = json.loads((data / "config" / "config.json").read_text())
    assert config["clinic_id"] == "kh-pursat-02"
    assert config["clinic_name"] == "Pursat Health Centre"
    db_file = data / "medassist.db"
    assert db_file.read_bytes()[:16] != b"SQLite format 3\x00", "the database is encrypted"
    assert (service_name("kh-pursat-02"), "database-key") in keyring_backend.entries

    controller.window.sign_out_action.trigger()
    assert controller.sessions.current is None
    assert controller.overlay.isVisible() and not window.show_page("settings")
    sign_in(qtbot, controller, "amara", ADMIN_PASSWORD)
    assert window.status.user_label.text() == "Signed in: Amara Chan (clinic admin)"
    controller.shutdown()

    again = start_app()
    sign_in(qtbot, again, "amara", ADMIN_PASSWORD)
    assert again.flow.state is StartupState.KEYRING


def test_no_keyring_means_a_passphrase_and_the_window_keeps_ticking(
    qtbot: QtBot, start_app: StartApp, app_env: dict[str, str]
) -> None:
    backend = InsecureKeyring()
    controller = start_app(backend=backend, kdf_cheap=False)  # real Argon2id cost
    wizard = wizard_of(qtbot, controller)
    wizard.clinic_page.clinic_id.setText("la-vientiane-01")
    go_next(qtbot, wizard, wizard.KEY)
    key_page = wizard.key_page
    assert key_page.passphrase.isVisible()
    assert "no secure keyring" in key_page.subTitle()

    key_page.passphrase.setText("password1234")
    key_page.confirm.setText("password1234")
    assert not key_page.isComplete()
    assert "very common password" in key_page.strength_text.text()
    key_page.passphrase.setText("mango river lantern thirty bicycle")
    assert not key_page.isComplete()
    assert "different" in key_page.strength_text.text()
    key_page.confirm.setText("mango river lantern thirty bicycle")
    assert key_page.isComplete()
    go_next(qtbot, wizard, wizard.ADMIN)
    fill_admin(wizard)

    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    go_next(qtbot, wizard, wizard.MODEL)  # Argon2id (64 MiB) + SQLCipher on the database thread
    timer.stop()
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert len(ticks) > 5 and max(gaps) < 0.25, f"the event loop stalled: {max(gaps):.3f} s"
    assert not backend.entries, "nothing goes into a keyring that is not secure"
    db_file = Path(app_env["MEDASSIST_DATA_DIR"], "medassist.db")
    assert kdf_file_for(db_file).is_file()
    go_next(qtbot, wizard, wizard.DONE)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: controller.sessions.current is not None, timeout=WAIT_MS)
    controller.shutdown()

    # Next start: the passphrase opens the database; a wrong one is refused, clearly.
    later = start_app(backend=backend, kdf_cheap=False)
    qtbot.waitUntil(
        lambda: (
            later.flow.passphrase_dialog is not None and later.flow.passphrase_dialog.isVisible()
        ),
        timeout=WAIT_MS,
    )
    dialog = later.flow.passphrase_dialog
    assert dialog is not None and later.flow.state is StartupState.PASSPHRASE
    dialog.passphrase.setText("mango river lantern thirty bicycles")
    dialog.unlock_button.click()
    qtbot.waitUntil(dialog.message.isVisible, timeout=WAIT_MS)
    assert dialog.message.text() == "That passphrase does not open the database. Try again."
    dialog.passphrase.setText("mango river lantern thirty bicycle")
    dialog.unlock_button.click()
    sign_in(qtbot, later, "amara", ADMIN_PASSWORD)


def test_a_database_whose_key_is_not_in_the_keyring_is_a_clear_refusal(
    qtbot: QtBot, clinic_with_users: Path, start_app: StartApp
) -> None:
    controller = start_app(backend=MemoryKeyring())  # another user's (empty) keyring
    qtbot.waitUntil(lambda: controller.error_box is not None, timeout=WAIT_MS)
    box = controller.error_box
    assert box is not None and box.isVisible()
    assert "Cannot unlock the database" in box.text()
    assert "no 'database-key'" in box.text()
    assert controller.overlay.isVisible() and controller.sessions.current is None
    assert controller.flow.login_dialog is None, "no sign-in over a database that is not open"
