"""The Cases and Ask pages inside the real app: a health worker reaches them after sign-in,
a case saved there lands in the encrypted database with its triage, and signing out
clears the patient from the screen."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from medassist_desktop.ui.clinical_pages import CasesPage
from medassist_desktop.ui.widgets.lazy_page import LazyPage
from tests.gui.app.conftest import WORKER_PASSWORD, StartApp
from tests.gui.app.flows import WAIT_MS, sign_in


def test_a_health_worker_saves_a_case_from_the_cases_page(
    qtbot: QtBot, clinic_with_users: Path, start_app: StartApp
) -> None:
    controller = start_app()
    sign_in(qtbot, controller, "dara", WORKER_PASSWORD)
    window = controller.window
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page_key() == "cases"
    lazy = window.stack.currentWidget()
    assert isinstance(lazy, LazyPage)
    qtbot.waitUntil(lambda: lazy.content is not None, timeout=WAIT_MS)
    page = lazy.content
    assert isinstance(page, CasesPage)

    page.list.new_case_requested.emit()
    assert page.stack.currentWidget() is page.form
    page.form.set_form_data(
        {
            "name": "Sreymom Chea",
            "age_years": 1,
            "age_months": 6,
            "respiratory_rate": "52",
            "signs": ["lethargic"],
        }
    )
    reading = page.form.update_triage()
    assert reading is not None
    assert page.form.banner.level == "emergency"
    with qtbot.waitSignal(page.form.saved, timeout=WAIT_MS) as saved:
        page.form.save()
    case_id = saved.args[0]
    stored = controller.sessions.tasks.executor.submit(
        lambda db: db.scalar("SELECT triage_level FROM cases WHERE id = ?", (case_id,))
    )
    assert stored.result(timeout=10) == "emergency"

    controller.sessions.logout()
    assert page.stack.currentWidget() is page.list
    assert page.form.case_id is None
    assert "Sreymom" not in str(page.form.form_data())


def test_the_knowledge_page_searches_the_encrypted_library(
    qtbot: QtBot, clinic_with_users: Path, start_app: StartApp
) -> None:
    from medassist_desktop.ui.consult.citation_dialog import CitationDialog
    from medassist_desktop.ui.knowledge_page import KnowledgePage

    controller = start_app()
    sign_in(qtbot, controller, "dara", WORKER_PASSWORD)
    window = controller.window
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page_key() == "knowledge"
    lazy = window.stack.currentWidget()
    assert isinstance(lazy, LazyPage)
    qtbot.waitUntil(lambda: lazy.content is not None, timeout=WAIT_MS)
    page = lazy.content
    assert isinstance(page, KnowledgePage)
    page.query.setText("oral rehydration salts and zinc for diarrhoea")
    page.search()
    # The first search waits for the starter library's first-run import.
    qtbot.waitUntil(lambda: page.results.count() > 0, timeout=180_000)
    titles = [p["title"].lower() for p in page.passages]
    assert any("diarrhoea" in t for t in titles), titles
    page.results.itemActivated.emit(page.results.item(0))
    dialog = page.findChild(CitationDialog)
    assert dialog is not None
    shown, source = dialog.passage.toPlainText(), page.passages[0]["text"]
    assert "**" not in shown  # the passage's Markdown is rendered
    words, source_words = set(re.findall(r"\w+", shown)), set(re.findall(r"\w+", source))
    assert words <= source_words  # every word as written; only list numbers are markup
    assert all(word.isdigit() or word == "_" for word in source_words - words)
    dialog.close()
