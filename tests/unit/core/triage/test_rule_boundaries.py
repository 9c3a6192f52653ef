"""Every triage rule at its threshold (just below, at, just above) and every age-band edge.

The tables are written from the guideline wording (IITT charts, WHO IMCI 2014, ETAT,
PCPNC 2015), not computed from the rules file, so a wrong operator, threshold or age
band in the file fails here. `test_every_rule_is_covered` makes sure a new rule cannot
be added without a row.
"""

from __future__ import annotations

from typing import Any

import pytest

from medassist_desktop.core.triage import Level
from tests.unit.core.triage.cases import ADULT, POSTPARTUM, PREGNANT, fired, rules, triage

T, F = True, False
N: dict[str, Any] = {}
P, PP = PREGNANT, POSTPARTUM
CHILD = 84  # a 7-year-old


def _with(base: dict[str, Any], **vitals: float | str) -> dict[str, Any]:
    """`base` (a case without its age) with `vitals` merged into its vitals."""
    return {**base, "vitals": {**base.get("vitals", {}), **vitals}}


# (rule, age in months, case fragment, varied vital, (below, at, above), fires?)
VitalRow = tuple[str, int, dict[str, Any], str, tuple[float, ...], tuple[bool, ...]]
VITAL_THRESHOLDS: list[VitalRow] = [
    ("pocketbook.hypoxaemia", 0, N, "spo2", (89, 90, 91), (T, F, F)),
    ("pocketbook.hypoxaemia", 30, N, "spo2", (89, 90, 91), (T, F, F)),
    ("pocketbook.hypoxaemia", ADULT, N, "spo2", (89, 90, 91), (T, F, F)),
    ("iitt.yellow.spo2_low", ADULT, N, "spo2", (91, 92, 93), (T, F, F)),
    ("iitt.yellow.spo2_low", 30, N, "spo2", (89, 90, 91), (F, T, T)),
    ("iitt.red.hypoglycaemia", 30, N, "glucose_mmol_l", (2.9, 3.0, 3.1), (T, F, F)),
    ("iitt.red.hypoglycaemia", ADULT, N, "glucose_mmol_l", (2.9, 3.0, 3.1), (T, F, F)),
    ("iitt.yellow.temperature_low", 30, N, "temperature_c", (35.9, 36.0, 36.1), (T, F, F)),
    ("iitt.yellow.temperature_low", ADULT, N, "temperature_c", (35.9, 36.0, 36.1), (T, F, F)),
    ("iitt.yellow.temperature_high", 30, N, "temperature_c", (38.9, 39.0, 39.1), (F, F, T)),
    ("iitt.yellow.temperature_high", ADULT, N, "temperature_c", (38.9, 39.0, 39.1), (F, F, T)),
    # young infant
    ("imci.yi.fast_breathing", 1, N, "respiratory_rate", (59, 60, 61), (F, T, T)),
    ("imci.yi.fever", 0, N, "temperature_c", (37.4, 37.5, 37.6), (F, T, T)),
    ("imci.yi.low_temperature", 1, N, "temperature_c", (35.9, 36.0, 36.1), (T, F, F)),
    # under 12: respiratory and heart rate bands
    (
        "iitt.yellow_u12.respiratory_rate_high_under_1",
        6,
        N,
        "respiratory_rate",
        (49, 50, 51),
        (F, T, T),
    ),
    (
        "iitt.yellow_u12.respiratory_rate_low_under_1",
        6,
        N,
        "respiratory_rate",
        (24, 25, 26),
        (T, F, F),
    ),
    (
        "iitt.yellow_u12.respiratory_rate_high_1_to_4",
        30,
        N,
        "respiratory_rate",
        (39, 40, 41),
        (F, T, T),
    ),
    (
        "iitt.yellow_u12.respiratory_rate_low_1_to_4",
        30,
        N,
        "respiratory_rate",
        (19, 20, 21),
        (T, F, F),
    ),
    (
        "iitt.yellow_u12.respiratory_rate_high_5_to_12",
        CHILD,
        N,
        "respiratory_rate",
        (29, 30, 31),
        (F, T, T),
    ),
    (
        "iitt.yellow_u12.respiratory_rate_low_5_to_12",
        CHILD,
        N,
        "respiratory_rate",
        (9, 10, 11),
        (T, F, F),
    ),
    ("iitt.yellow_u12.heart_rate_high_under_1", 6, N, "heart_rate", (179, 180, 181), (F, T, T)),
    ("iitt.yellow_u12.heart_rate_low_under_1", 6, N, "heart_rate", (89, 90, 91), (T, F, F)),
    ("iitt.yellow_u12.heart_rate_high_1_to_4", 30, N, "heart_rate", (159, 160, 161), (F, T, T)),
    ("iitt.yellow_u12.heart_rate_low_1_to_4", 30, N, "heart_rate", (79, 80, 81), (T, F, F)),
    ("iitt.yellow_u12.heart_rate_high_5_to_12", CHILD, N, "heart_rate", (139, 140, 141), (F, T, T)),
    ("iitt.yellow_u12.heart_rate_low_5_to_12", CHILD, N, "heart_rate", (69, 70, 71), (T, F, F)),
    ("imci.low_muac", 24, N, "muac_mm", (114, 115, 116), (T, F, F)),
    # 12 years and over
    ("iitt.red_12.heart_rate_very_low", ADULT, N, "heart_rate", (49, 50, 51), (T, F, F)),
    ("iitt.red_12.heart_rate_very_high", ADULT, N, "heart_rate", (149, 150, 151), (F, F, T)),
    ("iitt.yellow_12.heart_rate_low", ADULT, N, "heart_rate", (59, 60, 61), (T, F, F)),
    ("iitt.yellow_12.heart_rate_low", ADULT, N, "heart_rate", (49, 50, 51), (F, T, T)),
    ("iitt.yellow_12.heart_rate_high", ADULT, N, "heart_rate", (129, 130, 131), (F, F, T)),
    ("iitt.yellow_12.heart_rate_high", ADULT, N, "heart_rate", (149, 150, 151), (T, T, F)),
    ("iitt.yellow_12.respiratory_rate_low", ADULT, N, "respiratory_rate", (9, 10, 11), (T, F, F)),
    ("iitt.yellow_12.respiratory_rate_high", ADULT, N, "respiratory_rate", (29, 30, 31), (F, F, T)),
    # fever, hypothermia and altered mental status combinations
    (
        "imci.fever_with_stiff_neck",
        30,
        {"signs": ["stiff_neck"]},
        "temperature_c",
        (37.4, 37.5, 37.6),
        (F, T, T),
    ),
    (
        "imci.fever_with_stiff_neck",
        ADULT,
        {"signs": ["stiff_neck"]},
        "temperature_c",
        (37.4, 37.5, 37.6),
        (F, T, T),
    ),
    (
        "iitt.red_u12.altered_mental_status_with_fever_stiff_neck_or_hypothermia",
        CHILD,
        {"signs": ["lethargic"]},
        "temperature_c",
        (37.4, 37.5, 37.6),
        (F, T, T),
    ),
    (
        "iitt.red_u12.altered_mental_status_with_fever_stiff_neck_or_hypothermia",
        CHILD,
        {"signs": ["confused"]},
        "temperature_c",
        (35.9, 36.0, 36.1),
        (T, F, F),
    ),
    (
        "iitt.red_12.two_of_altered_mental_status_stiff_neck_temperature_headache",
        ADULT,
        {"signs": ["headache"]},
        "temperature_c",
        (37.9, 38.0, 38.1),
        (F, T, T),
    ),
    (
        "iitt.red_12.two_of_altered_mental_status_stiff_neck_temperature_headache",
        ADULT,
        {"signs": ["stiff_neck"]},
        "temperature_c",
        (35.9, 36.0, 36.1),
        (T, F, F),
    ),
    # pregnancy and after birth
    (
        "iitt.red_12.severe_hypertension_maternal",
        300,
        _with(P, diastolic_bp=80),
        "systolic_bp",
        (159, 160, 161),
        (F, T, T),
    ),
    (
        "iitt.red_12.severe_hypertension_maternal",
        300,
        _with(P, systolic_bp=150),
        "diastolic_bp",
        (109, 110, 111),
        (F, T, T),
    ),
    (
        "iitt.red_12.severe_hypertension_maternal",
        300,
        _with(PP, diastolic_bp=80),
        "systolic_bp",
        (159, 160, 161),
        (F, T, T),
    ),
    (
        "pcpnc.hypertension",
        300,
        _with(P, diastolic_bp=70),
        "systolic_bp",
        (139, 140, 141),
        (F, T, T),
    ),
    (
        "pcpnc.hypertension",
        300,
        _with(P, diastolic_bp=70),
        "systolic_bp",
        (159, 160, 161),
        (T, F, F),
    ),
    ("pcpnc.hypertension", 300, _with(P, systolic_bp=120), "diastolic_bp", (89, 90, 91), (F, T, T)),
    (
        "pcpnc.hypertension",
        300,
        _with(P, systolic_bp=150),
        "diastolic_bp",
        (109, 110, 111),
        (T, F, F),
    ),
    (
        "pcpnc.hypertension",
        300,
        _with(PP, diastolic_bp=70),
        "systolic_bp",
        (139, 140, 141),
        (F, T, T),
    ),
    ("pcpnc.fever", 300, P, "temperature_c", (37.9, 38.0, 38.1), (F, T, T)),
    ("pcpnc.fever", 300, PP, "temperature_c", (37.9, 38.0, 38.1), (F, T, T)),
    (
        "pcpnc.fever_too_weak_to_stand",
        300,
        {**PP, "signs": ["unable_to_stand"]},
        "temperature_c",
        (37.9, 38.0, 38.1),
        (F, T, T),
    ),
]

