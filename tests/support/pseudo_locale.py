"""Pseudo-localisation: a translator that marks and lengthens every string it translates.

With `PseudoTranslator` installed, every string that reaches Qt's translator comes back
as `⟦text ~~~⟧`: marked, so a visible text without the mark never went through tr(),
and 40% longer, as Indonesian and Vietnamese text usually is, so a label that only
fits in English shows up clipped. Placeholders ({name}, %n), mnemonics (&) and line
breaks are kept, so the app formats the strings exactly as it would a translation.

`PseudoCatalogue` does the same for the Qt-free message catalogue (ids rendered by
`medassist_desktop.i18n.catalogue.translate`). The `pseudo_translator` fixture of
tests/gui/app/test_pseudo_localisation.py installs both.
"""

from __future__ import annotations

import gettext
import math
import re
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTranslator
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

OPEN, CLOSE = "⟦", "⟧"
GROWTH = 0.4
# A text with no letter is data (a number, a percentage, a dash), not words to translate;
# so is an address (an example URL in a placeholder).
_LETTER = re.compile(r"[^\W\d_]")
_ADDRESS = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$")


def pseudo(text: str) -> str:
    if not text:
        return text
    padding = "~" * max(1, math.ceil(len(text) * GROWTH) - 3)
    return f"{OPEN}{text} {padding}{CLOSE}"


class PseudoCatalogue(gettext.NullTranslations):
    """The Qt-free message catalogue's counterpart: every message id comes back marked
    and lengthened (the rules' sign labels, group titles and finding labels, and the
    messages of the services), so the window shows them as it would a translation."""

    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)


class PseudoTranslator(QTranslator):
    """Every translation request gets the marked, lengthened source text."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.requests = 0

    def translate(  # type: ignore[override]
        self, context: str, source_text: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        self.requests += 1
        return pseudo(source_text)

    def isEmpty(self) -> bool:
        return False


@dataclass(frozen=True)
class Finding:
    screen: str
    widget: str
    text: str
    problem: str

    def __str__(self) -> str:
        return f"[{self.screen}] {self.widget}: {self.problem}: {self.text!r}"


def _name(widget: QWidget) -> str:
    return f"{type(widget).__name__}#{widget.objectName() or '?'}"


def _shown(widget: QWidget, top: QWidget) -> bool:
    return widget is top or widget.isVisibleTo(top)


def visible_texts(top: QWidget) -> Iterator[tuple[QWidget, str, str]]:
    """(widget, what, text) for every text a person sees on `top`: labels, buttons, group
    titles, tab texts, placeholders and the window title."""
    yield top, "window title", top.windowTitle()
    for widget in top.findChildren(QWidget):
        if not _shown(widget, top):
            continue
        if isinstance(widget, QLabel) and widget.pixmap().isNull():
            yield widget, "label", widget.text()
        elif isinstance(widget, QAbstractButton):
            yield widget, "button", widget.text()
        elif isinstance(widget, QGroupBox):
            yield widget, "group title", widget.title()
        elif isinstance(widget, QTabWidget):
            for index in range(widget.count()):
                yield widget, "tab", widget.tabText(index)
        elif isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
            yield widget, "placeholder", widget.placeholderText()
        if widget.isWindow() and widget is not top:
            yield widget, "window title", widget.windowTitle()


def untranslated(
    screen: str,
    top: QWidget,
    data: AbstractSet[str] = frozenset(),
    data_objects: AbstractSet[str] = frozenset(),
) -> list[Finding]:
    """Visible texts that never passed through the translator (data values, and widgets
    named in `data_objects` that show one, excepted)."""
    findings = []
    for widget, what, text in visible_texts(top):
        if isinstance(widget, QComboBox) or not text or OPEN in text:
            continue
        if widget.objectName() in data_objects:
            continue
        plain = re.sub(r"<[^>]+>", "", text).strip()
        if not _LETTER.search(plain) or _ADDRESS.match(plain) or plain in data:
            continue
        findings.append(Finding(screen, _name(widget), text, f"{what} not translated"))
    return findings


def clipped(screen: str, top: QWidget, size: tuple[int, int] = (1366, 768)) -> list[Finding]:
    """Labels and buttons too small for their text, and windows larger than the screen."""
    findings = []
    if top.width() > size[0] or top.height() > size[1]:
        findings.append(
            Finding(screen, _name(top), f"{top.width()}x{top.height()}", "larger than the screen")
        )
    for widget in top.findChildren(QWidget):
        if not widget.isVisibleTo(top) or widget.width() == 0:
            continue
        if isinstance(widget, QLabel) and widget.text() and widget.pixmap().isNull():
            if widget.wordWrap():
                needed = widget.heightForWidth(widget.width())
                if needed > widget.height() + 1:
                    findings.append(
                        Finding(screen, _name(widget), widget.text(), "wrapped text cut off")
                    )
            elif widget.sizeHint().width() > widget.width() + 1:
                findings.append(Finding(screen, _name(widget), widget.text(), "text cut off"))
        elif (
            isinstance(widget, QAbstractButton)
            and widget.text()
            and widget.sizeHint().width() > widget.width() + 1
        ):
            findings.append(Finding(screen, _name(widget), widget.text(), "text cut off"))
    return findings


def install(app: QApplication) -> PseudoTranslator:
    translator = PseudoTranslator(app)
    QApplication.installTranslator(translator)
    return translator


def remove(translator: PseudoTranslator) -> None:
    QApplication.removeTranslator(translator)
