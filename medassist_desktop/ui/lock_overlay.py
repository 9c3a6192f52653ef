"""A screen over the main window: while starting, while signed out, and when locked.

It hides what is underneath (patient data must not stay on an unattended screen)
but leaves it untouched: pages, typed text and the current page are all there after
unlocking. While it covers the window, the window's own controls and shortcuts are
disabled, so keyboard focus and Tab stay on the overlay.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from medassist_desktop.core.security.errors import AccountLockedError, AuthError
from medassist_desktop.ui.errors import describe_error
from medassist_desktop.ui.login_dialog import lockout_text


class LockOverlay(QWidget):
    """Signals: unlock_requested(password), sign_out_requested()."""

    unlock_requested = Signal(str)
    sign_out_requested = Signal()

    def __init__(self, window: QMainWindow, *, clock: Callable[[], float] = time.time) -> None:
        super().__init__(window)
        self._window = window
        self._clock = clock
        self._locked_until: float | None = None
        self._focus_before: QWidget | None = None
        self._hidden_dialogs: list[QDialog] = []
        self.setObjectName("lockOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAutoFillBackground(True)
        self._build()
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._refresh_lockout)
        window.installEventFilter(self)
        self.hide()

    def _build(self) -> None:
        self.card = QFrame(self)
        self.card.setObjectName("lockCard")
        self.title = QLabel(self.card)
        self.title.setObjectName("lockTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail = QLabel(self.card)
        self.detail.setObjectName("lockDetail")
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail.setWordWrap(True)
        self.password = QLineEdit(self.card)
        self.password.setObjectName("lockPassword")
        self.password.setAccessibleName(self.tr("Password or PIN to unlock"))
        self.password.setPlaceholderText(self.tr("Password or PIN"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.returnPressed.connect(self._submit)
        self.message = QLabel(self.card)
        self.message.setObjectName("lockMessage")
        self.message.setAccessibleName(self.tr("Unlock message"))
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.unlock_button = QPushButton(self.tr("&Unlock"), self.card)
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.clicked.connect(self._submit)
        self.sign_out_button = QPushButton(self.tr("Sign &out"), self.card)
        self.sign_out_button.setObjectName("lockSignOutButton")
        self.sign_out_button.setToolTip(self.tr("Sign out so someone else can sign in"))
        self.sign_out_button.clicked.connect(self.sign_out_requested)

        buttons = QHBoxLayout()
        buttons.addWidget(self.sign_out_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        self._card_layout = card_layout = QVBoxLayout(self.card)
        card_layout.setContentsMargins(32, 28, 32, 28)
        card_layout.setSpacing(12)
        card_layout.addWidget(self.title)
        card_layout.addWidget(self.detail)
        card_layout.addWidget(self.password)
        card_layout.addWidget(self.message)
        card_layout.addLayout(buttons)
        self.card.setFixedWidth(440)
        # Stretches, not an alignment flag: an aligned widget gets its size hint, and the
        # word-wrapped labels then lose their second line.
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.card)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    # -- modes -----------------------------------------------------------------------
    def show_message(self, title: str, detail: str = "") -> None:
        """Starting, opening the database: words only, nothing to type. No title: a blank
        cover (behind the sign-in dialog or the setup wizard)."""
        self._set_inputs(False)
        self.card.setVisible(bool(title))
        self.title.setText(title)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self.message.hide()
        self._fit_card()
        self.cover()

    def show_locked(self, user_display: str) -> None:
        """Locked: the same user enters the password again (or signs out)."""
        self._set_inputs(True)
        self.card.show()
        self.title.setText(self.tr("Locked"))
        self.detail.setText(
            self.tr("{user} is signed in.\nEnter the password or PIN to continue.").format(
                user=user_display
            )
        )
        self.detail.show()
        self.message.hide()
        self.password.clear()
        self.set_busy(False)
        self._fit_card()
        self.cover()
        self.password.setFocus()

    def show_failure(self, error: BaseException) -> None:
        self.set_busy(False)
        self.password.clear()
        self._countdown.stop()
        if isinstance(error, AccountLockedError):
            self._locked_until = error.locked_until
            self._refresh_lockout()
            self._countdown.start()
        elif isinstance(error, AuthError) and type(error) is AuthError:
            self._show_message(self.tr("That password is not right. Try again."))
        else:
            self._show_message(describe_error(error))
        self.password.setFocus()

    def set_busy(self, busy: bool) -> None:
        self.password.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy)

    def _set_inputs(self, visible: bool) -> None:
        for widget in (self.password, self.unlock_button, self.sign_out_button):
            widget.setVisible(visible)

    def _submit(self) -> None:
        if self.password.text():
            self.set_busy(True)
            self.unlock_requested.emit(self.password.text())

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        self._fit_card()

    def _fit_card(self) -> None:
        """The card as tall as its wrapped text needs at its fixed width: the layout around
        it would otherwise give it its one-line height and cut the second line off."""
        layout = self._card_layout
        layout.activate()
        needed = layout.totalHeightForWidth(self.card.width()) if layout.hasHeightForWidth() else -1
        self.card.setMinimumHeight(max(needed, layout.totalMinimumSize().height()))

    def _refresh_lockout(self) -> None:
        until = self._locked_until
        if until is None or until <= self._clock():
            self._countdown.stop()
            self.message.hide()
            self._fit_card()
            return
        self._show_message(lockout_text(until, self._clock()))

    # -- covering the window -----------------------------------------------------------
    @property
    def covering(self) -> bool:
        return self.isVisible()

    def cover(self) -> None:
        if not self.isVisible():
            focus = self._window.focusWidget()  # the window's focus child, even if inactive
            inside = focus is not None and (focus is self or self.isAncestorOf(focus))
            self._focus_before = None if inside else focus
            self._set_window_enabled(False)
            # Dialogs over the window (adding a user, a form) are windows of their own:
            # hide them too, and bring them back as they were after unlocking.
            self._hidden_dialogs = [d for d in self._window.findChildren(QDialog) if d.isVisible()]
            for dialog in self._hidden_dialogs:
                dialog.hide()
        self._fit()
        self.raise_()
        self.show()
        self._window.activateWindow()

    def uncover(self) -> None:
        self._countdown.stop()
        self.password.clear()
        self.hide()
        self._set_window_enabled(True)
        if self._focus_before is not None and isValid(self._focus_before):
            self._window.activateWindow()
            self._focus_before.setFocus()
        self._focus_before = None
        for dialog in self._hidden_dialogs:
            if isValid(dialog):
                dialog.show()
                dialog.activateWindow()
        self._hidden_dialogs = []

    def _set_window_enabled(self, enabled: bool) -> None:
        """Pages and menus off while covered; shortcuts are swallowed in `eventFilter`."""
        central = self._window.centralWidget()
        if central is not None:
            central.setEnabled(enabled)
        self._window.menuBar().setEnabled(enabled)
        app = QApplication.instance()
        if app is not None:
            if enabled:
                app.removeEventFilter(self)
            else:
                app.installEventFilter(self)

    def _belongs_to_window(self, target: QObject) -> bool:
        """A widget, action or shortcut of the covered window (not of the overlay)."""
        node: QObject | None = target
        while node is not None:
            if node is self:
                return False
            if node is self._window:
                return True
            if isinstance(node, QWidget) and node.isWindow():
                return False  # a dialog over the window (sign-in, setup) keeps its keys
            node = node.parent()
        return False

    def _fit(self) -> None:
        bar = self._window.statusBar()
        height = self._window.height() - (bar.height() if bar.isVisible() else 0)
        self.setGeometry(0, 0, self._window.width(), height)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self._window and event.type() == QEvent.Type.Resize and self.isVisible():
            self._fit()
        elif event.type() == QEvent.Type.Shortcut and self.isVisible():
            return self._belongs_to_window(watched)  # Ctrl+1, Ctrl+L... do nothing underneath
        return False