# (rule, age, case fragment, field varied, (below, at, above), fires?)
FIELD_THRESHOLDS: list[tuple[str, int, dict[str, Any], str, tuple[int, ...], tuple[bool, ...]]] = [
    ("iitt.yi.age_under_8_days", 0, N, "age_days", (7, 8, 9), (T, F, F)),
    (
        "pcpnc.vaginal_bleeding_late_pregnancy",
        300,
        {**P, "signs": ["vaginal_bleeding"]},
        "gestation_weeks",
        (21, 22, 23),
        (F, T, T),
    ),
    (
        "pcpnc.vaginal_bleeding_early_pregnancy",
        300,
        {**P, "signs": ["vaginal_bleeding"]},
        "gestation_weeks",
        (21, 22, 23),
        (T, F, F),
    ),
]

# (rule, age, sign, (below, at, above) days, fires?)
DURATION_THRESHOLDS: list[tuple[str, int, str, tuple[float, ...], tuple[bool, ...]]] = [
    ("imci.persistent_cough", 30, "cough", (13, 14, 15), (F, T, T)),
    ("imci.persistent_cough", ADULT, "cough", (13.9, 14, 14.1), (F, T, T)),
    ("imci.persistent_diarrhoea", 30, "diarrhoea", (13, 14, 15), (F, T, T)),
    ("imci.persistent_diarrhoea", ADULT, "diarrhoea", (13, 14, 15), (F, T, T)),
    ("imci.prolonged_fever", 30, "fever", (6, 7, 8), (F, T, T)),
    ("imci.prolonged_fever", ADULT, "fever", (6, 7, 8), (F, T, T)),
]

