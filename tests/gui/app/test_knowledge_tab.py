"""Settings > Knowledge on the real services: import a folder (progress, per-file results,
cancel), the document list, remove one, re-embed; audited like `medassist kb`.

Real widgets, a real SQLCipher file and the real all-MiniLM-L6-v2; the starter library
is switched off (KB_STARTER_LIBRARY=false) so the list holds only what the test imports.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from medassist_desktop.services.knowledge import KnowledgeService
from medassist_desktop.ui.app_controller import AppController
from medassist_desktop.ui.settings.knowledge_tab import KnowledgeTab
from medassist_desktop.ui.settings.settings_page import SettingsPage
from medassist_desktop.ui.widgets.lazy_page import LazyPage
from tests.gui.app.conftest import ADMIN_PASSWORD, StartApp
from tests.gui.app.flows import WAIT_MS, sign_in

IMPORT_WAIT_MS = 180_000  # the first import loads the embedding model


def knowledge_tab(qtbot: QtBot, controller: AppController) -> KnowledgeTab:
    assert controller.window.show_page("settings")
    lazy = controller.window.stack.currentWidget()
    assert isinstance(lazy, LazyPage)
    page = lazy.content
    assert isinstance(page, SettingsPage)
    page.tabs.setCurrentWidget(page.knowledge)
    return page.knowledge


def audit_entries(controller: AppController) -> list[tuple[str | None, str, str]]:
    """The audit trail, read on the database thread (its connection's)."""
    audit = controller.app.security.audit_log
    return controller.sessions.tasks.executor.submit(
        lambda _db: [(e.actor, e.action, e.outcome) for e in audit.entries()]
    ).result()


def write_sops(folder: Path) -> None:
    folder.mkdir()
    (folder / "cold-chain.md").write_text(
        "---\ntitle: Cold chain failure\ndate: 2024-03-01\nlanguage: en\n---\n"
        "# Cold chain failure\n\nWhen the vaccine fridge is above 8 °C, call the district "
        "cold chain officer and move the vaccines to the cold box with frozen packs.\n",
        encoding="utf-8",
    )
    (folder / "referral-transport.md").write_text(
        "# Referral transport\n\nFor an emergency referral call the district ambulance; "
        "send the referral note with the patient.\n",
        encoding="utf-8",
    )
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a PDF")


@pytest.mark.usefixtures("clinic_with_users")
def test_an_admin_imports_lists_removes_and_reembeds_from_settings(
    qtbot: QtBot,
    start_app: StartApp,
    app_env: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app_env["KB_STARTER_LIBRARY"] = "false"
    folder = tmp_path / "sops"
    write_sops(folder)
    controller = start_app()
    sign_in(qtbot, controller, "amara", ADMIN_PASSWORD)
    tab = knowledge_tab(qtbot, controller)
    assert tab.table.rowCount() == 0 and not tab.remove_button.isEnabled()

    steps: list[int] = []
    tab.progress.valueChanged.connect(steps.append)
    database_thread: list[int] = []
    controller.sessions.tasks.executor.submit(
        lambda _db: database_thread.append(threading.get_ident())
    ).result()
    import_threads: list[int] = []
    real_import = KnowledgeService.import_paths

    def recording_import(self: KnowledgeService, *args: Any, **kwargs: Any) -> Any:
        import_threads.append(threading.get_ident())
        return real_import(self, *args, **kwargs)

    monkeypatch.setattr(KnowledgeService, "import_paths", recording_import)
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", staticmethod(lambda *_a, **_k: str(folder))
    )
    tab.import_folder_button.click()
    assert tab.job is not None and tab.cancel_button.isEnabled()
    assert not tab.import_files_button.isEnabled()
    qtbot.waitUntil(lambda: tab.job is None, timeout=IMPORT_WAIT_MS)

    lines = [tab.results.item(row).text() for row in range(tab.results.count())]
    assert "imported: cold-chain.md (1 passages)" in lines, lines
    assert "imported: referral-transport.md (1 passages)" in lines, lines
    assert any(line.startswith("failed: broken.pdf") for line in lines), lines
    assert "3 file(s): 2 imported, 0 replaced, 0 unchanged, 1 failed" in tab.message.text()
    assert steps and max(steps) == 3  # the bar followed the files
    assert tab.progress.isHidden()

    qtbot.waitUntil(lambda: tab.table.rowCount() == 2, timeout=WAIT_MS)
    rows = {
        tab.table.item(row, 0).text(): [tab.table.item(row, c).text() for c in range(6)]
        for row in range(2)
    }
    cold = rows["Cold chain failure"]
    assert cold[1] == "cold-chain.md" or cold[1].endswith("cold-chain.md")
    assert cold[2] == "2024-03-01" and cold[3] == "en" and cold[4] == "1"
    assert cold[5] == "clinic"
    assert (
        "amara",
        "kb.import",
        "success",
    ) in audit_entries(controller)

    # Remove one, after saying yes.
    row = next(r for r in range(2) if tab.table.item(r, 0).text() == "Referral transport")
    tab.table.selectRow(row)
    assert tab.remove_button.isEnabled()
    tab.remove_button.click()
    assert tab.confirm is not None
    tab.confirm.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: tab.table.rowCount() == 1, timeout=WAIT_MS)
    assert tab.table.item(0, 0).text() == "Cold chain failure"
    assert tab.message.text() == "Removed “Referral transport”."

    # Re-embed: nothing lacks a vector of the current model; audited as the admin's.
    tab.reembed_button.click()
    qtbot.waitUntil(lambda: tab.job is None, timeout=IMPORT_WAIT_MS)
    assert tab.message.text().startswith("Embedded 0 passage(s)"), tab.message.text()
    actions = audit_entries(controller)
    assert ("amara", "kb.remove", "success") in actions
    assert ("amara", "kb.reembed", "success") in actions

    # The window's searches find the imported passage (the database thread's retriever
    # sees the other connection's import).
    knowledge = controller.app.knowledge()
    found = controller.sessions.tasks.executor.submit(
        lambda _db: knowledge.search("the vaccine fridge is too warm", 1)
    ).result()
    assert found.passages[0].title == "Cold chain failure"
    # The import ran on a thread of its own: neither the window's nor the database's.
    assert len(import_threads) == 1
    assert import_threads[0] not in (database_thread[0], threading.get_ident())


