"""The pages of the main window, in navigation order: the one place to add a page.

A page factory gets `PageServices` and returns a `Page`. Pages are built before
anyone signs in (wrap one in `LazyPage` to build it when first shown). Services come
from the composition root, `services.sessions.app` (e.g. `app.cases()`); every call
goes through the session manager:

    sessions.call(lambda session: my_service.do(session, ...), on_success, on_failure)

runs on the database thread as the signed-in user, callbacks on the GUI thread; show a
failure with `ui.errors.describe_error`. Connect `sessions.signed_in(Session)` to load
data and `sessions.signed_out()` to forget it (the next person must not see the
previous one's patients).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from medassist_desktop.context import AppContext
from medassist_desktop.ui.home_page import HomePage
from medassist_desktop.ui.main_window import Page
from medassist_desktop.ui.model_status import ModelController
from medassist_desktop.ui.session import SessionManager
from medassist_desktop.ui.widgets.lazy_page import LazyPage


@dataclass(frozen=True)
class PageServices:
    """What a page may use: settings and paths, the signed-in session, the local model."""

    context: AppContext
    sessions: SessionManager
    models: ModelController


PageFactory = Callable[[PageServices], Page]


def home_page(services: PageServices) -> Page:
    title = QCoreApplication.translate("Pages", "Home")
    return Page("home", title, HomePage(services.sessions))


def settings_page(services: PageServices) -> Page:
    """Built when an admin first opens it (it imports the admin services)."""

    def build() -> QWidget:
        from medassist_desktop.ui.settings.settings_page import SettingsPage

        return SettingsPage(services.sessions, services.models)

    title = QCoreApplication.translate("Pages", "Settings")
    return Page("settings", title, LazyPage(build), admin_only=True)


def _clinical_pages() -> tuple[PageFactory, ...]:
    from medassist_desktop.ui.clinical_pages import ask_page, cases_page, knowledge_page

    return (cases_page, ask_page, knowledge_page)


DEFAULT_PAGES: tuple[PageFactory, ...] = (home_page, *_clinical_pages(), settings_page)


def build_pages(
    services: PageServices, factories: Sequence[PageFactory] = DEFAULT_PAGES
) -> list[Page]:
    return [factory(services) for factory in factories]