# (rule, age, case fragment, signs that make it fire) - it must fire, and must not fire
# when any one of these signs is removed.
SIGN_RULES: list[tuple[str, int, dict[str, Any], list[str]]] = [
    # emergency at every age
    *[
        (rule, age, N, [sign])
        for rule, sign in (
            ("iitt.red.obstructed_breathing", "obstructed_breathing"),
            ("iitt.red.central_cyanosis", "central_cyanosis"),
            ("iitt.red.respiratory_distress", "respiratory_distress"),
            ("iitt.red.unconscious", "unconscious"),
            ("iitt.red.convulsions", "convulsions"),
            ("iitt.red.stridor", "stridor"),
            ("iitt.red.capillary_refill", "capillary_refill_over_3s"),
            ("iitt.red.weak_fast_pulse", "weak_fast_pulse"),
            ("iitt.red.heavy_bleeding", "heavy_bleeding"),
            ("iitt.red.hypoglycaemia", "hypoglycaemia"),
            ("iitt.red.snake_bite", "snake_bite"),
            ("iitt.red.poisoning", "poisoning"),
            ("iitt.red.major_trauma", "major_trauma"),
            ("iitt.red.threatened_limb", "threatened_limb"),
        )
        for age in (0, 30, CHILD, ADULT)
    ],
    ("etat.shock", 30, N, ["cold_hands", "capillary_refill_over_3s", "weak_fast_pulse"]),
    ("etat.shock", ADULT, N, ["cold_extremities", "capillary_refill_over_3s", "weak_fast_pulse"]),
    ("etat.severe_dehydration", 30, N, ["lethargic", "sunken_eyes"]),
    ("etat.severe_dehydration", 30, N, ["unconscious", "skin_pinch_very_slow"]),
    ("etat.severe_dehydration", CHILD, N, ["drinks_poorly", "sunken_eyes"]),
    ("etat.severe_dehydration", ADULT, N, ["unable_to_drink", "skin_pinch_very_slow"]),
    ("imci.fever_with_stiff_neck", 30, N, ["fever", "stiff_neck"]),
    ("imci.fever_with_stiff_neck", ADULT, N, ["fever", "stiff_neck"]),
    # emergency under 12
    ("iitt.red_u12.cold_extremities", 30, N, ["cold_hands"]),
    ("iitt.red_u12.cold_extremities", CHILD, N, ["cold_extremities"]),
    ("iitt.red_u12.testicular_pain", CHILD, N, ["testicular_pain"]),
    *[
        (
            "iitt.red_u12.altered_mental_status_with_fever_stiff_neck_or_hypothermia",
            CHILD,
            N,
            [a, b],
        )
        for a in ("lethargic", "not_fully_alert", "confused", "restless_irritable")
        for b in ("stiff_neck", "fever")
    ],
    ("iitt.red_u12.bulging_fontanelle", 8, N, ["bulging_fontanelle"]),
    # emergency at 12 and over: any two of four
    *[
        ("iitt.red_12.two_of_altered_mental_status_stiff_neck_temperature_headache", ADULT, N, pair)
        for pair in (
            ["lethargic", "stiff_neck"],
            ["confused", "headache"],
            ["unconscious", "fever"],
            ["not_fully_alert", "severe_headache"],
            ["stiff_neck", "headache"],
            ["fever", "severe_headache"],
            ["stiff_neck", "fever"],
        )
    ],
    ("iitt.red_12.pain_over_50", 720, N, ["chest_pain"]),
    ("iitt.red_12.pain_over_50", 720, N, ["abdominal_pain"]),
    ("iitt.red_12.pain_over_50", 720, N, ["severe_abdominal_pain"]),
    ("iitt.red_12.violent_aggressive", ADULT, N, ["violent_aggressive"]),
    # young infant
    ("imci.yi.fever", 1, N, ["fever"]),
    ("imci.yi.chest_indrawing", 1, N, ["chest_indrawing"]),
    ("imci.yi.not_feeding_well", 0, N, ["not_feeding_well"]),
    ("imci.yi.not_feeding_well", 1, N, ["unable_to_drink"]),
    ("iitt.yi.lethargic", 1, N, ["lethargic"]),
    ("iitt.yi.vomits_everything", 1, N, ["vomits_everything"]),
    ("imci.yi.moves_only_when_stimulated", 1, N, ["moves_only_when_stimulated"]),
    ("imci.yi.jaundice_first_24h", 0, N, ["jaundice_first_24h"]),
    ("imci.yi.yellow_palms_soles", 1, N, ["yellow_palms_soles"]),
    ("imci.yi.jaundice", 1, N, ["jaundice"]),
    ("imci.yi.umbilical_redness", 0, N, ["umbilical_redness"]),
    ("imci.yi.skin_pustules", 1, N, ["skin_pustules"]),
    # IMCI pink, 2-59 months
    ("imci.pink.unable_to_drink", 30, N, ["unable_to_drink"]),
    ("imci.pink.vomits_everything", 30, N, ["vomits_everything"]),
    ("imci.pink.lethargic_or_unconscious", 30, N, ["lethargic"]),
    ("imci.pink.lethargic_or_unconscious", 30, N, ["unconscious"]),
    ("imci.pink.cough_with_danger_sign", 30, N, ["cough", "vomits_everything"]),
    ("imci.pink.cough_with_danger_sign", 30, N, ["difficult_breathing", "convulsions"]),
    ("imci.pink.severe_pallor", 30, N, ["severe_pallor"]),
    ("imci.pink.oedema_both_feet", 24, N, ["oedema_both_feet"]),
    # pregnancy and after birth: emergency
    *[
        (rule, 300, who, [sign])
        for rule, sign in (
            ("pcpnc.severe_abdominal_pain", "severe_abdominal_pain"),
            ("pcpnc.severe_headache", "severe_headache"),
            ("pcpnc.blurred_vision", "blurred_vision"),
            ("pcpnc.difficult_breathing", "difficult_breathing"),
            ("pcpnc.altered_mental_status", "confused"),
            ("pcpnc.altered_mental_status", "lethargic"),
        )
        for who in (P, PP)
    ],
    ("pcpnc.fever_too_weak_to_stand", 300, P, ["fever", "unable_to_stand"]),
    ("pcpnc.fever_too_weak_to_stand", 300, PP, ["fever", "unable_to_stand"]),
    ("iitt.red_12.active_labour", 300, P, ["active_labour"]),
    ("iitt.red_12.trauma_in_pregnancy", 300, P, ["trauma"]),
    ("iitt.red_12.trauma_in_pregnancy", 300, P, ["fracture"]),
    ("pcpnc.vaginal_bleeding_late_pregnancy", 300, P, ["vaginal_bleeding"]),
    # urgent at every age
    *[
        (rule, age, N, [sign])
        for rule, sign in (
            ("iitt.yellow.neck_swelling", "neck_swelling"),
            ("iitt.yellow.wheezing", "wheezing"),
            ("iitt.yellow.vomits_everything", "vomits_everything"),
            ("iitt.yellow.diarrhoea", "diarrhoea"),
            ("iitt.yellow.unable_to_drink", "unable_to_drink"),
            ("iitt.yellow.severe_pallor", "severe_pallor"),
            ("iitt.yellow.bleeding", "bleeding"),
            ("iitt.yellow.severe_pain", "severe_pain"),
            ("iitt.yellow.worsening_rash", "worsening_rash"),
            ("iitt.yellow.trauma", "trauma"),
            ("iitt.yellow.trauma", "fracture"),
            ("iitt.yellow.burns", "burns"),
            ("iitt.yellow.sexual_assault", "sexual_assault"),
            ("iitt.yellow.exposure_prophylaxis", "animal_bite"),
            ("iitt.yellow.exposure_prophylaxis", "needlestick"),
            ("imci.chest_indrawing", "chest_indrawing"),
            ("imci.dysentery", "blood_in_stool"),
            ("iitt.yellow.altered_mental_status", "lethargic"),
            ("iitt.yellow.altered_mental_status", "not_fully_alert"),
            ("iitt.yellow.altered_mental_status", "confused"),
            ("iitt.yellow.altered_mental_status", "restless_irritable"),
        )
        for age in (0, 30, CHILD, ADULT)
    ],
    ("imci.some_dehydration", 30, N, ["restless_irritable", "sunken_eyes"]),
    ("imci.some_dehydration", 30, N, ["drinks_eagerly", "skin_pinch_slow"]),
    ("imci.some_dehydration", ADULT, N, ["sunken_eyes", "skin_pinch_very_slow"]),
    # urgent under 12
    ("iitt.yellow_u12.headache", CHILD, N, ["headache"]),
    ("iitt.yellow_u12.headache", CHILD, N, ["severe_headache"]),
    ("iitt.yellow_u12.wasting_or_oedema", CHILD, N, ["visible_severe_wasting"]),
    ("iitt.yellow_u12.wasting_or_oedema", 3, N, ["oedema_both_feet"]),
    # urgent at 12 and over
    *[
        (f"iitt.yellow_12.{sign}", ADULT, N, [sign])
        for sign in (
            "fainting",
            "general_weakness",
            "focal_neuro",
            "blurred_vision",
            "fracture",
            "testicular_pain",
            "urinary_retention",
        )
    ],
    ("iitt.yellow_12.pain_under_50", ADULT, N, ["chest_pain"]),
    ("iitt.yellow_12.pain_under_50", ADULT, N, ["abdominal_pain"]),
    ("iitt.yellow_12.pain_under_50", ADULT, N, ["severe_abdominal_pain"]),
    # pregnancy and after birth: urgent
    ("pcpnc.fever", 300, P, ["fever"]),
    ("pcpnc.fever", 300, PP, ["fever"]),
    ("pcpnc.vaginal_bleeding_postpartum", 300, PP, ["vaginal_bleeding"]),
    ("pcpnc.reduced_fetal_movement", 300, P, ["reduced_fetal_movement"]),
    ("pcpnc.waters_breaking", 300, P, ["waters_breaking"]),
]

