"""A small window that shows one cited passage: where it comes from and what it says."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)


class CitationDialog(QDialog):
    """Title, section, page and source of a citation, and its passage text when the
    answer carries it (older records may hold only the reference)."""

    def __init__(self, citation: Mapping[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("citationDialog")
        self.setWindowTitle(self.tr("Source"))
        self.setAccessibleName(self.tr("Cited passage"))
        self.resize(560, 420)
        self.title_label = QLabel(str(citation.get("title") or self.tr("(untitled)")), self)
        self.title_label.setObjectName("citationTitle")
        self.title_label.setWordWrap(True)
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)

        details = QFormLayout()
        self.fields: dict[str, QLabel] = {}
        for key, label in (
            ("section", self.tr("Section:")),
            ("page", self.tr("Page:")),
            ("source", self.tr("Source:")),
        ):
            value = citation.get(key)
            shown = QLabel("—" if value in (None, "") else str(value), self)
            shown.setTextFormat(Qt.TextFormat.PlainText)
            shown.setWordWrap(True)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = shown
            details.addRow(label, shown)

        self.passage = QTextBrowser(self)
        self.passage.setObjectName("citationPassage")
        self.passage.setAccessibleName(self.tr("Passage text"))
        self.passage.setOpenLinks(False)  # offline: a link in a passage goes nowhere
        text = str(citation.get("text") or "").strip()
        if text:  # the library is Markdown: tables, lists and bold read as printed
            self.passage.setMarkdown(text)
        else:
            self.passage.setPlainText(self.tr("The passage text was not kept with this answer."))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addLayout(details)
        layout.addWidget(self.passage, 1)
        layout.addWidget(buttons)
