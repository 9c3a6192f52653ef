"""The patient case the triage engine reads, validated before any rule sees it.

Only `age_months` is required: a health worker rarely has every vital sign. What
is given must be possible (a respiratory rate of 400 or an SpO2 of 140 is a typing
error, not a patient), and a value that is not possible stops the evaluation with
a message naming the field: triaging on a wrong number is worse than asking again.
Unknown keys are refused for the same reason (a misspelt "sings" must not make the
signs disappear); unknown sign codes are kept and reported by the engine. Fields that
contradict each other (45 days old but 0 completed months, pregnant and 3 days after
giving birth, weeks of gestation without a pregnancy) are refused the same way: the
rules for a newborn and for a mother differ, and guessing which was meant is unsafe.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from medassist_desktop.errors import KnownError

# Possible values of each vital sign: (lowest, highest, unit). Outside: a typing error.
VITAL_LIMITS: dict[str, tuple[float, float, str]] = {
    "temperature_c": (25.0, 45.0, "°C"),
    "respiratory_rate": (1, 150, "breaths per minute"),
    "heart_rate": (20, 300, "beats per minute"),
    "spo2": (30, 100, "%"),
    "systolic_bp": (40, 300, "mmHg"),
    "diastolic_bp": (20, 200, "mmHg"),
    "weight_kg": (0.3, 350, "kg"),
    "muac_mm": (50, 500, "mm"),
    "glucose_mmol_l": (0.5, 40.0, "mmol/L"),
}
AVPU_WORDS = ("alert", "voice", "pain", "unresponsive")
# Case fields (not vitals) with limits: (lowest, highest, unit).
FIELD_LIMITS: dict[str, tuple[int, int, str]] = {
    "age_days": (0, 59, "days"),
    "gestation_weeks": (1, 45, "weeks"),
    "postpartum_days": (0, 42, "days since giving birth"),
}
# 1 mmol/L of glucose is 18 mg/dL (molar mass 180 g/mol); the form takes either unit.
GLUCOSE_MG_DL_PER_MMOL_L = 18.0
MAX_AGE_MONTHS = 130 * 12
MAX_DURATION_DAYS = 3650
# Below this age a recorded pregnancy is taken for a data-entry error.
MIN_PREGNANCY_AGE_MONTHS = 96


class TriageInputError(KnownError):
    """A case that cannot be triaged as given; `field` names the culprit (dotted path)."""

    def __init__(self, message: str, *, field: str, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.field = field


def _limited(name: str) -> Any:
    low, high, _unit = VITAL_LIMITS[name]
    return Field(None, ge=low, le=high)


class Vitals(BaseModel):
    """Measured vital signs; any may be missing (None)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)

    temperature_c: float | None = _limited("temperature_c")
    respiratory_rate: float | None = _limited("respiratory_rate")
    heart_rate: float | None = _limited("heart_rate")
    spo2: float | None = _limited("spo2")
    systolic_bp: float | None = _limited("systolic_bp")
    diastolic_bp: float | None = _limited("diastolic_bp")
    weight_kg: float | None = _limited("weight_kg")
    muac_mm: float | None = _limited("muac_mm")
    glucose_mmol_l: float | None = _limited("glucose_mmol_l")
    avpu: Literal["alert", "voice", "pain", "unresponsive"] | None = None


DurationDays = Annotated[float, Field(ge=0, le=MAX_DURATION_DAYS)]


