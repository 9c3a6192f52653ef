"""The case is the triage input plus who the patient is, validated the same way."""

from __future__ import annotations

from typing import Any

import pytest

from medassist_desktop.core.cases.models import CaseDetails, parse_case_details
from medassist_desktop.core.triage import TriageCase, TriageInputError

CHILD: dict[str, Any] = {
    "name": "  Sok Dara ",
    "patient_id": "KH-0042",
    "age_months": 14,
    "sex": "male",
    "vitals": {"respiratory_rate": 58, "temperature_c": 38.6},
    "signs": ["cough", "lethargic"],
    "duration_days": {"cough": 2},
    "complaint": "cough and sleepy",
    "notes": "mother reports poor feeding",
}


def test_details_keep_the_triage_input_and_add_identity() -> None:
    details = parse_case_details(CHILD)
    assert details.name == "Sok Dara"  # trimmed
    assert details.patient_id == "KH-0042" and details.notes == "mother reports poor feeding"
    triage = details.triage_input()
    assert type(triage) is TriageCase
    assert triage.age_months == 14 and triage.signs == ["cough", "lethargic"]
    assert "name" not in triage.model_dump()
    again = parse_case_details(details.to_json_dict())
    assert again == details


@pytest.mark.parametrize(
    ("change", "field", "text"),
    [
        ({"name": None}, "name", "name"),
        ({"name": "   "}, "name", "name"),
        ({"age_months": -1}, "age_months", "age_months=-1 is not possible"),
        ({"vitals": {"respiratory_rate": 400}}, "vitals.respiratory_rate", "between 1 and 150"),
        ({"sings": ["cough"]}, "sings", "not a known field"),
        ({"pregnant": True}, "pregnant", "pregnant=true is not possible"),
        ({"patient_id": "x" * 65}, "patient_id", "patient_id"),
        ({"notes": 42}, "notes", "notes=42"),
    ],
)
def test_errors_name_the_field(change: dict[str, Any], field: str, text: str) -> None:
    data = {**CHILD, **change}
    if change.get("name") is None and "name" in change:
        del data["name"]
    with pytest.raises(TriageInputError) as caught:
        parse_case_details(data)
    assert caught.value.field == field
    assert text in caught.value.message


def test_a_blank_patient_id_or_note_is_not_given() -> None:
    details = parse_case_details({"name": "A", "age_months": 3, "patient_id": " ", "notes": ""})
    assert details.patient_id is None and details.notes is None
    assert details.to_json_dict() == {"name": "A", "age_months": 3}


def test_details_are_immutable() -> None:
    details = CaseDetails.model_validate({"name": "A", "age_months": 3})
    with pytest.raises(ValueError, match="frozen"):
        details.name = "B"  # type: ignore[misc]
