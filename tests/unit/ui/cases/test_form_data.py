"""The case form's data rules, without widgets: sign groups, vitals as typed, form -> case."""

from __future__ import annotations

from medassist_desktop.core.cases.models import parse_case_details
from medassist_desktop.core.triage import load_rules
from medassist_desktop.ui.cases.form_data import (
    OTHER_GROUP,
    form_from_details,
    group_signs,
    nothing_to_triage,
    parse_vital,
    read_form,
)


def test_every_sign_of_the_rules_is_in_exactly_one_group() -> None:
    signs = load_rules().signs
    groups = group_signs(signs)
    codes = [code for _title, members in groups for code, _label in members]
    assert sorted(codes) == sorted(signs) and len(codes) == len(set(codes))
    assert OTHER_GROUP not in [title for title, _members in groups]  # all placed on purpose
    breathing = dict(dict(groups)["Breathing"])
    assert breathing["chest_indrawing"] == "Chest indrawing"


def test_a_sign_the_table_does_not_know_lands_in_other() -> None:
    groups = dict(group_signs({"cough": "Cough", "new_sign": "A new sign"}))
    assert groups == {"Breathing": [("cough", "Cough")], OTHER_GROUP: [("new_sign", "A new sign")]}


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
