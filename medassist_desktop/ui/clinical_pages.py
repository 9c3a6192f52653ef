"""The Cases and Ask pages, and the services they share, wired to the signed-in clinic.

`ClinicalServices` builds the case and consult services once the database is open,
on the first page that needs them. The consult service answers with the model the
GUI's `ModelController` loads (one model in memory, one status in the status bar):
its holder never loads by itself, it follows the controller.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from loguru import logger
from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from medassist_desktop.core.security.errors import SessionLockedError
from medassist_desktop.ui.main_window import Page
from medassist_desktop.ui.widgets.lazy_page import LazyPage
from medassist_desktop.ui.widgets.status_bar import ModelState as UiModelState

_log = logger.bind(area="ui")

if TYPE_CHECKING:
    from medassist_desktop.core.knowledge.passages import RetrievalResult
    from medassist_desktop.core.security.sessions import Session
    from medassist_desktop.services.cases import CaseService
    from medassist_desktop.services.consult import ConsultService, ModelHolder
    from medassist_desktop.services.knowledge import KnowledgeService
    from medassist_desktop.ui.pages import PageServices


class ClinicalServices(QObject):
    """Case and consult services of the open database; built lazily, shared by pages."""

    def __init__(self, services: PageServices, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._cases: CaseService | None = None
        self._knowledge: KnowledgeService | None = None
        self._consult: ConsultService | None = None
        self._holder: ModelHolder | None = None

    def session(self) -> Session:
        current = self._services.sessions.current
        if current is None:
            raise SessionLockedError("Sign in first.")
        return current

    def cases(self) -> CaseService:
        if self._cases is None:
            from medassist_desktop.services.cases import CaseService

            sessions = self._services.sessions
            self._cases = CaseService.from_security(
                sessions.security, self._services.context.settings
            )
        return self._cases

    def knowledge(self) -> KnowledgeService:
        """The knowledge base; call it on the GUI thread, use it on the database thread."""
        if self._knowledge is None:
            from medassist_desktop.services.knowledge import KnowledgeService

            context, sessions = self._services.context, self._services.sessions
            knowledge = KnowledgeService.from_security(
                sessions.security,
                context.settings,
                degradation=context.degradation,
                wait_for_model=False,  # keyword answers while the embedding model loads
            )
            # The starter library is imported at the first search (`search_prepared`), on
            # the database thread, so nobody waits for it before they need the library.
            self._knowledge = knowledge
        return self._knowledge

    def consult(self) -> ConsultService:
        if self._consult is None:
            from medassist_desktop.services.consult import (
                ExecutorAudit,
                ExecutorRetriever,
                ModelHolder,
                build_consult_service,
            )

            context, sessions = self._services.context, self._services.sessions
            executor = sessions.tasks.executor
            knowledge = self.knowledge()
            self._holder = ModelHolder(degradation=context.degradation)
            self._consult = build_consult_service(
                context.settings,
                context.paths,
                ExecutorAudit(executor, sessions.security.audit_log),
                degradation=context.degradation,
                model=self._holder,
                retriever=ExecutorRetriever(executor, _PreparedSearch(knowledge)),
                embedder=knowledge.embedder,
            )
            models = self._services.models
            models.state_changed.connect(self._follow_model)
            self._follow_model()
            # The question router's embedding model loads in the background; meanwhile
            # keywords route, and a question they would refuse waits for it ("Preparing…").
            consult = self._consult
            threading.Thread(
                target=lambda: _warm_router(consult), name="medassist-router", daemon=True
            ).start()
        return self._consult

    def _follow_model(self) -> None:
        from medassist_desktop.services.consult import ModelState, ModelStatus

        models, holder = self._services.models, self._holder
        if holder is None:
            return
        worker = models.worker
        if models.state is UiModelState.READY and worker is not None:
            info = models.info
            holder.adopt(worker.engine, name=str(info.get("name", "")), sha256=info.get("sha256"))
        elif models.state is UiModelState.LOADING:
            holder.follow(ModelStatus(ModelState.UNAVAILABLE, reason="the model is still loading"))
        else:
            holder.follow(ModelStatus(ModelState.UNAVAILABLE, reason=models.detail or "not loaded"))

    def shutdown(self) -> None:
        if self._consult is not None:
            self._consult.close()


def _warm_router(consult: ConsultService) -> None:
    try:
        consult.warm_up(load_model=False)  # the model itself is the ModelController's
    except Exception:  # a failure leaves keyword routing, and is logged, never raised here
        _log.exception("Preparing the question router failed")


class _PreparedSearch:
    """The knowledge base as a `Retriever` that prepares the library on first use."""

    def __init__(self, knowledge: KnowledgeService) -> None:
        self._knowledge = knowledge

    def search(self, query: str, k: int = 5, *, query_embedding: Any = None) -> RetrievalResult:
        return self._knowledge.search_prepared(query, k, query_embedding=query_embedding)


def _clinical(services: PageServices) -> ClinicalServices:
    """One `ClinicalServices` per window, kept on the session manager's object tree."""
    existing = services.sessions.findChild(ClinicalServices)
    return existing if existing is not None else ClinicalServices(services, services.sessions)


class CasesPage(QWidget):
    """The case list and the case form, one at a time."""

    def __init__(self, services: PageServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from medassist_desktop.ui.cases.case_form import CaseFormPage
        from medassist_desktop.ui.cases.case_list import CaseListPage

        clinical = _clinical(services)
        tasks = services.sessions.tasks
        settings = services.context.settings
        self.list = CaseListPage(clinical.cases(), tasks, clinical.session, self)
        self.form = CaseFormPage(
            clinical.cases(),
            clinical.consult(),
            tasks,
            clinical.session,
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
    return Page("cases", title, LazyPage(lambda: CasesPage(services)))


def ask_page(services: PageServices) -> Page:
    def build() -> QWidget:
        from medassist_desktop.ui.consult.ask_page import AskPage

        clinical = _clinical(services)
        page = AskPage(
            clinical.consult(), clinical.cases(), services.sessions.tasks, clinical.session
        )
        services.sessions.signed_out.connect(page.clear)  # the next person starts empty
        return page

    title = QCoreApplication.translate("Pages", "Ask")
    return Page("ask", title, LazyPage(build))


def knowledge_page(services: PageServices) -> Page:
    def build() -> QWidget:
        from medassist_desktop.ui.knowledge_page import KnowledgePage

        clinical = _clinical(services)
        page = KnowledgePage(clinical.knowledge(), services.sessions.tasks)
        services.sessions.signed_out.connect(page.clear)  # the next person starts empty
        return page

    title = QCoreApplication.translate("Pages", "Knowledge")
    return Page("knowledge", title, LazyPage(build))
