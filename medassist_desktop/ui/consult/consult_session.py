"""Wires a ConsultPanel to a ConsultWorker: the controller both consult screens share.

The panel displays and emits, the worker answers off the GUI thread; this object
connects the two, opens cited passages, and records each finished answer through
the case service on the database thread (so "Mark as reviewed" has a record).

What the panel shows belongs to one case and one signed-in person: `reset()` (new
case, another case, sign-out) stops any answer and forgets the answer, its sources
and its review state; a record or review that completes after a reset is kept in
the database but never shown on the panel.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal

from medassist_desktop.core.cases.models import ConsultRecord
from medassist_desktop.core.security.sessions import Session
from medassist_desktop.services.cases import CaseService
from medassist_desktop.services.consult import ConsultService
from medassist_desktop.ui.consult.citation_dialog import CitationDialog
from medassist_desktop.ui.consult.consult_panel import ConsultPanel
from medassist_desktop.ui.errors import describe_error
from medassist_desktop.ui.session import ServiceCalls
from medassist_desktop.workers.consult_worker import ConsultWorker

CaseProvider = Callable[[], tuple[int | None, Mapping[str, Any] | None]]


class ConsultSession(QObject):
    """One panel, one worker. `case_provider` says, at each question, which saved case
    (id or None) the consult belongs to and the case data to send (or None)."""

    recorded = Signal(int)  # consult record id
    record_failed = Signal(str)

    def __init__(
        self,
        panel: ConsultPanel,
        consult: ConsultService,
        cases: CaseService,
        calls: ServiceCalls,
        *,
        case_provider: CaseProvider | None = None,
        max_tokens: int | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.panel = panel
        self.worker = ConsultWorker(consult, max_tokens=max_tokens, parent=self)
        self._consult = consult
        self._cases = cases
        self._calls = calls
        self._case_provider = case_provider
        self._question = ""
        self._case_id: int | None = None
        self.last_answer: dict[str, Any] | None = None
        self.last_record: ConsultRecord | None = None
        self.answers: list[dict[str, Any]] = []  # finished answers, with their question
        self.citation_dialog: CitationDialog | None = None
        self._generation = 0  # bumped by reset(): late results of before are not shown

        panel.ask_requested.connect(self.ask)
        panel.stop_requested.connect(self.worker.stop)
        panel.citation_activated.connect(self.show_citation)
        panel.reviewed.connect(self.mark_reviewed)
        self.worker.token.connect(panel.append_token)
        self.worker.discard.connect(self._discarded)
        self.worker.finished.connect(self._finished)
        self.worker.failed.connect(panel.show_failure)
        self.worker.cancelled.connect(panel.show_cancelled)

    def ask(self, question: str) -> bool:
        case_id, case = self._case_provider() if self._case_provider else (None, None)
        if not self.worker.ask(question, case, actor_id=self._calls.session().user_id):
            return False
        self._question, self._case_id = question, case_id
        self.last_answer = self.last_record = None
        self.panel.begin_answer()
        if self._consult.router_preparing:
            self.panel.confidence_badge.setText(
                self.tr("Preparing… (loading the language model, usually under a minute)")
            )
        return True

    def reset(self) -> None:
        """Forget the consult on screen (another case or person): stop it, clear the panel."""
        self._generation += 1
        if self.worker.busy:
            self.worker.stop()
        self._question, self._case_id = "", None
        self.last_answer = self.last_record = None
        self.answers = []
        if self.citation_dialog is not None:
            self.citation_dialog.close()
            self.citation_dialog = None
        self.panel.clear()

    def show_record(self, record: ConsultRecord) -> None:
        """Show a consult recorded earlier on this case, with its review state."""
        self.panel.question.setPlainText(record.question)
        self.panel.finish_answer(record.answer)
        self.panel.show_review_state(reviewed=record.reviewed)
        self._question, self._case_id = record.question, record.case_id
        self.last_answer, self.last_record = dict(record.answer), record

    def show_citation(self, citation: dict[str, Any]) -> None:
        if self.citation_dialog is not None:
            self.citation_dialog.close()
        self.citation_dialog = CitationDialog(citation, self.panel)
        self.citation_dialog.open()

    def mark_reviewed(self) -> None:
        record = self.last_record
        if record is None:
            return
        generation = self._generation

        def work(session: Session) -> ConsultRecord:
            return self._cases.mark_consult_reviewed(session, record.id)

        def done(updated: ConsultRecord) -> None:
            if self._current(generation):
                self.last_record = updated

        self._calls.call(work, done, self._record_failure)

    def shutdown(self) -> None:
        self.worker.shutdown()

    def _discarded(self, note: str) -> None:
        # The service withdrew what it streamed (model failed mid-way, cached answer...):
        # clear it and say why; what follows, then the final answer, replaces it.
        self.panel.answer.clear()
        self.panel.append_token(f"({note})\n\n")

    def _finished(self, answer: dict[str, Any]) -> None:
        self.panel.finish_answer(answer)
        self.panel.review_button.setEnabled(False)  # until the record exists
        self.last_answer = answer
        self.answers.append(answer | {"question": self._question})
        case_id, question = self._case_id, self._question
        generation = self._generation

        def work(session: Session) -> ConsultRecord:
            return self._cases.record_consult(session, case_id, question, answer)

        def recorded(record: ConsultRecord) -> None:
            if self._current(generation):  # still the same case and person
                self._recorded(record)

        self._calls.call(work, recorded, self._record_failure)

    def _current(self, generation: int) -> bool:
        """A late result still belongs on screen: same case and person, panel not deleted
        (a page closed while its record was being written)."""
        return shiboken6.isValid(self.panel) and generation == self._generation

    def _recorded(self, record: ConsultRecord) -> None:
        self.last_record = record
        self.panel.review_button.setEnabled(True)
        self.recorded.emit(record.id)

    def _record_failure(self, error: BaseException) -> None:
        self.record_failed.emit(describe_error(error))
