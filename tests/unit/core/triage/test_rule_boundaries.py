"""Every triage rule at its threshold (just below, at, just above) and every age-band edge.

The tables are written from the issue's wording (WHO IMCI 2014, ETAT 2013, IITT), not
computed from the rules file, so a wrong operator or threshold in the file fails here.
`test_every_rule_is_covered` makes sure a new rule cannot be added without a row.
"""

from __future__ import annotations

from typing import Any

import pytest

from medassist_desktop.core.triage import Level
from tests.unit.core.triage.cases import ADULT, case, fired, rules, triage

T, F = True, False

# (rule, age in months, pregnant, base vitals, varied vital, (below, at, above), fires?)
VITAL_THRESHOLDS: list[
    tuple[str, int, bool, dict[str, float], str, tuple[float, ...], tuple[bool, ...]]
] = [
    ("pocketbook.hypoxaemia", 30, F, {}, "spo2", (89, 90, 91), (T, F, F)),
    ("pocketbook.hypoxaemia", ADULT, F, {}, "spo2", (89, 90, 91), (T, F, F)),
    ("imci.young_infant.fast_breathing", 1, F, {}, "respiratory_rate", (59, 60, 61), (F, T, T)),
    ("imci.young_infant.fever", 0, F, {}, "temperature_c", (37.4, 37.5, 37.6), (F, T, T)),
    ("imci.young_infant.low_temperature", 1, F, {}, "temperature_c", (35.4, 35.5, 35.6), (T, F, F)),
    ("imci.fast_breathing_2_11m", 6, F, {}, "respiratory_rate", (49, 50, 51), (F, T, T)),
    ("imci.fast_breathing_12_59m", 30, F, {}, "respiratory_rate", (39, 40, 41), (F, T, T)),
    ("imci.low_muac", 24, F, {}, "muac_mm", (114, 115, 116), (T, F, F)),
    (
        "iitt.pregnancy.severe_hypertension",
        300,
        T,
        {"diastolic_bp": 80},
        "systolic_bp",
        (159, 160, 161),
        (F, T, T),
    ),
    (
        "iitt.pregnancy.severe_hypertension",
        300,
        T,
        {"systolic_bp": 150},
        "diastolic_bp",
        (109, 110, 111),
        (F, T, T),
    ),
    (
        "pcpnc.pregnancy.hypertension",
        300,
        T,
        {"diastolic_bp": 70},
        "systolic_bp",
        (139, 140, 141),
        (F, T, T),
    ),
    (
        "pcpnc.pregnancy.hypertension",
        300,
        T,
        {"diastolic_bp": 70},
        "systolic_bp",
        (159, 160, 161),
        (T, F, F),
    ),
    (
        "pcpnc.pregnancy.hypertension",
        300,
        T,
        {"systolic_bp": 120},
        "diastolic_bp",
        (89, 90, 91),
        (F, T, T),
    ),
    (
        "pcpnc.pregnancy.hypertension",
        300,
        T,
        {"systolic_bp": 150},
        "diastolic_bp",
        (109, 110, 111),
        (T, F, F),
    ),
    ("pcpnc.pregnancy.fever", 300, T, {}, "temperature_c", (37.9, 38.0, 38.1), (F, T, T)),
    ("iitt.adult.heart_rate_very_low", ADULT, F, {}, "heart_rate", (49, 50, 51), (T, F, F)),
    ("iitt.adult.heart_rate_very_high", ADULT, F, {}, "heart_rate", (149, 150, 151), (F, F, T)),
    ("iitt.adult.heart_rate_low", ADULT, F, {}, "heart_rate", (59, 60, 61), (T, F, F)),
    ("iitt.adult.heart_rate_low", ADULT, F, {}, "heart_rate", (49, 50, 51), (F, T, T)),
    ("iitt.adult.heart_rate_high", ADULT, F, {}, "heart_rate", (129, 130, 131), (F, F, T)),
    ("iitt.adult.heart_rate_high", ADULT, F, {}, "heart_rate", (149, 150, 151), (T, T, F)),
    ("iitt.adult.respiratory_rate_low", ADULT, F, {}, "respiratory_rate", (9, 10, 11), (T, F, F)),
    ("iitt.adult.respiratory_rate_high", ADULT, F, {}, "respiratory_rate", (29, 30, 31), (F, F, T)),
    ("iitt.adult.temperature_low", ADULT, F, {}, "temperature_c", (35.9, 36.0, 36.1), (T, F, F)),
    ("iitt.adult.temperature_high", ADULT, F, {}, "temperature_c", (38.9, 39.0, 39.1), (F, F, T)),
    ("iitt.adult.spo2_low", ADULT, F, {}, "spo2", (91, 92, 93), (T, F, F)),
    ("iitt.adult.spo2_low", ADULT, F, {}, "spo2", (89, 90, 91), (F, T, T)),
]

