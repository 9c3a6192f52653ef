"""The patient case and what hangs off it: drafts of the form, consult records.

`CaseDetails` is what a person (or `medassist cases add`) enters: the triage input
of `core.triage` unchanged, plus the patient's name, an optional clinic patient id
and free-text notes. It is validated exactly like the triage input (unknown keys
refused, impossible vitals refused, messages naming the field), because a saved
case is triaged on every save and must never fail to triage.
`Case` is a saved case: the details plus its id, its triage at save time and who
saved it when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from pydantic import Field, StringConstraints, field_validator

from medassist_desktop.core.triage.case import TriageCase, validate_as
from medassist_desktop.core.triage.rules import Level
from medassist_desktop.errors import KnownError

MAX_NAME_LENGTH = 200
MAX_PATIENT_ID_LENGTH = 64
MAX_NOTES_LENGTH = 20_000

# The fields of the triage input: what the rules read.
TRIAGE_FIELDS = frozenset(TriageCase.model_fields)


class CaseNotFoundError(KnownError):
    """No case with that id."""


class ConsultNotFoundError(KnownError):
    """No consult record with that id."""


class CaseDetails(TriageCase):
    """A case as entered: the triage input plus name, clinic patient id and notes."""

    name: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NAME_LENGTH)
    ]
    patient_id: (
        Annotated[
            str,
            StringConstraints(
                strip_whitespace=True, min_length=1, max_length=MAX_PATIENT_ID_LENGTH
            ),
        ]
        | None
    ) = None
    notes: str | None = Field(None, max_length=MAX_NOTES_LENGTH)

    @field_validator("patient_id", "notes", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        """An empty form field means "not given", not an empty identifier."""
        if isinstance(value, str) and not value.strip():
            return None
        return value

    def triage_input(self) -> TriageCase:
        """Only what the triage rules read (no name, id or notes)."""
        return TriageCase.model_validate(
            {name: getattr(self, name) for name in TRIAGE_FIELDS}, strict=False
        )

    def to_json_dict(self) -> dict[str, Any]:
        """The details as JSON-ready data, without empty fields (what is stored and synced)."""
        return self.model_dump(
            mode="json", exclude_none=True, include=set(CaseDetails.model_fields)
        )


def parse_case_details(data: Any) -> CaseDetails:
    """Validate decoded JSON as case details; `TriageInputError` names the field."""
    return validate_as(CaseDetails, data)


class Case(CaseDetails):
    """A saved case: its details, its triage when it was last saved, and who saved it when."""

    id: int
    uid: str  # random, stable: the case's id in the clinic's shared (synced) records
    triage_level: Level
    triage: dict[str, Any]  # TriageResult.as_dict() at the last save
    revision: int  # 1 when created, +1 per saved edit
    created_at: datetime
    created_by: str | None
    updated_at: datetime
    updated_by: str | None

    def details(self) -> CaseDetails:
        """The editable part, e.g. to fill the form or to save an edit."""
        return CaseDetails.model_validate(
            {name: getattr(self, name) for name in CaseDetails.model_fields}, strict=False
        )


@dataclass(frozen=True)
class CaseSummary:
    """One row of the case list: enough to find a case and colour it by triage level."""

    id: int
    name: str
    patient_id: str | None
    age_months: int
    triage_level: Level
    created_at: datetime
    updated_at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "patient_id": self.patient_id,
            "age_months": self.age_months,
            "triage_level": self.triage_level.value,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }


@dataclass(frozen=True)
class Draft:
    """A form as it was typed, autosaved: possibly incomplete or invalid, never lost.

    `case_id` is None for the new-case form, else the case being edited.
    """

    user_id: int
    case_id: int | None
    form: dict[str, Any]
    saved_at: datetime


@dataclass(frozen=True)
class ConsultRecord:
    """A question asked about a case (or in general), the answer as produced, its review."""

    id: int
    uid: str
    case_id: int | None
    question: str
    answer: dict[str, Any]
    created_at: datetime
    created_by: str | None
    reviewed_by: str | None
    reviewed_at: datetime | None

    @property
    def reviewed(self) -> bool:
        return self.reviewed_at is not None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "uid": self.uid,
            "case_id": self.case_id,
            "question": self.question,
            "answer": self.answer,
            "created_at": self.created_at.isoformat(),
            "created_by": self.created_by,
            "reviewed_by": self.reviewed_by,
            "reviewed_at": None if self.reviewed_at is None else self.reviewed_at.isoformat(),
        }