class TriageCase(BaseModel):
    """One patient as the triage CLI and the consult pipeline receive it (JSON)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)

    age_months: int = Field(ge=0, le=MAX_AGE_MONTHS)
    sex: Literal["female", "male", "other"] | None = None
    pregnant: bool | None = None
    age_days: int | None = Field(None, ge=0, le=FIELD_LIMITS["age_days"][1])
    gestation_weeks: int | None = Field(
        None, ge=FIELD_LIMITS["gestation_weeks"][0], le=FIELD_LIMITS["gestation_weeks"][1]
    )
    postpartum_days: int | None = Field(None, ge=0, le=FIELD_LIMITS["postpartum_days"][1])
    vitals: Vitals | None = None
    signs: list[str] | None = None
    duration_days: dict[str, DurationDays | None] | None = None
    complaint: str | None = Field(None, max_length=10_000)


CaseT = TypeVar("CaseT", bound=TriageCase)


def parse_case(data: Any) -> TriageCase:
    """Validate one case (a JSON object already decoded), or raise `TriageInputError`."""
    return validate_as(TriageCase, data)


def validate_as(model: type[CaseT], data: Any) -> CaseT:
    """Validate `data` as `model` (`TriageCase`, or a subclass that adds fields, such as a
    stored patient case): the same checks and the same field-naming messages."""
    if not isinstance(data, dict):
        raise TriageInputError(
            f"A case must be a JSON object ({{...}}), not {_json_type(data)}.", field="case"
        )
    try:
        case = model.model_validate(data)
    except ValidationError as exc:
        raise _explain(exc) from None
    _check_consistency(case)
    return case


def _check_consistency(case: TriageCase) -> None:
    vitals = case.vitals
    if (
        vitals is not None
        and vitals.systolic_bp is not None
        and vitals.diastolic_bp is not None
        and vitals.diastolic_bp >= vitals.systolic_bp
    ):
        raise TriageInputError(
            f"vitals.diastolic_bp={_number(vitals.diastolic_bp)} is not possible with "
            f"vitals.systolic_bp={_number(vitals.systolic_bp)}: the diastolic pressure must be "
            "lower than the systolic.",
            field="vitals.diastolic_bp",
        )
    _check_ages_and_maternal(case)
    if case.pregnant:
        if case.sex == "male":
            raise TriageInputError(
                "pregnant=true is not possible with sex='male'.",
                field="pregnant",
                hint="Correct the sex or the pregnancy status.",
            )
        if case.age_months < MIN_PREGNANCY_AGE_MONTHS:
            raise TriageInputError(
                f"pregnant=true is not possible at age_months={case.age_months}.",
                field="pregnant",
                hint="Check the age (in completed months) and the pregnancy status.",
            )


def _check_ages_and_maternal(case: TriageCase) -> None:
    """Fields that contradict each other: refused, naming the field to correct."""
    if case.age_days is not None and case.age_months != case.age_days // 30:
        expected = case.age_days // 30
        raise TriageInputError(
            f"age_days={case.age_days} is not possible with age_months={case.age_months}: "
            f"a baby of {case.age_days} days is {expected} completed month(s) old "
            "(0 for 0-29 days, 1 for 30-59 days).",
            field="age_days",
            hint="Correct the age in days or the age in months.",
        )
    if case.gestation_weeks is not None and not case.pregnant:
        raise TriageInputError(
            f"gestation_weeks={case.gestation_weeks} is only possible with pregnant=true.",
            field="gestation_weeks",
            hint="Tick pregnant, or remove the weeks of gestation.",
        )
    if case.postpartum_days is None:
        return
    if case.pregnant:
        raise TriageInputError(
            "postpartum_days is not possible together with pregnant=true: record either the "
            "pregnancy or the days since giving birth.",
            field="postpartum_days",
        )
    if case.sex == "male":
        raise TriageInputError(
            "postpartum_days is not possible with sex='male'.",
            field="postpartum_days",
            hint="Correct the sex or remove the days since giving birth.",
        )
    if case.age_months < MIN_PREGNANCY_AGE_MONTHS:
        raise TriageInputError(
            f"postpartum_days is not possible at age_months={case.age_months}.",
            field="postpartum_days",
            hint="Check the age (in completed months) and the days since giving birth.",
        )


def _explain(exc: ValidationError) -> TriageInputError:
    """The first problem, as one sentence that names the field, the value and what is allowed."""
    error = exc.errors()[0]
    location = ".".join(str(part) for part in error["loc"])
    kind = error["type"]
    value = error.get("input")
    leaf = str(error["loc"][-1]) if error["loc"] else ""
    count = exc.error_count()
    more = f" ({count - 1} more problem(s) in this case)" if count > 1 else ""

    if kind == "missing":
        message = f"{location} is required" + (
            " (the age in completed months, e.g. 18)" if location == "age_months" else ""
        )
    elif kind == "extra_forbidden":
        message = f"{location} is not a known field"
    elif leaf in VITAL_LIMITS and error["loc"][0] == "vitals" and _is_number(value):
        low, high, unit = VITAL_LIMITS[leaf]
        message = (
            f"{location}={_number(value)} is not possible: it must be between "
            f"{_number(low)} and {_number(high)} {unit}"
        )
        if leaf == "temperature_c" and 90 <= value <= 113:
            message += " (this looks like °F; enter °C)"
        if leaf == "glucose_mmol_l" and value > high:
            message += (
                f" (this looks like mg/dL: divide by {GLUCOSE_MG_DL_PER_MMOL_L:g} for mmol/L)"
            )
    elif location == "vitals.avpu":
        message = f"vitals.avpu={value!r} is not allowed: it must be one of " + ", ".join(
            AVPU_WORDS
        )
    elif location in FIELD_LIMITS and _is_number(value):
        low, high, unit = FIELD_LIMITS[location]
        message = (
            f"{location}={_number(value)} is not possible: it must be a whole number from "
            f"{low} to {high} {unit}"
        )
    elif location == "age_months" and _is_number(value):
        message = (
            f"age_months={value!r} is not possible: it must be a whole number of completed "
            f"months from 0 to {MAX_AGE_MONTHS}"
        )
    elif error["loc"] and error["loc"][0] == "duration_days" and _is_number(value):
        message = (
            f"{location}={_number(value)} is not possible: a duration must be between 0 and "
            f"{MAX_DURATION_DAYS} days"
        )
    else:
        message = f"{location}={value!r} is not allowed: {error['msg']}"
    return TriageInputError(message + more + ".", field=location or "case")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _number(value: float) -> str:
    return f"{value:g}"


def _json_type(value: Any) -> str:
    names = {list: "an array", str: "a string", bool: "true/false", type(None): "null"}
    return names.get(type(value), "a number")


__all__ = [
    "AVPU_WORDS",
    "FIELD_LIMITS",
    "GLUCOSE_MG_DL_PER_MMOL_L",
    "MAX_AGE_MONTHS",
    "MAX_DURATION_DAYS",
    "MIN_PREGNANCY_AGE_MONTHS",
    "VITAL_LIMITS",
    "TriageCase",
    "TriageInputError",
    "Vitals",
    "parse_case",
    "validate_as",
]
