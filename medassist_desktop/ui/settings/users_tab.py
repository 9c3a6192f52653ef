"""Users: the accounts of this clinic; add one, disable or enable it, reset a password.

Every action goes through `AccountService` with the admin's session, on the database
thread; the table is re-read after each change.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from medassist_desktop.core.security.accounts import User
from medassist_desktop.core.security.sessions import Session
from medassist_desktop.ui.errors import describe_error, format_wait
from medassist_desktop.ui.session import SessionManager, role_label
from medassist_desktop.ui.settings.user_dialogs import AddUserDialog, ResetPasswordDialog
from medassist_desktop.ui.translations import format_datetime

COLUMNS = 5


class UsersTab(QWidget):
    def __init__(
        self,
        sessions: SessionManager,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("usersTab")
        self._sessions = sessions
        self._clock = clock
        self.users: list[User] = []
        self._pending_select: str | None = None
        self.dialog: AddUserDialog | ResetPasswordDialog | None = None
        self.table = QTableWidget(0, COLUMNS, self)
        self.table.setObjectName("usersTable")
        self.table.setAccessibleName(self.tr("Users"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("User name"),
                self.tr("Name"),
                self.tr("Role"),
                self.tr("Status"),
                self.tr("Last sign-in"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)

        self.add_button = QPushButton(self.tr("&Add user…"), self)
        self.add_button.setObjectName("addUserButton")
        self.toggle_button = QPushButton(self.tr("&Disable"), self)
        self.toggle_button.setObjectName("toggleUserButton")
        self.reset_button = QPushButton(self.tr("&Reset password…"), self)
        self.reset_button.setObjectName("resetPasswordButton")
        self.add_button.clicked.connect(self.open_add_dialog)
        self.toggle_button.clicked.connect(self._toggle_selected)
        self.reset_button.clicked.connect(self.open_reset_dialog)
        self.message = QLabel(self)
        self.message.setObjectName("usersMessage")
        self.message.setWordWrap(True)

        buttons = QHBoxLayout()
        for button in (self.add_button, self.toggle_button, self.reset_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self._selection_changed()

    # -- reading -------------------------------------------------------------------------
    def load(self, select: str | None = None) -> None:
        self._pending_select = select
        accounts = self._sessions.security.accounts
        self._sessions.call(accounts.list_users, self._show_users, self._show_error)

    def clear(self) -> None:
        self.users = []
        self.table.setRowCount(0)
        self.message.clear()

    def _show_users(self, users: list[User]) -> None:
        current = self.selected_user()
        selected = self._pending_select or (current.username if current else None)
        self._pending_select = None
        self.users = users
        self.table.setRowCount(len(users))
        for row, user in enumerate(users):
            values = [
                user.username,
                user.display_name,
                role_label(user.role),
                self._status(user),
                self._when(user.last_login_at),
            ]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, user.username)
                self.table.setItem(row, column, item)
            if user.username == selected:
                self.table.selectRow(row)
        self._selection_changed()

    def _status(self, user: User) -> str:
        if not user.active:
            return self.tr("disabled")
        if user.locked_until is not None and user.locked_until > self._clock():
            return self.tr("locked ({time} left)").format(
                time=format_wait(user.locked_until - self._clock())
            )
        if user.must_change_password:
            return self.tr("active (must change password)")
        return self.tr("active")

    @staticmethod
    def _when(iso: str | None) -> str:
        if not iso:
            return "—"
        try:
            return format_datetime(datetime.fromisoformat(iso))
        except ValueError:
            return iso

    def selected_user(self) -> User | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.users):
            return None
        return self.users[rows[0].row()]

    def select(self, username: str) -> None:
        for row, user in enumerate(self.users):
            if user.username == username:
                self.table.selectRow(row)
                self.table.setCurrentCell(row, 0)

    def _selection_changed(self) -> None:
        user = self.selected_user()
        self.toggle_button.setEnabled(user is not None)
        self.reset_button.setEnabled(user is not None)
        if user is not None:
            self.toggle_button.setText(
                self.tr("&Enable") if not user.active else self.tr("&Disable")
            )

    # -- changing ------------------------------------------------------------------------
    def open_add_dialog(self) -> AddUserDialog:
        dialog = AddUserDialog(self)
        accounts = self._sessions.security.accounts

        def submit() -> None:
            username = dialog.username.text().strip()
            display = dialog.display_name.text().strip()
            password, role = dialog.password.text(), dialog.selected_role()

            def work(session: Session) -> User:
                return accounts.add_user(session, username, password, role, display)

            self._run_in_dialog(dialog, work, self.tr("Added {user}."))

        dialog.submitted.connect(submit)
        self.dialog = dialog
        dialog.open()
        return dialog

    def open_reset_dialog(self) -> ResetPasswordDialog | None:
        user = self.selected_user()
        if user is None:
            return None
        dialog = ResetPasswordDialog(user.username, self)
        accounts = self._sessions.security.accounts

        def submit() -> None:
            password, must_change = dialog.password.text(), dialog.must_change.isChecked()

            def work(session: Session) -> User:
                return accounts.reset_password(
                    session, user.username, password, must_change=must_change
                )

            self._run_in_dialog(dialog, work, self.tr("New password set for {user}."))

        dialog.submitted.connect(submit)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _run_in_dialog(
        self,
        dialog: AddUserDialog | ResetPasswordDialog,
        work: Callable[[Session], User],
        done_text: str,
    ) -> None:
        dialog.set_busy(True)

        def done(user: User) -> None:
            dialog.accept()
            self.message.setText(done_text.format(user=user.username))
            self.load(select=user.username)

        def failed(error: BaseException) -> None:
            dialog.set_busy(False)
            dialog.show_message(describe_error(error))

        self._sessions.call(work, done, failed)

    def _toggle_selected(self) -> None:
        user = self.selected_user()
        if user is None:
            return
        accounts = self._sessions.security.accounts
        action: Any = accounts.enable_user if not user.active else accounts.disable_user
        text = self.tr("Enabled {user}.") if not user.active else self.tr("Disabled {user}.")

        def done(changed: User) -> None:
            self.message.setText(text.format(user=changed.username))
            self.load(select=changed.username)

        self._sessions.call(lambda session: action(session, user.username), done, self._show_error)

    def _show_error(self, error: BaseException) -> None:
        self.message.setText(describe_error(error))