def test_an_import_can_be_cancelled_between_files(
    qtbot: QtBot,
    clinic_with_users: Path,
    start_app: StartApp,
    app_env: dict[str, str],
    tmp_path: Path,
) -> None:
    app_env["KB_STARTER_LIBRARY"] = "false"
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(60):
        (folder / f"note-{number:02}.md").write_text(
            f"# Note {number}\n\nClinic note number {number} about stock counts.\n",
            encoding="utf-8",
        )
    controller = start_app()
    sign_in(qtbot, controller, "amara", ADMIN_PASSWORD)
    tab = knowledge_tab(qtbot, controller)
    tab.import_paths([folder])
    tab.cancel_button.click()
    qtbot.waitUntil(lambda: tab.job is None, timeout=IMPORT_WAIT_MS)
    assert "Cancelled" in tab.message.text(), tab.message.text()
    not_processed = [
        tab.results.item(row).text()
        for row in range(tab.results.count())
        if tab.results.item(row).text().startswith("not processed: ")
    ]
    assert not_processed
    qtbot.waitUntil(lambda: tab.table.rowCount() == 60 - len(not_processed), timeout=WAIT_MS)


@pytest.mark.usefixtures("clinic_with_users")
def test_the_first_run_library_is_prepared_off_the_database_thread_with_progress_shown(
    qtbot: QtBot, start_app: StartApp
) -> None:
    controller = start_app()
    messages: list[str] = []
    controller.window.status.messageChanged.connect(messages.append)
    sign_in(qtbot, controller, "amara", ADMIN_PASSWORD)
    preparation = controller.app.library_preparation()
    qtbot.waitUntil(preparation.finished.is_set, timeout=IMPORT_WAIT_MS)
    assert preparation.error is None
    assert preparation.starter is not None and not preparation.starter.cancelled
    qtbot.waitUntil(lambda: "Library ready" in messages, timeout=WAIT_MS)
    assert any(m.startswith("Preparing the library: ") for m in messages), messages
    tab = knowledge_tab(qtbot, controller)
    qtbot.waitUntil(lambda: tab.table.rowCount() == 44, timeout=WAIT_MS)
    assert {tab.table.item(r, 5).text() for r in range(44)} == {"starter library"}
