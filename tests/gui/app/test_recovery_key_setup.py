"""A keyring clinic's recovery key is shown at first-run setup, must be confirmed, and is
all a new laptop needs to restore the clinic's backup (the old keyring gone with the old
laptop)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWizard
from pytestqt.qtbot import QtBot

from medassist_desktop.core.security.secrets import SecretStore
from medassist_desktop.services.backup import (
    create_backup,
    parse_recovery_key,
    restore_backup,
)
from medassist_desktop.services.cases import CaseService
from tests.gui.app.conftest import ADMIN_PASSWORD, StartApp
from tests.gui.app.flows import WAIT_MS, go_next, wizard_of
from tests.gui.app.test_first_run import fill_admin
from tests.support.keyrings import MemoryKeyring
from tests.support.security import open_services, settings_for

CLINIC = "kh-pursat-02"


def test_the_recovery_key_from_setup_restores_a_backup_on_a_new_laptop(
    qtbot: QtBot,
    start_app: StartApp,
    app_env: dict[str, str],
    keyring_backend: MemoryKeyring,
    tmp_path: Path,
) -> None:
    controller = start_app()
    wizard = wizard_of(qtbot, controller)
    wizard.clinic_page.clinic_id.setText(CLINIC)
    wizard.clinic_page.clinic_name.setText("Pursat Health Centre")
    go_next(qtbot, wizard, wizard.KEY)
    go_next(qtbot, wizard, wizard.ADMIN)
    fill_admin(wizard)
    go_next(qtbot, wizard, wizard.RECOVERY)

    page = wizard.recovery_page
    shown = page.key_label.text()
    assert shown == page.recovery_key and len(shown.split("-")) == 13
    assert "Pursat Health Centre" in page.document().toPlainText()
    assert shown in page.document().toPlainText()  # what "Print…" prints
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    assert not next_button.isEnabled(), "no way on before the key is confirmed"
    page.confirm.setText("ZZZZ")
    assert not next_button.isEnabled()
    page.confirm.setText(shown.rsplit("-", 1)[-1])
    go_next(qtbot, wizard, wizard.MODEL)
    go_next(qtbot, wizard, wizard.DONE)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: controller.sessions.current is not None, timeout=WAIT_MS)
    assert wizard.findChild(QMessageBox) is None
    controller.shutdown()

    # The clinic works; an admin backs up (no second recovery key: the one from setup).
    data = Path(app_env["MEDASSIST_DATA_DIR"])
    services = open_services(data, keyring_backend, create=False, CLINIC_ID=CLINIC)
    usb = tmp_path / "usb"
    usb.mkdir()
    try:
        admin = services.accounts.login("amara", ADMIN_PASSWORD)
        cases = CaseService.from_security(services, settings_for(data, CLINIC_ID=CLINIC).settings)
        saved = cases.create_case(admin, {"name": "Sok Dara", "age_months": 30, "sex": "male"})
        result = create_backup(services, admin, settings_for(data, CLINIC_ID=CLINIC), usb)
        actions = [r[0] for r in services.db.query_all("SELECT action FROM audit_log")]
    finally:
        services.close()
    assert result.recovery_key is None
    assert "backup.recovery_key" in actions

    # A new laptop: a fresh data folder, an empty keyring, the key as written on paper.
    new_laptop = MemoryKeyring()
    new_data = tmp_path / "new-laptop"
    written = shown.lower().replace("-", " ")
    restore_backup(
        result.folder,
        parse_recovery_key(written),
        settings_for(new_data, CLINIC_ID=CLINIC),
        SecretStore(CLINIC, new_laptop),
        admin_name="amara",
        admin_password=ADMIN_PASSWORD,
    )
    restored = open_services(new_data, new_laptop, create=False, CLINIC_ID=CLINIC)
    try:
        admin = restored.accounts.login("amara", ADMIN_PASSWORD)
        again = CaseService.from_security(
            restored, settings_for(new_data, CLINIC_ID=CLINIC).settings
        )
        assert again.get_case(admin, saved.id).name == "Sok Dara"
        assert restored.audit.verify(admin).ok
    finally:
        restored.close()
