"""Impossible or malformed cases are refused with a message naming the field; nulls are fine."""

from __future__ import annotations

from typing import Any

import pytest

from medassist_desktop.core.triage import Level, TriageInputError
from tests.unit.core.triage.cases import ADULT, triage


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"age_months": -1}, "age_months", "-1"),
        ({"age_months": 1561}, "age_months", "1561"),
        ({"age_months": 18.5}, "age_months", "whole number"),
        ({"age_months": "18"}, "age_months", "valid integer"),
        ({"age_months": True}, "age_months", "valid integer"),
        ({}, "age_months", "required"),
        ({"age_months": None}, "age_months", "None"),
        ({"age_months": 30, "vitals": {"respiratory_rate": 400}}, "vitals.respiratory_rate", "400"),
        (
            {"age_months": 30, "vitals": {"respiratory_rate": 0}},
            "vitals.respiratory_rate",
            "1 and 150",
        ),
        ({"age_months": 30, "vitals": {"spo2": 140}}, "vitals.spo2", "140"),
        ({"age_months": 30, "vitals": {"spo2": -5}}, "vitals.spo2", "30 and 100"),
        ({"age_months": 30, "vitals": {"temperature_c": 60}}, "vitals.temperature_c", "60"),
        ({"age_months": 30, "vitals": {"temperature_c": 101.3}}, "vitals.temperature_c", "°F"),
        ({"age_months": 30, "vitals": {"heart_rate": 900}}, "vitals.heart_rate", "900"),
        ({"age_months": 30, "vitals": {"systolic_bp": 20}}, "vitals.systolic_bp", "20"),
        ({"age_months": 30, "vitals": {"diastolic_bp": 250}}, "vitals.diastolic_bp", "250"),
        ({"age_months": 30, "vitals": {"weight_kg": 0}}, "vitals.weight_kg", "0"),
        ({"age_months": 30, "vitals": {"muac_mm": 12.8}}, "vitals.muac_mm", "50 and 500"),
        ({"age_months": 30, "vitals": {"heart_rate": "fast"}}, "vitals.heart_rate", "fast"),
        ({"age_months": 30, "vitals": {"heart_rate": float("nan")}}, "vitals.heart_rate", "nan"),
        ({"age_months": 30, "vitals": {"pulse": 80}}, "vitals.pulse", "not a known field"),
        (
            {"age_months": 30, "vitals": {"systolic_bp": 80, "diastolic_bp": 90}},
            "vitals.diastolic_bp",
            "lower than the systolic",
        ),
        ({"age_months": 30, "sings": ["cough"]}, "sings", "not a known field"),
        ({"age_months": 30, "signs": "cough"}, "signs", "valid list"),
        ({"age_months": 30, "signs": ["cough", 3]}, "signs.1", "valid string"),
        ({"age_months": 30, "duration_days": {"cough": -1}}, "duration_days.cough", "-1"),
        ({"age_months": 30, "duration_days": {"cough": 5000}}, "duration_days.cough", "3650"),
        ({"age_months": 30, "pregnant": "no"}, "pregnant", "valid boolean"),
        ({"age_months": 30, "sex": "f"}, "sex", "'female'"),
        ({"age_months": ADULT, "sex": "male", "pregnant": True}, "pregnant", "sex='male'"),
        ({"age_months": 95, "pregnant": True}, "pregnant", "age_months=95"),
        # Contradictory or impossible new fields: each refused, naming the field.
        ({"age_months": 0, "age_days": 45}, "age_days", "1 completed month"),
        ({"age_months": 1, "age_days": 12}, "age_days", "0 completed month"),
        ({"age_months": 2, "age_days": 59}, "age_days", "age_months=2"),
        ({"age_months": 1, "age_days": 60}, "age_days", "0 to 59"),
        ({"age_months": 0, "age_days": -1}, "age_days", "0 to 59"),
        (
            {"age_months": ADULT, "sex": "female", "pregnant": True, "postpartum_days": 3},
            "postpartum_days",
            "pregnant=true",
        ),
        ({"age_months": ADULT, "sex": "male", "postpartum_days": 3}, "postpartum_days", "male"),
        ({"age_months": 60, "postpartum_days": 3}, "postpartum_days", "age_months=60"),
        (
            {"age_months": ADULT, "sex": "female", "postpartum_days": 90},
            "postpartum_days",
            "0 to 42",
        ),
        (
            {"age_months": ADULT, "sex": "female", "gestation_weeks": 20},
            "gestation_weeks",
            "pregnant",
        ),
        (
            {"age_months": ADULT, "pregnant": False, "gestation_weeks": 20},
            "gestation_weeks",
            "pregnant=true",
        ),
        (
            {"age_months": ADULT, "pregnant": True, "gestation_weeks": 50},
            "gestation_weeks",
            "1 to 45",
        ),
        ({"age_months": 30, "vitals": {"glucose_mmol_l": 85}}, "vitals.glucose_mmol_l", "mg/dL"),
        ({"age_months": 30, "vitals": {"glucose_mmol_l": 0.1}}, "vitals.glucose_mmol_l", "0.5"),
        ({"age_months": 30, "vitals": {"avpu": "drowsy"}}, "vitals.avpu", "alert, voice, pain"),
        ({"age_months": 30, "vitals": {"avpu": "A"}}, "vitals.avpu", "unresponsive"),
    ],
)
def test_impossible_values_name_the_field(data: dict[str, Any], field: str, words: str) -> None:
    with pytest.raises(TriageInputError) as info:
        triage(data)
    assert info.value.field == field
    assert field in str(info.value)
    assert words in str(info.value)


