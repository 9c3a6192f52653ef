"""The evaluator: unknown signs reported, spelling tolerated, durations imply signs, output."""

from __future__ import annotations

import dataclasses
import json

import pytest

from medassist_desktop.core.triage import Level, TriageResult, evaluate, parse_case
from medassist_desktop.core.triage.engine import normalise_sign
from tests.unit.core.triage.cases import case, fired, rules, triage


def test_unknown_signs_are_reported_not_ignored() -> None:
    result = triage(case(30, signs=["cough", "wheeze", "Wheeze ", "wheeze", "ear_pain"]))
    assert result.unknown_signs == ("wheeze", "Wheeze ", "ear_pain")
    assert result.level is Level.ROUTINE


def test_unknown_duration_keys_are_reported() -> None:
    result = triage(case(30, durations={"cough": 2, "ear_ache": 3}))
    assert result.unknown_signs == ("ear_ache",)


def test_unknown_signs_do_not_hide_known_ones() -> None:
    result = triage(case(30, signs=["not_a_sign", "stridor"]))
    assert result.level is Level.EMERGENCY
    assert result.unknown_signs == ("not_a_sign",)


@pytest.mark.parametrize("spelling", ["chest_indrawing", "Chest-Indrawing", " chest indrawing "])
def test_sign_spelling_is_normalised(spelling: str) -> None:
    assert normalise_sign(spelling) == "chest_indrawing"
    assert "imci.chest_indrawing" in fired(case(30, signs=[spelling]))


def test_a_duration_above_zero_means_the_sign_is_present() -> None:
    assert "imci.fever_with_stiff_neck" in fired(
        case(30, signs=["stiff_neck"], durations={"fever": 1})
    )
    assert "imci.fever_with_stiff_neck" not in fired(
        case(30, signs=["stiff_neck"], durations={"fever": 0})
    )


def test_measured_fever_counts_as_fever() -> None:
    assert "imci.fever_with_stiff_neck" in fired(case(30, signs=["stiff_neck"], temperature_c=38.0))


def test_output_shape_is_exactly_the_documented_one() -> None:
    result = triage(case(30, signs=["stridor", "chest_indrawing", "mystery"], respiratory_rate=45))
    out = json.loads(json.dumps(result.as_dict()))
    assert set(out) == {"level", "findings", "unknown_signs", "not_assessed", "rules_version"}
    assert out["level"] == "emergency"
    assert out["rules_version"] == rules().version
    assert out["unknown_signs"] == ["mystery"]
    for finding in out["findings"]:
        assert set(finding) == {"rule", "finding", "label", "level", "source"}
        assert "WHO" in finding["source"]
    assert [f["rule"] for f in out["findings"]] == [
        "iitt.red.stridor",
        "imci.chest_indrawing",
        "iitt.yellow_u12.respiratory_rate_high_1_to_4",
    ]
    assert out["not_assessed"] == [
        "vitals.temperature_c",
        "vitals.heart_rate",
        "vitals.spo2",
        "vitals.muac_mm",
        "vitals.glucose_mmol_l",
        "vitals.avpu",
    ]


def test_not_assessed_follows_the_patient() -> None:
    """Only what the rules for this patient read; blood pressure only in pregnancy/after birth."""
    adult = triage(case(360)).not_assessed
    assert "vitals.systolic_bp" not in adult and "vitals.muac_mm" not in adult
    assert "vitals.respiratory_rate" in adult and "vitals.avpu" in adult
    pregnant = triage(case(360, pregnant=True)).not_assessed
    assert {"vitals.systolic_bp", "vitals.diastolic_bp", "gestation_weeks"} <= set(pregnant)
    after_birth = triage(case(360, postpartum_days=5)).not_assessed
    assert "vitals.systolic_bp" in after_birth and "gestation_weeks" not in after_birth
    full = triage(
        case(
            360,
            avpu="alert",
            temperature_c=37,
            respiratory_rate=16,
            heart_rate=80,
            spo2=98,
            glucose_mmol_l=5.5,
        )
    )
    assert full.not_assessed == ()


def test_cold_extremities_is_cold_hands() -> None:
    result = triage(case(30, signs=["cold_extremities"]))
    assert result.unknown_signs == ()
    assert "iitt.red_u12.cold_extremities" in {f.rule for f in result.findings}


def test_findings_are_ordered_emergency_first() -> None:
    result = triage(case(30, signs=["blood_in_stool", "chest_indrawing", "stridor"]))
    ranks = [f.level.rank for f in result.findings]
    assert ranks == sorted(ranks, reverse=True)
    assert result.level is Level.EMERGENCY


def test_result_is_immutable() -> None:
    result = triage(case(30, signs=["stridor"]))
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.level = Level.ROUTINE  # type: ignore[misc]
    assert isinstance(result.findings, tuple)


def test_evaluate_is_a_pure_function_of_case_and_rules() -> None:
    parsed = parse_case(case(1, signs=["convulsions"], respiratory_rate=70))
    first: TriageResult = evaluate(parsed, rules())
    assert evaluate(parsed, rules()) == first
    assert first.level is Level.EMERGENCY
