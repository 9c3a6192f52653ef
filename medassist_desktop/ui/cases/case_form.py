"""The case form: who the patient is, what was measured and seen, the rules' verdict
live, a consult on this case, and the referral summary.

Every change re-runs the triage rules on the GUI thread (pure and fast) and, a
second later, autosaves the form as typed (a draft, on the database thread), so
nothing typed is lost on a crash. Saving is one transaction in the case service.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from loguru import logger
from PySide6.QtCore import QCoreApplication, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
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

from medassist_desktop.core.cases.models import Case, ConsultRecord, Draft
from medassist_desktop.core.triage import TriageInputError
from medassist_desktop.core.triage.case import MAX_DURATION_DAYS
from medassist_desktop.errors import KnownError
from medassist_desktop.services.cases import CaseService
from medassist_desktop.services.consult import ConsultService
from medassist_desktop.services.referral import referral_consults, referral_html
from medassist_desktop.storage.database import Database
from medassist_desktop.ui.cases.form_data import (
    DURATIONS,
    SEXES,
    VITALS,
    FormReading,
    form_from_details,
    group_signs,
    nothing_to_triage,
    read_form,
)
from medassist_desktop.ui.consult.consult_panel import ConsultPanel
from medassist_desktop.ui.consult.consult_session import ConsultSession, SessionProvider
from medassist_desktop.ui.referral import export_pdf
from medassist_desktop.ui.widgets.triage_banner import TriageBanner
from medassist_desktop.workers.tasks import DatabaseTaskManager

DRAFT_DELAY_MS = 1000
REFERRAL_READ_S = 10
ERROR_STYLE = "color: #b71c1c;"
_log = logger.bind(area="ui")


@dataclass
class _Opened:
    case: Case | None
    draft: Draft | None
    consults: list[ConsultRecord]


class CaseFormPage(QWidget):
    """Signals: saved(int case id), opened(int case id, 0 for a new case), message(str),
    back_requested() (Back, or Esc with no answer to stop: return to the case list)."""

    saved = Signal(int)
    opened = Signal(int)
    message = Signal(str)
    back_requested = Signal()

    def __init__(
        self,
        cases: CaseService,
        consult: ConsultService,
        tasks: DatabaseTaskManager,
        session: SessionProvider,
        *,
        clinic: str,
        max_tokens: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("caseFormPage")
        self.setAccessibleName(self.tr("Case"))
        self._cases = cases
        self._tasks = tasks
        self._session = session
        self._clinic = clinic
        self.case_id: int | None = None
        self.triage: dict[str, Any] | None = None
        self.consults: list[dict[str, Any]] = []  # recorded earlier on this case
        self._filling = False
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.save_draft)

        self._build_form(cases.sign_labels)
        self.banner = TriageBanner(self)
        self.panel = ConsultPanel(self)
        self.consult = ConsultSession(
            self.panel,
            consult,
            cases,
            tasks,
            session,
            case_provider=self._case_for_consult,
            max_tokens=max_tokens,
            parent=self,
        )
        self.consult.record_failed.connect(self._say)
        self.panel.escape_unused.connect(self.go_back)
        self._build_layout()
        self._connect_changes()
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        self.update_triage()

    # -- building -------------------------------------------------------------
    def _build_form(self, sign_labels: Mapping[str, str]) -> None:
        self.title = QLabel(self.tr("New case"), self)
        self.title.setObjectName("caseTitle")
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title.setFont(font)
        self.status = QLabel(self)
        self.status.setObjectName("caseStatus")
        self.status.setWordWrap(True)
        self.save_button = QPushButton(self.tr("&Save"), self)
        self.save_button.setObjectName("saveCaseButton")
        self.save_button.setToolTip(self.tr("Save the case (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        self.back_button = QPushButton(self.tr("← &Back to cases"), self)
        self.back_button.setObjectName("backToCasesButton")
        self.back_button.setToolTip(self.tr("Back to the case list (Esc)"))
        self.back_button.clicked.connect(self.go_back)
        self.referral_button = QPushButton(self.tr("Referral summary (PDF)…"), self)
        self.referral_button.setObjectName("referralButton")
        self.referral_button.clicked.connect(self._export_clicked)
        self._build_patient()
        self._build_vitals()
        self._build_signs(sign_labels)
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
        self.age_years.valueChanged.connect(self._age_suffixes)
        self.age_months = QSpinBox(self)
        self.age_months.setObjectName("ageMonths")
        self.age_months.setRange(0, 11)
        self.age_months.valueChanged.connect(self._age_suffixes)
        self._age_suffixes()
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

    def _age_suffixes(self) -> None:
        """The unit agrees with the number: "1 year", "2 years", "1 month"."""
        years, months = self.age_years.value(), self.age_months.value()
        self.age_years.setSuffix(self.tr(" year") if years == 1 else self.tr(" years"))
        self.age_months.setSuffix(self.tr(" month") if months == 1 else self.tr(" months"))

    def _build_vitals(self) -> None:
        vitals = QGroupBox(self.tr("Vital signs (leave empty when not measured)"), self)
        grid = QGridLayout(vitals)
        self.vital_edits: dict[str, QLineEdit] = {}
        self.vital_errors: dict[str, QLabel] = {}
        for row, (key, label, unit, _decimals) in enumerate(VITALS):
            text = QCoreApplication.translate("VitalSigns", label)
            edit = QLineEdit(vitals)
            edit.setObjectName(f"vital_{key}")
            edit.setAccessibleName(f"{text} ({unit})")
            edit.setMaximumWidth(90)
            error = QLabel(vitals)
            error.setObjectName(f"vitalError_{key}")
            error.setStyleSheet(ERROR_STYLE)
            error.setWordWrap(True)
            name_label = QLabel(text + ":", vitals)
            name_label.setBuddy(edit)
            grid.addWidget(name_label, row, 0)
            grid.addWidget(edit, row, 1)
            grid.addWidget(QLabel(unit, vitals), row, 2)
            grid.addWidget(error, row, 3)
            self.vital_edits[key], self.vital_errors[key] = edit, error
        grid.setColumnStretch(3, 1)
        self._sections.append(vitals)

    def _build_signs(self, sign_labels: Mapping[str, str]) -> None:
        self.sign_boxes: dict[str, QCheckBox] = {}
        self.sign_groups: list[QGroupBox] = []
        for title, members in group_signs(sign_labels):
            box = QGroupBox(QCoreApplication.translate("SignGroups", title), self)
            box_grid = QGridLayout(box)
            for index, (code, label) in enumerate(members):
                check = QCheckBox(QCoreApplication.translate("TriageSigns", label), box)
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

    def _build_layout(self) -> None:
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
        right_layout.addWidget(self.banner)
        right_layout.addWidget(self.panel, 1)
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
            *self.vital_edits.values(),
            *self.sign_boxes.values(),
            *self.durations.values(),
            self.complaint,
            self.notes,
            self.save_button,
            self.referral_button,
            self.panel.question,
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
        finally:
            self._filling = False
        self.update_triage()

    def _changed(self) -> None:
        if self._filling:
            return
        self.update_triage()
        self._draft_timer.start()

    def update_triage(self) -> FormReading:
        """Check each vital as typed and show the rules' verdict (or why there is none)."""
        self.pregnant.setEnabled(self.sex.currentData() != "male")
        reading = read_form(self.form_data())
        for key, label in self.vital_errors.items():
            problem = reading.problems.get(f"vitals.{key}")
            label.setText(problem or "")
            self.vital_edits[key].setAccessibleDescription(problem or "")
        self.age_years.setStyleSheet(ERROR_STYLE if "age_years" in reading.problems else "")
        self.triage = None
        if reading.problems:
            field, problem = next(iter(reading.problems.items()))
            self.banner.show_error(self._field_message(field, problem))
            return reading
        try:
            result = self._cases.preview_triage(reading.triage_input)
        except TriageInputError as exc:
            self.banner.show_error(str(exc))
            return reading
        self.triage = result.as_dict()
        if nothing_to_triage(reading.details):
            self.banner.clear(self.tr("Enter signs and vital signs to triage"))
        else:
            self.banner.show_result(self.triage)
        return reading

    def _field_message(self, field: str, problem: str) -> str:
        if field == "age_years":
            return self.tr("Age {years} years {problem}").format(
                years=self.age_years.value(), problem=problem
            )
        key = field.removeprefix("vitals.")
        label = next((label for k, label, _u, _d in VITALS if k == key), key)
        text = self.vital_edits[key].text() if key in self.vital_edits else ""
        return self.tr("{field} {value} {problem}").format(
            field=QCoreApplication.translate("VitalSigns", label), value=text, problem=problem
        )

    def _case_for_consult(self) -> tuple[int | None, Mapping[str, Any] | None]:
        reading = read_form(self.form_data())
        return self.case_id, reading.triage_input if self.triage is not None else None

    # -- opening --------------------------------------------------------------
    def new_case(self) -> None:
        """An empty form (or the new-case draft left from before)."""
        self._load(None)

    def clear(self) -> None:
        """Forget the patient on screen without touching the database (at sign-out)."""
        self._draft_timer.stop()
        self.case_id = None
        self.consults = []
        self.consult.reset()
        self.set_form_data({})
        self.title.setText(self.tr("New case"))
        self.status.clear()

    def open_case(self, case_id: int) -> None:
        """Load a saved case, this user's draft of it and its consults (in the background)."""
        self._load(case_id)

    def _load(self, case_id: int | None) -> None:
        self._draft_timer.stop()
        self.case_id = None
        self.consults = []
        self.consult.reset()  # the previous patient's answer never shows on this one
        self.set_form_data({})
        self.title.setText(self.tr("New case") if case_id is None else self.tr("Loading…"))
        self.status.clear()
        self.setEnabled(case_id is None)
        session = self._session()

        def work(_db: Database) -> _Opened:
            draft = self._cases.load_draft(session, case_id=case_id)
            if case_id is None:
                return _Opened(None, draft, [])
            case = self._cases.get_case(session, case_id)
            return _Opened(case, draft, self._cases.list_consults(session, case_id))

        self._tasks.run_in_background(work, self._opened, self._failed)

    def _opened(self, opened: _Opened) -> None:
        self.setEnabled(True)
        if opened.case is not None:
            self.case_id = opened.case.id
            self.title.setText(self.tr("Case #{n}").format(n=opened.case.id))
            self.set_form_data(form_from_details(opened.case.details().to_json_dict()))
            self.consults = [
                dict(record.answer) | {"question": record.question} for record in opened.consults
            ]
            if opened.consults:  # the latest question and answer, with its review state
                self.consult.show_record(opened.consults[-1])
                self._say(
                    self.tr(
                        "%n question(s) asked earlier on this case; the latest is shown.",
                        "",
                        len(opened.consults),
                    )
                )
        if opened.draft is not None:
            self.set_form_data(opened.draft.form)
            when = opened.draft.saved_at.astimezone().strftime("%Y-%m-%d %H:%M")
            self._say(self.tr("Restored unsaved changes from {when}.").format(when=when))
        self.opened.emit(self.case_id or 0)

    def go_back(self) -> None:
        """Back to the list; what was typed is kept as a draft (saved now, not in a second)."""
        if self._draft_timer.isActive():
            self.save_draft()
        self.back_requested.emit()

    # -- saving ---------------------------------------------------------------
    def save_draft(self) -> None:
        """Autosave the form as typed (called by the debounce timer)."""
        self._draft_timer.stop()
        form, case_id, session = self.form_data(), self.case_id, self._session()
        self._tasks.run_in_background(
            lambda _db: self._cases.save_draft(session, form, case_id=case_id),
            lambda _draft: None,
            self._failed,
        )

    def save(self) -> None:
        """Save the case (one transaction); refused with a message when the form is not valid."""
        reading = self.update_triage()
        if reading.problems or self.triage is None:
            self._say(self.tr("Correct the fields marked in red before saving."))
            return
        if not reading.details["name"]:
            self._say(self.tr("Enter the patient's name before saving."))
            self.name.setFocus()
            return
        self._draft_timer.stop()
        self.save_button.setEnabled(False)
        details, case_id, session = reading.details, self.case_id, self._session()

        def work(_db: Database) -> Case:
            if case_id is None:
                return self._cases.create_case(session, details)
            return self._cases.update_case(session, case_id, details)

        self._tasks.run_in_background(work, self._saved, self._failed)

    def _saved(self, case: Case) -> None:
        self.save_button.setEnabled(True)
        self.case_id = case.id
        self.title.setText(self.tr("Case #{n}").format(n=case.id))
        self._say(self.tr("Saved ({level}).").format(level=case.triage_level.value.upper()))
        self.saved.emit(case.id)

    def _failed(self, error: BaseException) -> None:
        self.setEnabled(True)
        self.save_button.setEnabled(True)
        if isinstance(error, KnownError):
            self._say(str(error))
        else:
            _log.opt(exception=error).error("A case operation failed")
            self._say(self.tr("That did not work. Details are in the log file."))

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.message.emit(text)

    # -- referral -------------------------------------------------------------
    def _export_clicked(self) -> None:
        self.export_referral()

    def export_referral(self, path: Path | None = None) -> Path | None:
        """Write the referral summary as PDF (asks where when no path is given)."""
        reading = self.update_triage()
        if reading.problems or self.triage is None or not reading.details["name"]:
            self._say(self.tr("Complete the patient's name and correct fields before a referral."))
            return None
        if path is None:
            documents = QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.DocumentsLocation
            )
            suggested = f"referral-{self.case_id or 'new'}.pdf"
            chosen, _filter = QFileDialog.getSaveFileName(
                self,
                self.tr("Save referral summary"),
                str(Path(documents) / suggested) if documents else suggested,
                self.tr("PDF files (*.pdf)"),
            )
            if not chosen:
                return None
            path = Path(chosen)
        session, case_id = self._session(), self.case_id
        try:  # what the database holds on this case, never what is on a screen
            records = (
                self._tasks.run_in_background(
                    lambda _db: self._cases.list_consults(session, case_id),
                    lambda _records: None,
                    lambda _error: None,
                ).result(REFERRAL_READ_S)
                if case_id is not None
                else []
            )
        except KnownError as exc:
            self._say(str(exc))
            return None
        html = referral_html(
            reading.details,
            self.triage,
            referral_consults(records, case_id),
            clinic=self._clinic,
            prepared_by=session.user.display_name or session.user.username,
        )
        try:
            written = export_pdf(html, path)
        except KnownError as exc:
            self._say(str(exc))
            return None
        self._say(self.tr("Referral summary saved to {path}.").format(path=written))
        return written

    def shutdown(self) -> None:
        """At exit: keep what was typed, stop any answer."""
        if self._draft_timer.isActive():
            self.save_draft()
        self.consult.shutdown()
