"""What a triage case may contain, in words: sign codes with labels and groups, input
fields with units and limits, and the sentences that describe a result.

`medassist triage --codes` prints this so that other tools can build forms; the case
form, the CLI and the answer header take their wording from here, so a routine result
reads the same everywhere and never claims more than the rules checked.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from medassist_desktop.core.triage.case import (
    AVPU_WORDS,
    FIELD_LIMITS,
    MAX_AGE_MONTHS,
    MAX_DURATION_DAYS,
    VITAL_LIMITS,
)
from medassist_desktop.core.triage.rules import RuleSet

# A routine result means no rule held on what was recorded, nothing more.
ROUTINE_TEXT = "No danger sign among the signs and vitals recorded"
NOT_RECORDED_TEXT = "not recorded: {names}"

# Short names of inputs, as a health worker says them ("not recorded: respiratory rate").
INPUT_LABELS: dict[str, str] = {
    "age_days": "age in days",
    "gestation_weeks": "weeks of pregnancy",
    "postpartum_days": "days since giving birth",
    "vitals.temperature_c": "temperature",
    "vitals.respiratory_rate": "respiratory rate",
    "vitals.heart_rate": "heart rate",
    "vitals.spo2": "SpO2",
    "vitals.systolic_bp": "systolic blood pressure",
    "vitals.diastolic_bp": "diastolic blood pressure",
    "vitals.weight_kg": "weight",
    "vitals.muac_mm": "MUAC",
    "vitals.glucose_mmol_l": "blood glucose",
    "vitals.avpu": "AVPU",
}
_FIELD_NOTES = {
    "age_days": "for infants under 2 months; age_months must be 0 for 0-29 days, 1 for 30-59",
    "gestation_weeks": "only with pregnant=true",
    "postpartum_days": "female, not with pregnant=true",
    "vitals.glucose_mmol_l": "mmol/L; divide mg/dL by 18",
}


def not_assessed_text(names: Iterable[str]) -> str:
    """'not recorded: respiratory rate, SpO2' (empty when everything was recorded)."""
    labels = [INPUT_LABELS.get(name, name) for name in names]
    return NOT_RECORDED_TEXT.format(names=", ".join(labels)) if labels else ""


def sign_codes(rule_set: RuleSet) -> list[dict[str, Any]]:
    """Every sign code with its label and form group; aliases name the code they stand for."""
    group_of = {
        code: (group.id, group.title) for group in rule_set.sign_groups for code in group.signs
    }
    codes: list[dict[str, Any]] = []
    for code, label in rule_set.signs.items():
        group_id, title = group_of.get(code, ("other", "Other"))
        codes.append({"code": code, "label": label, "group": group_id, "group_title": title})
    for alias, target in rule_set.aliases.items():
        group_id, title = group_of.get(target, ("other", "Other"))
        codes.append(
            {
                "code": alias,
                "label": rule_set.signs[target],
                "group": group_id,
                "group_title": title,
                "same_as": target,
            }
        )
    return codes


def input_fields() -> list[dict[str, Any]]:
    """Every field of a case with its type, unit and limits (inclusive)."""
    fields: list[dict[str, Any]] = [
        {
            "name": "age_months",
            "type": "integer",
            "unit": "completed months",
            "min": 0,
            "max": MAX_AGE_MONTHS,
            "required": True,
        },
        {"name": "sex", "type": "choice", "values": ["female", "male", "other"]},
        {"name": "pregnant", "type": "boolean"},
    ]
    for name, (first, last, unit) in FIELD_LIMITS.items():
        fields.append({"name": name, "type": "integer", "unit": unit, "min": first, "max": last})
    for name, (low, high, vital_unit) in VITAL_LIMITS.items():
        fields.append(
            {
                "name": f"vitals.{name}",
                "type": "number",
                "unit": vital_unit,
                "min": low,
                "max": high,
            }
        )
    fields.append({"name": "vitals.avpu", "type": "choice", "values": list(AVPU_WORDS)})
    fields.append({"name": "signs", "type": "list of sign codes"})
    fields.append(
        {
            "name": "duration_days.<sign code>",
            "type": "number",
            "unit": "days",
            "min": 0,
            "max": MAX_DURATION_DAYS,
        }
    )
    fields.append({"name": "complaint", "type": "text", "max_length": 10_000})
    for field in fields:
        if field["name"] in INPUT_LABELS:
            field["label"] = INPUT_LABELS[field["name"]]
        if field["name"] in _FIELD_NOTES:
            field["note"] = _FIELD_NOTES[field["name"]]
    return fields


def catalogue(rule_set: RuleSet) -> dict[str, Any]:
    """The whole vocabulary of a rules version (the JSON of `medassist triage --codes`)."""
    return {
        "rules_version": rule_set.version,
        "signs": sign_codes(rule_set),
        "fields": input_fields(),
    }


__all__ = [
    "INPUT_LABELS",
    "NOT_RECORDED_TEXT",
    "ROUTINE_TEXT",
    "catalogue",
    "input_fields",
    "not_assessed_text",
    "sign_codes",
]
