"""The case form's data, apart from its widgets: sign groups, vitals, form -> case.

The form keeps what was typed (a draft: text as entered, possibly invalid) and
turns it into the case details the service takes. A vital sign that cannot be a
real reading is reported next to its field and never reaches the triage rules:
triaging on a typing error is worse than asking again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from medassist_desktop.core.triage.case import MAX_AGE_MONTHS, VITAL_LIMITS

# Sign codes of the rules file, grouped by body system for the form. A code the rules
# file has and this table lacks lands in "Other signs", so no sign can go missing.
SIGN_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "General danger signs",
        (
            "unable_to_drink",
            "vomits_everything",
            "convulsions",
            "lethargic",
            "unconscious",
            "not_fully_alert",
            "moves_only_when_stimulated",
            "not_feeding_well",
        ),
    ),
    (
        "Breathing",
        (
            "cough",
            "difficult_breathing",
            "chest_indrawing",
            "stridor",
            "central_cyanosis",
            "respiratory_distress",
            "obstructed_breathing",
        ),
    ),
    ("Fever", ("fever", "stiff_neck")),
    (
        "Gut and hydration",
        (
            "diarrhoea",
            "blood_in_stool",
            "sunken_eyes",
            "skin_pinch_very_slow",
            "skin_pinch_slow",
            "restless_irritable",
            "drinks_eagerly",
            "drinks_poorly",
        ),
    ),
    ("Circulation", ("cold_hands", "capillary_refill_over_3s", "weak_fast_pulse")),
    ("Nutrition", ("oedema_both_feet",)),
    (
        "Pregnancy",
        (
            "vaginal_bleeding",
            "heavy_bleeding",
            "severe_headache",
            "blurred_vision",
            "severe_abdominal_pain",
            "reduced_fetal_movement",
            "waters_breaking",
        ),
    ),
)
OTHER_GROUP = "Other signs"

# (key, label, unit, decimals) in form order.
VITALS: tuple[tuple[str, str, str, int], ...] = (
    ("temperature_c", "Temperature", "°C", 1),
    ("respiratory_rate", "Respiratory rate", "breaths/min", 0),
    ("heart_rate", "Heart rate", "beats/min", 0),
    ("spo2", "SpO₂", "%", 0),
    ("systolic_bp", "Systolic BP", "mmHg", 0),
    ("diastolic_bp", "Diastolic BP", "mmHg", 0),
    ("weight_kg", "Weight", "kg", 1),
    ("muac_mm", "MUAC", "mm", 0),
)
DURATIONS: tuple[tuple[str, str], ...] = (
    ("cough", "Cough"),
    ("fever", "Fever"),
    ("diarrhoea", "Diarrhoea"),
)
SEXES = ("female", "male", "other")


def group_signs(signs: Mapping[str, str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """(group title, [(code, label)]) for every sign of the rules file, none left out."""
    placed: set[str] = set()
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    for title, codes in SIGN_GROUPS:
        members = [(code, signs[code]) for code in codes if code in signs]
        placed.update(code for code, _label in members)
        if members:
            groups.append((title, members))
    rest = [(code, label) for code, label in signs.items() if code not in placed]
    if rest:
        groups.append((OTHER_GROUP, rest))
    return groups


def parse_vital(key: str, text: str) -> tuple[float | None, str | None]:
    """(value, None) for an empty or possible reading; (None, problem) otherwise."""
    text = text.strip().replace(",", ".")
    if not text:
        return None, None
    try:
        value = float(text)
    except ValueError:
        return None, "not a number"
    low, high, unit = VITAL_LIMITS[key]
    if not low <= value <= high:
        hint = " (this looks like °F)" if key == "temperature_c" and 90 <= value <= 113 else ""
        return None, f"must be between {low:g} and {high:g} {unit}{hint}"
    return value, None


@dataclass
class FormReading:
    """The form read as case details; `problems` maps a field to what is wrong with it."""

    details: dict[str, Any]
    problems: dict[str, str] = field(default_factory=dict)

    @property
    def triage_input(self) -> dict[str, Any]:
        return {k: v for k, v in self.details.items() if k not in ("name", "patient_id", "notes")}


def nothing_to_triage(details: Mapping[str, Any]) -> bool:
    """No vital sign, sign or duration entered yet: a level would only be a guess.

    (The rules still run for saving: such a case is routine; the banner just does not
    show a green ROUTINE over an empty form.)
    """
    return not (details.get("vitals") or details.get("signs") or details.get("duration_days"))


def read_form(form: Mapping[str, Any]) -> FormReading:
    """Case details from the form as typed (the draft's shape, see `CaseForm.form_data`)."""
    details: dict[str, Any] = {
        "name": str(form.get("name", "")).strip(),
        "age_months": int(form.get("age_years", 0)) * 12 + int(form.get("age_months", 0)),
    }
    problems: dict[str, str] = {}
    if details["age_months"] > MAX_AGE_MONTHS:  # refused visibly, never silently capped
        problems["age_years"] = f"is not a possible age (0 to {MAX_AGE_MONTHS // 12} years)"
    if form.get("patient_id"):
        details["patient_id"] = str(form["patient_id"]).strip()
    if form.get("sex") in SEXES:
        details["sex"] = form["sex"]
    if form.get("pregnant"):
        details["pregnant"] = True
    vitals: dict[str, float] = {}
    for key, text in dict(form.get("vitals") or {}).items():
        value, problem = parse_vital(key, str(text))
        if problem is not None:
            problems[f"vitals.{key}"] = problem
        elif value is not None:
            vitals[key] = value
    if vitals:
        details["vitals"] = vitals
    signs = [str(code) for code in form.get("signs") or []]
    if signs:
        details["signs"] = signs
    durations = {
        str(k): float(v) for k, v in dict(form.get("durations") or {}).items() if v and v > 0
    }
    if durations:
        details["duration_days"] = durations
    for key in ("complaint", "notes"):
        text = str(form.get(key) or "").strip()
        if text:
            details[key] = text
    return FormReading(details, problems)


def form_from_details(details: Mapping[str, Any]) -> dict[str, Any]:
    """The form's data for saved case details (to fill the form when a case is opened)."""
    years, months = divmod(int(details.get("age_months") or 0), 12)
    vitals = details.get("vitals") or {}
    return {
        "name": details.get("name") or "",
        "patient_id": details.get("patient_id") or "",
        "age_years": years,
        "age_months": months,
        "sex": details.get("sex") or "",
        "pregnant": bool(details.get("pregnant")),
        "vitals": {k: f"{v:g}" for k, v in vitals.items() if v is not None},
        "signs": list(details.get("signs") or []),
        "durations": {k: int(v) for k, v in (details.get("duration_days") or {}).items() if v},
        "complaint": details.get("complaint") or "",
        "notes": details.get("notes") or "",
    }
