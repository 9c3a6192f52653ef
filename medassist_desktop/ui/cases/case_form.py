"""The case form: who the patient is, what was measured and seen, the rules' verdict
live, a consult on this case, and the referral summary. The fields themselves and
their data binding are in case_form_fields.py.

Every change re-runs the triage rules on the GUI thread (pure and fast) and, a
second later, autosaves the form as typed (a draft, on the database thread), so
nothing typed is lost on a crash. Saving is one transaction in the case service.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QStandardPaths, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFileDialog, QWidget

from medassist_desktop.core.cases.models import Case, ConsultRecord, Draft
from medassist_desktop.core.security.sessions import Session
from medassist_desktop.core.triage import TriageInputError
from medassist_desktop.errors import KnownError
from medassist_desktop.i18n import FALLBACK_LANGUAGE
from medassist_desktop.services.cases import CaseService
from medassist_desktop.services.consult import ConsultService
from medassist_desktop.services.referral import referral_consults, referral_copies
from medassist_desktop.ui.cases.case_form_fields import ERROR_STYLE, CaseFormFields
from medassist_desktop.ui.cases.form_data import (
    VITALS,
    FormReading,
    form_from_details,
    nothing_to_triage,
    read_form,
)
from medassist_desktop.ui.consult.consult_panel import ConsultPanel
from medassist_desktop.ui.consult.consult_session import ConsultSession
from medassist_desktop.ui.errors import describe_error
from medassist_desktop.ui.referral import write_pdf
from medassist_desktop.ui.session import ServiceCalls
from medassist_desktop.ui.translations import format_datetime
from medassist_desktop.ui.widgets.triage_banner import TriageBanner

DRAFT_DELAY_MS = 1000
REFERRAL_READ_S = 10


@dataclass
class _Opened:
    case: Case | None
    draft: Draft | None
    consults: list[ConsultRecord]


class CaseFormPage(CaseFormFields):
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
        calls: ServiceCalls,
        *,
        clinic: str,
        max_tokens: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(cases.sign_catalogue, parent)
        self.setObjectName("caseFormPage")
        self.setAccessibleName(self.tr("Case"))
        self._cases = cases
        self._calls = calls
        self._clinic = clinic
        self.case_id: int | None = None
        self.triage: dict[str, Any] | None = None
        self.consults: list[dict[str, Any]] = []  # recorded earlier on this case
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.save_draft)

        self.save_button.clicked.connect(self.save)
        self.referral_button.clicked.connect(self._export_clicked)
        self.banner = TriageBanner(self, language=cases.language)
        self.english_copy.setHidden(cases.language == FALLBACK_LANGUAGE)
        self.panel = ConsultPanel(self)
        self.consult = ConsultSession(
            self.panel,
            consult,
            cases,
            calls,
            case_provider=self._case_for_consult,
            max_tokens=max_tokens,
            parent=self,
        )
        self.consult.record_failed.connect(self._say)
        self.panel.escape_unused.connect(self.go_back)
        self.back_button.clicked.connect(self.go_back)
        self._lay_out(self.banner, self.panel, self.panel.question)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        self.update_triage()

    def _form_edited(self) -> None:
        self.update_triage()
        self._draft_timer.start()

    def _form_filled(self) -> None:
        self.update_triage()

    def update_triage(self) -> FormReading:
        """Check each vital as typed and show the rules' verdict (or why there is none)."""
        self.pregnant.setEnabled(self.sex.currentData() != "male")
        self.extra.update_state(
            self.age_years.value() * 12 + self.age_months.value(),
            str(self.sex.currentData() or ""),
            self.pregnant.isChecked() and self.pregnant.isEnabled(),
        )
        reading = read_form(self.form_data())
        self.extra.show_glucose_problem(reading.problems.get("vitals.glucose_mmol_l", ""))
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
        # A blank form shows no level, but never hides a finding: a newborn is urgent by
        # age alone, before any sign or vital is entered.
        if nothing_to_triage(reading.details) and not result.findings:
            self.banner.clear(self.tr("Enter signs and vital signs to triage"))
        else:
            self.banner.show_result(self.triage)
        return reading

    def _field_message(self, field: str, problem: str) -> str:
        if field == "age_years":
            return self.tr("Age %n year(s) {problem}", "", self.age_years.value()).format(
                problem=problem
            )
        key = field.removeprefix("vitals.")
        label = next((label for k, label, _u, _d in VITALS if k == key), "Blood glucose")
        text = (
            self.vital_edits[key].text() if key in self.vital_edits else self.extra.glucose.text()
        )
        return self.tr("{field} {value} {problem}").format(
            field=QCoreApplication.translate("VitalSigns", label), value=text, problem=problem
        )

    def _case_for_consult(self) -> tuple[int | None, Mapping[str, Any] | None]:
        reading = read_form(self.form_data())
        # The name and patient id go along so the consult can strip them from what it sends.
        return self.case_id, reading.details if self.triage is not None else None

    # -- opening --------------------------------------------------------------
    def new_case(self) -> None:
        """An empty form (or the new-case draft left from before)."""
        self._load(None)

    def clear(self) -> None:
        """Forget the patient on screen without touching the database (at sign-out)."""
        self._draft_timer.stop()
        self.case_id = None
        self.consults = []
        self.consult.reset()  # the previous patient's answer never shows on this one
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

        def work(session: Session) -> _Opened:
            draft = self._cases.load_draft(session, case_id=case_id)
            if case_id is None:
                return _Opened(None, draft, [])
            case = self._cases.get_case(session, case_id)
            return _Opened(case, draft, self._cases.list_consults(session, case_id))

        self._calls.call(work, self._opened, self._failed)

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
            when = format_datetime(opened.draft.saved_at)
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
        form, case_id = self.form_data(), self.case_id
        self._calls.call(
            lambda session: self._cases.save_draft(session, form, case_id=case_id),
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
        details, case_id = reading.details, self.case_id

        def work(session: Session) -> Case:
            if case_id is None:
                return self._cases.create_case(session, details)
            return self._cases.update_case(session, case_id, details)

        self._calls.call(work, self._saved, self._failed)

    def _saved(self, case: Case) -> None:
        self.save_button.setEnabled(True)
        self.case_id = case.id
        self.title.setText(self.tr("Case #{n}").format(n=case.id))
        self._say(self.tr("Saved ({level}).").format(level=case.triage_level.value.upper()))
        self.saved.emit(case.id)

    def _failed(self, error: BaseException) -> None:
        self.setEnabled(True)
        self.save_button.setEnabled(True)
        self._say(describe_error(error))

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.message.emit(text)

    # -- referral -------------------------------------------------------------
    def _export_clicked(self) -> None:
        self.export_referral()

    def export_referral(
        self, path: Path | None = None, *, english_copy: bool | None = None
    ) -> Path | None:
        """Write the referral summary as PDF (asks where when no path is given), in the
        window's language, with an English copy when asked (by default: the check box)."""
        if english_copy is None:
            english_copy = self.english_copy.isChecked()
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
        session, case_id = self._calls.session(), self.case_id
        records: list[ConsultRecord] = []
        if case_id is not None:  # what the database holds on this case, not the screen
            saved_case = case_id
            try:
                records = self._calls.call(
                    lambda session: self._cases.list_consults(session, saved_case),
                    lambda _records: None,
                    lambda _error: None,
                ).result(REFERRAL_READ_S)
            except KnownError as exc:
                self._say(str(exc))
                return None
        html = referral_copies(
            reading.details,
            self.triage,
            referral_consults(records, case_id),
            clinic=self._clinic,
            prepared_by=session.user.display_name or session.user.username,
            language=self._cases.language,
            english_copy=english_copy,
            sign_labels=self._cases.english_sign_labels,
        )
        try:
            written = write_pdf(html, path)
        except KnownError as exc:
            self._say(str(exc))
            return None
        case_id = self.case_id
        self._calls.call(
            lambda session: self._cases.record_referral_export(
                session, case_id, sha256=written.sha256, size=written.size
            ),
            lambda _entry: None,
            self._failed,
        )
        self._say(self.tr("Referral summary saved to {path}.").format(path=written.path))
        return written.path

    def shutdown(self) -> None:
        """At exit: keep what was typed, stop any answer."""
        if self._draft_timer.isActive():
            self.save_draft()
        self.consult.shutdown()