# (rule, age, signs present, duration varied, (below, at, above) days, fires?)
DURATION_THRESHOLDS: list[tuple[str, int, str, tuple[float, ...], tuple[bool, ...]]] = [
    ("imci.persistent_cough", 30, "cough", (13, 14, 15), (F, T, T)),
    ("imci.persistent_cough", ADULT, "cough", (13.9, 14, 14.1), (F, T, T)),
    ("imci.persistent_diarrhoea", 30, "diarrhoea", (13, 14, 15), (F, T, T)),
    ("imci.prolonged_fever", 30, "fever", (6, 7, 8), (F, T, T)),
]

# (rule, age, pregnant, signs that make it fire) - the rule must fire, and must not fire
# when any one of these signs is removed.
SIGN_RULES: list[tuple[str, int, bool, list[str]]] = [
    ("etat.obstructed_breathing", 30, F, ["obstructed_breathing"]),
    ("etat.obstructed_breathing", ADULT, F, ["obstructed_breathing"]),
    ("etat.central_cyanosis", 30, F, ["central_cyanosis"]),
    ("etat.severe_respiratory_distress", 100, F, ["respiratory_distress"]),
    ("etat.shock", 30, F, ["cold_hands", "capillary_refill_over_3s", "weak_fast_pulse"]),
    ("etat.shock", ADULT, F, ["cold_hands", "capillary_refill_over_3s", "weak_fast_pulse"]),
    ("etat.coma", 30, F, ["unconscious"]),
    ("etat.convulsing", 1, F, ["convulsions"]),
    ("etat.severe_dehydration", 30, F, ["lethargic", "sunken_eyes"]),
    ("etat.severe_dehydration", 30, F, ["unconscious", "skin_pinch_very_slow"]),
    ("etat.severe_dehydration", 30, F, ["drinks_poorly", "sunken_eyes"]),
    ("etat.severe_dehydration", ADULT, F, ["unable_to_drink", "skin_pinch_very_slow"]),
    ("imci.danger.unable_to_drink", 30, F, ["unable_to_drink"]),
    ("imci.danger.vomits_everything", 30, F, ["vomits_everything"]),
    ("imci.danger.convulsions", 30, F, ["convulsions"]),
    ("imci.danger.lethargic_or_unconscious", 30, F, ["lethargic"]),
    ("imci.danger.lethargic_or_unconscious", 30, F, ["unconscious"]),
    ("imci.cough_with_danger_sign", 30, F, ["cough", "vomits_everything"]),
    ("imci.cough_with_danger_sign", 30, F, ["difficult_breathing", "lethargic"]),
    ("imci.stridor", 30, F, ["stridor"]),
    ("imci.young_infant.not_feeding_well", 1, F, ["not_feeding_well"]),
    ("imci.young_infant.convulsions", 0, F, ["convulsions"]),
    ("imci.young_infant.severe_chest_indrawing", 1, F, ["chest_indrawing"]),
    ("imci.young_infant.fever", 1, F, ["fever"]),
    ("imci.young_infant.movement_only_when_stimulated", 1, F, ["moves_only_when_stimulated"]),
    ("imci.fever_with_stiff_neck", 30, F, ["fever", "stiff_neck"]),
    ("imci.fever_with_stiff_neck", ADULT, F, ["fever", "stiff_neck"]),
    ("iitt.pregnancy.heavy_bleeding", 300, T, ["heavy_bleeding"]),
    ("iitt.pregnancy.convulsions", 300, T, ["convulsions"]),
    ("iitt.pregnancy.severe_headache_or_blurred_vision", 300, T, ["severe_headache"]),
    ("iitt.pregnancy.severe_headache_or_blurred_vision", 300, T, ["blurred_vision"]),
    ("iitt.pregnancy.severe_abdominal_pain", 300, T, ["severe_abdominal_pain"]),
    ("iitt.adult.unconscious", ADULT, F, ["unconscious"]),
    ("iitt.adult.convulsions", ADULT, F, ["convulsions"]),
    ("iitt.adult.stridor", ADULT, F, ["stridor"]),
    ("iitt.adult.respiratory_distress", ADULT, F, ["respiratory_distress"]),
    ("iitt.adult.central_cyanosis", ADULT, F, ["central_cyanosis"]),
    ("iitt.adult.capillary_refill", ADULT, F, ["capillary_refill_over_3s"]),
    ("iitt.adult.heavy_bleeding", ADULT, F, ["heavy_bleeding"]),
    ("imci.chest_indrawing", 30, F, ["chest_indrawing"]),
    ("imci.chest_indrawing", ADULT, F, ["chest_indrawing"]),
    ("imci.some_dehydration", 30, F, ["restless_irritable", "sunken_eyes"]),
    ("imci.some_dehydration", 30, F, ["drinks_eagerly", "skin_pinch_slow"]),
    ("imci.oedema_both_feet", 24, F, ["oedema_both_feet"]),
    ("imci.dysentery", 30, F, ["blood_in_stool"]),
    ("imci.dysentery", ADULT, F, ["blood_in_stool"]),
    ("iitt.adult.not_fully_alert", ADULT, F, ["not_fully_alert"]),
    ("pcpnc.pregnancy.vaginal_bleeding", 300, T, ["vaginal_bleeding"]),
    ("pcpnc.pregnancy.reduced_fetal_movement", 300, T, ["reduced_fetal_movement"]),
    ("pcpnc.pregnancy.waters_breaking", 300, T, ["waters_breaking"]),
    ("pcpnc.pregnancy.fever", 300, T, ["fever"]),
]

