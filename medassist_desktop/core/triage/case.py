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

from medassist_desktop.errors import KnownError, MessageText
from medassist_desktop.i18n.catalogue import N_, Message, gettext_noop

# Possible values of each vital sign: (lowest, highest, unit). Outside: a typing error.
VITAL_LIMITS: dict[str, tuple[float, float, str]] = {
    "temperature_c": (25.0, 45.0, "°C"),
    "respiratory_rate": (1, 150, gettext_noop("breaths per minute")),
    "heart_rate": (20, 300, gettext_noop("beats per minute")),
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
    "age_days": (0, 59, gettext_noop("days")),
    "gestation_weeks": (1, 45, gettext_noop("weeks")),
    "postpartum_days": (0, 42, gettext_noop("days since giving birth")),
}
# 1 mmol/L of glucose is 18 mg/dL (molar mass 180 g/mol); the form takes either unit.
GLUCOSE_MG_DL_PER_MMOL_L = 18.0
MAX_AGE_MONTHS = 130 * 12
MAX_DURATION_DAYS = 3650
# Below this age a recorded pregnancy is taken for a data-entry error.
MIN_PREGNANCY_AGE_MONTHS = 96


class TriageInputError(KnownError):
    """A case that cannot be triaged as given; `field` names the culprit (dotted path)."""

    def __init__(
        self, message: MessageText, *, field: str, hint: MessageText | None = None
    ) -> None:
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
            N_("A case must be a JSON object ({{...}}), not {data}.", data=_json_type(data)),
            field="case",
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
            N_(
                "vitals.diastolic_bp={diastolic_bp} is not possible with "
                "vitals.systolic_bp={systolic_bp}: the diastolic pressure must be "
                "lower than the systolic.",
                diastolic_bp=_number(vitals.diastolic_bp),
                systolic_bp=_number(vitals.systolic_bp),
            ),
            field="vitals.diastolic_bp",
        )
    _check_ages_and_maternal(case)
    if case.pregnant:
        if case.sex == "male":
            raise TriageInputError(
                N_("pregnant=true is not possible with sex='male'."),
                field="pregnant",
                hint=N_("Correct the sex or the pregnancy status."),
            )
        if case.age_months < MIN_PREGNANCY_AGE_MONTHS:
            raise TriageInputError(
                N_(
                    "pregnant=true is not possible at age_months={age_months}.",
                    age_months=case.age_months,
                ),
                field="pregnant",
                hint=N_("Check the age (in completed months) and the pregnancy status."),
            )


def _check_ages_and_maternal(case: TriageCase) -> None:
    """Fields that contradict each other: refused, naming the field to correct."""
    if case.age_days is not None and case.age_months != case.age_days // 30:
        expected = case.age_days // 30
        raise TriageInputError(
            N_(
                "age_days={age_days} is not possible with age_months={age_months}: a "
                "baby of {age_days} days is {expected} completed month(s) old (0 for "
                "0-29 days, 1 for 30-59 days).",
                age_days=case.age_days,
                age_months=case.age_months,
                expected=expected,
            ),
            field="age_days",
            hint=N_("Correct the age in days or the age in months."),
        )
    if case.gestation_weeks is not None and not case.pregnant:
        raise TriageInputError(
            N_(
                "gestation_weeks={gestation_weeks} is only possible with pregnant=true.",
                gestation_weeks=case.gestation_weeks,
            ),
            field="gestation_weeks",
            hint=N_("Tick pregnant, or remove the weeks of gestation."),
        )
    if case.postpartum_days is None:
        return
    if case.pregnant:
        raise TriageInputError(
            N_(
                "postpartum_days is not possible together with pregnant=true: record "
                "either the pregnancy or the days since giving birth."
            ),
            field="postpartum_days",
        )
    if case.sex == "male":
        raise TriageInputError(
            N_("postpartum_days is not possible with sex='male'."),
            field="postpartum_days",
            hint=N_("Correct the sex or remove the days since giving birth."),
        )
    if case.age_months < MIN_PREGNANCY_AGE_MONTHS:
        raise TriageInputError(
            N_(
                "postpartum_days is not possible at age_months={age_months}.",
                age_months=case.age_months,
            ),
            field="postpartum_days",
            hint=N_("Check the age (in completed months) and the days since giving birth."),
        )


def _vital_message(location: str, leaf: str, value: float) -> Message:
    """A vital sign out of its possible range, with a hint when the unit looks wrong."""
    low, high, unit = VITAL_LIMITS[leaf]
    limits: dict[str, Any] = {"location": location, "value": _number(value), "low": _number(low)}
    # The unit is a catalogue text too ("breaths per minute"), rendered with the message.
    limits |= {"high": _number(high), "unit": Message(unit)}
    if leaf == "temperature_c" and 90 <= value <= 113:
        message = N_(
            "{location}={value} is not possible: it must be between {low} and {high} "
            "{unit} (this looks like °F; enter °C)",
            **limits,
        )
    elif leaf == "glucose_mmol_l" and value > high:
        message = N_(
            "{location}={value} is not possible: it must be between {low} and {high} "
            "{unit} (this looks like mg/dL: divide by {factor:g} for mmol/L)",
            factor=GLUCOSE_MG_DL_PER_MMOL_L,
            **limits,
        )
    else:
        message = N_(
            "{location}={value} is not possible: it must be between {low} and {high} {unit}",
            **limits,
        )
    return message


def _explain(exc: ValidationError) -> TriageInputError:
    """The first problem, as one sentence that names the field, the value and what is allowed."""
    error = exc.errors()[0]
    location = ".".join(str(part) for part in error["loc"])
    kind = error["type"]
    value = error.get("input")
    leaf = str(error["loc"][-1]) if error["loc"] else ""
    count = exc.error_count()
    message: Message
    if kind == "missing":
        if location == "age_months":
            message = N_(
                "{location} is required (the age in completed months, e.g. 18)",
                location=location,
            )
        else:
            message = N_("{location} is required", location=location)
    elif kind == "extra_forbidden":
        message = N_("{location} is not a known field", location=location)
    elif leaf in VITAL_LIMITS and error["loc"][0] == "vitals" and _is_number(value):
        message = _vital_message(location, leaf, value)
    elif location == "vitals.avpu":
        message = N_(
            "vitals.avpu={value!r} is not allowed: it must be one of {words}",
            value=value,
            words=", ".join(AVPU_WORDS),
        )
    elif location in FIELD_LIMITS and _is_number(value):
        low, high, unit = FIELD_LIMITS[location]
        message = N_(
            "{location}={value} is not possible: it must be a whole number from "
            "{low} to {high} {unit}",
            location=location,
            value=_number(value),
            low=low,
            high=high,
            unit=Message(unit),
        )
    elif location == "age_months" and _is_number(value):
        message = N_(
            "age_months={value!r} is not possible: it must be a whole number of completed "
            "months from 0 to {highest}",
            value=value,
            highest=MAX_AGE_MONTHS,
        )
    elif error["loc"] and error["loc"][0] == "duration_days" and _is_number(value):
        message = N_(
            "{location}={value} is not possible: a duration must be between 0 and {highest} days",
            location=location,
            value=_number(value),
            highest=MAX_DURATION_DAYS,
        )
    else:
        message = N_(
            "{location}={value!r} is not allowed: {reason}",
            location=location,
            value=value,
            reason=error["msg"],
        )
    if count > 1:
        message = N_(
            "{problem} ({count} more problem(s) in this case).", problem=message, count=count - 1
        )
    else:
        message = N_("{problem}.", problem=message)
    return TriageInputError(message, field=location or "case")


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
