"""The Ask page: general questions (no patient), answered from the library with sources."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from medassist_desktop.services.cases import CaseService
from medassist_desktop.services.consult import ConsultService
from medassist_desktop.ui.consult.consult_panel import ConsultPanel
from medassist_desktop.ui.consult.consult_session import ConsultSession
from medassist_desktop.ui.session import ServiceCalls


class AskPage(QWidget):
    """A ConsultPanel on no case; each finished answer is recorded as a general consult."""

    def __init__(
        self,
        consult: ConsultService,
        cases: CaseService,
        calls: ServiceCalls,
        *,
        max_tokens: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("askPage")
        self.setAccessibleName(self.tr("Ask a question"))
        heading = QLabel(self.tr("Ask a general question (no patient details are sent)"), self)
        heading.setObjectName("askHeading")
        heading.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setObjectName("askMessage")
        self.message.setWordWrap(True)
        self.panel = ConsultPanel(self)
        self.panel.question.setPlaceholderText(self.tr("Ask about a guideline or treatment…"))
        self.consult = ConsultSession(
            self.panel, consult, cases, calls, max_tokens=max_tokens, parent=self
        )
        self.consult.record_failed.connect(self.message.setText)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.panel, 1)
        layout.addWidget(self.message)
        self.setFocusProxy(self.panel.question)

    def clear(self) -> None:
        """Forget the question and answer on screen (at sign-out: the next person's page)."""
        self.consult.reset()
        self.message.clear()

    def shutdown(self) -> None:
        self.consult.shutdown()