# (rule, the case without its age, ages around each band edge, fires at each age?)
AGE_EDGES: list[tuple[str, dict[str, Any], tuple[int, ...], tuple[bool, ...]]] = [
    # young infant: under 2 months
    ("imci.young_infant.not_feeding_well", {"signs": ["not_feeding_well"]}, (0, 1, 2), (T, T, F)),
    ("imci.young_infant.convulsions", {"signs": ["convulsions"]}, (1, 2), (T, F)),
    ("imci.young_infant.fast_breathing", {"vitals": {"respiratory_rate": 65}}, (1, 2), (T, F)),
    ("imci.young_infant.severe_chest_indrawing", {"signs": ["chest_indrawing"]}, (1, 2), (T, F)),
    ("imci.young_infant.fever", {"vitals": {"temperature_c": 38}}, (1, 2), (T, F)),
    ("imci.young_infant.low_temperature", {"vitals": {"temperature_c": 35}}, (1, 2), (T, F)),
    (
        "imci.young_infant.movement_only_when_stimulated",
        {"signs": ["moves_only_when_stimulated"]},
        (1, 2),
        (T, F),
    ),
    ("imci.chest_indrawing", {"signs": ["chest_indrawing"]}, (1, 2, 143, 144), (F, T, T, T)),
    # IMCI child: 2-59 months
    ("imci.danger.unable_to_drink", {"signs": ["unable_to_drink"]}, (1, 2, 59, 60), (F, T, T, F)),
    (
        "imci.danger.vomits_everything",
        {"signs": ["vomits_everything"]},
        (1, 2, 59, 60),
        (F, T, T, F),
    ),
    ("imci.danger.convulsions", {"signs": ["convulsions"]}, (1, 2, 59, 60), (F, T, T, F)),
    (
        "imci.danger.lethargic_or_unconscious",
        {"signs": ["lethargic"]},
        (1, 2, 59, 60),
        (F, T, T, F),
    ),
    (
        "imci.cough_with_danger_sign",
        {"signs": ["cough", "lethargic"]},
        (1, 2, 59, 60),
        (F, T, T, F),
    ),
    # fast breathing bands: 2-11 and 12-59 months
    (
        "imci.fast_breathing_2_11m",
        {"vitals": {"respiratory_rate": 55}},
        (1, 2, 11, 12),
        (F, T, T, F),
    ),
    (
        "imci.fast_breathing_12_59m",
        {"vitals": {"respiratory_rate": 45}},
        (11, 12, 59, 60),
        (F, T, T, F),
    ),
    # malnutrition: 6-59 months
    ("imci.low_muac", {"vitals": {"muac_mm": 100}}, (5, 6, 59, 60), (F, T, T, F)),
    ("imci.oedema_both_feet", {"signs": ["oedema_both_feet"]}, (5, 6, 59, 60), (F, T, T, F)),
    # child (under 12 years) and 12 years and over
    ("imci.stridor", {"signs": ["stridor"]}, (0, 143, 144), (T, T, F)),
    ("iitt.adult.stridor", {"signs": ["stridor"]}, (143, 144, 1500), (F, T, T)),
    ("etat.central_cyanosis", {"signs": ["central_cyanosis"]}, (0, 143, 144), (T, T, F)),
    ("iitt.adult.central_cyanosis", {"signs": ["central_cyanosis"]}, (143, 144), (F, T)),
    (
        "etat.severe_respiratory_distress",
        {"signs": ["respiratory_distress"]},
        (0, 143, 144),
        (T, T, F),
    ),
    ("iitt.adult.respiratory_distress", {"signs": ["respiratory_distress"]}, (143, 144), (F, T)),
    ("etat.coma", {"signs": ["unconscious"]}, (0, 143, 144), (T, T, F)),
    ("iitt.adult.unconscious", {"signs": ["unconscious"]}, (143, 144), (F, T)),
    ("etat.convulsing", {"signs": ["convulsions"]}, (0, 143, 144), (T, T, F)),
    ("iitt.adult.convulsions", {"signs": ["convulsions"]}, (143, 144), (F, T)),
    ("iitt.adult.capillary_refill", {"signs": ["capillary_refill_over_3s"]}, (143, 144), (F, T)),
    ("iitt.adult.heavy_bleeding", {"signs": ["heavy_bleeding"]}, (143, 144), (F, T)),
    ("iitt.adult.heart_rate_very_low", {"vitals": {"heart_rate": 45}}, (143, 144), (F, T)),
    ("iitt.adult.heart_rate_very_high", {"vitals": {"heart_rate": 160}}, (143, 144), (F, T)),
    ("iitt.adult.heart_rate_low", {"vitals": {"heart_rate": 55}}, (143, 144), (F, T)),
    ("iitt.adult.heart_rate_high", {"vitals": {"heart_rate": 140}}, (143, 144), (F, T)),
    ("iitt.adult.respiratory_rate_low", {"vitals": {"respiratory_rate": 8}}, (143, 144), (F, T)),
    ("iitt.adult.respiratory_rate_high", {"vitals": {"respiratory_rate": 35}}, (143, 144), (F, T)),
    ("iitt.adult.temperature_low", {"vitals": {"temperature_c": 35.0}}, (143, 144), (F, T)),
    ("iitt.adult.temperature_high", {"vitals": {"temperature_c": 39.5}}, (143, 144), (F, T)),
    ("iitt.adult.spo2_low", {"vitals": {"spo2": 91}}, (143, 144), (F, T)),
    ("iitt.adult.not_fully_alert", {"signs": ["not_fully_alert"]}, (143, 144), (F, T)),
    # any age
    ("pocketbook.hypoxaemia", {"vitals": {"spo2": 85}}, (0, 1, 2, 59, 60, 143, 144), (T,) * 7),
    (
        "etat.obstructed_breathing",
        {"signs": ["obstructed_breathing"]},
        (0, 143, 144, 1500),
        (T,) * 4,
    ),
]

