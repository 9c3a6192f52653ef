"""One patient's answer never shows on another's case, nor for the next person.

In the real app (encrypted database, the starter library in the knowledge base,
all-MiniLM-L6-v2; no language model is loaded, so consults quote the library): the
admin saves case A and asks about it, a new case B shows nothing of A, B's referral
PDF (read back with pypdf) has none of A's answer while A's has its reviewed one,
opening A again shows A's own reviewed answer and nothing of B's, the lock screen's
"sign out" clears the case, and after sign-out the health worker who signs in finds
the Ask and Knowledge pages empty.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from medassist_desktop.ui.app_controller import AppController
from medassist_desktop.ui.clinical_pages import CasesPage
from medassist_desktop.ui.consult.ask_page import AskPage
from medassist_desktop.ui.consult.consult_panel import ConsultPanel
from medassist_desktop.ui.knowledge_page import KnowledgePage
from medassist_desktop.ui.widgets.lazy_page import LazyPage
from tests.gui.app.conftest import ADMIN_PASSWORD, WORKER_PASSWORD, StartApp
from tests.gui.app.flows import WAIT_MS, sign_in

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

FIRST_ANSWER_MS = 300_000  # the first consult imports the starter library
QUESTION_A = "How much ORS should I give a child with some dehydration?"
CHILD_A = "Sreymom Chea"
CHILD_B = "Baby Vanna"


def page_of(qtbot: QtBot, controller: AppController, key: str) -> QWidget:
    window = controller.window
    assert window.show_page(key)
    lazy = window.stack.currentWidget()
    assert isinstance(lazy, LazyPage)
    qtbot.waitUntil(lambda: lazy.content is not None, timeout=WAIT_MS)
    assert lazy.content is not None
    return lazy.content


def assert_empty(panel: ConsultPanel) -> None:
    assert panel.question.toPlainText() == ""
    assert panel.answer.toPlainText() == ""
    assert panel.citations.count() == 0
    assert panel.confidence_badge.text() == "" and panel.engine_label.text() == ""
    assert not panel.review_button.isEnabled()


def pdf_text(path: Path) -> str:
    """The PDF's text with ligatures ("ﬁ") undone and whitespace collapsed."""
    text = " ".join(p.extract_text() for p in PdfReader(path).pages)
    return " ".join(unicodedata.normalize("NFKC", text).split())


def save(qtbot: QtBot, cases: CasesPage, form: dict[str, object]) -> int:
    cases.form.set_form_data(form)
    with qtbot.waitSignal(cases.form.saved, timeout=WAIT_MS) as saved:
        cases.form.save()
    return int(saved.args[0])