@pytest.mark.parametrize("data", [[], "case", 3, None])
def test_a_case_must_be_an_object(data: Any) -> None:
    with pytest.raises(TriageInputError, match="must be a JSON object"):
        triage(data)


@pytest.mark.parametrize(
    "data",
    [
        {"age_months": 30},
        {
            "age_months": 30,
            "sex": None,
            "pregnant": None,
            "vitals": None,
            "signs": None,
            "duration_days": None,
            "complaint": None,
            "age_days": None,
            "gestation_weeks": None,
            "postpartum_days": None,
        },
        {
            "age_months": 30,
            "vitals": {
                name: None
                for name in (
                    "temperature_c",
                    "respiratory_rate",
                    "heart_rate",
                    "spo2",
                    "systolic_bp",
                    "diastolic_bp",
                    "weight_kg",
                    "muac_mm",
                    "glucose_mmol_l",
                    "avpu",
                )
            },
        },
        {"age_months": 30, "signs": [], "duration_days": {"cough": None, "fever": 0}},
        {"age_months": 6},
        {"age_months": ADULT, "pregnant": True, "sex": None},
        {"age_months": ADULT, "sex": "female", "postpartum_days": 0},
    ],
)
def test_missing_and_null_fields_are_routine(data: dict[str, Any]) -> None:
    result = triage(data)
    assert result.level is Level.ROUTINE
    assert result.findings == ()
    assert result.unknown_signs == ()


def test_values_at_the_limits_are_accepted() -> None:
    for vitals in (
        {"respiratory_rate": 1, "spo2": 30, "temperature_c": 25, "heart_rate": 20},
        {"respiratory_rate": 150, "spo2": 100, "temperature_c": 45, "heart_rate": 300},
    ):
        triage({"age_months": 30, "vitals": vitals})
    triage({"age_months": 1560})
    triage({"age_months": 96, "pregnant": True})
    triage({"age_months": 0, "age_days": 0, "vitals": {"glucose_mmol_l": 0.5, "avpu": "alert"}})
    triage({"age_months": 1, "age_days": 59, "vitals": {"glucose_mmol_l": 40}})
    triage({"age_months": 96, "pregnant": True, "gestation_weeks": 1})
    triage({"age_months": 96, "pregnant": True, "gestation_weeks": 45})
    triage({"age_months": 96, "sex": "female", "postpartum_days": 42})
    triage({"age_months": 200, "sex": "other", "postpartum_days": 0, "pregnant": False})


def test_a_refused_case_is_not_triaged_at_all() -> None:
    """A contradiction stops evaluation: no partial result with an emergency sign hidden."""
    with pytest.raises(TriageInputError):
        triage({"age_months": 0, "age_days": 45, "signs": ["convulsions"]})