# Pregnancy rules hold only when pregnant is true (not false, not missing).
PREGNANCY_SIGNS: list[tuple[str, dict[str, Any]]] = [
    ("iitt.pregnancy.heavy_bleeding", {"signs": ["heavy_bleeding"]}),
    ("iitt.pregnancy.convulsions", {"signs": ["convulsions"]}),
    (
        "iitt.pregnancy.severe_headache_or_blurred_vision",
        {"signs": ["severe_headache", "blurred_vision"]},
    ),
    ("iitt.pregnancy.severe_abdominal_pain", {"signs": ["severe_abdominal_pain"]}),
    ("iitt.pregnancy.severe_hypertension", {"vitals": {"systolic_bp": 170, "diastolic_bp": 100}}),
    ("pcpnc.pregnancy.hypertension", {"vitals": {"systolic_bp": 145, "diastolic_bp": 85}}),
    ("pcpnc.pregnancy.vaginal_bleeding", {"signs": ["vaginal_bleeding"]}),
    ("pcpnc.pregnancy.reduced_fetal_movement", {"signs": ["reduced_fetal_movement"]}),
    ("pcpnc.pregnancy.waters_breaking", {"signs": ["waters_breaking"]}),
    ("pcpnc.pregnancy.fever", {"vitals": {"temperature_c": 38.5}}),
]


