"""A view for one consult: question, streaming answer, Stop, citations, confidence, engine.

The panel only displays and emits; a controller connects it to the consult worker.
That keeps it testable with plain data and keeps business logic out of widgets.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

CONFIDENCE_COLOURS = {"high": "#2e7d32", "medium": "#ef6c00", "low": "#b71c1c"}


class ConsultPanel(QWidget):
    ask_requested = Signal(str)
    stop_requested = Signal()
    citation_activated = Signal(dict)
    reviewed = Signal()
    escape_unused = Signal()  # Esc with no answer to stop (the page may go back)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("consultPanel")
        self._citations: list[dict[str, Any]] = []
        self._build_widgets()
        self._build_layout()
        self.ask_button.clicked.connect(self._ask)
        self.stop_button.clicked.connect(self.stop_requested)
        self.review_button.clicked.connect(self._mark_reviewed)
        self.citations.itemActivated.connect(self._citation_activated)
        QShortcut(QKeySequence("Ctrl+Return"), self, self._ask)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self._escape)
        self._set_idle_meta()

    def _build_widgets(self) -> None:
        self.question = QPlainTextEdit(self)
        self.question.setObjectName("consultQuestion")
        self.question.setAccessibleName(self.tr("Question"))
        self.question.setPlaceholderText(self.tr("Ask about this patient or a guideline…"))
        self.question.setMaximumHeight(90)
        self.question.setTabChangesFocus(True)

        self.ask_button = QPushButton(self.tr("&Ask"), self)
        self.ask_button.setObjectName("askButton")
        self.ask_button.setToolTip(self.tr("Ask (Ctrl+Enter)"))
        self.stop_button = QPushButton(self.tr("&Stop"), self)
        self.stop_button.setObjectName("stopButton")
        self.stop_button.setToolTip(self.tr("Stop the answer (Esc)"))
        self.stop_button.setEnabled(False)
        self.review_button = QPushButton(self.tr("Mark as &reviewed"), self)
        self.review_button.setObjectName("reviewButton")
        self.review_button.setEnabled(False)

        self.answer = QTextBrowser(self)
        self.answer.setObjectName("consultAnswer")
        self.answer.setAccessibleName(self.tr("Answer"))
        self.answer.setOpenLinks(False)

        self.confidence_badge = QLabel(self)
        self.confidence_badge.setObjectName("confidenceBadge")
        self.confidence_badge.setAccessibleName(self.tr("Confidence"))
        self.engine_label = QLabel(self)
        self.engine_label.setObjectName("engineLabel")
        # Raise-only: shown when the answer reads as more urgent than the rules' level.
        self.check_note = QLabel(self)
        self.check_note.setObjectName("answerCheckNote")
        self.check_note.setWordWrap(True)
        self.check_note.setStyleSheet(
            "QLabel#answerCheckNote { background: #fff3e0; color: #b71c1c; font-weight: bold; "
            "padding: 4px; border: 1px solid #b71c1c; }"
        )
        self.check_note.hide()
        self.citations = QListWidget(self)
        self.citations.setObjectName("citationList")
        self.citations.setAccessibleName(self.tr("Sources"))
        self.citations.setMaximumHeight(120)
        self.disclaimer = QLabel(
            self.tr(
                "Decision support for a trained health worker. Check the sources; your "
                "clinical judgement and the triage rules come first."
            ),
            self,
        )
        self.disclaimer.setObjectName("disclaimer")
        self.disclaimer.setWordWrap(True)

    def _build_layout(self) -> None:
        buttons = QHBoxLayout()
        buttons.addWidget(self.ask_button)
        buttons.addWidget(self.stop_button)
        buttons.addStretch(1)
        buttons.addWidget(self.review_button)
        meta = QHBoxLayout()
        meta.addWidget(self.confidence_badge)
        meta.addWidget(self.engine_label)
        meta.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addLayout(buttons)
        layout.addWidget(self.check_note)
        layout.addWidget(self.answer, 1)
        layout.addLayout(meta)
        layout.addWidget(QLabel(self.tr("Sources:"), self))
        layout.addWidget(self.citations)
        layout.addWidget(self.disclaimer)

    # -- input ---------------------------------------------------------------
    def _ask(self) -> None:
        text = self.question.toPlainText().strip()
        if text and self.ask_button.isEnabled():
            self.ask_requested.emit(text)

    def _escape(self) -> None:
        if self.stop_button.isEnabled():
            self.stop_requested.emit()
        else:
            self.escape_unused.emit()

    def _mark_reviewed(self) -> None:
        self.review_button.setEnabled(False)
        self.review_button.setText(self.tr("Reviewed"))
        self.reviewed.emit()

    def _citation_activated(self, item: QListWidgetItem) -> None:
        self.citation_activated.emit(self._citations[self.citations.row(item)])

    # -- output --------------------------------------------------------------
    def clear(self) -> None:
        """Empty: no question, answer, sources, confidence or review (another case or person)."""
        self.question.clear()
        self.answer.clear()
        self.citations.clear()
        self._citations = []
        self.ask_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        self.review_button.setEnabled(False)
        self.review_button.setText(self.tr("Mark as &reviewed"))
        self._set_idle_meta()
        self.confidence_badge.setStyleSheet("")

    def show_review_state(self, *, reviewed: bool) -> None:
        """An answer recorded earlier: "Reviewed" (done), or the button to review it."""
        self.review_button.setEnabled(not reviewed)
        self.review_button.setText(
            self.tr("Reviewed") if reviewed else self.tr("Mark as &reviewed")
        )

    def begin_answer(self) -> None:
        self.answer.clear()
        self.check_note.hide()
        self.citations.clear()
        self._citations = []
        self.ask_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.review_button.setEnabled(False)
        self.review_button.setText(self.tr("Mark as &reviewed"))
        self.confidence_badge.setText(self.tr("Answering…"))
        self.engine_label.clear()

    def append_token(self, text: str) -> None:
        cursor = self.answer.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text)
        self.answer.setTextCursor(cursor)

    def finish_answer(self, answer: Mapping[str, Any]) -> None:
        """Show the final answer object: text, citations, confidence, engine."""
        self.answer.setPlainText(str(answer.get("text", "")))
        self._show_check_note(answer)
        self._citations = [dict(c) for c in answer.get("citations", [])]
        for number, citation in enumerate(self._citations, start=1):
            where = ", ".join(
                part for part in (citation.get("section"), _page(citation.get("page"))) if part
            )
            label = f"[{citation.get('n', number)}] {citation.get('title', '')}"
            item = QListWidgetItem(f"{label} — {where}" if where else label)
            item.setToolTip(str(citation.get("source", "")))
            self.citations.addItem(item)
        if not self._citations:
            self.citations.addItem(self.tr("No sources found for this question."))
            self.citations.item(0).setFlags(Qt.ItemFlag.NoItemFlags)
        self._show_confidence(answer.get("confidence") or {})
        engine = str(answer.get("engine", ""))
        cached = self.tr(" (cached)") if answer.get("cached") else ""
        self.engine_label.setText(self.tr("Engine: {engine}").format(engine=engine) + cached)
        self.ask_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        self.review_button.setEnabled(True)

    def _show_check_note(self, answer: Mapping[str, Any]) -> None:
        """The answer sounds more urgent than the rules: say so; the banner's level stays."""
        suggested = answer.get("model_suggested_level")
        if not suggested:
            self.check_note.hide()
            return
        rules = str(answer.get("triage_level") or "")
        self.check_note.setText(
            self.tr(
                "Check: the answer suggests higher urgency ({suggested}) than the danger-sign "
                "rules ({rules}). Re-examine the patient; refer sooner if you agree."
            ).format(suggested=str(suggested).upper(), rules=rules.upper())
        )
        self.check_note.show()

    def show_cancelled(self) -> None:
        self.append_token("\n" + self.tr("[Stopped]"))
        self.ask_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        self.confidence_badge.setText(self.tr("Stopped"))

    def show_failure(self, message: str) -> None:
        self.answer.setPlainText(message)
        self._set_idle_meta()
        self.ask_button.setEnabled(True)
        self.stop_button.setEnabled(False)

    def _set_idle_meta(self) -> None:
        self.confidence_badge.clear()
        self.confidence_badge.setToolTip("")
        self.engine_label.clear()

    def _show_confidence(self, confidence: Mapping[str, Any]) -> None:
        level = str(confidence.get("level", "low"))
        colour = CONFIDENCE_COLOURS.get(level, "#b71c1c")
        self.confidence_badge.setText(self.tr("Confidence: {level}").format(level=level))
        self.confidence_badge.setStyleSheet(
            f"QLabel#confidenceBadge {{ color: white; background: {colour}; "
            "padding: 2px 8px; border-radius: 4px; }"
        )
        signals = confidence.get("signals") or {}
        self.confidence_badge.setToolTip(
            "\n".join(f"{name}: {_fmt(value)}" for name, value in signals.items())
            or self.tr("No measured signals")
        )


def _page(page: object) -> str:
    return f"p. {page}" if page not in (None, "") else ""


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, list):
        return ", ".join(_fmt(v) for v in value)
    return str(value)
