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
from medassist_desktop.i18n.catalogue import FALLBACK_LANGUAGE, gettext_noop, translate

# A routine result means no rule held on what was recorded, nothing more.
ROUTINE_TEXT = gettext_noop("No danger sign among the signs and vitals recorded")
NOT_RECORDED_TEXT = gettext_noop("not recorded: {names}")
# The level as shown to a person; the JSON keeps the codes (emergency, urgent, routine).
LEVEL_LABELS: dict[str, str] = {
    "emergency": gettext_noop("EMERGENCY"),
    "urgent": gettext_noop("URGENT"),
    "routine": gettext_noop("ROUTINE"),
}
OTHER_GROUP_TITLE = gettext_noop("Other")

# Short names of inputs, as a health worker says them ("not recorded: respiratory rate").
INPUT_LABELS: dict[str, str] = {
    "age_days": gettext_noop("age in days"),
    "gestation_weeks": gettext_noop("weeks of pregnancy"),
    "postpartum_days": gettext_noop("days since giving birth"),
    "vitals.temperature_c": gettext_noop("temperature"),
    "vitals.respiratory_rate": gettext_noop("respiratory rate"),
    "vitals.heart_rate": gettext_noop("heart rate"),
    "vitals.spo2": gettext_noop("SpO2"),
    "vitals.systolic_bp": gettext_noop("systolic blood pressure"),
    "vitals.diastolic_bp": gettext_noop("diastolic blood pressure"),
    "vitals.weight_kg": gettext_noop("weight"),
    "vitals.muac_mm": gettext_noop("MUAC"),
    "vitals.glucose_mmol_l": gettext_noop("blood glucose"),
    "vitals.avpu": gettext_noop("AVPU"),
}
_FIELD_NOTES = {
    "age_days": "for infants under 2 months; age_months must be 0 for 0-29 days, 1 for 30-59",
    "gestation_weeks": "only with pregnant=true",
    "postpartum_days": "female, not with pregnant=true",
    "vitals.glucose_mmol_l": "mmol/L; divide mg/dL by 18",
}


def not_assessed_text(names: Iterable[str], language: str = FALLBACK_LANGUAGE) -> str:
    """'not recorded: respiratory rate, SpO2' (empty when everything was recorded)."""
    labels = [translate(INPUT_LABELS.get(name, name), language) for name in names]
    if not labels:
        return ""
    return translate(NOT_RECORDED_TEXT, language).format(names=", ".join(labels))


def level_label(level: str, language: str = FALLBACK_LANGUAGE) -> str:
    """'EMERGENCY' (or its translation) for the level code 'emergency'."""
    return translate(LEVEL_LABELS.get(level, level.upper()), language)


def localised_result(result: dict[str, Any], language: str) -> dict[str, Any]:
    """A triage result (`TriageResult.as_dict()`) with its words in `language`.

    Keys and codes stay as they are (scripts read them); the finding labels are
    translated, and `language` and `level_label` are added. The rules decide the same
    findings in every language: only the words change.
    """
    localised = dict(result)
    localised["findings"] = [
        {**finding, "label": translate(str(finding.get("label", "")), language)}
        for finding in result.get("findings", [])
    ]
    localised["level_label"] = level_label(str(result.get("level", "")), language)
    localised["language"] = language
    return localised


def sign_codes(rule_set: RuleSet, language: str = FALLBACK_LANGUAGE) -> list[dict[str, Any]]:
    """Every sign code with its label and form group; aliases name the code they stand for.

    Labels and group titles are in `language`; codes and group ids never change.
    """
    group_of = {
        code: (group.id, translate(group.title, language))
        for group in rule_set.sign_groups
        for code in group.signs
    }
    other = ("other", translate(OTHER_GROUP_TITLE, language))
    codes: list[dict[str, Any]] = []
    for code, label in rule_set.signs.items():
        group_id, title = group_of.get(code, other)
        codes.append(
            {
                "code": code,
                "label": translate(label, language),
                "group": group_id,
                "group_title": title,
            }
        )
    for alias, target in rule_set.aliases.items():
        group_id, title = group_of.get(target, other)
        codes.append(
            {
                "code": alias,
                "label": translate(rule_set.signs[target], language),
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


def catalogue(rule_set: RuleSet, language: str = FALLBACK_LANGUAGE) -> dict[str, Any]:
    """The whole vocabulary of a rules version (the JSON of `medassist triage --codes`)."""
    return {
        "rules_version": rule_set.version,
        "signs": sign_codes(rule_set, language),
        "fields": input_fields(),
    }


__all__ = [
    "INPUT_LABELS",
    "LEVEL_LABELS",
    "NOT_RECORDED_TEXT",
    "ROUTINE_TEXT",
    "catalogue",
    "input_fields",
    "level_label",
    "localised_result",
    "not_assessed_text",
    "sign_codes",
]
