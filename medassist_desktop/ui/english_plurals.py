"""English plural forms for the window's numerus messages ("%n year(s)" -> "1 year").

English is the source language of every tr() text, so it needs no catalogue except for
messages with a count: Qt renders "%n year(s)" as "1 year(s)" unless a catalogue gives
the forms. `resources/translations/medassist_en.qm` holds just those (made by
`tools/english_plurals.py`); it is installed first, so the catalogue of the chosen
language, installed after it, is searched before it.
"""

from __future__ import annotations

from loguru import logger
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication

from medassist_desktop.resources import resources_dir

ENGLISH_PLURALS = "translations/medassist_en.qm"


def install_english_plurals(app: QApplication) -> QTranslator | None:
    """Install the English plural forms; None (and a warning) when the file is missing."""
    translator = QTranslator(app)
    path = resources_dir() / ENGLISH_PLURALS
    if not translator.load(str(path)):
        logger.bind(area="ui").warning("No English plural forms at {}", path)
        return None
    QApplication.installTranslator(translator)
    return translator
