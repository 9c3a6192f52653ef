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


@pytest.mark.usefixtures("clinic_with_users")
def test_an_audit_entry_changed_on_the_server_shows_in_the_status_bar(
    qtbot: QtBot,
    start_app: StartApp,
    app_env: dict[str, str],
    keyring_backend: MemoryKeyring,
    tmp_path: Path,
) -> None:
    with PouchServer(tmp_path / "pouch") as server:
        server.create_db("clinic")
        app_env.update(
            SYNC_ENABLED="true",
            SYNC_URL=server.url,
            SYNC_DB="clinic",
            SYNC_USER=ADMIN_USER,
            SYNC_METRICS_DAILY="true",
        )
        controller = start_app()
        clinic_id = controller.context.settings.clinic_id
        keyring_backend.set_password(service_name(clinic_id), SYNC_PASSWORD, ADMIN_PASSWORD)
        sign_in(qtbot, controller, "dara", WORKER_PASSWORD)
        qtbot.waitUntil(lambda: controller.sync.running, timeout=WAIT_MS)
        controller.sync.sync_now()

        def audit_docs() -> list[str]:
            return [d for d in server.all_docs("clinic") if d.startswith("audit:")]

        qtbot.waitUntil(lambda: len(audit_docs()) >= 3, timeout=60_000)
        assert any(d.startswith(f"metrics:{clinic_id}:") for d in server.all_docs("clinic"))
        first = min(audit_docs(), key=lambda d: int(d.rsplit(".", 1)[1]))
        server.put("clinic", {**server.get("clinic", first), "actor": "someone else"})

        controller.sync.sync_now()
        bar = controller.window.status
        qtbot.waitUntil(
            lambda: "audit copy on the server" in bar.degraded_label.text(), timeout=60_000
        )
        reason = controller.context.degradation.get("audit")
        assert reason is not None and f"entry {first.rsplit('.', 1)[1]} " in reason.reason
        controller.shutdown()


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
