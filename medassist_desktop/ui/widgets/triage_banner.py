"""The live triage banner: red / amber / green with the findings in words.

It shows the level in words as well as colour, so it cannot be misread by someone
colour-blind or in bright sunlight, and lists each finding as the rules word it. The
rule ids, their sources and the rules version are in the tooltip (and the accessible
description): they matter when checking a result, not while examining a child.

The banner keeps one height whatever the result, so the fields around it never move
while someone types: it reserves `TITLE_LINES` lines for the level and `FINDING_LINES`
lines of findings.
What does not fit in those lines is summed up as "and N more" (the tooltip has all).

A routine result never says "no danger signs": it says that none was found among what
was recorded, and names the vitals and fields the rules would have used but that were
not recorded, so a blank respiratory rate is not mistaken for a normal one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

from medassist_desktop.core.triage.catalogue import INPUT_LABELS, level_label
from medassist_desktop.i18n.catalogue import FALLBACK_LANGUAGE, translate

LEVEL_STYLE = {
    "emergency": ("#b71c1c", "#ffffff"),
    "urgent": ("#ffb300", "#000000"),
    "routine": ("#2e7d32", "#ffffff"),
}
TITLE_LINES = 2
FINDING_LINES = 6
_SPACING = 4


def lines_needed(metrics: QFontMetrics, text: str, width: int) -> int:
    """How many lines `text` takes when word-wrapped at `width` pixels."""
    if width <= 0:
        return 1
    rect = metrics.boundingRect(QRect(0, 0, width, 1_000_000), Qt.TextFlag.TextWordWrap, text)
    spacing = max(1, metrics.lineSpacing())
    # The box of n lines is n line spacings give or take a few pixels of ascent/descent.
    return max(1, round(rect.height() / spacing))


def elide_to_lines(metrics: QFontMetrics, text: str, width: int, lines: int) -> str:
    """`text` cut short with "…" so that, word-wrapped at `width`, it takes `lines` lines."""
    budget = width * lines
    elided = text
    while budget > 0 and lines_needed(metrics, elided, width) > lines:
        elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, budget)
        budget -= max(1, width // 8)
    return elided


class TriageBanner(QFrame):
    """Renders one triage result (the dict shape of `medassist triage --json`).

    The banner's own sentences go through Qt's translator; the rules' words (finding
    labels, level words, input names) are the Qt-free catalogue's, rendered in `language`
    (the window's language, which the case form passes on)."""

    def __init__(self, parent: QWidget | None = None, language: str = FALLBACK_LANGUAGE) -> None:
        super().__init__(parent)
        self.language = language
        self.level: str | None = None
        self._title = ""
        self._paragraphs: list[str] = []
        self._built = False
        self.setObjectName("triageBanner")
        self.setAccessibleName(self.tr("Triage result"))
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._layout = layout = QVBoxLayout(self)
        layout.setSpacing(_SPACING)
        self.level_label = QLabel(self)
        self.level_label.setObjectName("triageLevel")
        self.level_label.setWordWrap(True)
        self.level_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.findings_label = QLabel(self)
        self.findings_label.setObjectName("triageFindings")
        self.findings_label.setTextFormat(Qt.TextFormat.PlainText)
        self.findings_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.findings_label.setWordWrap(True)
        for label in (self.level_label, self.findings_label):
            # Long words must not widen the banner (and move the form); they wrap or elide.
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        layout.addWidget(self.level_label)
        layout.addWidget(self.findings_label)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        for label in (self.level_label, self.findings_label):
            label.installEventFilter(self)  # a label's font may change after the banner's
        self._built = True
        self._fit_heights()
        self.clear()

    # -- a fixed height ------------------------------------------------------------
    def _fit_heights(self) -> None:
        """Each label the height of its reserved lines, in the font it has now."""
        self.level_label.setFixedHeight(
            self.level_label.fontMetrics().lineSpacing() * TITLE_LINES + 1
        )
        self.findings_label.setFixedHeight(
            self.findings_label.fontMetrics().lineSpacing() * FINDING_LINES + 1
        )

    def _reserved_height(self) -> int:
        margins = self.contentsMargins()
        layout_margins = self._layout.contentsMargins()
        return (
            self.level_label.height()
            + self.findings_label.height()
            + _SPACING
            + margins.top()
            + margins.bottom()
            + layout_margins.top()
            + layout_margins.bottom()
        )

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(super().sizeHint().width(), self._reserved_height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(super().minimumSizeHint().width(), self._reserved_height())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if self._built and event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_heights()
            self.updateGeometry()  # larger text: more pixels for the same lines
            self._render()

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if self._built and event.type() == QEvent.Type.FontChange:
            self._fit_heights()
            self.updateGeometry()
            self._render()
        return False

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if self._built:
            self._render()

    # -- results -------------------------------------------------------------------
    def clear(self, message: str | None = None) -> None:
        self.level = None
        self._show(message or self.tr("Triage: enter the patient's details"), [], "")
        self.setStyleSheet("QFrame#triageBanner { background: #eceff1; }")

    def show_error(self, message: str) -> None:
        self.clear(self.tr("Triage not computed"))
        self._show(self._title, [message], message)

    def show_result(self, result: Mapping[str, Any]) -> None:
        level = str(result["level"])
        background, foreground = LEVEL_STYLE[level]
        self.level = level
        titles = {
            "emergency": self.tr("EMERGENCY — treat and refer now"),
            "urgent": self.tr("URGENT — assess and treat without delay"),
            "routine": self.tr("ROUTINE — No danger sign among the signs and vitals recorded"),
        }
        paragraphs = self._in_words(result.get("findings", []), result)
        self._show(titles[level], paragraphs, self._details(result))
        self.setStyleSheet(
            f"QFrame#triageBanner {{ background: {background}; }}"
            f"QFrame#triageBanner QLabel {{ color: {foreground}; }}"
        )

    def _show(self, title: str, paragraphs: list[str], details: str) -> None:
        self._title, self._paragraphs = title, paragraphs
        self.setToolTip(details)
        self.setAccessibleDescription("\n".join([title, *paragraphs]))
        self._render()

    def title(self) -> str:
        """The level in words (the whole of it, also where the screen shortens it)."""
        return self._title

    def shown_text(self) -> str:
        """Everything the banner says in words (also what did not fit on screen)."""
        return "\n".join(self._paragraphs)

    def _render(self) -> None:
        """The title, and as many whole paragraphs as fit in the reserved lines."""
        metrics = self.level_label.fontMetrics()
        width = self.level_label.contentsRect().width()
        title = self._title
        if width > 0:
            title = elide_to_lines(metrics, title, width, TITLE_LINES)
        self.level_label.setText(title)
        self.findings_label.setText("\n".join(self._fitting_paragraphs()))

    def _fitting_paragraphs(self) -> list[str]:
        metrics = self.findings_label.fontMetrics()
        width = self.findings_label.contentsRect().width()
        if width <= 0:  # not laid out yet: everything, fitted on the first resize
            return list(self._paragraphs)
        count = len(self._paragraphs)
        shown: list[str] = []
        used = 0
        for index, paragraph in enumerate(self._paragraphs):
            needed = lines_needed(metrics, paragraph, width)
            later = count - index - 1  # if this one is shown, what is left to count
            reserve = lines_needed(metrics, self._more(later), width) if later else 0
            if used + needed + reserve <= FINDING_LINES:
                shown.append(paragraph)
                used += needed
                continue
            more = self._more(count - index)
            room = FINDING_LINES - used - lines_needed(metrics, more, width)
            if not shown:  # a long first finding: as much of it as fits, ending in "…"
                if later == 0:
                    return [elide_to_lines(metrics, paragraph, width, FINDING_LINES)]
                shown.append(elide_to_lines(metrics, paragraph, width, max(1, room)))
                used += lines_needed(metrics, shown[-1], width)
                more = self._more(count - 1)
            shown.append(elide_to_lines(metrics, more, width, max(1, FINDING_LINES - used)))
            break
        return shown

    def _more(self, count: int) -> str:
        return self.tr("… and %n more: hover here to see all", "", count)

    def _in_words(
        self, findings: Sequence[Mapping[str, Any]], result: Mapping[str, Any]
    ) -> list[str]:
        lines = [f"• {translate(str(f['label']), self.language)}" for f in findings]
        missing = [
            translate(INPUT_LABELS.get(name, name), self.language)
            for name in result.get("not_assessed") or []
        ]
        if missing:
            lines.append(self.tr("Not recorded: {names}").format(names=", ".join(missing)))
        unknown = result.get("unknown_signs") or []
        if unknown:
            lines.append(
                self.tr("Unknown sign codes (not evaluated): {codes}").format(
                    codes=", ".join(unknown)
                )
            )
        return lines

    def _details(self, result: Mapping[str, Any]) -> str:
        """The tooltip: each finding with its level, rule id and source; the rules version."""
        lines = [
            self.tr("{label} ({level}; rule {rule}; {source})").format(
                label=translate(str(f["label"]), self.language),
                level=level_label(str(f["level"]), self.language),
                rule=f["rule"],
                source=f["source"],
            )
            for f in result.get("findings", [])
        ]
        lines.extend(self._in_words([], result))
        if result.get("rules_version"):
            lines.append(self.tr("Rules version {v}").format(v=result["rules_version"]))
        return "\n".join(lines)