# (rule, age, case fragment, AVPU words that make it fire, words that do not)
AVPU_RULES: list[tuple[str, int, dict[str, Any], tuple[str, ...], tuple[str, ...]]] = [
    ("iitt.red.unconscious", 30, N, ("pain", "unresponsive"), ("alert", "voice")),
    ("iitt.red.unconscious", ADULT, N, ("pain", "unresponsive"), ("alert", "voice")),
    ("iitt.yellow.avpu_voice", 30, N, ("voice",), ("alert", "pain", "unresponsive")),
    ("iitt.yellow.avpu_voice", ADULT, N, ("voice",), ("alert", "pain", "unresponsive")),
    (
        "iitt.red_u12.altered_mental_status_with_fever_stiff_neck_or_hypothermia",
        CHILD,
        {"signs": ["fever"]},
        ("voice", "pain", "unresponsive"),
        ("alert",),
    ),
    (
        "iitt.red_12.two_of_altered_mental_status_stiff_neck_temperature_headache",
        ADULT,
        {"signs": ["headache"]},
        ("voice", "pain", "unresponsive"),
        ("alert",),
    ),
    ("pcpnc.altered_mental_status", 300, P, ("voice", "pain", "unresponsive"), ("alert",)),
    ("pcpnc.altered_mental_status", 300, PP, ("voice", "pain", "unresponsive"), ("alert",)),
]

