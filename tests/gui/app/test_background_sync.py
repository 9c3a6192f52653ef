"""Background sync inside the running app, against a real pouchdb-server on 127.0.0.1:
a case saved in the GUI reaches the server without anyone running a command."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from medassist_desktop.core.security.clinic_secrets import SYNC_PASSWORD
from medassist_desktop.core.security.secrets import service_name
from tests.gui.app.conftest import WORKER_PASSWORD, StartApp
from tests.gui.app.flows import WAIT_MS, sign_in
from tests.servers import ADMIN_PASSWORD, ADMIN_USER, PouchServer
from tests.support.keyrings import MemoryKeyring


@pytest.mark.usefixtures("clinic_with_users")
def test_a_saved_case_is_pushed_by_the_background_schedule(
    qtbot: QtBot,
    start_app: StartApp,
    app_env: dict[str, str],
    keyring_backend: MemoryKeyring,
    tmp_path: Path,
) -> None:
    with PouchServer(tmp_path / "pouch") as server:
        server.create_db("clinic")
        app_env.update(
            SYNC_ENABLED="true", SYNC_URL=server.url, SYNC_DB="clinic", SYNC_USER=ADMIN_USER
        )
        controller = start_app()
        clinic_id = controller.context.settings.clinic_id
        keyring_backend.set_password(service_name(clinic_id), SYNC_PASSWORD, ADMIN_PASSWORD)
        sign_in(qtbot, controller, "dara", WORKER_PASSWORD)
        qtbot.waitUntil(lambda: controller.sync.running, timeout=WAIT_MS)

        from medassist_desktop.services.cases import CaseService

        cases = CaseService.from_security(controller.sessions.security, controller.context.settings)
        saved: list[object] = []
        controller.sessions.call(
            lambda session: cases.create_case(
                session, {"name": "Vanna Kim", "age_months": 30, "signs": ["cough"]}
            ),
            saved.append,
            saved.append,
        )
        qtbot.waitUntil(lambda: bool(saved), timeout=WAIT_MS)
        assert not isinstance(saved[0], BaseException), saved[0]

        bar = controller.window.status
        assert bar.sync_label.text() == "Sync: not tried yet"
        controller.sync.sync_now()
        qtbot.waitUntil(
            lambda: any(doc.startswith("case:") for doc in server.all_docs("clinic")),
            timeout=60_000,
        )
        qtbot.waitUntil(lambda: bar.sync_label.text() == "Sync: server reached", timeout=WAIT_MS)
        controller.shutdown()
        assert not controller.sync.running


def test_the_status_bar_says_when_no_sync_server_is_set_up(
    qtbot: QtBot, clinic_with_users: Path, start_app: StartApp
) -> None:
    controller = start_app()
    sign_in(qtbot, controller, "dara", WORKER_PASSWORD)
    assert controller.window.status.sync_label.text() == "Sync: not set up"
    assert not controller.sync.running


@pytest.mark.usefixtures("clinic_with_users")
def test_the_status_bar_says_when_the_sync_server_is_not_reached(
    qtbot: QtBot, start_app: StartApp, app_env: dict[str, str], keyring_backend: MemoryKeyring
) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app_env.update(
        SYNC_ENABLED="true",
        SYNC_URL=f"http://127.0.0.1:{port}",
        SYNC_DB="clinic",
        SYNC_USER=ADMIN_USER,
    )
    controller = start_app()
    clinic_id = controller.context.settings.clinic_id
    keyring_backend.set_password(service_name(clinic_id), SYNC_PASSWORD, ADMIN_PASSWORD)
    sign_in(qtbot, controller, "dara", WORKER_PASSWORD)
    qtbot.waitUntil(lambda: controller.sync.running, timeout=WAIT_MS)
    controller.sync.sync_now()
    label = controller.window.status.sync_label
    qtbot.waitUntil(lambda: label.text() == "Sync: server not reached", timeout=60_000)
    assert label.toolTip().split("\n")[0]  # the reason comes first
    assert controller.window.status.network_label.text().startswith("Network:")
