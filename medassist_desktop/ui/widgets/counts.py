"""Numbers with their unit in the grammar of the language: "1 year", "2 years".

Qt's numerus forms do the grammar: `self.tr("%n year(s)", "", n)` is looked up in the
catalogue of the window's language, which has one form per plural class (English two,
Indonesian and Vietnamese one). English is the source language, so its forms come
from a small English catalogue of the numerus messages only, which `apply_language`
(ui/translations.py) installs under every language.
A spin box shows such a text by splitting it around the number into prefix and suffix.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QSpinBox


def count_affixes(text: str, value: int) -> tuple[str, str]:
    """`text` (a numerus message rendered for `value`) as the parts before and after the
    number; a text without the number becomes the suffix."""
    prefix, found, suffix = text.partition(str(value))
    return (prefix, suffix) if found else ("", f" {text}")


def follow_count(spin: QSpinBox, text_for: Callable[[int], str]) -> None:
    """Keep the unit around `spin`'s number in agreement with it as it changes."""

    def update(value: int) -> None:
        prefix, suffix = count_affixes(text_for(value), value)
        spin.setPrefix(prefix)
        spin.setSuffix(suffix)

    spin.valueChanged.connect(update)
    update(spin.value())
