"""Settings > Conflicts in the real app: a case edited here and on a real pouchdb-server,
both versions side by side, the server's kept, the case and the server updated, audited."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from medassist_desktop.core.degradation import DegradationRegistry
from medassist_desktop.core.security.clinic_secrets import SYNC_PASSWORD
from medassist_desktop.core.sync.breaker import CircuitBreaker
from medassist_desktop.core.sync.couchdb import ServerConfig
from medassist_desktop.core.sync.engine import SyncEngine, SyncState
from medassist_desktop.core.sync.shared import CASE, doc_id
from medassist_desktop.services.cases import CaseService
from medassist_desktop.storage.database import Database
from medassist_desktop.ui.settings.settings_page import SettingsPage
from medassist_desktop.ui.widgets.lazy_page import LazyPage
from tests.gui.app.conftest import ADMIN_PASSWORD, StartApp
from tests.gui.app.flows import WAIT_MS, sign_in
from tests.servers import ADMIN_PASSWORD as SERVER_PASSWORD
from tests.servers import ADMIN_USER as SERVER_USER
from tests.servers import PouchServer
from tests.support.keyrings import MemoryKeyring
from tests.support.security import FakeClock, open_services

pytestmark = pytest.mark.timeout(120)

DB_NAME = "clinic-conflicts"
CHILD: dict[str, Any] = {"name": "Sok Dara", "age_months": 30, "sex": "male"}


@pytest.fixture
def pouch(tmp_path: Path) -> Iterator[PouchServer]:
    with PouchServer(tmp_path / "pouch") as server:
        server.create_db(DB_NAME)
        yield server


@pytest.fixture
def conflict(
    app_env: dict[str, str],
    clinic_with_users: Path,
    keyring_backend: MemoryKeyring,
    clock: FakeClock,
    pouch: PouchServer,
) -> tuple[int, str]:
    """Before the app starts: a case synced, then edited on the server and here, synced;
    the app's settings point at that server. Returns (case id, document id)."""
    app_env.update(SYNC_URL=pouch.url, SYNC_DB=DB_NAME, SYNC_USER=SERVER_USER)
    services = open_services(clinic_with_users, keyring_backend, create=False, clock=clock)
    try:
        services.clinic_secrets().set(SYNC_PASSWORD, SERVER_PASSWORD)
        cases = CaseService(
            services.db,
            services.account_store,
            services.audit_log,
            clinic_id="kh-01",
            clock=clock,
        )
        engine = SyncEngine(
            services.db,
            ServerConfig(url=pouch.url, db=DB_NAME, user=SERVER_USER, password=SERVER_PASSWORD),
            breaker=CircuitBreaker("sync"),
            degradation=DegradationRegistry(),
        )
        admin = services.accounts.login("amara", ADMIN_PASSWORD)
        case = cases.create_case(admin, CHILD)
        assert engine.run_once().state is SyncState.IDLE
        shared_id = doc_id(CASE, "kh-01", case.uid)
        on_server = pouch.get(DB_NAME, shared_id)
        on_server["details"]["age_months"] = 36
        pouch.put(DB_NAME, on_server)
        cases.update_case(admin, case.id, {**CHILD, "age_months": 31})
        assert engine.run_once().conflicts == 1
        services.accounts.logout(admin)
        return case.id, shared_id
    finally:
        services.close()


def test_both_versions_side_by_side_and_the_servers_kept(
    qtbot: QtBot, start_app: StartApp, pouch: PouchServer, conflict: tuple[int, str]
) -> None:
    case_id, shared_id = conflict
    controller = start_app()
    sign_in(qtbot, controller, "amara", ADMIN_PASSWORD)
    assert controller.window.show_page("settings")
    lazy = controller.window.stack.currentWidget()
    assert isinstance(lazy, LazyPage) and isinstance(lazy.content, SettingsPage)
    page = lazy.content
    tab = page.conflicts
    page.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.list.rowCount() == 1, timeout=WAIT_MS)
    assert tab.list.item(0, 0).text() == shared_id
    rows = {
        tab.compare.item(r, 0).text(): (tab.compare.item(r, 1), tab.compare.item(r, 2))
        for r in range(tab.compare.rowCount())
    }
    here, there = rows["details.age_months"]
    assert (here.text(), there.text()) == ("31", "36")
    assert here.font().bold() and there.font().bold()
    assert not rows["details.name"][0].font().bold()
    assert tab.keep_server_button.isEnabled()

    tab.keep_server_button.click()
    qtbot.waitUntil(lambda: "server's version was kept" in tab.message.text(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: tab.list.rowCount() == 0, timeout=WAIT_MS)
    assert not tab.keep_server_button.isEnabled()
    assert pouch.get(DB_NAME, shared_id)["details"]["age_months"] == 36

    def read(db: Database) -> tuple[Any, list[Any]]:
        age = db.query_one("SELECT age_months FROM cases WHERE id = ?", (case_id,))
        audit = db.query_all(
            "SELECT resource, details FROM audit_log WHERE action = 'sync.conflict.resolve'"
        )
        return age, audit

    age, audit = controller.sessions.tasks.executor.submit(read).result(timeout=10)
    assert age[0] == 36
    [(resource, details)] = audit
    assert resource == shared_id and json.loads(details)["keep"] == "server"


def test_signing_out_clears_both_versions_from_the_screen(
    qtbot: QtBot, start_app: StartApp, conflict: tuple[int, str]
) -> None:
    _case_id, shared_id = conflict
    controller = start_app()
    sign_in(qtbot, controller, "amara", ADMIN_PASSWORD)
    assert controller.window.show_page("settings")
    lazy = controller.window.stack.currentWidget()
    assert isinstance(lazy, LazyPage) and isinstance(lazy.content, SettingsPage)
    page = lazy.content
    page.tabs.setCurrentWidget(page.conflicts)
    qtbot.waitUntil(lambda: page.conflicts.compare.rowCount() > 0, timeout=WAIT_MS)
    assert page.conflicts.list.item(0, 0).text() == shared_id
    controller.window.sign_out_action.trigger()
    assert page.conflicts.list.rowCount() == 0 and page.conflicts.compare.rowCount() == 0
    # Signing in again with the tab open shows the list again.
    sign_in(qtbot, controller, "amara", ADMIN_PASSWORD)
    qtbot.waitUntil(lambda: page.conflicts.list.rowCount() == 1, timeout=WAIT_MS)