# (rule, the case without its age, ages around each band edge, fires at each age?)
AGE_EDGES: list[tuple[str, dict[str, Any], tuple[int, ...], tuple[bool, ...]]] = [
    # every age
    ("iitt.red.snake_bite", {"signs": ["snake_bite"]}, (0, 143, 144, 1560), (T, T, T, T)),
    ("iitt.red.stridor", {"signs": ["stridor"]}, (0, 143, 144, 1560), (T, T, T, T)),
    ("pocketbook.hypoxaemia", {"vitals": {"spo2": 85}}, (0, 1, 2, 59, 60, 143, 144), (T,) * 7),
    ("iitt.yellow.avpu_voice", {"vitals": {"avpu": "voice"}}, (0, 143, 144), (T, T, T)),
    # under 12 / 12 and over
    ("iitt.red_u12.cold_extremities", {"signs": ["cold_hands"]}, (0, 143, 144), (T, T, F)),
    ("iitt.red_u12.testicular_pain", {"signs": ["testicular_pain"]}, (0, 143, 144), (T, T, F)),
    ("iitt.yellow_12.testicular_pain", {"signs": ["testicular_pain"]}, (143, 144), (F, T)),
    (
        "iitt.red_u12.altered_mental_status_with_fever_stiff_neck_or_hypothermia",
        {"signs": ["lethargic", "stiff_neck"]},
        (0, 143, 144),
        (T, T, F),
    ),
    (
        "iitt.red_12.two_of_altered_mental_status_stiff_neck_temperature_headache",
        {"signs": ["lethargic", "stiff_neck"]},
        (143, 144),
        (F, T),
    ),
    ("iitt.red_u12.bulging_fontanelle", {"signs": ["bulging_fontanelle"]}, (0, 23, 24), (T, T, F)),
    ("iitt.red_12.heart_rate_very_low", {"vitals": {"heart_rate": 45}}, (143, 144), (F, T)),
    ("iitt.red_12.heart_rate_very_high", {"vitals": {"heart_rate": 160}}, (143, 144), (F, T)),
    ("iitt.red_12.violent_aggressive", {"signs": ["violent_aggressive"]}, (143, 144), (F, T)),
    ("iitt.red_12.pain_over_50", {"signs": ["chest_pain"]}, (599, 600, 1560), (F, T, T)),
    ("iitt.yellow_12.pain_under_50", {"signs": ["chest_pain"]}, (143, 144, 599, 600), (F, T, T, F)),
    ("iitt.yellow_12.heart_rate_low", {"vitals": {"heart_rate": 55}}, (143, 144), (F, T)),
    ("iitt.yellow_12.heart_rate_high", {"vitals": {"heart_rate": 140}}, (143, 144), (F, T)),
    (
        "iitt.yellow_12.respiratory_rate_low",
        {"vitals": {"respiratory_rate": 8}},
        (143, 144),
        (F, T),
    ),
    (
        "iitt.yellow_12.respiratory_rate_high",
        {"vitals": {"respiratory_rate": 35}},
        (143, 144),
        (F, T),
    ),
    ("iitt.yellow_12.fainting", {"signs": ["fainting"]}, (143, 144), (F, T)),
    ("iitt.yellow_u12.headache", {"signs": ["headache"]}, (0, 143, 144), (T, T, F)),
    (
        "iitt.yellow_u12.wasting_or_oedema",
        {"signs": ["visible_severe_wasting"]},
        (0, 143, 144),
        (T, T, F),
    ),
    ("iitt.yellow_u12.young_infant", N, (0, 5, 6), (T, T, F)),
    ("iitt.yellow_u12.pregnancy", PREGNANT, (96, 143, 144), (T, T, F)),
    # under 12 vital-sign bands: under 1 year, 1-4 years, 5-12 years
    (
        "iitt.yellow_u12.respiratory_rate_high_under_1",
        {"vitals": {"respiratory_rate": 55}},
        (0, 11, 12),
        (T, T, F),
    ),
    (
        "iitt.yellow_u12.respiratory_rate_low_under_1",
        {"vitals": {"respiratory_rate": 22}},
        (0, 11, 12),
        (T, T, F),
    ),
    (
        "iitt.yellow_u12.respiratory_rate_high_1_to_4",
        {"vitals": {"respiratory_rate": 45}},
        (11, 12, 59, 60),
        (F, T, T, F),
    ),
    (
        "iitt.yellow_u12.respiratory_rate_low_1_to_4",
        {"vitals": {"respiratory_rate": 15}},
        (11, 12, 59, 60),
        (F, T, T, F),
    ),
    (
        "iitt.yellow_u12.respiratory_rate_high_5_to_12",
        {"vitals": {"respiratory_rate": 35}},
        (59, 60, 143, 144),
        (F, T, T, F),
    ),
    (
        "iitt.yellow_u12.respiratory_rate_low_5_to_12",
        {"vitals": {"respiratory_rate": 8}},
        (59, 60, 143, 144),
        (F, T, T, F),
    ),
    (
        "iitt.yellow_u12.heart_rate_high_under_1",
        {"vitals": {"heart_rate": 185}},
        (0, 11, 12),
        (T, T, F),
    ),
    (
        "iitt.yellow_u12.heart_rate_low_under_1",
        {"vitals": {"heart_rate": 85}},
        (0, 11, 12),
        (T, T, F),
    ),
    (
        "iitt.yellow_u12.heart_rate_high_1_to_4",
        {"vitals": {"heart_rate": 165}},
        (11, 12, 59, 60),
        (F, T, T, F),
    ),
    (
        "iitt.yellow_u12.heart_rate_low_1_to_4",
        {"vitals": {"heart_rate": 75}},
        (11, 12, 59, 60),
        (F, T, T, F),
    ),
    (
        "iitt.yellow_u12.heart_rate_high_5_to_12",
        {"vitals": {"heart_rate": 145}},
        (59, 60, 143, 144),
        (F, T, T, F),
    ),
    (
        "iitt.yellow_u12.heart_rate_low_5_to_12",
        {"vitals": {"heart_rate": 65}},
        (59, 60, 143, 144),
        (F, T, T, F),
    ),
    # young infant: under 2 months
    ("imci.yi.not_feeding_well", {"signs": ["not_feeding_well"]}, (0, 1, 2), (T, T, F)),
    ("imci.yi.fast_breathing", {"vitals": {"respiratory_rate": 65}}, (1, 2), (T, F)),
    ("imci.yi.chest_indrawing", {"signs": ["chest_indrawing"]}, (1, 2), (T, F)),
    ("imci.yi.fever", {"vitals": {"temperature_c": 38}}, (1, 2), (T, F)),
    ("imci.yi.low_temperature", {"vitals": {"temperature_c": 35}}, (1, 2), (T, F)),
    ("iitt.yi.lethargic", {"signs": ["lethargic"]}, (1, 2), (T, F)),
    ("iitt.yi.vomits_everything", {"signs": ["vomits_everything"]}, (1, 2), (T, F)),
    (
        "imci.yi.moves_only_when_stimulated",
        {"signs": ["moves_only_when_stimulated"]},
        (1, 2),
        (T, F),
    ),
    ("imci.yi.jaundice_first_24h", {"signs": ["jaundice_first_24h"]}, (0, 2), (T, F)),
    ("imci.yi.yellow_palms_soles", {"signs": ["yellow_palms_soles"]}, (1, 2), (T, F)),
    ("imci.yi.jaundice", {"signs": ["jaundice"]}, (1, 2), (T, F)),
    ("imci.yi.umbilical_redness", {"signs": ["umbilical_redness"]}, (1, 2), (T, F)),
    ("imci.yi.skin_pustules", {"signs": ["skin_pustules"]}, (1, 2), (T, F)),
    ("imci.chest_indrawing", {"signs": ["chest_indrawing"]}, (0, 1, 2, 143, 144), (T,) * 5),
    # IMCI child: 2-59 months
    ("imci.pink.unable_to_drink", {"signs": ["unable_to_drink"]}, (1, 2, 59, 60), (F, T, T, F)),
    ("imci.pink.vomits_everything", {"signs": ["vomits_everything"]}, (1, 2, 59, 60), (F, T, T, F)),
    ("imci.pink.lethargic_or_unconscious", {"signs": ["lethargic"]}, (1, 2, 59, 60), (F, T, T, F)),
    (
        "imci.pink.cough_with_danger_sign",
        {"signs": ["cough", "lethargic"]},
        (1, 2, 59, 60),
        (F, T, T, F),
    ),
    ("imci.pink.severe_pallor", {"signs": ["severe_pallor"]}, (1, 2, 59, 60), (F, T, T, F)),
    ("imci.pink.oedema_both_feet", {"signs": ["oedema_both_feet"]}, (5, 6, 59, 60), (F, T, T, F)),
    ("imci.low_muac", {"vitals": {"muac_mm": 100}}, (5, 6, 59, 60), (F, T, T, F)),
]

