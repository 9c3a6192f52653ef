"""View > Larger text enlarges the text of every page and dialog, not only the menus,
with the app's own style sheet in force (as in the shipped app)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from medassist_desktop.ui.app_controller import AppController
from medassist_desktop.ui.main_window import LARGE_TEXT_FACTOR
from medassist_desktop.ui.widgets.lazy_page import LazyPage
from tests.gui.app.conftest import ADMIN_PASSWORD, StartApp
from tests.gui.app.flows import WAIT_MS, sign_in

TEXT_WIDGETS = (QLabel, QLineEdit, QAbstractButton, QPlainTextEdit, QTextEdit)


def page_content(qtbot: QtBot, controller: AppController, key: str) -> QWidget:
    assert controller.window.show_page(key)
    widget = controller.window.stack.currentWidget()
    assert widget is not None
    if isinstance(widget, LazyPage):
        qtbot.waitUntil(lambda: widget.content is not None, timeout=WAIT_MS)
        content = widget.content
        assert content is not None
        return content
    return widget


def text_sizes(root: QWidget) -> dict[QWidget, float]:
    widgets = [root, *root.findChildren(QWidget)]
    return {w: w.font().pointSizeF() for w in widgets if isinstance(w, TEXT_WIDGETS)}


def test_larger_text_enlarges_every_page_and_dialog(
    qtbot: QtBot, styled_app: QApplication, clinic_with_users: Path, start_app: StartApp
) -> None:
    controller = start_app()
    sign_in(qtbot, controller, "amara", ADMIN_PASSWORD)
    roots: dict[str, QWidget] = {
        key: page_content(qtbot, controller, key)
        for key in ("home", "cases", "ask", "knowledge", "settings")
    }
    cases = roots["cases"]
    cases.list.new_case_requested.emit()  # type: ignore[attr-defined]
    roots["case form"] = cases.form  # type: ignore[attr-defined]
    controller.window.change_password_action.trigger()
    dialog = controller.password_dialog
    assert dialog is not None and dialog.isVisible()
    roots["change password dialog"] = dialog
    roots["menus"] = controller.window.menuBar()

    before = {name: text_sizes(root) for name, root in roots.items()}
    assert all(before.values()), before  # each page has text to look at
    controller.window.larger_text_action.setChecked(True)
    QApplication.processEvents()
    for name, sizes in before.items():
        for widget, size in sizes.items():
            grown = widget.font().pointSizeF()
            assert grown >= size * LARGE_TEXT_FACTOR * 0.99, (name, widget.objectName(), size)
    # Headings sized by the style sheet grow too.
    title = cases.form.banner.level_label  # type: ignore[attr-defined]
    assert title.font().pointSizeF() > controller.window.navigation.font().pointSizeF()

    controller.window.larger_text_action.setChecked(False)
    QApplication.processEvents()
    for name, sizes in before.items():
        for widget, size in sizes.items():
            assert widget.font().pointSizeF() == pytest.approx(size), (name, widget.objectName())
    dialog.close()
