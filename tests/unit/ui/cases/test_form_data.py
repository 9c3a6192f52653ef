"""The case form's data rules, without widgets: sign groups, vitals as typed, form -> case."""

from __future__ import annotations

from typing import Any

import pytest

from medassist_desktop.core.cases.models import parse_case_details
from medassist_desktop.core.triage import TriageEngine, load_rules
from medassist_desktop.core.triage.catalogue import sign_codes
from medassist_desktop.ui.cases.form_data import (
    OTHER_GROUP,
    form_from_details,
    group_signs,
    nothing_to_triage,
    parse_glucose,
    parse_vital,
    read_form,
)

EXAMINATION_ORDER = [
    "Airway and breathing",
    "Circulation",
    "Disability (conscious level and nerves)",
    "Young infant (under 2 months)",
    "Pregnancy and after birth",
    "Injuries and exposures",
    "Other",
]


def test_every_sign_of_the_rules_is_in_exactly_one_group_in_examination_order() -> None:
    rules = load_rules()
    groups = group_signs(sign_codes(rules))
    assert [title for title, _members in groups] == EXAMINATION_ORDER
    codes = [code for _title, members in groups for code, _label in members]
    assert sorted(codes) == sorted(rules.signs) and len(codes) == len(set(codes))
    assert "cold_extremities" not in codes  # an alias, the same box as cold_hands
    breathing = dict(dict(groups)["Airway and breathing"])
    assert breathing["chest_indrawing"] == "Chest indrawing"
    assert "snake_bite" in dict(dict(groups)["Injuries and exposures"])


def test_a_sign_without_a_group_lands_in_other() -> None:
    groups = dict(
        group_signs(
            [
                {"code": "cough", "label": "Cough", "group_title": "Airway and breathing"},
                {"code": "new_sign", "label": "A new sign"},
            ]
        )
    )
    assert groups == {
        "Airway and breathing": [("cough", "Cough")],
        OTHER_GROUP: [("new_sign", "A new sign")],
    }


def test_glucose_in_either_unit() -> None:
    assert parse_glucose("2.8", "mmol/L") == (2.8, None)
    assert parse_glucose("50", "mg/dL") == (2.8, None)  # 50 / 18, one decimal
    assert parse_glucose("", "mg/dL") == (None, None)
    assert parse_glucose("85", "mmol/L") == (
        None,
        "must be between 0.5 and 40 mmol/L (this looks like mg/dL: choose mg/dL)",
    )
    assert parse_glucose("900", "mg/dL") == (None, "must be between 9 and 720 mg/dL")
    assert parse_glucose("low", "mmol/L") == (None, "not a number")


def _level(form: dict[str, Any]) -> str:
    reading = read_form(form)
    assert not reading.problems
    return TriageEngine(load_rules()).triage(reading.triage_input).level.value


@pytest.mark.parametrize(
    ("form", "level"),
    [
        ({"age_years": 0, "age_months": 0, "age_days": 5}, "emergency"),  # under 8 days
        ({"age_years": 0, "age_months": 0, "age_days": 20}, "urgent"),
        ({"age_years": 0, "age_months": 0, "age_days": 45}, "urgent"),  # months follow days
        ({"age_years": 30, "glucose": "40", "glucose_unit": "mg/dL"}, "emergency"),
        ({"age_years": 30, "glucose": "5.5"}, "routine"),
        ({"age_years": 30, "avpu": "voice"}, "urgent"),
        ({"age_years": 30, "avpu": "pain"}, "emergency"),
        ({"age_years": 25, "sex": "female", "postpartum": True, "postpartum_days": 3,
          "signs": ["severe_headache"]}, "emergency"),
        ({"age_years": 25, "sex": "female", "pregnant": True, "gestation_weeks": 10,
          "signs": ["vaginal_bleeding"]}, "urgent"),
        ({"age_years": 25, "sex": "female", "pregnant": True, "signs": ["vaginal_bleeding"]},
         "emergency"),
    ],
)  # fmt: skip
def test_new_fields_reach_the_rules(form: dict[str, Any], level: str) -> None:
    assert _level(form) == level


