"""The case form's data, apart from its widgets: sign groups, vitals, form -> case.

Sign groups come from the rules file (grouped as a health worker examines: airway and
breathing, circulation, disability, young infant, pregnancy and after birth, injuries
and exposures, other), so a new sign in the rules appears on the form without code.

The form keeps what was typed (a draft: text as entered, possibly invalid) and
turns it into the case details the service takes. A vital sign that cannot be a
real reading is reported next to its field and never reaches the triage rules:
triaging on a typing error is worse than asking again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from medassist_desktop.core.triage.case import (
    AVPU_WORDS,
    FIELD_LIMITS,
    GLUCOSE_MG_DL_PER_MMOL_L,
    MAX_AGE_MONTHS,
    VITAL_LIMITS,
)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802, ARG001 - lupdate reads both
    """Marks `text` for the window's translation catalogue under `context`; the widgets
    translate it when they show it (this module stays free of Qt)."""
    return text


# A sign the rules file places in no group lands here, so no sign can go missing.
OTHER_GROUP = "Other"

# (key, label, unit, decimals) in form order.
VITALS: tuple[tuple[str, str, str, int], ...] = (
    (
        "temperature_c",
        QT_TRANSLATE_NOOP("VitalSigns", "Temperature"),
        QT_TRANSLATE_NOOP("Units", "°C"),
        1,
    ),
    (
        "respiratory_rate",
        QT_TRANSLATE_NOOP("VitalSigns", "Respiratory rate"),
        QT_TRANSLATE_NOOP("Units", "breaths/min"),
        0,
    ),
    (
        "heart_rate",
        QT_TRANSLATE_NOOP("VitalSigns", "Heart rate"),
        QT_TRANSLATE_NOOP("Units", "beats/min"),
        0,
    ),
    ("spo2", QT_TRANSLATE_NOOP("VitalSigns", "SpO₂"), QT_TRANSLATE_NOOP("Units", "%"), 0),
    (
        "systolic_bp",
        QT_TRANSLATE_NOOP("VitalSigns", "Systolic BP"),
        QT_TRANSLATE_NOOP("Units", "mmHg"),
        0,
    ),
    (
        "diastolic_bp",
        QT_TRANSLATE_NOOP("VitalSigns", "Diastolic BP"),
        QT_TRANSLATE_NOOP("Units", "mmHg"),
        0,
    ),
    ("weight_kg", QT_TRANSLATE_NOOP("VitalSigns", "Weight"), QT_TRANSLATE_NOOP("Units", "kg"), 1),
    ("muac_mm", QT_TRANSLATE_NOOP("VitalSigns", "MUAC"), QT_TRANSLATE_NOOP("Units", "mm"), 0),
)
DURATIONS: tuple[tuple[str, str], ...] = (
    ("cough", QT_TRANSLATE_NOOP("Durations", "Cough")),
    ("fever", QT_TRANSLATE_NOOP("Durations", "Fever")),
    ("diarrhoea", QT_TRANSLATE_NOOP("Durations", "Diarrhoea")),
)
SEXES = ("female", "male", "other")
GLUCOSE_UNITS = ("mmol/L", "mg/dL")
_AVPU_LABELS = {
    "alert": QT_TRANSLATE_NOOP("AvpuScale", "A: alert"),
    "voice": QT_TRANSLATE_NOOP("AvpuScale", "V: responds to voice"),
    "pain": QT_TRANSLATE_NOOP("AvpuScale", "P: responds to pain"),
    "unresponsive": QT_TRANSLATE_NOOP("AvpuScale", "U: unresponsive"),
}
AVPU_CHOICES: tuple[tuple[str, str], ...] = tuple((w, _AVPU_LABELS[w]) for w in AVPU_WORDS)
# Age in days is asked for babies under this many completed months (0-59 days).
AGE_DAYS_UNDER_MONTHS = 2
POSTPARTUM_MAX_DAYS = FIELD_LIMITS["postpartum_days"][1]
GESTATION_MAX_WEEKS = FIELD_LIMITS["gestation_weeks"][1]


def group_signs(catalogue: Sequence[Mapping[str, Any]]) -> list[tuple[str, list[tuple[str, str]]]]:
    """(group title, [(code, label)]) for every sign of the rules (aliases left out), in the
    rules file's group order; a sign without a group goes to "Other"."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for sign in catalogue:
        if sign.get("same_as"):
            continue
        title = str(sign.get("group_title") or OTHER_GROUP)
        groups.setdefault(title, []).append((str(sign["code"]), str(sign["label"])))
    return list(groups.items())


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


