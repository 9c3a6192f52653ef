"""The case form in the real window at 1366x768: the triage banner says the finding in
words (rule ids in its tooltip) and never moves the fields while someone types; the
"Cases" entry in the sidebar leads back to the list."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from medassist_desktop.ui.app_controller import AppController
from medassist_desktop.ui.clinical_pages import CasesPage
from medassist_desktop.ui.widgets.lazy_page import LazyPage
from tests.gui.app.conftest import WORKER_PASSWORD, StartApp
from tests.gui.app.flows import WAIT_MS, sign_in

SCREEN = (1366, 768)


def open_cases(qtbot: QtBot, controller: AppController) -> CasesPage:
    window = controller.window
    window.resize(*SCREEN)
    window.show_page("cases")
    lazy = window.stack.currentWidget()
    assert isinstance(lazy, LazyPage)
    qtbot.waitUntil(lambda: lazy.content is not None, timeout=WAIT_MS)
    page = lazy.content
    assert isinstance(page, CasesPage)
    return page


def new_case(qtbot: QtBot, page: CasesPage) -> None:
    with qtbot.waitSignal(page.form.opened, timeout=WAIT_MS):
        page.list.new_case_requested.emit()
    assert page.stack.currentWidget() is page.form


def positions(widgets: list[QWidget], top: QWidget) -> list[tuple[int, int, int, int]]:
    QApplication.processEvents()
    corners = [w.mapTo(top, QPoint(0, 0)) for w in widgets]
    return [(c.x(), c.y(), w.width(), w.height()) for c, w in zip(corners, widgets, strict=True)]


def test_the_banner_never_moves_the_fields_and_keeps_rule_ids_in_its_tooltip(
    qtbot: QtBot, clinic_with_users: Path, start_app: StartApp
) -> None:
    controller = start_app()
    sign_in(qtbot, controller, "dara", WORKER_PASSWORD)
    page = open_cases(qtbot, controller)
    new_case(qtbot, page)
    form, window = page.form, controller.window
    watched: list[QWidget] = [
        form.name,
        form.age_years,
        form.vital_edits["respiratory_rate"],
        form.sign_boxes["lethargic"],
        form.panel.question,
        form.banner,
    ]
    form.set_form_data({"name": "Layout", "age_years": 30})
    assert form.banner.level is None
    before = positions(watched, window)

    states = [
        ({"name": "Layout", "age_years": 30, "signs": ["cough"]}, "routine"),
        ({"name": "Layout", "age_years": 0}, "urgent"),  # a young infant, age in days missing
        (
            {
                "name": "Layout",
                "age_years": 1,
                "age_months": 6,
                "vitals": {"respiratory_rate": "52", "temperature_c": "39.5"},
                "signs": ["cough", "lethargic", "convulsions", "not_able_to_drink", "vomits"],
            },
            "emergency",
        ),
        ({"name": "Layout", "age_years": 1, "vitals": {"respiratory_rate": "400"}}, None),
    ]
    for form_data, level in states:
        form.set_form_data(form_data)
        assert form.banner.level == level
        assert positions(watched, window) == before, level

    # Typing, one key at a time, from nothing to an emergency: nothing moves either.
    form.set_form_data({"name": "Layout", "age_years": 2})
    for key in "52":
        qtbot.keyClicks(form.vital_edits["respiratory_rate"], key)
        assert positions(watched, window) == before
    form.sign_boxes["lethargic"].click()
    assert form.banner.level == "emergency"
    assert positions(watched, window) == before

    # A long message beside the title stays on one line, whole in its tooltip.
    path = "/home/health-worker/Documents/referrals/" + "very-long-folder-name/" * 6
    form._say(f"Referral summary saved to {path}referral-12.pdf.")
    assert positions(watched, window) == before
    status = form.status
    assert status.fontMetrics().horizontalAdvance(status.shown_text()) <= status.width()
    assert status.toolTip().endswith("referral-12.pdf.") and status.text() == status.toolTip()

    # In words on screen; the rule ids and sources only in the tooltip.
    shown = form.banner.findings_label.text()
    assert "lethargic" in shown.lower()
    assert "rule " not in shown and "imci." not in shown and "WHO" not in shown
    tooltip = form.banner.toolTip()
    assert "rule imci." in tooltip and "WHO" in tooltip and "Rules version" in tooltip
    # What is shown fits the banner: no line cut off at its bottom edge.
    label = form.banner.findings_label
    needed = label.heightForWidth(label.width())
    assert needed <= label.height(), (needed, label.height())
    form.clear()


def test_clicking_cases_in_the_sidebar_leaves_the_form_for_the_list(
    qtbot: QtBot, clinic_with_users: Path, start_app: StartApp
) -> None:
    controller = start_app()
    sign_in(qtbot, controller, "dara", WORKER_PASSWORD)
    page = open_cases(qtbot, controller)
    new_case(qtbot, page)
    window = page.window()
    qtbot.keyClicks(page.form.name, "Kosal Vann")  # typed, not saved: kept as a draft

    navigation = controller.window.navigation
    row = next(
        r
        for r in range(navigation.count())
        if navigation.item(r).data(Qt.ItemDataRole.UserRole) == "cases"
    )
    rect = navigation.visualItemRect(navigation.item(row))
    qtbot.mouseClick(navigation.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.list, timeout=WAIT_MS)
    assert window.isVisible()

    # The typed name was kept as a draft, as the Back button keeps it.
    new_case(qtbot, page)
    qtbot.waitUntil(lambda: page.form.name.text() == "Kosal Vann", timeout=WAIT_MS)
    page.form.clear()