# Maternal rules: (rule, case fragment without status, holds when pregnant, when postpartum)
MATERNAL: list[tuple[str, dict[str, Any], bool, bool]] = [
    ("pcpnc.severe_abdominal_pain", {"signs": ["severe_abdominal_pain"]}, T, T),
    ("pcpnc.severe_headache", {"signs": ["severe_headache"]}, T, T),
    ("pcpnc.blurred_vision", {"signs": ["blurred_vision"]}, T, T),
    ("pcpnc.difficult_breathing", {"signs": ["difficult_breathing"]}, T, T),
    ("pcpnc.altered_mental_status", {"signs": ["confused"]}, T, T),
    (
        "iitt.red_12.severe_hypertension_maternal",
        {"vitals": {"systolic_bp": 170, "diastolic_bp": 112}},
        T,
        T,
    ),
    ("pcpnc.fever_too_weak_to_stand", {"signs": ["fever", "unable_to_stand"]}, T, T),
    ("iitt.red_12.active_labour", {"signs": ["active_labour"]}, T, F),
    ("iitt.red_12.trauma_in_pregnancy", {"signs": ["trauma"]}, T, F),
    ("pcpnc.vaginal_bleeding_late_pregnancy", {"signs": ["vaginal_bleeding"]}, T, F),
    (
        "pcpnc.vaginal_bleeding_early_pregnancy",
        {"signs": ["vaginal_bleeding"], "gestation_weeks": 12},
        T,
        F,
    ),
    ("pcpnc.hypertension", {"vitals": {"systolic_bp": 145, "diastolic_bp": 85}}, T, T),
    ("pcpnc.fever", {"vitals": {"temperature_c": 38.5}}, T, T),
    ("pcpnc.vaginal_bleeding_postpartum", {"signs": ["vaginal_bleeding"]}, F, T),
    ("pcpnc.reduced_fetal_movement", {"signs": ["reduced_fetal_movement"]}, T, F),
    ("pcpnc.waters_breaking", {"signs": ["waters_breaking"]}, T, F),
]


def _level_of(rule_id: str) -> Level:
    return next(Level(rule.level) for rule in rules().rules if rule.id == rule_id)


def _check_consistent(data: dict[str, Any], rule_id: str) -> None:
    result = triage(data)
    expected = max(
        (f.level for f in result.findings), key=lambda lv: lv.rank, default=Level.ROUTINE
    )
    assert result.level is expected
    if rule_id in {f.rule for f in result.findings}:
        assert result.level.rank >= _level_of(rule_id).rank