def _level_of(rule_id: str) -> Level:
    return next(Level(rule.level) for rule in rules().rules if rule.id == rule_id)


def _check_consistent(data: dict[str, Any]) -> None:
    result = triage(data)
    expected = max(
        (f.level for f in result.findings), key=lambda lv: lv.rank, default=Level.ROUTINE
    )
    assert result.level is expected


@pytest.mark.parametrize(
    ("rule_id", "age", "pregnant", "base", "vital", "values", "expected"),
    VITAL_THRESHOLDS,
    ids=[f"{row[0]}-{row[4]}-{row[5][1]}" for row in VITAL_THRESHOLDS],
)
def test_vital_threshold(  # noqa: PLR0917 - one parameter per table column
    rule_id: str,
    age: int,
    pregnant: bool,
    base: dict[str, float],
    vital: str,
    values: tuple[float, ...],
    expected: tuple[bool, ...],
) -> None:
    for value, fires in zip(values, expected, strict=True):
        data = case(age, pregnant=pregnant or None, **base, **{vital: value})  # type: ignore[arg-type]
        assert (rule_id in fired(data)) is fires, f"{vital}={value}"
        if fires:
            assert triage(data).level.rank >= _level_of(rule_id).rank
        _check_consistent(data)


@pytest.mark.parametrize(
    ("rule_id", "age", "sign", "days", "expected"),
    DURATION_THRESHOLDS,
    ids=[f"{row[0]}-{row[1]}" for row in DURATION_THRESHOLDS],
)
def test_duration_threshold(
    rule_id: str, age: int, sign: str, days: tuple[float, ...], expected: tuple[bool, ...]
) -> None:
    for value, fires in zip(days, expected, strict=True):
        data = case(age, signs=[sign], durations={sign: value})
        assert (rule_id in fired(data)) is fires, f"{sign} for {value} days"
        _check_consistent(data)
    # No duration recorded: the rule cannot hold, however long the sign may have lasted.
    assert rule_id not in fired(case(age, signs=[sign]))


@pytest.mark.parametrize(
    ("rule_id", "age", "pregnant", "signs"),
    SIGN_RULES,
    ids=[f"{row[0]}-{'+'.join(row[3])}-{row[1]}" for row in SIGN_RULES],
)
def test_sign_rule_needs_every_sign(
    rule_id: str, age: int, pregnant: bool, signs: list[str]
) -> None:
    data = case(age, signs=signs, pregnant=pregnant or None)
    assert rule_id in fired(data)
    assert triage(data).level.rank >= _level_of(rule_id).rank
    _check_consistent(data)
    for missing in signs:
        rest = [s for s in signs if s != missing]
        assert rule_id not in fired(case(age, signs=rest, pregnant=pregnant or None)), missing


