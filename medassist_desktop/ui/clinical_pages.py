"""The Cases, Ask and Knowledge pages, wired to the signed-in clinic.

Their services come from the composition root (`sessions.app`), built on the first
page that needs them; every call goes through `sessions.call` on the database thread.
The consult service answers with the model holder the status bar shows (one model
in memory, one status).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from medassist_desktop.ui.main_window import Page
from medassist_desktop.ui.widgets.lazy_page import LazyPage

if TYPE_CHECKING:
    from medassist_desktop.ui.pages import PageServices


class CasesPage(QWidget):
    """The case list and the case form, one at a time."""

    def __init__(self, services: PageServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from medassist_desktop.ui.cases.case_form import CaseFormPage
        from medassist_desktop.ui.cases.case_list import CaseListPage

        sessions = services.sessions
        app, settings = sessions.app, services.context.settings
        self.list = CaseListPage(app.cases(), sessions, self)
        self.form = CaseFormPage(
            app.cases(),
            app.consult(),
            sessions,
            clinic=settings.clinic_name or settings.clinic_id,
            parent=self,
        )
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.list)
        self.stack.addWidget(self.form)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.list.new_case_requested.connect(self._new_case)
        self.list.case_opened.connect(self._open_case)
        self.form.saved.connect(lambda _id: self.list.refresh())
        self.form.back_requested.connect(self.show_list)
        services.sessions.signed_out.connect(self._forget)
        services.sessions.signed_in.connect(lambda _session: self.show_list())
        self.list.refresh()  # the register is filled when the page opens, not on typing

    def _new_case(self) -> None:
        self.form.new_case()
        self.stack.setCurrentWidget(self.form)

    def _open_case(self, case_id: int) -> None:
        self.form.open_case(case_id)
        self.stack.setCurrentWidget(self.form)

    def leave_form(self) -> None:
        """Back to the list from an open case, keeping what was typed (as Back does)."""
        if self.stack.currentWidget() is self.form:
            self.form.go_back()

    def show_list(self) -> None:
        self.list.refresh()
        self.stack.setCurrentWidget(self.list)

    def _forget(self) -> None:
        """The next person must not see the previous one's patient."""
        self.form.clear()
        self.list.table.setRowCount(0)
        self.stack.setCurrentWidget(self.list)


def cases_page(services: PageServices) -> Page:
    title = QCoreApplication.translate("Pages", "Cases")
    lazy = LazyPage(lambda: CasesPage(services))

    def back_to_list() -> None:
        if isinstance(lazy.content, CasesPage):
            lazy.content.leave_form()

    return Page("cases", title, lazy, reselected=back_to_list)


def ask_page(services: PageServices) -> Page:
    def build() -> QWidget:
        from medassist_desktop.ui.consult.ask_page import AskPage

        sessions = services.sessions
        page = AskPage(sessions.app.consult(), sessions.app.cases(), sessions)
        sessions.signed_out.connect(page.clear)  # the next person starts empty
        return page

    title = QCoreApplication.translate("Pages", "Ask")
    return Page("ask", title, LazyPage(build))


def knowledge_page(services: PageServices) -> Page:
    def build() -> QWidget:
        from medassist_desktop.ui.knowledge_page import KnowledgePage
        from medassist_desktop.workers.knowledge_jobs import PreparationSignals

        sessions = services.sessions
        preparation = PreparationSignals(sessions.app.library_preparation())
        page = KnowledgePage(sessions.app.knowledge(), sessions, preparation=preparation)
        preparation.setParent(page)
        sessions.signed_out.connect(page.clear)  # the next person starts empty
        return page

    title = QCoreApplication.translate("Pages", "Knowledge")
    return Page("knowledge", title, LazyPage(build))
