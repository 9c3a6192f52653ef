"""The case form's fields: the widgets, their layout and the form's data as a dict.

`CaseFormFields` knows nothing about services: it builds the patient, vital-sign,
sign and duration fields, reads them as the draft dict (`form_data`) and fills them
from one (`set_form_data`). `CaseFormPage` (case_form.py) adds what the form does:
the triage preview, drafts, saving and the referral.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from medassist_desktop.core.triage.case import MAX_DURATION_DAYS
from medassist_desktop.ui.cases.extra_fields import ExtraCaseFields
from medassist_desktop.ui.cases.form_data import DURATIONS, SEXES, VITALS, group_signs
from medassist_desktop.ui.widgets.counts import follow_count
from medassist_desktop.ui.widgets.elided_label import ElidedLabel

ERROR_STYLE = "color: #b71c1c;"


class AgeUnits(QObject):
    """The age units as numerus messages. Not in `CaseFormFields`: PySide's self.tr()
    with a count looks the text up only under the name of the object's own class, and
    the case form is a subclass, under whose name the catalogue does not have it."""

    def years(self, n: int) -> str:
        return self.tr("%n year(s)", "", n)

    def months(self, n: int) -> str:
        return self.tr("%n month(s)", "", n)


class CaseFormFields(QWidget):
    """The fields of a case; `_form_edited` / `_form_filled` tell a subclass of changes."""

    def __init__(self, sign_catalogue: list[dict[str, Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._filling = False
        self._build_form(sign_catalogue)
        self._connect_changes()

    # -- building -------------------------------------------------------------
    def _build_form(self, sign_catalogue: list[dict[str, Any]]) -> None:
        self.title = QLabel(self.tr("New case"), self)
        self.title.setObjectName("caseTitle")  # bold and larger: the style sheet
        # One line, shortened to fit: a long message must not push the form down.
        self.status = ElidedLabel(self)
        self.status.setObjectName("caseStatus")
        self.save_button = QPushButton(self.tr("&Save"), self)
        self.save_button.setObjectName("saveCaseButton")
        self.save_button.setToolTip(self.tr("Save the case (Ctrl+S)"))
        self.back_button = QPushButton(self.tr("← &Back to cases"), self)
        self.back_button.setObjectName("backToCasesButton")
        self.back_button.setToolTip(self.tr("Back to the case list (Esc)"))
        self.referral_button = QPushButton(self.tr("Referral summary (PDF)…"), self)
        self.referral_button.setObjectName("referralButton")
        # The receiving hospital may not read the clinic's language: the PDF can carry an
        # English copy after the summary (shown only when the window is not in English).
        self.english_copy = QCheckBox(self.tr("English copy for the hospital"), self)
        self.english_copy.setObjectName("referralEnglishCopy")
        self.english_copy.setToolTip(
            self.tr("Add an English copy of the referral summary on a new page")
        )
        self._build_patient()
        self.extra = ExtraCaseFields(self)
        self._sections.append(self.extra)
        self._build_vitals()
        self._build_signs(sign_catalogue)
        self._build_durations()

    def _build_patient(self) -> None:

        self.name = QLineEdit(self)
        self.name.setObjectName("patientName")
        self.patient_id = QLineEdit(self)
        self.patient_id.setObjectName("patientId")
        self.age_years = QSpinBox(self)
        self.age_years.setObjectName("ageYears")
        # Wider than a possible age on purpose: a mistyped 300 is refused with a message
        # (read_form), not silently cut to 30 by the spin box.
        self.age_years.setRange(0, 999)
        units = AgeUnits(self)
        follow_count(self.age_years, units.years)
        self.age_months = QSpinBox(self)
        self.age_months.setObjectName("ageMonths")
        self.age_months.setRange(0, 11)
        follow_count(self.age_months, units.months)
        self.sex = QComboBox(self)
        self.sex.setObjectName("patientSex")
        self.sex.addItem(self.tr("Not recorded"), "")
        for value, label in zip(
            SEXES, (self.tr("Female"), self.tr("Male"), self.tr("Other")), strict=True
        ):
            self.sex.addItem(label, value)
        self.pregnant = QCheckBox(self.tr("Pregnant"), self)
        self.pregnant.setObjectName("pregnant")
        age = QHBoxLayout()
        age.addWidget(self.age_years)
        age.addWidget(self.age_months)
        patient = QGroupBox(self.tr("Patient"), self)
        patient_form = QFormLayout(patient)
        for widget, label in (
            (self.name, self.tr("&Name:")),
            (self.patient_id, self.tr("Clinic &id:")),
        ):
            widget.setAccessibleName(label.replace("&", "").rstrip(":"))
            patient_form.addRow(label, widget)
        self.age_years.setAccessibleName(self.tr("Age in years"))
        self.age_months.setAccessibleName(self.tr("Age, months beyond the years"))
        age_label = QLabel(self.tr("&Age:"), patient)
        age_label.setBuddy(self.age_years)  # Alt+A lands in the years box
        patient_form.addRow(age_label, age)
        self.sex.setAccessibleName(self.tr("Sex"))
        patient_form.addRow(self.tr("Se&x:"), self.sex)
        patient_form.addRow("", self.pregnant)
        self._sections: list[QWidget] = [patient]

    def _build_vitals(self) -> None:
        vitals = QGroupBox(self.tr("Vital signs (leave empty when not measured)"), self)
        grid = QGridLayout(vitals)
        self.vital_edits: dict[str, QLineEdit] = {}
        self.vital_errors: dict[str, QLabel] = {}
        for row, (key, label, unit, _decimals) in enumerate(VITALS):
            text = QCoreApplication.translate("VitalSigns", label)
            unit_text = QCoreApplication.translate("Units", unit)
            edit = QLineEdit(vitals)
            edit.setObjectName(f"vital_{key}")
            edit.setAccessibleName(f"{text} ({unit_text})")
            edit.setMaximumWidth(90)
            error = QLabel(vitals)
            error.setObjectName(f"vitalError_{key}")
            error.setStyleSheet(ERROR_STYLE)
            error.setWordWrap(True)
            name_label = QLabel(text + ":", vitals)
            name_label.setBuddy(edit)
            grid.addWidget(name_label, row, 0)
            grid.addWidget(edit, row, 1)
            grid.addWidget(QLabel(unit_text, vitals), row, 2)
            grid.addWidget(error, row, 3)
            self.vital_edits[key], self.vital_errors[key] = edit, error
        grid.setColumnStretch(3, 1)
        self._sections.append(vitals)

    def _build_signs(self, sign_catalogue: list[dict[str, Any]]) -> None:
        self.sign_boxes: dict[str, QCheckBox] = {}
        self.sign_groups: list[QGroupBox] = []
        # Labels and group titles are the rules' words, already in the window's language
        # (the case service renders them through the Qt-free message catalogue).
        for title, members in group_signs(sign_catalogue):
            box = QGroupBox(title, self)
            box_grid = QGridLayout(box)
            for index, (code, label) in enumerate(members):
                check = QCheckBox(label, box)
                check.setObjectName(f"sign_{code}")
                box_grid.addWidget(check, index // 2, index % 2)
                self.sign_boxes[code] = check
            self.sign_groups.append(box)
        self._sections.extend(self.sign_groups)

    def _build_durations(self) -> None:
        durations = QGroupBox(self.tr("How long (days)"), self)
        duration_row = QHBoxLayout(durations)
        self.durations: dict[str, QSpinBox] = {}
        for key, label in DURATIONS:
            spin = QSpinBox(durations)
            spin.setObjectName(f"duration_{key}")
            spin.setRange(0, MAX_DURATION_DAYS)
            spin.setSpecialValueText(self.tr("—"))
            spin.setSuffix(self.tr(" d"))
            text = QCoreApplication.translate("Durations", label)
            spin.setAccessibleName(self.tr("{sign}, days").format(sign=text))
            caption = QLabel(text + ":", durations)
            caption.setBuddy(spin)
            duration_row.addWidget(caption)
            duration_row.addWidget(spin)
            self.durations[key] = spin
        duration_row.addStretch(1)

        self.complaint = QLineEdit(self)
        self.complaint.setObjectName("complaint")
        self.complaint.setAccessibleName(self.tr("Main complaint"))
        self.complaint.setPlaceholderText(self.tr("Main complaint, in the carer's words"))
        self.notes = QPlainTextEdit(self)
        self.notes.setObjectName("notes")
        self.notes.setAccessibleName(self.tr("Notes"))
        self.notes.setPlaceholderText(self.tr("Notes"))
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(80)
        self._sections.append(durations)

    def _lay_out(self, banner: QWidget, panel: QWidget, last_in_tab_order: QWidget) -> None:
        """The form on the left; the triage banner over `panel` (the consult) on the right."""
        form = QWidget(self)
        form_layout = QVBoxLayout(form)
        for section in self._sections:
            form_layout.addWidget(section)
        form_layout.addWidget(QLabel(self.tr("Complaint:"), form))
        form_layout.addWidget(self.complaint)
        form_layout.addWidget(self.notes)
        form_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(form)
        scroll.setMinimumWidth(420)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(banner)
        right_layout.addWidget(panel, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(scroll)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.title)
        top.addWidget(self.status, 1)
        top.addWidget(self.save_button)
        top.addWidget(self.referral_button)
        top.addWidget(self.english_copy)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        chain: list[QWidget] = [
            self.name,
            self.patient_id,
            self.age_years,
            self.age_months,
            self.sex,
            self.pregnant,
            *self.extra.focus_chain(),
            *self.vital_edits.values(),
            *self.sign_boxes.values(),
            *self.durations.values(),
            self.complaint,
            self.notes,
            self.save_button,
            self.referral_button,
            self.english_copy,
            last_in_tab_order,
        ]
        for first, second in itertools.pairwise(chain):
            self.setTabOrder(first, second)
        self.setFocusProxy(self.name)

    def _connect_changes(self) -> None:
        for edit in (self.name, self.patient_id, self.complaint, *self.vital_edits.values()):
            edit.textChanged.connect(self._changed)
        for spin in (self.age_years, self.age_months, *self.durations.values()):
            spin.valueChanged.connect(self._changed)
        for check in (self.pregnant, *self.sign_boxes.values()):
            check.toggled.connect(self._changed)
        self.sex.currentIndexChanged.connect(self._changed)
        self.notes.textChanged.connect(self._changed)
        self.extra.changed.connect(self._changed)

    # -- the form's data ------------------------------------------------------
    def form_data(self) -> dict[str, Any]:
        """The form as typed (the draft): texts as entered, codes of ticked signs."""
        return {
            "name": self.name.text(),
            "patient_id": self.patient_id.text(),
            "age_years": self.age_years.value(),
            "age_months": self.age_months.value(),
            "sex": self.sex.currentData() or "",
            "pregnant": self.pregnant.isChecked(),
            "vitals": {k: e.text() for k, e in self.vital_edits.items() if e.text().strip()},
            "signs": [code for code, box in self.sign_boxes.items() if box.isChecked()],
            "durations": {k: s.value() for k, s in self.durations.items() if s.value()},
            "complaint": self.complaint.text(),
            "notes": self.notes.toPlainText(),
            **self.extra.form_data(),
        }

    def set_form_data(self, form: Mapping[str, Any]) -> None:
        """Fill the form (from a draft or a saved case) without autosaving it again."""
        self._filling = True
        try:
            self.name.setText(str(form.get("name") or ""))
            self.patient_id.setText(str(form.get("patient_id") or ""))
            self.age_years.setValue(int(form.get("age_years") or 0))
            self.age_months.setValue(int(form.get("age_months") or 0))
            index = self.sex.findData(str(form.get("sex") or ""))
            self.sex.setCurrentIndex(max(index, 0))
            self.pregnant.setChecked(bool(form.get("pregnant")))
            vitals = form.get("vitals") or {}
            for key, edit in self.vital_edits.items():
                edit.setText(str(vitals.get(key, "")))
            signs = set(form.get("signs") or [])
            for code, box in self.sign_boxes.items():
                box.setChecked(code in signs)
            durations = form.get("durations") or {}
            for key, spin in self.durations.items():
                spin.setValue(int(durations.get(key) or 0))
            self.complaint.setText(str(form.get("complaint") or ""))
            self.notes.setPlainText(str(form.get("notes") or ""))
            self.extra.set_form_data(form)
        finally:
            self._filling = False
        self._form_filled()

    def _changed(self) -> None:
        if not self._filling:
            self._form_edited()

    def _form_edited(self) -> None:
        """Someone changed a field (not `set_form_data`); the page reacts."""

    def _form_filled(self) -> None:
        """`set_form_data` filled the form; the page reacts."""