def test_fields_that_do_not_apply_are_left_out() -> None:
    details = read_form(
        {"age_years": 3, "age_days": 20, "gestation_weeks": 30, "postpartum": False}
    ).details
    assert "age_days" not in details and "gestation_weeks" not in details
    assert "postpartum_days" not in details
    pregnant_and_after_birth = read_form(
        {"age_years": 25, "pregnant": True, "postpartum": True, "postpartum_days": 3}
    ).details
    assert "postpartum_days" not in pregnant_and_after_birth  # pregnancy wins; never both


def test_vitals_as_typed() -> None:
    assert parse_vital("temperature_c", " 38,5 ") == (38.5, None)
    assert parse_vital("respiratory_rate", "") == (None, None)
    assert parse_vital("respiratory_rate", "4o") == (None, "not a number")
    assert parse_vital("respiratory_rate", "400") == (
        None,
        "must be between 1 and 150 breaths per minute",
    )
    assert parse_vital("temperature_c", "101")[1] == (
        "must be between 25 and 45 °C (this looks like °F)"
    )


def test_form_to_details_and_back() -> None:
    form = {
        "name": " Sok Dara ",
        "patient_id": "",
        "age_years": 1,
        "age_months": 6,
        "sex": "male",
        "pregnant": False,
        "vitals": {"respiratory_rate": "52", "spo2": ""},
        "signs": ["lethargic", "cough"],
        "durations": {"cough": 3, "fever": 0},
        "complaint": "very sleepy",
        "notes": "  ",
    }
    reading = read_form(form)
    assert not reading.problems
    assert reading.details == {
        "name": "Sok Dara",
        "age_months": 18,
        "sex": "male",
        "vitals": {"respiratory_rate": 52.0},
        "signs": ["lethargic", "cough"],
        "duration_days": {"cough": 3.0},
        "complaint": "very sleepy",
    }
    assert "name" not in reading.triage_input
    saved = parse_case_details(reading.details).to_json_dict()
    back = form_from_details(saved)
    assert read_form(back).details == reading.details


def test_new_fields_round_trip_through_a_saved_case() -> None:
    form = {
        "name": "Mali",
        "age_years": 0,
        "age_months": 1,
        "age_days": 40,
        "vitals": {"respiratory_rate": "62"},
        "glucose": "45",
        "glucose_unit": "mg/dL",
        "avpu": "voice",
    }
    reading = read_form(form)
    assert reading.details["age_days"] == 40 and reading.details["age_months"] == 1
    assert reading.details["vitals"] == {
        "respiratory_rate": 62.0,
        "glucose_mmol_l": 2.5,
        "avpu": "voice",
    }
    saved = parse_case_details(reading.details).to_json_dict()
    assert read_form(form_from_details(saved)).details == reading.details
    mother = read_form(
        {"name": "Noy", "age_years": 24, "sex": "female", "postpartum": True, "postpartum_days": 3}
    ).details
    saved = parse_case_details(mother).to_json_dict()
    assert read_form(form_from_details(saved)).details == mother


def test_an_impossible_vital_is_a_problem_and_left_out() -> None:
    reading = read_form({"age_years": 2, "vitals": {"respiratory_rate": "400", "spo2": "95"}})
    assert reading.problems == {
        "vitals.respiratory_rate": "must be between 1 and 150 breaths per minute"
    }
    assert reading.details["vitals"] == {"spo2": 95.0}


def test_a_blank_form_has_nothing_to_triage() -> None:
    assert nothing_to_triage(read_form({"name": "A", "age_years": 2}).details)
    assert not nothing_to_triage(read_form({"signs": ["cough"]}).details)
    assert not nothing_to_triage(read_form({"vitals": {"temperature_c": "38"}}).details)
    assert not nothing_to_triage(read_form({"durations": {"cough": 2}}).details)


def test_an_impossible_age_is_a_problem_not_a_silent_cap() -> None:
    reading = read_form({"name": "A", "age_years": 300})
    assert "not a possible age" in reading.problems["age_years"]
    assert "age_years" not in read_form({"name": "A", "age_years": 130}).problems