@pytest.mark.parametrize(
    ("rule_id", "age", "base", "vital", "values", "expected"),
    VITAL_THRESHOLDS,
    ids=[f"{row[0]}-{row[3]}-{row[4][1]}-{row[1]}" for row in VITAL_THRESHOLDS],
)
def test_vital_threshold(  # noqa: PLR0917 - one parameter per table column
    rule_id: str,
    age: int,
    base: dict[str, Any],
    vital: str,
    values: tuple[float, ...],
    expected: tuple[bool, ...],
) -> None:
    for value, fires in zip(values, expected, strict=True):
        data = {"age_months": age, **_with(base, **{vital: value})}
        assert (rule_id in fired(data)) is fires, f"{vital}={value}"
        _check_consistent(data, rule_id)
    if not base:  # not recorded: no comparison holds on a missing value
        assert rule_id not in fired({"age_months": age})
        assert f"vitals.{vital}" in triage({"age_months": age}).not_assessed


@pytest.mark.parametrize(
    ("rule_id", "age", "base", "name", "values", "expected"),
    FIELD_THRESHOLDS,
    ids=[f"{row[0]}-{row[3]}" for row in FIELD_THRESHOLDS],
)
def test_field_threshold(  # noqa: PLR0917 - one parameter per table column
    rule_id: str,
    age: int,
    base: dict[str, Any],
    name: str,
    values: tuple[int, ...],
    expected: tuple[bool, ...],
) -> None:
    for value, fires in zip(values, expected, strict=True):
        data = {"age_months": age, **base, name: value}
        assert (rule_id in fired(data)) is fires, f"{name}={value}"
        _check_consistent(data, rule_id)


def test_vaginal_bleeding_without_gestation_is_late_pregnancy() -> None:
    """Unknown gestation: the emergency reading, and gestation is listed as not assessed."""
    result = triage({"age_months": 300, **P, "signs": ["vaginal_bleeding"]})
    names = {f.rule for f in result.findings}
    assert "pcpnc.vaginal_bleeding_late_pregnancy" in names
    assert "pcpnc.vaginal_bleeding_early_pregnancy" not in names
    assert result.level is Level.EMERGENCY
    assert "gestation_weeks" in result.not_assessed


def test_newborn_age_in_days_is_needed_and_listed_when_missing() -> None:
    assert "age_days" in triage({"age_months": 0}).not_assessed
    assert "iitt.yi.age_under_8_days" not in fired({"age_months": 0})
    assert "age_days" not in triage({"age_months": 1}).not_assessed
    assert "age_days" not in triage({"age_months": 0, "age_days": 20}).not_assessed


@pytest.mark.parametrize(
    ("rule_id", "age", "sign", "days", "expected"),
    DURATION_THRESHOLDS,
    ids=[f"{row[0]}-{row[1]}" for row in DURATION_THRESHOLDS],
)
def test_duration_threshold(
    rule_id: str, age: int, sign: str, days: tuple[float, ...], expected: tuple[bool, ...]
) -> None:
    for value, fires in zip(days, expected, strict=True):
        data = {"age_months": age, "signs": [sign], "duration_days": {sign: value}}
        assert (rule_id in fired(data)) is fires, f"{sign} for {value} days"
        _check_consistent(data, rule_id)
    # No duration recorded: the rule cannot hold, however long the sign may have lasted.
    assert rule_id not in fired({"age_months": age, "signs": [sign]})


@pytest.mark.parametrize(
    ("rule_id", "age", "base", "signs"),
    SIGN_RULES,
    ids=[f"{row[0]}-{'+'.join(row[3])}-{row[1]}" for row in SIGN_RULES],
)
def test_sign_rule_needs_every_sign(
    rule_id: str, age: int, base: dict[str, Any], signs: list[str]
) -> None:
    data = {"age_months": age, **base, "signs": signs}
    assert rule_id in fired(data)
    _check_consistent(data, rule_id)
    for missing in signs:
        rest = [s for s in signs if s != missing]
        assert rule_id not in fired({**data, "signs": rest}), missing


@pytest.mark.parametrize(
    ("rule_id", "age", "base", "firing", "quiet"),
    AVPU_RULES,
    ids=[f"{row[0]}-{row[1]}" for row in AVPU_RULES],
)
def test_avpu_rule(
    rule_id: str,
    age: int,
    base: dict[str, Any],
    firing: tuple[str, ...],
    quiet: tuple[str, ...],
) -> None:
    for word in firing:
        data = {"age_months": age, **_with(base, avpu=word)}
        assert rule_id in fired(data), word
        _check_consistent(data, rule_id)
    for word in quiet:
        assert rule_id not in fired({"age_months": age, **_with(base, avpu=word)}), word


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
    ("rule_id", "partial", "when_pregnant", "when_postpartum"),
    MATERNAL,
    ids=[row[0] for row in MATERNAL],
)
def test_maternal_rules_need_the_status(
    rule_id: str, partial: dict[str, Any], when_pregnant: bool, when_postpartum: bool
) -> None:
    pregnant = {"age_months": 300, **PREGNANT, **partial}
    if "gestation_weeks" not in partial:
        assert (rule_id in fired(pregnant)) is when_pregnant
        assert (rule_id in fired({**pregnant, "age_months": 96})) is when_pregnant
    else:
        assert (rule_id in fired(pregnant)) is when_pregnant
    plain = {k: v for k, v in partial.items() if k != "gestation_weeks"}
    for days in (0, 42):
        after = {"age_months": 300, "sex": "female", "postpartum_days": days, **plain}
        assert (rule_id in fired(after)) is when_postpartum, f"{days} days after birth"
    assert rule_id not in fired({"age_months": 300, "sex": "female", "pregnant": False, **plain})
    assert rule_id not in fired({"age_months": 300, "sex": "female", **plain})


