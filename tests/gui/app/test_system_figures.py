"""Settings > System in the real app: CPU and memory, and the model's speed from the
clinic's own answers or from a measured run of the real model."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from medassist_desktop.core.security.audit import Outcome
from medassist_desktop.ui.app_controller import AppController
from medassist_desktop.ui.settings.settings_page import SettingsPage
from medassist_desktop.ui.settings.system_tab import SystemTab
from medassist_desktop.ui.widgets.lazy_page import LazyPage
from tests.gui.app.conftest import ADMIN_PASSWORD, StartApp
from tests.gui.app.flows import WAIT_MS, sign_in
from tests.support.keyrings import MemoryKeyring
from tests.support.security import FakeClock, open_services

MODEL = "gemma3-270m-q4_k_m"


def open_system_tab(qtbot: QtBot, controller: AppController) -> SystemTab:
    assert controller.window.show_page("settings")
    lazy = controller.window.stack.currentWidget()
    assert isinstance(lazy, LazyPage) and isinstance(lazy.content, SettingsPage)
    page = lazy.content
    page.tabs.setCurrentWidget(page.system)
    qtbot.waitUntil(lambda: page.system.resources.text() != "", timeout=WAIT_MS)
    return page.system


def test_cpu_memory_and_the_speed_of_the_recent_answers(
    qtbot: QtBot,
    start_app: StartApp,
    clinic_with_users: Path,
    keyring_backend: MemoryKeyring,
    clock: FakeClock,
) -> None:
    services = open_services(clinic_with_users, keyring_backend, create=False, clock=clock)
    try:
        for speed in (12.5, 30.0, 18.25):
            services.audit_log.append(
                None,
                "consult.ask",
                "consult:1",
                Outcome.SUCCESS,
                details={
                    "engine": "local",
                    "model": MODEL,
                    "tokens": 60,
                    "tokens_per_second": speed,
                },
            )
    finally:
        services.close()
    controller = start_app()
    sign_in(qtbot, controller, "amara", ADMIN_PASSWORD)
    system = open_system_tab(qtbot, controller)
    resources = system.resources.text()
    assert resources.startswith("CPU: ") and "% busy" in resources
    assert "GiB free of" in resources and "MedAssist uses" in resources
    shown = system.speed.text()
    assert f"Model {MODEL}: 18.2 tokens per second" in shown
    assert "median of its last 3 answers" in shown


@pytest.mark.usefixtures("clinic_with_users")
def test_measuring_runs_the_real_model(
    qtbot: QtBot, start_app: StartApp, model_env: dict[str, str]
) -> None:
    assert model_env["MEDASSIST_DATA_DIR"]
    controller = start_app()
    sign_in(qtbot, controller, "amara", ADMIN_PASSWORD)
    system = open_system_tab(qtbot, controller)
    assert "not measured yet" in system.speed.text()
    system.measure_button.click()
    assert not system.measure_button.isEnabled()
    qtbot.waitUntil(lambda: "measured just now" in system.speed.text(), timeout=240_000)
    assert system.measure_button.isEnabled()
    value = float(system.speed.text().split(": ", 1)[1].split(" tokens")[0])
    assert value > 0
