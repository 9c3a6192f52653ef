"""The choice of the window's language: the computer's own, or one the app ships.

Each language is offered in its own words ("Tiếng Việt"), so a person who cannot read
the current language still finds theirs. The choice is saved as `ui_language` in the
settings file and applies the next time MedAssist starts.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from medassist_desktop.config.settings import UiLanguage
from medassist_desktop.ui.translations import LANGUAGE_NAMES


class LanguagePicker(QComboBox):
    def __init__(self, current: UiLanguage | str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("languagePicker")
        self.setAccessibleName(self.tr("Language"))
        self.view().setAccessibleName(self.tr("Language"))  # the drop-down list
        self.addItem(self.tr("Same as this computer"), UiLanguage.AUTO.value)
        for code, name in LANGUAGE_NAMES.items():
            self.addItem(name, code)
        self.set_language(current)

    def language(self) -> str:
        """The chosen setting value: auto, en, id or vi."""
        return str(self.currentData())

    def set_language(self, value: UiLanguage | str) -> None:
        index = self.findData(UiLanguage(value).value)
        self.setCurrentIndex(max(index, 0))

    def label_text(self) -> str:
        return self.tr("&Language")

    def restart_note(self) -> str:
        return self.tr("The language applies after MedAssist restarts.")
