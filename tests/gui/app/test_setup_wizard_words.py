"""The setup wizard as a clinic's admin reads it at 1366x768: one Alt+letter per control on
each page, no backend words (keyring classes, quantisation codes) outside "Details",
and the model list shown whole."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QListWidget, QWidget, QWizard
from pytestqt.qtbot import QtBot

from medassist_desktop.ui.setup_wizard import SetupWizard
from tests.gui.app.conftest import ADMIN_PASSWORD, InsecureKeyring, StartApp
from tests.gui.app.flows import go_next, wizard_of

PASSPHRASE = "mango river lantern thirty bicycle"
JARGON = re.compile(r"\b(Q\d_[A-Z0-9_]+|Q8_0|F16|BF16|GGUF)\b|\w+\.\w*Keyring\b|priority \d")


def mnemonic(text: str) -> str | None:
    """The Alt+letter of a control's text ("&&" is a literal ampersand)."""
    match = re.search(r"(?<!&)&([^&\s])", text.replace("&&", ""))
    return match.group(1).lower() if match else None


def visible_mnemonics(wizard: QWizard) -> list[tuple[str, str]]:
    page = wizard.currentPage()
    widgets: list[QWidget] = [*page.findChildren(QWidget)]
    widgets += [
        wizard.button(which)
        for which in (
            QWizard.WizardButton.BackButton,
            QWizard.WizardButton.NextButton,
            QWizard.WizardButton.CommitButton,
            QWizard.WizardButton.FinishButton,
            QWizard.WizardButton.CancelButton,
        )
    ]
    found = []
    for widget in widgets:
        if not widget.isVisible():
            continue
        if isinstance(widget, QAbstractButton) or (
            isinstance(widget, QLabel) and widget.buddy() is not None
        ):
            text = widget.text()
        elif isinstance(widget, QGroupBox):
            text = widget.title()
        else:
            continue
        letter = mnemonic(text)
        if letter:
            found.append((letter, text))
    return found


def main_text(page: QWidget) -> str:
    """What is on the page to read (a closed Details section's text is hidden)."""
    texts = [page.title(), page.subTitle()]  # type: ignore[attr-defined]
    for widget in page.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QListWidget):
            texts += [widget.item(i).text() for i in range(widget.count())]
    return "\n".join(texts)


def check_page(wizard: SetupWizard) -> None:
    letters = visible_mnemonics(wizard)
    assert letters, wizard.currentPage().objectName()
    seen = [letter for letter, _text in letters]
    assert len(seen) == len(set(seen)), (wizard.currentPage().objectName(), letters)
    text = main_text(wizard.currentPage())
    assert not JARGON.search(text), (wizard.currentPage().objectName(), JARGON.search(text))


def test_each_wizard_page_has_distinct_mnemonics_and_plain_words(
    qtbot: QtBot, start_app: StartApp
) -> None:
    controller = start_app(backend=InsecureKeyring())  # the passphrase page, with Details
    wizard = wizard_of(qtbot, controller)
    wizard.resize(wizard.minimumSize())
    check_page(wizard)
    wizard.clinic_page.clinic_id.setText("kh-pursat-02")
    go_next(qtbot, wizard, wizard.KEY)
    key_page = wizard.key_page
    key_page.passphrase.setText(PASSPHRASE)
    key_page.confirm.setText(PASSPHRASE)
    check_page(wizard)
    # The refused keyring's class is one click away, in Details, not in the main text.
    assert key_page.details.isVisible() and not key_page.details.text.isVisible()
    key_page.details.toggle.click()
    assert "InsecureKeyring" in key_page.details.text.text()
    assert key_page.details.text.isVisible()
    go_next(qtbot, wizard, wizard.ADMIN)
    page = wizard.admin_page
    page.username.setText("amara")
    page.password.setText(ADMIN_PASSWORD)
    page.confirm.setText(ADMIN_PASSWORD)
    check_page(wizard)
    go_next(qtbot, wizard, wizard.MODEL)
    check_page(wizard)

    picker = wizard.model_page.picker
    assert picker.models.count() >= 2
    assert "Q4_K_M" in picker.details.text.text()  # the selected model's code, in Details
    texts = [picker.models.item(row).text() for row in range(picker.models.count())]
    assert len(set(texts)) == len(texts), texts  # two files of one model told apart in words
    assert any("smaller and faster" in t for t in texts), texts
    # The whole list shows at the wizard's size: every row inside the list, none cut short.
    qtbot.waitUntil(lambda: picker.models.viewport().height() > 0)
    viewport = picker.models.viewport().rect()
    metrics = picker.models.fontMetrics()
    for row in range(picker.models.count()):
        rect = picker.models.visualItemRect(picker.models.item(row))
        assert viewport.contains(rect), (row, rect, viewport)
        assert metrics.horizontalAdvance(picker.models.item(row).text()) <= viewport.width()