@pytest.mark.parametrize(
    ("rule_id", "partial", "ages", "expected"),
    AGE_EDGES,
    ids=[f"{row[0]}-{'/'.join(map(str, row[2]))}" for row in AGE_EDGES],
)
def test_age_band_edges(
    rule_id: str, partial: dict[str, Any], ages: tuple[int, ...], expected: tuple[bool, ...]
) -> None:
    for age, fires in zip(ages, expected, strict=True):
        data = {"age_months": age, **partial}
        assert (rule_id in fired(data)) is fires, f"age {age} months"


@pytest.mark.parametrize(
    ("rule_id", "partial"), PREGNANCY_SIGNS, ids=[r[0] for r in PREGNANCY_SIGNS]
)
def test_pregnancy_rules_need_pregnancy(rule_id: str, partial: dict[str, Any]) -> None:
    assert rule_id in fired({"age_months": 300, "sex": "female", "pregnant": True, **partial})
    assert rule_id in fired({"age_months": 96, "pregnant": True, **partial})
    assert rule_id not in fired({"age_months": 300, "sex": "female", "pregnant": False, **partial})
    assert rule_id not in fired({"age_months": 300, "sex": "female", **partial})


def test_every_rule_is_covered() -> None:
    covered = (
        {row[0] for row in VITAL_THRESHOLDS}
        | {row[0] for row in DURATION_THRESHOLDS}
        | {row[0] for row in SIGN_RULES}
        | {row[0] for row in AGE_EDGES}
    )
    assert {rule.id for rule in rules().rules} - covered == set()
    assert covered - {rule.id for rule in rules().rules} == set()


@pytest.mark.parametrize(
    ("data", "level"),
    [
        # The example: 18 months, RR 52 (>= 40), chest indrawing -> urgent.
        (
            {
                "age_months": 18,
                "sex": "female",
                "pregnant": False,
                "vitals": {
                    "temperature_c": 38.6,
                    "respiratory_rate": 52,
                    "heart_rate": 140,
                    "spo2": 93,
                    "systolic_bp": None,
                    "diastolic_bp": None,
                    "weight_kg": 10.5,
                    "muac_mm": 128,
                },
                "signs": ["cough", "chest_indrawing"],
                "duration_days": {"cough": 3, "fever": 2, "diarrhoea": 0},
                "complaint": "free text",
            },
            Level.URGENT,
        ),
        (case(30, signs=["cough"], respiratory_rate=35, temperature_c=37.0), Level.ROUTINE),
        (case(30, signs=["cough", "vomits_everything"]), Level.EMERGENCY),
        (case(ADULT, signs=["cough"], heart_rate=80, respiratory_rate=16, spo2=98), Level.ROUTINE),
        (case(ADULT, heart_rate=135), Level.URGENT),
        (case(ADULT, heart_rate=155), Level.EMERGENCY),
        (case(300, pregnant=True, systolic_bp=150, diastolic_bp=95), Level.URGENT),
        (case(300, pregnant=True, systolic_bp=165, diastolic_bp=95), Level.EMERGENCY),
        (case(0, temperature_c=36.8, respiratory_rate=45), Level.ROUTINE),
        (case(30, signs=["sunken_eyes"]), Level.ROUTINE),
        (case(30, signs=["sunken_eyes", "restless_irritable"]), Level.URGENT),
        (
            case(30, signs=["sunken_eyes", "restless_irritable", "skin_pinch_very_slow"]),
            Level.EMERGENCY,
        ),
    ],
)
def test_whole_cases(data: dict[str, Any], level: Level) -> None:
    assert triage(data).level is level


def test_one_finding_per_band_not_two() -> None:
    """A heart rate of 45 is the emergency band only, not also 'below 60'."""
    rules_fired = fired(case(ADULT, heart_rate=45))
    assert rules_fired == {"iitt.adult.heart_rate_very_low"}
    assert fired(case(300, pregnant=True, systolic_bp=170, diastolic_bp=100)) == {
        "iitt.pregnancy.severe_hypertension"
    }