def test_answers_stay_with_their_case_and_their_person(
    qtbot: QtBot, clinic_with_users: Path, start_app: StartApp, tmp_path: Path
) -> None:
    controller = start_app()
    sign_in(qtbot, controller, "amara", ADMIN_PASSWORD)
    cases = page_of(qtbot, controller, "cases")
    assert isinstance(cases, CasesPage)

    # Case A, and a consult on it, marked as reviewed.
    with qtbot.waitSignal(cases.form.opened, timeout=WAIT_MS):
        cases.list.new_case_requested.emit()
    case_a = save(
        qtbot,
        cases,
        {"name": CHILD_A, "age_years": 1, "age_months": 6, "signs": ["diarrhoea", "sunken_eyes"]},
    )
    form, consult = cases.form, cases.form.consult
    form.panel.question.setPlainText(QUESTION_A)
    with qtbot.waitSignal(consult.recorded, timeout=FIRST_ANSWER_MS):
        form.panel.ask_button.click()
    answer_a = consult.last_answer
    assert answer_a is not None and answer_a["engine"] == "extractive"
    assert form.panel.answer.toPlainText() and form.panel.citations.count()
    form.panel.review_button.click()
    qtbot.waitUntil(
        lambda: consult.last_record is not None and consult.last_record.reviewed, timeout=WAIT_MS
    )
    referral_a = form.export_referral(tmp_path / "a.pdf")
    assert referral_a is not None
    text_a = pdf_text(referral_a)
    assert CHILD_A in text_a and QUESTION_A in text_a
    assert text_a.count("Confidence:") == 1
    titles = [c["title"] for c in answer_a["citations"] if c["cited"]]
    for title in set(titles):
        assert text_a.count(" ".join(title.split())) >= 1

    # A new case B shows no answer, and its referral carries nothing of A.
    with qtbot.waitSignal(form.opened, timeout=WAIT_MS):
        cases.list.new_case_requested.emit()
    assert_empty(form.panel)
    assert consult.last_answer is None and consult.last_record is None and consult.answers == []
    save(qtbot, cases, {"name": CHILD_B, "age_months": 1, "signs": ["not_feeding_well"]})
    assert_empty(form.panel)
    referral_b = form.export_referral(tmp_path / "b.pdf")
    assert referral_b is not None
    text_b = pdf_text(referral_b)
    assert CHILD_B in text_b
    assert CHILD_A not in text_b and QUESTION_A not in text_b and "Confidence:" not in text_b

    # An answer on B, then back to the list (Esc) and case A again: A's own earlier
    # answer is shown, reviewed, and nothing of B's.
    question_b = "What are the danger signs in a young infant?"
    form.panel.question.setPlainText(question_b)
    with qtbot.waitSignal(consult.recorded, timeout=WAIT_MS * 4):
        form.panel.ask_button.click()
    answer_b = form.panel.answer.toPlainText()
    assert answer_b
    with qtbot.waitSignal(form.back_requested, timeout=WAIT_MS):
        form.panel.escape_unused.emit()  # what Esc does when no answer is streaming
    assert cases.stack.currentWidget() is cases.list
    qtbot.waitUntil(lambda: cases.list.table.rowCount() >= 2, timeout=WAIT_MS)
    with qtbot.waitSignal(form.opened, timeout=WAIT_MS):
        cases.list.case_opened.emit(case_a)
    assert form.case_id == case_a and form.name.text() == CHILD_A
    assert form.panel.question.toPlainText() == QUESTION_A
    assert form.panel.answer.toPlainText() == answer_a["text"] != answer_b
    assert form.panel.review_button.text() == "Reviewed"
    assert not form.panel.review_button.isEnabled()
    assert consult.last_record is not None and consult.last_record.case_id == case_a

    # The Ask and Knowledge pages in use by the admin.
    ask = page_of(qtbot, controller, "ask")
    assert isinstance(ask, AskPage)
    ask.panel.question.setPlainText("How do I treat scabies?")
    with qtbot.waitSignal(ask.consult.recorded, timeout=WAIT_MS * 4):
        ask.panel.ask_button.click()
    assert "scabies" in ask.panel.answer.toPlainText().lower()
    knowledge = page_of(qtbot, controller, "knowledge")
    assert isinstance(knowledge, KnowledgePage)
    knowledge.query.setText("dengue warning signs")
    knowledge.search()
    qtbot.waitUntil(lambda: knowledge.results.count() > 0, timeout=WAIT_MS * 4)

    # Locked, then "sign out" on the lock screen (another person comes): the case goes.
    page_of(qtbot, controller, "cases")
    controller.sessions.lock()
    qtbot.waitUntil(controller.overlay.isVisible, timeout=WAIT_MS)
    controller.overlay.sign_out_button.click()
    assert controller.sessions.current is None
    assert form.case_id is None and CHILD_A not in str(form.form_data())
    assert_empty(form.panel)

    # The health worker signs in: the Ask and Knowledge pages are empty.
    sign_in(qtbot, controller, "dara", WORKER_PASSWORD)
    assert page_of(qtbot, controller, "ask") is ask
    assert_empty(ask.panel)
    assert ask.consult.last_answer is None and ask.message.text() == ""
    assert page_of(qtbot, controller, "knowledge") is knowledge
    assert knowledge.query.text() == "" and knowledge.results.count() == 0
    assert knowledge.passages == [] and knowledge.status.text() == ""
