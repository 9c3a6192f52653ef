"""The main window: navigation, the pages, and a status bar a health worker can trust.

The window only lays out views and reflects state. Each page is built by the
feature that owns it and handed in; the window knows pages by key and title.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from medassist_desktop import APP_NAME
from medassist_desktop.context import AppContext
from medassist_desktop.ui.application import set_text_scale
from medassist_desktop.ui.widgets.status_bar import AppStatusBar

LARGE_TEXT_FACTOR = 1.25


@dataclass
class Page:
    key: str
    title: str
    widget: QWidget
    admin_only: bool = False
    # Choosing the page again while it is shown (a click on it in the sidebar, or its
    # Ctrl+number): e.g. Cases leaves an open case for the list, as its Back button does.
    reselected: Callable[[], None] | None = None


class MainWindow(QMainWindow):
    """Top-level window with a page list on the left and the current page on the right."""

    def __init__(self, context: AppContext, pages: list[Page] | None = None) -> None:
        super().__init__()
        self._context = context
        self.setObjectName("mainWindow")
        self.refresh_title()
        self.resize(1280, 720)
        self.setMinimumSize(960, 600)
        self._pages: list[Page] = []

        self.navigation = QListWidget(self)
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName(self.tr("Sections"))
        self.navigation.setFixedWidth(170)
        self.stack = QStackedWidget(self)
        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.navigation.currentRowChanged.connect(self._show_row)
        self._row_at_press = -1
        self.navigation.viewport().installEventFilter(self)
        self.navigation.itemClicked.connect(self._item_clicked)

        for page in pages or [Page("home", self.tr("Home"), self._welcome_page())]:
            self.add_page(page)
        self.status = AppStatusBar(self)
        self.setStatusBar(self.status)
        self._build_menus()
        self.navigation.setCurrentRow(0)

    def refresh_title(self) -> None:
        """'MedAssist Desktop — <clinic name or id>' (settings may change during setup)."""
        settings = self._context.settings
        self.setWindowTitle(
            self.tr("{app} — {clinic}").format(
                app=APP_NAME, clinic=settings.clinic_name or settings.clinic_id
            )
        )

    def set_signed_in(self, user_display: str | None) -> None:
        """Who is signed in, in the status bar; the account actions follow."""
        self.status.set_user(user_display)
        for action in (self.lock_action, self.sign_out_action, self.change_password_action):
            action.setVisible(user_display is not None)

    # -- pages ---------------------------------------------------------------
    def add_page(self, page: Page) -> None:
        self._pages.append(page)
        self.stack.addWidget(page.widget)
        item = QListWidgetItem(page.title)
        item.setData(Qt.ItemDataRole.UserRole, page.key)
        self.navigation.addItem(item)
        shortcut_index = len(self._pages)
        if shortcut_index <= 9:
            item.setToolTip(self.tr("Ctrl+{n}").format(n=shortcut_index))

    def show_page(self, key: str) -> bool:
        for row, page in enumerate(self._pages):
            if page.key == key and not self.navigation.item(row).isHidden():
                self.navigation.setCurrentRow(row)
                return True
        return False

    def current_page_key(self) -> str:
        return self._pages[self.stack.currentIndex()].key

    def set_admin(self, is_admin: bool) -> None:
        """Hide admin-only pages for health workers (the services also refuse them)."""
        for row, page in enumerate(self._pages):
            if page.admin_only:
                self.navigation.item(row).setHidden(not is_admin)
                if not is_admin and self.stack.currentIndex() == row:
                    self.navigation.setCurrentRow(0)

    def _show_row(self, row: int) -> None:
        if 0 <= row < len(self._pages):
            self.stack.setCurrentIndex(row)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.navigation.viewport() and event.type() == QEvent.Type.MouseButtonPress:
            self._row_at_press = self.navigation.currentRow()  # before the click changes it
        return False

    def _item_clicked(self, item: QListWidgetItem) -> None:
        row = self.navigation.row(item)
        if row == self._row_at_press:
            self._reselect(row)

    def _reselect(self, row: int) -> None:
        callback = self._pages[row].reselected
        if callback is not None:
            callback()

    # -- menus and keyboard --------------------------------------------------
    def _build_menus(self) -> None:
        account = self.menuBar().addMenu(self.tr("&Account"))
        self.lock_action = QAction(self.tr("&Lock"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setToolTip(self.tr("Lock the screen now (Ctrl+L)"))
        self.change_password_action = QAction(self.tr("&Change password…"), self)
        self.sign_out_action = QAction(self.tr("Sign &out"), self)
        self.sign_out_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.quit_action = QAction(self.tr("&Quit"), self)
        self.quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        self.quit_action.triggered.connect(self.close)
        for action in (self.lock_action, self.change_password_action, self.sign_out_action):
            account.addAction(action)
            action.setVisible(False)
        account.addSeparator()
        account.addAction(self.quit_action)
        view = self.menuBar().addMenu(self.tr("&View"))
        self.larger_text_action = QAction(self.tr("&Larger text"), self)
        self.larger_text_action.setCheckable(True)
        self.larger_text_action.setShortcut(QKeySequence("Ctrl+Shift+="))
        self.larger_text_action.toggled.connect(self.set_larger_text)
        view.addAction(self.larger_text_action)
        for index in range(min(len(self._pages), 9)):
            action = QAction(self)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _=False, row=index: self._go_to_row(row))
            self.addAction(action)

    def _go_to_row(self, row: int) -> None:
        if self.navigation.item(row).isHidden():
            return
        if row == self.navigation.currentRow():
            self._reselect(row)
        else:
            self.navigation.setCurrentRow(row)

    def set_larger_text(self, enabled: bool) -> None:
        """Every page, dialog and menu in larger (or normal) text."""
        app = QApplication.instance()
        if isinstance(app, QApplication):
            set_text_scale(app, LARGE_TEXT_FACTOR if enabled else 1.0)

    def _welcome_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        heading = QLabel(self.tr("Welcome to {app}").format(app=APP_NAME), page)
        heading.setObjectName("welcomeHeading")
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        note = QLabel(
            self.tr(
                "Decision support for trained health workers. It does not replace "
                "clinical judgement."
            ),
            page,
        )
        note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        note.setWordWrap(True)
        layout.addStretch(1)
        layout.addWidget(heading)
        layout.addWidget(note)
        layout.addStretch(2)
        return page
