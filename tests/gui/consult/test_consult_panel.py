"""The consult panel streams, stops, and shows sources, confidence and engine."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from medassist_desktop.ui.consult.consult_panel import ConsultPanel

ANSWER = {
    "text": "Give ORS after each loose stool [1].",
    "citations": [
        {
            "n": 1,
            "passage_id": "c1",
            "title": "Diarrhoea and dehydration",
            "section": "Plan A",
            "page": None,
            "source": "WHO IMCI 2014",
        }
    ],
    "confidence": {
        "level": "medium",
        "signals": {"router_confidence": 0.91, "top_retrieval_scores": [0.72, 0.55]},
    },
    "engine": "local",
}


def test_ask_emits_the_question(qtbot: QtBot) -> None:
    panel = ConsultPanel()
    qtbot.addWidget(panel)
    panel.question.setPlainText("  How much ORS?  ")
    with qtbot.waitSignal(panel.ask_requested) as blocker:
        qtbot.mouseClick(panel.ask_button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["How much ORS?"]


def test_empty_question_is_not_sent(qtbot: QtBot) -> None:
    panel = ConsultPanel()
    qtbot.addWidget(panel)
    with qtbot.assertNotEmitted(panel.ask_requested):
        qtbot.mouseClick(panel.ask_button, Qt.MouseButton.LeftButton)


def test_streaming_then_final_answer(qtbot: QtBot) -> None:
    panel = ConsultPanel()
    qtbot.addWidget(panel)
    panel.begin_answer()
    assert panel.stop_button.isEnabled() and not panel.ask_button.isEnabled()
    for token in ("Give ", "ORS"):
        panel.append_token(token)
    assert panel.answer.toPlainText() == "Give ORS"
    panel.finish_answer(ANSWER)
    assert panel.answer.toPlainText() == ANSWER["text"]
    assert panel.citations.count() == 1
    assert panel.citations.item(0).text() == "[1] Diarrhoea and dehydration — Plan A"
    assert panel.confidence_badge.text() == "Confidence: medium"
    assert "router_confidence: 0.910" in panel.confidence_badge.toolTip()
    assert "0.720, 0.550" in panel.confidence_badge.toolTip()
    assert panel.engine_label.text() == "Engine: local"
    assert panel.review_button.isEnabled() and not panel.stop_button.isEnabled()


def test_no_sources_is_said(qtbot: QtBot) -> None:
    panel = ConsultPanel()
    qtbot.addWidget(panel)
    panel.begin_answer()
    panel.finish_answer({**ANSWER, "citations": [], "confidence": {"level": "low"}})
    assert panel.citations.item(0).text() == "No sources found for this question."


def test_stop_and_citation_and_review(qtbot: QtBot) -> None:
    panel = ConsultPanel()
    qtbot.addWidget(panel)
    panel.begin_answer()
    with qtbot.waitSignal(panel.stop_requested):
        qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
    panel.show_cancelled()
    assert panel.answer.toPlainText().endswith("[Stopped]")
    panel.begin_answer()
    panel.finish_answer(ANSWER)
    with qtbot.waitSignal(panel.citation_activated) as blocker:
        panel.citations.itemActivated.emit(panel.citations.item(0))
    assert blocker.args[0]["passage_id"] == "c1"
    with qtbot.waitSignal(panel.reviewed):
        qtbot.mouseClick(panel.review_button, Qt.MouseButton.LeftButton)
    assert not panel.review_button.isEnabled()


def test_higher_urgency_in_the_answer_shows_a_check_note(qtbot: QtBot) -> None:
    """Raise-only: the note appears when the answer sounds more urgent than the rules."""
    panel = ConsultPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.begin_answer()
    panel.finish_answer({**ANSWER, "triage_level": "urgent", "model_suggested_level": "emergency"})
    assert panel.check_note.isVisible()
    note = panel.check_note.text()
    assert note.startswith("Check: the answer suggests higher urgency (EMERGENCY)")
    assert "(URGENT)" in note
    panel.begin_answer()  # the next question starts without it
    assert not panel.check_note.isVisible()
    panel.finish_answer({**ANSWER, "triage_level": "urgent", "model_suggested_level": None})
    assert not panel.check_note.isVisible()


def test_clear_forgets_everything_of_the_answer(qtbot: QtBot) -> None:
    panel = ConsultPanel()
    qtbot.addWidget(panel)
    panel.question.setPlainText("How much ORS?")
    panel.begin_answer()
    panel.finish_answer(ANSWER)
    panel.show_review_state(reviewed=True)
    assert panel.review_button.text() == "Reviewed" and not panel.review_button.isEnabled()
    panel.clear()
    assert panel.question.toPlainText() == "" and panel.answer.toPlainText() == ""
    assert panel.citations.count() == 0 and panel.confidence_badge.text() == ""
    assert panel.confidence_badge.styleSheet() == "" and panel.engine_label.text() == ""
    assert not panel.review_button.isEnabled() and panel.ask_button.isEnabled()
    assert panel.review_button.text() == "Mark as &reviewed"


def test_esc_stops_an_answer_or_else_says_it_was_unused(qtbot: QtBot) -> None:
    panel = ConsultPanel()
    qtbot.addWidget(panel)
    panel.begin_answer()
    with qtbot.waitSignal(panel.stop_requested), qtbot.assertNotEmitted(panel.escape_unused):
        panel._escape()
    panel.finish_answer(ANSWER)
    with qtbot.waitSignal(panel.escape_unused), qtbot.assertNotEmitted(panel.stop_requested):
        panel._escape()
