"""The window in the health worker's language: Qt translators, locale and a font that has it.

This module is the one place that installs the window's translators. `apply_language(app,
"vi")` installs the English plural forms of the count messages
(`resources/translations/medassist_en.qm`, made by `tools/english_plurals.py`: English is
the source language, so "%n year(s)" needs a catalogue only to become "1 year"), the
app's compiled catalogue (`resources/translations/medassist_vi.qm`), Qt's own base
catalogue for the language where PySide6 ships one (standard buttons such as Cancel and
the file dialogs) and, for what Qt ships no catalogue for (Indonesian and Vietnamese
among them), the app's own translation of the Qt texts it shows (`qtbase_extra_vi.qm`:
wizard buttons, message box buttons, the text fields' menu). It makes that language the
default `QLocale` (dates and numbers) and loads the bundled Noto Sans so diacritics
render on a machine whose own fonts lack them. The chosen language's catalogue is
searched first, then Qt's and the supplement, then the English plural forms.

Translators are global to the QApplication; the returned `InstalledLanguage` removes
them again, so a test (or a language change) leaves the application as it found it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from loguru import logger
from PySide6.QtCore import QDateTime, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from medassist_desktop.i18n import FALLBACK_LANGUAGE
from medassist_desktop.resources import resources_dir

_log = logger.bind(area="ui")

CATALOGUE_PREFIX = "medassist_"
QT_SUPPLEMENT_PREFIX = "qtbase_extra_"
FONT_FAMILY = "Noto Sans"
FONT_FILES = ("fonts/NotoSans-Regular.ttf", "fonts/NotoSans-Bold.ttf")
# What each shipped language is called in its own words (for the language pickers).
LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "id": "Bahasa Indonesia",
    "vi": "Tiếng Việt",
}


@dataclass
class InstalledLanguage:
    """The translators installed for one language; `remove()` takes them out again."""

    code: str
    translators: list[QTranslator] = field(default_factory=list)
    previous_locale: QLocale = field(default_factory=QLocale)

    def remove(self) -> None:
        app = QApplication.instance()
        for translator in self.translators:
            if app is not None:
                QApplication.removeTranslator(translator)
        self.translators.clear()
        QLocale.setDefault(self.previous_locale)


def catalogue_path(code: str, prefix: str = CATALOGUE_PREFIX) -> Path:
    return resources_dir() / "translations" / f"{prefix}{code}.qm"


def apply_language(app: QApplication, code: str) -> InstalledLanguage:
    """Install the catalogues of `code`, make its locale the default and load the font."""
    installed = InstalledLanguage(code=code, previous_locale=QLocale())
    load_fonts(app)
    QLocale.setDefault(QLocale(code))
    # Installed in this order, searched in the reverse: the chosen language's catalogue,
    # then Qt's, then the supplement, and last the English plural forms (the fallback of
    # every count message, and all English needs).
    english = QTranslator(app)
    if english.load(str(catalogue_path(FALLBACK_LANGUAGE))):
        installed.translators.append(english)
    else:
        _log.warning("No English plural forms at {}", catalogue_path(FALLBACK_LANGUAGE))
    if code != FALLBACK_LANGUAGE:
        installed.translators.extend(_language_catalogues(app, code))
    for translator in installed.translators:
        QApplication.installTranslator(translator)
    _log.info("Window language: {} ({} catalogue(s))", code, len(installed.translators))
    return installed


def _language_catalogues(app: QApplication, code: str) -> list[QTranslator]:
    """The supplement, Qt's base catalogue and the app's own, in the order to install."""
    catalogues = []
    supplement = QTranslator(app)
    if supplement.load(str(catalogue_path(code, QT_SUPPLEMENT_PREFIX))):
        catalogues.append(supplement)
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_base = QTranslator(app)
    if qt_base.load(QLocale(code), "qtbase", "_", qt_folder):
        catalogues.append(qt_base)
    own = QTranslator(app)
    if own.load(str(catalogue_path(code))):
        catalogues.append(own)
    else:
        # A broken installation: the window still works, in English.
        _log.warning("No translation catalogue for {} at {}", code, catalogue_path(code))
    return catalogues


def load_fonts(app: QApplication) -> None:
    """Register the bundled Noto Sans and make it the application's font family.

    The system's own default font may lack Vietnamese (and later Thai) glyphs on a bare
    machine; Noto Sans has them. The point size stays the system's (and "Larger text").
    """
    if FONT_FAMILY not in QFontDatabase.families():
        for relative in FONT_FILES:
            path = resources_dir() / relative
            if QFontDatabase.addApplicationFont(str(path)) < 0:
                _log.warning("Could not load the font {}", path)
    if FONT_FAMILY in QFontDatabase.families():
        font = QFont(app.font())
        font.setFamily(FONT_FAMILY)
        app.setFont(font)


def check_shipped() -> list[str]:
    """For the self-test: every language's catalogues and the font are installed."""
    from medassist_desktop.i18n import SHIPPED_LANGUAGES

    problems = []
    for code in SHIPPED_LANGUAGES:
        if code == FALLBACK_LANGUAGE:
            continue
        for prefix in (CATALOGUE_PREFIX, QT_SUPPLEMENT_PREFIX):
            if not QTranslator().load(str(catalogue_path(code, prefix))):
                problems.append(
                    f"translation {catalogue_path(code, prefix).name} missing or broken"
                )
    problems.extend(
        f"font {relative} missing"
        for relative in FONT_FILES
        if not (resources_dir() / relative).is_file()
    )
    return problems


def format_number(value: float, significant: int = 0, *, decimals: int | None = None) -> str:
    """A number in the window's language: 2,5 in Indonesian and Vietnamese, 2.5 in English;
    a whole number (grouped: 12.345 in Indonesian), `significant` digits (0,25) or a fixed
    number of `decimals` (3,0 GiB)."""
    locale = QLocale()
    if decimals is not None:
        return locale.toString(float(value), "f", decimals)
    if significant == 0:
        return locale.toString(round(value))
    return locale.toString(float(value), "g", significant)


def format_datetime(moment: datetime) -> str:
    """A date and time in the window's language, short form, in local time."""
    local = QDateTime.fromMSecsSinceEpoch(round(moment.timestamp() * 1000))
    return QLocale().toString(local, QLocale.FormatType.ShortFormat)
