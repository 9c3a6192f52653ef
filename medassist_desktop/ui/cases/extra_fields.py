"""The case form's fields for newborns, pregnancy and after birth, glucose and AVPU.

Kept apart from the main form so that it can be placed wherever the form's layout puts
it: it owns its widgets and reports its part of the form's data; the meaning of each
value (and the conversion of mg/dL) lives in `form_data.py`, outside Qt.

A field is enabled only when it applies (age in days under 2 months, weeks of pregnancy
when pregnant, "gave birth in the last 6 weeks" for a woman who is not pregnant), so a
contradiction the rules would refuse cannot be typed in the first place.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from medassist_desktop.ui.cases.form_data import (
    AGE_DAYS_UNDER_MONTHS,
    AVPU_CHOICES,
    GESTATION_MAX_WEEKS,
    GLUCOSE_UNITS,
    POSTPARTUM_MAX_DAYS,
)
from medassist_desktop.ui.widgets.counts import follow_count

ERROR_STYLE = "color: #b71c1c;"


class ExtraCaseFields(QGroupBox):
    """Age in days, pregnancy weeks, days since birth, blood glucose, AVPU. Signal: changed."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Newborn, pregnancy, glucose and consciousness"), parent)
        self.setObjectName("extraCaseFields")
        self.age_days = self._spin("ageDays", -1, 59)
        follow_count(self.age_days, lambda n: self.tr("%n day(s)", "", n))
        self.age_days.setAccessibleName(self.tr("Age in days (babies under 2 months)"))
        self.gestation_weeks = self._spin("gestationWeeks", 0, GESTATION_MAX_WEEKS, self.tr(" wk"))
        self.gestation_weeks.setAccessibleName(self.tr("Weeks of pregnancy"))
        self.postpartum = QCheckBox(self.tr("Gave birth in the last 6 weeks"), self)
        self.postpartum.setObjectName("postpartum")
        self.postpartum_days = self._spin("postpartumDays", 0, POSTPARTUM_MAX_DAYS)
        follow_count(self.postpartum_days, lambda n: self.tr("%n day(s) ago", "", n))
        self.postpartum_days.setSpecialValueText(self.tr("today"))
        self.postpartum_days.setAccessibleName(self.tr("Days since giving birth"))
        self.glucose = QLineEdit(self)
        self.glucose.setObjectName("glucose")
        self.glucose.setMaximumWidth(90)
        self.glucose.setAccessibleName(self.tr("Blood glucose"))
        self.glucose_unit = QComboBox(self)
        self.glucose_unit.setObjectName("glucoseUnit")
        self.glucose_unit.setAccessibleName(self.tr("Blood glucose unit"))
        for unit in GLUCOSE_UNITS:
            self.glucose_unit.addItem(unit, unit)
        self.glucose_error = QLabel(self)
        self.glucose_error.setObjectName("glucoseError")
        self.glucose_error.setStyleSheet(ERROR_STYLE)
        self.glucose_error.setWordWrap(True)
        self.avpu = QComboBox(self)
        self.avpu.setObjectName("avpu")
        self.avpu.setAccessibleName(self.tr("Conscious level (AVPU)"))
        self.avpu.addItem(self.tr("Not recorded"), "")
        for word, label in AVPU_CHOICES:
            self.avpu.addItem(QCoreApplication.translate("AvpuScale", label), word)
        self._build_layout()
        self._connect()

    def _spin(self, name: str, low: int, high: int, suffix: str = "") -> QSpinBox:
        spin = QSpinBox(self)
        spin.setObjectName(name)
        spin.setRange(low, high)
        spin.setSuffix(suffix)
        spin.setSpecialValueText(self.tr("—"))  # the lowest value means "not recorded"
        return spin

    def _build_layout(self) -> None:
        form = QFormLayout(self)
        form.addRow(self.tr("Age in &days (under 2 months):"), self.age_days)
        form.addRow(self.tr("&Weeks of pregnancy:"), self.gestation_weeks)
        after_birth = QHBoxLayout()
        after_birth.addWidget(self.postpartum)
        after_birth.addWidget(self.postpartum_days)
        after_birth.addStretch(1)
        form.addRow("", after_birth)
        glucose = QHBoxLayout()
        glucose.addWidget(self.glucose)
        glucose.addWidget(self.glucose_unit)
        glucose.addWidget(self.glucose_error, 1)
        glucose_label = QLabel(self.tr("Blood &glucose:"), self)
        glucose_label.setBuddy(self.glucose)  # a row of a layout gets no buddy by itself
        form.addRow(glucose_label, glucose)
        form.addRow(self.tr("AVP&U:"), self.avpu)

    def _connect(self) -> None:
        for spin in (self.age_days, self.gestation_weeks, self.postpartum_days):
            spin.valueChanged.connect(self.changed)
        self.postpartum.toggled.connect(self.changed)
        self.glucose.textChanged.connect(self.changed)
        self.glucose_unit.currentIndexChanged.connect(self.changed)
        self.avpu.currentIndexChanged.connect(self.changed)

    def focus_chain(self) -> list[QWidget]:
        return [
            self.age_days,
            self.gestation_weeks,
            self.postpartum,
            self.postpartum_days,
            self.glucose,
            self.glucose_unit,
            self.avpu,
        ]

    def form_data(self) -> dict[str, Any]:
        """This part of the form as typed (merged into the case form's draft)."""
        return {
            "age_days": self.age_days.value() if self.age_days.value() >= 0 else None,
            "gestation_weeks": self.gestation_weeks.value() or None,
            "postpartum": self.postpartum.isChecked() and self.postpartum.isEnabled(),
            "postpartum_days": self.postpartum_days.value(),
            "glucose": self.glucose.text(),
            "glucose_unit": self.glucose_unit.currentData(),
            "avpu": self.avpu.currentData() or "",
        }

    def set_form_data(self, form: Mapping[str, Any]) -> None:
        """Fill from a draft or saved case; the caller blocks autosave while it runs."""
        days = form.get("age_days")
        self.age_days.setValue(-1 if days is None else int(days))
        self.gestation_weeks.setValue(int(form.get("gestation_weeks") or 0))
        self.postpartum.setChecked(bool(form.get("postpartum")))
        self.postpartum_days.setValue(int(form.get("postpartum_days") or 0))
        self.glucose.setText(str(form.get("glucose") or ""))
        unit = self.glucose_unit.findData(str(form.get("glucose_unit") or GLUCOSE_UNITS[0]))
        self.glucose_unit.setCurrentIndex(max(unit, 0))
        self.avpu.setCurrentIndex(max(self.avpu.findData(str(form.get("avpu") or "")), 0))

    def update_state(self, age_months: int, sex: str, pregnant: bool) -> None:
        """Enable what applies to this patient (before the form is read)."""
        self.age_days.setEnabled(age_months < AGE_DAYS_UNDER_MONTHS)
        self.gestation_weeks.setEnabled(pregnant)
        self.postpartum.setEnabled(sex != "male" and not pregnant)
        self.postpartum_days.setEnabled(self.postpartum.isEnabled() and self.postpartum.isChecked())

    def show_glucose_problem(self, problem: str) -> None:
        self.glucose_error.setText(problem)
        self.glucose.setAccessibleDescription(problem)
