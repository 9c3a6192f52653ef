"""Settings > Backup (and the daily automatic backup) and Settings > System, in the real app."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from medassist_desktop.core.degradation import BACKUP
from medassist_desktop.services.backup import MANIFEST_FILE, PREFIX
from medassist_desktop.ui.app_controller import AppController
from medassist_desktop.ui.settings.settings_page import SettingsPage
from medassist_desktop.ui.widgets.lazy_page import LazyPage
from tests.gui.app.conftest import ADMIN_PASSWORD, StartApp
from tests.gui.app.flows import WAIT_MS, sign_in
from tests.support.security import FakeClock

DAY = 86_400.0


def backups(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob(f"{PREFIX}*") if (p / MANIFEST_FILE).is_file())


def open_backup_tab(qtbot: QtBot, controller: AppController) -> SettingsPage:
    assert controller.window.show_page("settings")
    lazy = controller.window.stack.currentWidget()
    assert isinstance(lazy, LazyPage) and isinstance(lazy.content, SettingsPage)
    page = lazy.content
    page.tabs.setCurrentWidget(page.backup)
    qtbot.waitUntil(lambda: page.backup.last.text() != "", timeout=WAIT_MS)
    return page


@pytest.mark.usefixtures("clinic_with_users")
def test_back_up_now_then_every_day_while_the_stick_is_there(
    qtbot: QtBot,
    start_app: StartApp,
    app_env: dict[str, str],
    tmp_path: Path,
    clock: FakeClock,
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    controller = start_app()
    sign_in(qtbot, controller, "amara", ADMIN_PASSWORD)

    # Before any backup by hand, the automatic one refuses: nobody saw a recovery key.
    app_env["BACKUP_FOLDER"] = str(usb)
    controller.backup.check()
    degradation = controller.context.degradation
    qtbot.waitUntil(lambda: degradation.is_degraded(BACKUP), timeout=WAIT_MS)
    assert "first backup made by hand" in (degradation.get(BACKUP).reason or "")
    assert backups(usb) == []

    tab = open_backup_tab(qtbot, controller).backup
    assert tab.last.text() == "No backup has been made yet."
    tab.folder.setText(str(usb))
    tab.keep.setValue(2)
    tab.save_button.click()
    qtbot.waitUntil(lambda: "Saved in" in tab.message.text(), timeout=WAIT_MS)
    tab.backup_button.click()
    assert tab.progress.isVisible() and not tab.backup_button.isEnabled()
    qtbot.waitUntil(lambda: "Backup written to" in tab.message.text(), timeout=WAIT_MS * 2)
    assert not tab.progress.isVisible() and tab.backup_button.isEnabled()
    box = tab.findChild(QMessageBox, "recoveryKeyBox")
    assert box is not None and box.isVisible()
    key = box.text().split()[-1]  # 13 groups of 4 letters and digits
    assert len(key.split("-")) == 13
    box.close()
    qtbot.waitUntil(lambda: tab.last.text().startswith("Last backup:"), timeout=WAIT_MS)
    assert len(backups(usb)) == 1

    # Not due again the same day; due a day later; the newest two are kept.
    controller.backup.check()
    clock.advance(DAY + 60)
    controller.backup.check()
    qtbot.waitUntil(lambda: len(backups(usb)) == 2, timeout=WAIT_MS * 2)
    qtbot.waitUntil(lambda: not degradation.is_degraded(BACKUP), timeout=WAIT_MS)
    oldest = backups(usb)[0].name
    clock.advance(DAY + 60)
    controller.backup.check()
    qtbot.waitUntil(lambda: oldest not in [p.name for p in backups(usb)], timeout=WAIT_MS * 2)
    assert len(backups(usb)) == 2

    # The stick is unplugged: nothing is attempted, nothing is reported as broken.
    app_env["BACKUP_FOLDER"] = str(tmp_path / "unplugged")
    clock.advance(DAY + 60)
    controller.backup.check()
    qtbot.wait(200)
    assert not degradation.is_degraded(BACKUP)


@pytest.mark.usefixtures("clinic_with_users")
def test_the_system_tab_shows_the_probes_and_exports_diagnostics(
    qtbot: QtBot, start_app: StartApp, tmp_path: Path
) -> None:
    controller = start_app()
    sign_in(qtbot, controller, "amara", ADMIN_PASSWORD)
    page = open_backup_tab(qtbot, controller)
    system = page.system
    page.tabs.setCurrentWidget(system)
    qtbot.waitUntil(lambda: system.checks.topLevelItemCount() == 3, timeout=WAIT_MS)
    probes = {
        system.checks.topLevelItem(i).text(0): system.checks.topLevelItem(i) for i in range(3)
    }
    assert set(probes) == {"Alive", "Ready to work", "Started"}
    readiness = probes["Ready to work"]
    checks = {readiness.child(i).text(0): readiness.child(i) for i in range(readiness.childCount())}
    assert {"Database", "Model", "Disk space", "Memory", "Fallbacks in use"} <= set(checks)
    assert checks["Database"].text(1) == "healthy"
    assert "Last backup: never" in system.summary.text()

    target = tmp_path / "support" / "diagnostics.zip"
    system.export_to(target)
    qtbot.waitUntil(lambda: "no patient names" in system.message.text(), timeout=WAIT_MS * 2)
    assert target.is_file() and target.stat().st_size < 5 * 1024 * 1024


@pytest.mark.usefixtures("clinic_with_users")
def test_the_audit_tab_filters_verifies_and_exports(
    qtbot: QtBot, start_app: StartApp, tmp_path: Path, clock: FakeClock
) -> None:
    import json
    from datetime import date

    from PySide6.QtCore import QDate

    controller = start_app()
    sign_in(qtbot, controller, "amara", ADMIN_PASSWORD)
    page = open_backup_tab(qtbot, controller)
    audit = page.audit
    page.tabs.setCurrentWidget(audit)
    today = date.fromtimestamp(clock())  # the services' clock stamps the entries
    audit.date_from.setDate(QDate(today.year, today.month, today.day).addDays(-1))
    audit.date_to.setDate(QDate(today.year, today.month, today.day).addDays(1))
    audit.search()
    qtbot.waitUntil(lambda: audit.table.rowCount() > 0, timeout=WAIT_MS)
    actions = {audit.table.item(r, 2).text() for r in range(audit.table.rowCount())}
    assert {"user.create", "auth.login"} <= actions

    audit.user.setText("dara")  # the health worker never signed in here
    audit.search()
    qtbot.waitUntil(lambda: audit.table.rowCount() == 0, timeout=WAIT_MS)
    audit.user.setText("AMARA")  # user names are not case-sensitive
    audit.action.setText("auth.")
    audit.search()
    qtbot.waitUntil(lambda: audit.table.rowCount() > 0, timeout=WAIT_MS)
    rows = range(audit.table.rowCount())
    assert all(audit.table.item(r, 2).text().startswith("auth.") for r in rows)
    assert all(audit.table.item(r, 1).text() == "amara" for r in rows)

    audit.verify()
    qtbot.waitUntil(lambda: "intact" in audit.message.text(), timeout=WAIT_MS)
    target = tmp_path / "audit.jsonl"
    audit.export_to(target)
    qtbot.waitUntil(lambda: "Exported" in audit.message.text(), timeout=WAIT_MS)
    exported = [json.loads(line)["action"] for line in target.read_text().splitlines()]
    assert "audit.view" in exported and "audit.verify" in exported


@pytest.mark.usefixtures("clinic_with_users")
def test_metrics_and_health_are_served_when_a_port_is_set(
    qtbot: QtBot, start_app: StartApp, app_env: dict[str, str]
) -> None:
    import socket

    import httpx

    from medassist_desktop.core.degradation import MONITORING
    from tests.servers import free_port

    port = free_port()
    app_env["METRICS_PORT"] = str(port)
    controller = start_app()
    qtbot.waitUntil(lambda: controller.monitoring.server is not None, timeout=WAIT_MS)
    failures: list[BaseException] = []
    for attempt in range(1, 6):  # the health worker's wrong passwords lock the account
        controller.sessions.login("dara", "000000", failures.append)
        qtbot.waitUntil(lambda n=attempt: len(failures) == n, timeout=WAIT_MS)  # type: ignore[misc]
    with httpx.Client(trust_env=False, timeout=10) as client:
        scraped = client.get(f"http://127.0.0.1:{port}/metrics").text
        ready = client.get(f"http://127.0.0.1:{port}/health/readiness")
    assert "medassist_lockouts_total 1.0" in scraped
    assert ready.status_code == 200 and ready.json()["probe"] == "readiness"

    # A second app on the same port: the port is taken, shown as degraded, the app runs.
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        app_env["METRICS_PORT"] = str(blocker.getsockname()[1])
        blocker.listen()
        second = start_app()
        degradation = second.context.degradation
        qtbot.waitUntil(lambda: degradation.is_degraded(MONITORING), timeout=WAIT_MS)
        assert second.monitoring.server is None
