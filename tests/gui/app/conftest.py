"""The real app controller on real services: encrypted database, Argon2 (cheap), a test keyring.

`start_app(...)` builds the controller the way `app.py` does, with test clocks, a
short idle timeout and no model or OS network backend unless a test asks for them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from keyring.backend import KeyringBackend
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from medassist_desktop.context import build_context
from medassist_desktop.core.security.accounts import Role
from medassist_desktop.ui.app_controller import AppController
from medassist_desktop.ui.app_options import AppOptions, SecurityOptions
from tests.support.keyrings import MemoryKeyring
from tests.support.security import CHEAP_KDF, FakeClock, cheap_hasher, open_services

ADMIN_PASSWORD = "clinic-admin-2024"
WORKER_PASSWORD = "482915"  # a PIN


class InsecureKeyring(MemoryKeyring):
    """Like keyrings.alt's plain file: priority below 1, so MedAssist must refuse it."""

    priority = 0.5  # type: ignore[assignment]


StartApp = Callable[..., AppController]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def idle_clock() -> FakeClock:
    return FakeClock(start=1000.0)


@pytest.fixture
def keyring_backend() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def start_app(
    qtbot: QtBot,
    app_env: dict[str, str],
    clock: FakeClock,
    idle_clock: FakeClock,
    keyring_backend: MemoryKeyring,
) -> Iterator[StartApp]:
    controllers: list[AppController] = []

    def start(
        *,
        backend: KeyringBackend | None = None,
        kdf_cheap: bool = True,
        start: bool = True,
        **options: Any,
    ) -> AppController:
        settings = {
            "load_model": False,
            "watch_network": False,
            "idle_clock": idle_clock,
            "idle_check_ms": 20,
            "session_timeout_s": 60.0,
            **options,
        }
        app_options = AppOptions(
            security=SecurityOptions(
                keyring_backend=backend or keyring_backend,
                hasher=cheap_hasher(),
                kdf_cost=CHEAP_KDF if kdf_cheap else None,
                clock=clock,
            ),
            **settings,
        )
        controller = AppController(
            build_context(app_env, console_level="CRITICAL"), app_env, app_options
        )
        controllers.append(controller)
        qtbot.addWidget(controller.window)
        controller.show()
        if start:
            controller.start()
        return controller

    yield start
    for controller in controllers:
        controller.shutdown()


@pytest.fixture
def clinic_with_users(
    app_env: dict[str, str], keyring_backend: MemoryKeyring, clock: FakeClock
) -> Path:
    """A set-up clinic (keyring path): admin 'amara' and health worker 'dara'."""
    data_dir = Path(app_env["MEDASSIST_DATA_DIR"])
    extra = {k: v for k, v in app_env.items() if k in ("MAX_LOGIN_ATTEMPTS",)}
    services = open_services(data_dir, keyring_backend, clock=clock, **extra)  # type: ignore[arg-type]
    try:
        accounts = services.accounts
        accounts.create_first_admin("amara", ADMIN_PASSWORD, "Amara Chan")
        session = accounts.login("amara", ADMIN_PASSWORD)
        accounts.add_user(session, "dara", WORKER_PASSWORD, Role.HEALTH_WORKER, "Dara Sok")
        accounts.logout(session)
    finally:
        services.close()
    return data_dir


@pytest.fixture
def styled_app(qapp: QApplication) -> Iterator[QApplication]:
    """The shipped style sheet on the test application, taken off again afterwards."""
    from medassist_desktop.ui.application import set_text_scale, style_application

    font = qapp.font()
    style_application(qapp)
    yield qapp
    set_text_scale(qapp, 1.0)
    qapp.setStyleSheet("")
    qapp.setFont(font)