def parse_glucose(text: str, unit: str) -> tuple[float | None, str | None]:
    """Blood glucose in mmol/L from the form's text in mmol/L or mg/dL (converted)."""
    text = text.strip().replace(",", ".")
    if not text:
        return None, None
    try:
        value = float(text)
    except ValueError:
        return None, "not a number"
    if unit == "mg/dL":
        value = round(value / GLUCOSE_MG_DL_PER_MMOL_L, 1)
    low, high, _unit = VITAL_LIMITS["glucose_mmol_l"]
    if not low <= value <= high:
        factor = GLUCOSE_MG_DL_PER_MMOL_L
        if unit == "mg/dL":
            return None, f"must be between {low * factor:g} and {high * factor:g} mg/dL"
        hint = " (this looks like mg/dL: choose mg/dL)" if value > high else ""
        return None, f"must be between {low:g} and {high:g} mmol/L{hint}"
    return value, None


def _read_age_and_maternal(form: Mapping[str, Any], details: dict[str, Any]) -> None:
    """Age in days (babies under 2 months), weeks of pregnancy, days since giving birth.

    Age in days decides the completed months for a young infant (0-29 days is 0 months,
    30-59 days is 1 month), so the two boxes cannot contradict each other.
    """
    days = form.get("age_days")
    if days is not None and int(days) >= 0 and details["age_months"] < AGE_DAYS_UNDER_MONTHS:
        details["age_days"] = int(days)
        details["age_months"] = int(days) // 30
    if form.get("pregnant"):
        details["pregnant"] = True
        weeks = form.get("gestation_weeks")
        if weeks:
            details["gestation_weeks"] = int(weeks)
    elif form.get("postpartum"):
        details["postpartum_days"] = int(form.get("postpartum_days") or 0)


def _read_vitals(form: Mapping[str, Any], problems: dict[str, str]) -> dict[str, Any]:
    """Vitals as typed, glucose converted to mmol/L, AVPU; problems noted per field."""
    vitals: dict[str, Any] = {}
    for key, text in dict(form.get("vitals") or {}).items():
        value, problem = parse_vital(key, str(text))
        if problem is not None:
            problems[f"vitals.{key}"] = problem
        elif value is not None:
            vitals[key] = value
    glucose, problem = parse_glucose(
        str(form.get("glucose") or ""), str(form.get("glucose_unit") or GLUCOSE_UNITS[0])
    )
    if problem is not None:
        problems["vitals.glucose_mmol_l"] = problem
    elif glucose is not None:
        vitals["glucose_mmol_l"] = glucose
    if form.get("avpu") in AVPU_WORDS:
        vitals["avpu"] = form["avpu"]
    return vitals


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
    _read_age_and_maternal(form, details)
    vitals = _read_vitals(form, problems)
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
    vitals = dict(details.get("vitals") or {})
    glucose = vitals.pop("glucose_mmol_l", None)
    avpu = vitals.pop("avpu", None)
    return {
        "age_days": details.get("age_days"),
        "gestation_weeks": details.get("gestation_weeks"),
        "postpartum": details.get("postpartum_days") is not None,
        "postpartum_days": details.get("postpartum_days") or 0,
        "glucose": "" if glucose is None else f"{glucose:g}",
        "glucose_unit": GLUCOSE_UNITS[0],
        "avpu": avpu or "",
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
