"""The live triage banner: red / amber / green with the findings and the rules behind them.

It shows the level in words as well as colour, so it cannot be misread by someone
colour-blind or in bright sunlight, and lists each finding with its rule id and source.
A routine result never says "no danger signs": it says that none was found among what
was recorded, and names the vitals and fields the rules would have used but that were
not recorded, so a blank respiratory rate is not mistaken for a normal one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from medassist_desktop.core.triage.catalogue import INPUT_LABELS

LEVEL_STYLE = {
    "emergency": ("#b71c1c", "#ffffff"),
    "urgent": ("#ffb300", "#000000"),
    "routine": ("#2e7d32", "#ffffff"),
}


class TriageBanner(QFrame):
    """Renders one triage result (the dict shape of `medassist triage --json`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("triageBanner")
        self.setAccessibleName(self.tr("Triage result"))
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        self.level_label = QLabel(self)
        self.level_label.setObjectName("triageLevel")
        font = self.level_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.level_label.setFont(font)
        self.findings_label = QLabel(self)
        self.findings_label.setObjectName("triageFindings")
        self.findings_label.setWordWrap(True)
        self.findings_label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.level_label)
        layout.addWidget(self.findings_label)
        self.level: str | None = None
        self.clear()

    def clear(self, message: str | None = None) -> None:
        self.level = None
        self.level_label.setText(message or self.tr("Triage: enter the patient's details"))
        self.findings_label.clear()
        self.setStyleSheet("QFrame#triageBanner { background: #eceff1; }")

    def show_error(self, message: str) -> None:
        self.clear(self.tr("Triage not computed: {message}").format(message=message))

    def show_result(self, result: Mapping[str, Any]) -> None:
        level = str(result["level"])
        background, foreground = LEVEL_STYLE[level]
        self.level = level
        titles = {
            "emergency": self.tr("EMERGENCY — treat and refer now"),
            "urgent": self.tr("URGENT — assess and treat without delay"),
            "routine": self.tr("ROUTINE — No danger sign among the signs and vitals recorded"),
        }
        self.level_label.setText(titles[level])
        self.findings_label.setText(self._findings_text(result.get("findings", []), result))
        self.setStyleSheet(
            f"QFrame#triageBanner {{ background: {background}; }}"
            f"QFrame#triageBanner QLabel {{ color: {foreground}; }}"
        )

    def _findings_text(
        self, findings: Sequence[Mapping[str, Any]], result: Mapping[str, Any]
    ) -> str:
        lines = [
            f"• {f['label']} ({f['level']}; rule {f['rule']}; {f['source']})" for f in findings
        ]
        missing = [
            QCoreApplication.translate("TriageInputs", INPUT_LABELS.get(name, name))
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
        if result.get("rules_version"):
            lines.append(self.tr("Rules version {v}").format(v=result["rules_version"]))
        return "\n".join(lines)
