"""The admin's Settings page on the real services: users, policy, sync/cloud secrets, model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from medassist_desktop.core.security.clinic_secrets import CLOUD_API_KEY, SYNC_PASSWORD
from medassist_desktop.core.security.secrets import service_name
from medassist_desktop.ui.app_controller import AppController
from medassist_desktop.ui.settings.settings_page import SettingsPage
from medassist_desktop.ui.widgets.lazy_page import LazyPage
from tests.gui.app.conftest import ADMIN_PASSWORD, WORKER_PASSWORD, StartApp
from tests.gui.app.flows import WAIT_MS, sign_in
from tests.support.keyrings import MemoryKeyring


def settings_page(qtbot: QtBot, controller: AppController) -> SettingsPage:
    assert controller.window.show_page("settings")
    lazy = controller.window.stack.currentWidget()
    assert isinstance(lazy, LazyPage)
    page = lazy.content
    assert isinstance(page, SettingsPage), "built when first shown"
    qtbot.waitUntil(lambda: page.users.table.rowCount() == 2, timeout=WAIT_MS)
    return page


def config_file(data_dir: Path) -> dict[str, object]:
    config: dict[str, object] = json.loads((data_dir / "config" / "config.json").read_text())
    return config


def test_users_add_disable_and_reset(
    qtbot: QtBot, clinic_with_users: Path, start_app: StartApp
) -> None:
    controller = start_app()
    sign_in(qtbot, controller, "amara", ADMIN_PASSWORD)
    users = settings_page(qtbot, controller).users
    assert [users.table.item(r, 0).text() for r in range(2)] == ["amara", "dara"]
    assert users.table.item(1, 2).text() == "health worker"

    dialog = users.open_add_dialog()
    dialog.username.setText("dara")
    dialog.password.setText("another-pass")
    dialog.confirm.setText("another-pass")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(dialog.message.isVisible, timeout=WAIT_MS)
    assert "already taken" in dialog.message.text() and dialog.isVisible()
    dialog.username.setText("sophal")
    dialog.display_name.setText("Sophal Keo")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: users.table.rowCount() == 3, timeout=WAIT_MS)
    assert not dialog.isVisible() and users.message.text() == "Added sophal."
    assert users.selected_user() is not None and users.selected_user().username == "sophal"

    users.select("dara")
    assert users.toggle_button.text() == "&Disable"
    users.toggle_button.click()
    qtbot.waitUntil(lambda: users.message.text() == "Disabled dara.", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: users.table.item(1, 3).text() == "disabled", timeout=WAIT_MS)

    users.select("amara")
    users.toggle_button.click()  # not oneself
    qtbot.waitUntil(lambda: "own account" in users.message.text(), timeout=WAIT_MS)

    users.select("dara")
    users.toggle_button.click()
    qtbot.waitUntil(lambda: users.table.item(1, 3).text() == "active", timeout=WAIT_MS)
    reset = users.open_reset_dialog()
    assert reset is not None
    reset.password.setText("new-pass-for-dara")
    reset.confirm.setText("new-pass-for-dara")
    reset.buttons.accepted.emit()
    qtbot.waitUntil(
        lambda: users.table.item(1, 3).text() == "active (must change password)", timeout=WAIT_MS
    )

    # dara signs in with the new password and must choose her own first
    controller.window.sign_out_action.trigger()
    sign_in(qtbot, controller, "dara", "new-pass-for-dara")
    qtbot.waitUntil(
        lambda: controller.password_dialog is not None and controller.password_dialog.isVisible(),
        timeout=WAIT_MS,
    )
    change = controller.password_dialog
    assert change is not None
    change.current.setText("new-pass-for-dara")
    change.new.setText(WORKER_PASSWORD)
    change.confirm.setText(WORKER_PASSWORD)
    change.ok_button.click()
    qtbot.waitUntil(lambda: controller.password_dialog is None, timeout=WAIT_MS)
    controller.window.sign_out_action.trigger()
    sign_in(qtbot, controller, "dara", WORKER_PASSWORD)


def test_policy_and_connections_are_saved_with_secrets_in_the_keyring(
    qtbot: QtBot,
    clinic_with_users: Path,
    start_app: StartApp,
    keyring_backend: MemoryKeyring,
) -> None:
    controller = start_app()
    sign_in(qtbot, controller, "amara", ADMIN_PASSWORD)
    page = settings_page(qtbot, controller)
    qtbot.waitUntil(lambda: page.policy.timeout.value() == 60, timeout=WAIT_MS)
    page.policy.timeout.setValue(15)
    page.policy.attempts.setValue(4)
    page.policy.save_button.click()
    qtbot.waitUntil(lambda: "Saved in" in page.policy.message.text(), timeout=WAIT_MS)
    assert "next time MedAssist starts" in page.policy.message.text()
    saved = config_file(clinic_with_users)
    assert saved["session_timeout_minutes"] == 15 and saved["max_login_attempts"] == 4

    tab = page.connections
    tab.sync_enabled.setChecked(True)
    tab.sync_url.setText("http://sync.example.org")
    tab.sync_db.setText("clinic_kh")
    tab.sync_user.setText("kh-pursat")
    tab.sync_password.setText("s3cret-sync")
    tab.sync_save.click()
    qtbot.waitUntil(lambda: tab.sync_message.text() != "", timeout=WAIT_MS)
    assert "https" in tab.sync_message.text(), "plain http to another host is refused"
    tab.sync_url.setText("https://sync.example.org")
    tab.sync_save.click()
    qtbot.waitUntil(lambda: "Saved in" in tab.sync_message.text(), timeout=WAIT_MS)
    assert tab.sync_password.text() == ""

    tab.cloud_enabled.setChecked(True)
    tab.cloud_url.setText("https://api.example.org/v1")
    tab.cloud_model.setText("medgemma-27b")
    tab.cloud_key.setText("sk-cloud-key")
    tab.cloud_save.click()
    qtbot.waitUntil(lambda: "Saved in" in tab.cloud_message.text(), timeout=WAIT_MS)

    saved = config_file(clinic_with_users)
    assert saved["sync_url"] == "https://sync.example.org" and saved["sync_enabled"] is True
    assert saved["cloud_model"] == "medgemma-27b"
    text = json.dumps(saved)
    assert "s3cret-sync" not in text and "sk-cloud-key" not in text
    service = service_name("unconfigured-clinic")
    assert keyring_backend.entries[(service, SYNC_PASSWORD)] == "s3cret-sync"
    assert keyring_backend.entries[(service, CLOUD_API_KEY)] == "sk-cloud-key"

    page.load()  # read back: secrets are reported as stored, never shown
    qtbot.waitUntil(lambda: "keyring" in tab.sync_password.placeholderText(), timeout=WAIT_MS)
    assert tab.sync_password.text() == "" and tab.cloud_key.text() == ""
    tab.sync_user.setText("kh-pursat-2")
    tab.sync_save.click()  # an empty password field keeps the stored one
    qtbot.waitUntil(lambda: config_file(clinic_with_users)["sync_user"] == "kh-pursat-2")
    assert keyring_backend.entries[(service, SYNC_PASSWORD)] == "s3cret-sync"


@pytest.mark.slow
def test_model_import_with_progress_and_checksum_then_use(
    qtbot: QtBot,
    clinic_with_users: Path,
    start_app: StartApp,
    embedded_gguf: Path,
    tmp_path: Path,
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    copy = usb / "gemma-3-270m-q4_k_m.gguf"
    shutil.copyfile(embedded_gguf, copy)
    damaged = usb / "medgemma-4b-it-Q4_K_M.gguf"
    damaged.write_bytes(copy.read_bytes()[: 4 * 1024 * 1024])

    controller = start_app()
    sign_in(qtbot, controller, "amara", ADMIN_PASSWORD)
    page = settings_page(qtbot, controller)
    tab = page.model
    page.tabs.setCurrentWidget(tab)
    picker = tab.picker
    qtbot.waitUntil(lambda: picker.selected_name() == "gemma3-270m-q4_k_m", timeout=WAIT_MS)

    importer = picker.import_file(damaged)
    qtbot.waitUntil(picker.result.isVisible, timeout=WAIT_MS)
    assert picker.result.text().startswith("Not imported:")

    percents: list[int] = []
    importer = picker.import_file(copy)
    importer.progress.connect(percents.append)
    with qtbot.waitSignal(importer.succeeded, timeout=120_000):
        pass
    assert percents and percents[-1] == 100 and percents == sorted(percents), str(percents)
    assert "Verified: its sha256 checksum matches" in picker.result.text()

    picker.refresh(select="gemma3-270m-q4_k_m")
    tab.use_selected()
    qtbot.waitUntil(lambda: "Saved: MedAssist will load" in tab.message.text(), timeout=WAIT_MS)
    assert config_file(clinic_with_users)["model_name"] == "gemma3-270m-q4_k_m"
    assert tab.load_button.isVisible()


def test_locking_hides_an_open_dialog_and_brings_it_back(
    qtbot: QtBot, clinic_with_users: Path, start_app: StartApp
) -> None:
    controller = start_app()
    sign_in(qtbot, controller, "amara", ADMIN_PASSWORD)
    users = settings_page(qtbot, controller).users
    dialog = users.open_add_dialog()
    dialog.username.setText("sophal")
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    controller.window.lock_action.trigger()
    qtbot.waitUntil(controller.overlay.isVisible, timeout=WAIT_MS)
    assert not dialog.isVisible(), "nothing of the session stays on screen"
    controller.overlay.password.setText(ADMIN_PASSWORD)
    controller.overlay.unlock_button.click()
    qtbot.waitUntil(lambda: not controller.overlay.isVisible(), timeout=WAIT_MS)
    assert dialog.isVisible() and dialog.username.text() == "sophal"