def test_every_rule_is_covered() -> None:
    covered = (
        {row[0] for row in VITAL_THRESHOLDS}
        | {row[0] for row in FIELD_THRESHOLDS}
        | {row[0] for row in DURATION_THRESHOLDS}
        | {row[0] for row in SIGN_RULES}
        | {row[0] for row in AVPU_RULES}
        | {row[0] for row in AGE_EDGES}
        | {row[0] for row in MATERNAL}
    )
    assert {rule.id for rule in rules().rules} - covered == set()
    assert covered - {rule.id for rule in rules().rules} == set()


# Each was ROUTINE under the first rules version; each must now be an emergency.
ROUTINE_BEFORE: list[tuple[str, dict[str, Any]]] = [
    (
        "3-week-old who cannot breastfeed",
        {"age_months": 0, "age_days": 21, "signs": ["unable_to_drink"]},
    ),
    ("lethargic 7-year-old with fever", {"age_months": CHILD, "signs": ["lethargic", "fever"]}),
    ("10-year-old with heavy bleeding", {"age_months": 120, "signs": ["heavy_bleeding"]}),
    (
        "3-year-old with capillary refill over 3 s",
        {"age_months": 36, "signs": ["capillary_refill_over_3s"]},
    ),
    ("snake bite, child", {"age_months": 30, "signs": ["snake_bite"]}),
    ("snake bite, adult", {"age_months": ADULT, "signs": ["snake_bite"]}),
    ("pesticide ingestion, child", {"age_months": CHILD, "signs": ["poisoning"]}),
    ("pesticide ingestion, adult", {"age_months": ADULT, "signs": ["poisoning"]}),
    (
        "adult with headache and stiff neck",
        {"age_months": ADULT, "signs": ["headache", "stiff_neck"]},
    ),
    (
        "3 days after birth, BP 170/112, severe headache",
        {
            "age_months": 300,
            **POSTPARTUM,
            "signs": ["severe_headache"],
            "vitals": {"systolic_bp": 170, "diastolic_bp": 112},
        },
    ),
    (
        "pregnant at 34 weeks with difficult breathing",
        {"age_months": 300, **PREGNANT, "gestation_weeks": 34, "signs": ["difficult_breathing"]},
    ),
]


@pytest.mark.parametrize(("name", "data"), ROUTINE_BEFORE, ids=[r[0] for r in ROUTINE_BEFORE])
def test_cases_that_were_routine_are_now_emergencies(name: str, data: dict[str, Any]) -> None:
    assert triage(data).level is Level.EMERGENCY, name


@pytest.mark.parametrize(
    ("data", "level"),
    [
        # 18 months, RR 52 (>= 40), chest indrawing -> urgent.
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
        (
            {
                "age_months": 30,
                "signs": ["cough"],
                "vitals": {"respiratory_rate": 35, "temperature_c": 37.0},
            },
            Level.ROUTINE,
        ),
        ({"age_months": 30, "signs": ["cough", "vomits_everything"]}, Level.EMERGENCY),
        (
            {
                "age_months": ADULT,
                "signs": ["cough"],
                "vitals": {"heart_rate": 80, "respiratory_rate": 16, "spo2": 98},
            },
            Level.ROUTINE,
        ),
        ({"age_months": ADULT, "vitals": {"heart_rate": 135}}, Level.URGENT),
        ({"age_months": ADULT, "vitals": {"heart_rate": 155}}, Level.EMERGENCY),
        (
            {"age_months": 300, **PREGNANT, "vitals": {"systolic_bp": 150, "diastolic_bp": 95}},
            Level.URGENT,
        ),
        (
            {"age_months": 300, **PREGNANT, "vitals": {"systolic_bp": 165, "diastolic_bp": 95}},
            Level.EMERGENCY,
        ),
        (
            {
                "age_months": 0,
                "age_days": 10,
                "vitals": {"temperature_c": 36.8, "respiratory_rate": 45},
            },
            Level.URGENT,
        ),
        ({"age_months": 0, "age_days": 5}, Level.EMERGENCY),
        ({"age_months": 30, "signs": ["sunken_eyes"]}, Level.ROUTINE),
        ({"age_months": 30, "signs": ["sunken_eyes", "restless_irritable"]}, Level.URGENT),
        (
            {
                "age_months": 30,
                "signs": ["sunken_eyes", "restless_irritable", "skin_pinch_very_slow"],
            },
            Level.EMERGENCY,
        ),
        (
            {"age_months": 300, **PREGNANT, "gestation_weeks": 10, "signs": ["vaginal_bleeding"]},
            Level.URGENT,
        ),
        ({"age_months": 300, **POSTPARTUM, "signs": ["vaginal_bleeding"]}, Level.URGENT),
        ({"age_months": 300, **POSTPARTUM, "signs": ["heavy_bleeding"]}, Level.EMERGENCY),
        ({"age_months": 1, "signs": ["jaundice"]}, Level.URGENT),
        ({"age_months": 0, "age_days": 1, "signs": ["jaundice_first_24h"]}, Level.EMERGENCY),
    ],
)
def test_whole_cases(data: dict[str, Any], level: Level) -> None:
    assert triage(data).level is level


def test_one_finding_per_band_not_two() -> None:
    """A heart rate of 45 is the emergency band only, not also 'below 60'."""
    assert fired({"age_months": ADULT, "vitals": {"heart_rate": 45}}) == {
        "iitt.red_12.heart_rate_very_low"
    }
    both = {"age_months": 300, **PREGNANT, "vitals": {"systolic_bp": 170, "diastolic_bp": 100}}
    assert fired(both) == {"iitt.red_12.severe_hypertension_maternal"}
