"""Pseudo-localisation: every visible text goes through the translator, and still fits.

The real app runs with `PseudoTranslator` (every translated string marked and 40%
longer) over setup, sign-in, a case, Ask, Knowledge and Settings. A visible text
without the mark was never translatable; a label or button smaller than its text at
1366x768 would be cut off in Indonesian or Vietnamese.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from medassist_desktop.i18n import catalogue
from medassist_desktop.ui.translations import load_fonts
from tests.gui.app.conftest import StartApp
from tests.gui.app.screens import DATA, DATA_OBJECTS, walk_all
from tests.support import pseudo_locale
from tests.support.pseudo_locale import Finding, PseudoCatalogue, PseudoTranslator

# Clipping the layout still has at 1366x768 with 40% longer text: (screen, start of the
# source text). Each entry must still clip (a stale entry fails), so the list only
# shrinks as the layouts are fixed; any clipping not listed fails at once.
KNOWN_CLIPPED: set[tuple[str, str]] = set()


@pytest.fixture
def pseudo_translator(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> Iterator[PseudoTranslator]:
    """The pseudo-translator (Qt's and the Qt-free catalogue's), and the window's font as
    the app sets it at start (Noto Sans at the system's size), whatever an earlier test
    left behind."""
    monkeypatch.setattr(catalogue, "translations", lambda _language: PseudoCatalogue())
    font = qapp.font()
    qapp.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont))
    load_fonts(qapp)
    translator = pseudo_locale.install(qapp)
    yield translator
    pseudo_locale.remove(translator)
    qapp.setFont(font)


def test_every_visible_text_is_translated_and_fits_when_40_percent_longer(
    qtbot: QtBot, start_app: StartApp, pseudo_translator: PseudoTranslator
) -> None:
    controller = start_app()
    untranslated: list[Finding] = []
    clipped: list[Finding] = []
    screens: list[str] = []

    def look(screen: str, top: QWidget) -> None:
        screens.append(screen)
        untranslated.extend(pseudo_locale.untranslated(screen, top, DATA, DATA_OBJECTS))
        clipped.extend(pseudo_locale.clipped(screen, top))

    walk_all(qtbot, controller, look)

    assert len(screens) >= 15, screens  # the walk reached every screen
    assert pseudo_translator.requests > 300
    assert not untranslated, "\n".join(map(str, untranslated))
    found = {(f.screen, f.text.removeprefix(pseudo_locale.OPEN)) for f in clipped}
    unexpected = [
        f
        for f in clipped
        if not any(
            f.screen == screen and f.text.removeprefix(pseudo_locale.OPEN).startswith(start)
            for screen, start in KNOWN_CLIPPED
        )
    ]
    assert not unexpected, "\n".join(map(str, unexpected))
    stale = [
        known
        for known in KNOWN_CLIPPED
        if not any(s == known[0] and t.startswith(known[1]) for s, t in found)
    ]
    assert not stale, f"these no longer clip; remove them from KNOWN_CLIPPED: {stale}"


def test_the_pseudo_translator_marks_and_lengthens_but_keeps_placeholders() -> None:
    text = pseudo_locale.pseudo("Signed in: {user} &Save %n")
    assert text.startswith(pseudo_locale.OPEN) and text.endswith(pseudo_locale.CLOSE)
    assert "{user}" in text and "&Save" in text and "%n" in text
    assert len(text) >= 1.4 * len("Signed in: {user} &Save %n")
