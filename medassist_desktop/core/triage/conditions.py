"""The small condition language the triage rules are written in.

A condition is one JSON object with exactly one of these shapes:

    {"sign": "stridor"}                                    the sign is present
    {"vital": "spo2", "op": "<", "value": 90}              a recorded vital compared
    {"field": "age_days", "op": "<", "value": 8}           a recorded case field compared
    {"duration": "cough", "op": ">=", "value": 14}         a recorded duration (days) compared
    {"avpu": ["pain", "unresponsive"]}                     the AVPU score is one of these
    {"unrecorded": "gestation_weeks"}                      a field or vital was not recorded
    {"always": true}                                       holds for everyone in the population
    {"any": [c, ...]}   {"all": [c, ...]}                  or / and
    {"at_least": 2, "of": [c, ...]}                        two or more of
    {"not": c}                                             negation (used only to cut bands)
    {"ref": "general_danger_sign"}                         a named condition from "definitions"

Comparisons use "<", "<=", ">", ">="; a value that is not recorded satisfies none.
"unrecorded" exists for the few rules where the guideline's safe reading of a missing
value is the dangerous one (vaginal bleeding with no known gestation).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

VitalName = Literal[
    "temperature_c",
    "respiratory_rate",
    "heart_rate",
    "spo2",
    "systolic_bp",
    "diastolic_bp",
    "weight_kg",
    "muac_mm",
    "glucose_mmol_l",
]
FieldName = Literal["age_days", "gestation_weeks", "postpartum_days"]
AvpuWord = Literal["alert", "voice", "pain", "unresponsive"]
Comparison = Literal["<", "<=", ">", ">="]

FROZEN = ConfigDict(extra="forbid", frozen=True)


class SignCondition(BaseModel):
    model_config = FROZEN
    sign: str


class VitalCondition(BaseModel):
    model_config = FROZEN
    vital: VitalName
    op: Comparison
    value: float


class FieldCondition(BaseModel):
    model_config = FROZEN
    field: FieldName
    op: Comparison
    value: float


class DurationCondition(BaseModel):
    model_config = FROZEN
    duration: str
    op: Comparison
    value: float


class AvpuCondition(BaseModel):
    model_config = FROZEN
    avpu: tuple[AvpuWord, ...] = Field(min_length=1)


class UnrecordedCondition(BaseModel):
    model_config = FROZEN
    unrecorded: FieldName | VitalName | Literal["avpu"]


class AlwaysCondition(BaseModel):
    model_config = FROZEN
    always: Literal[True]


class AnyCondition(BaseModel):
    model_config = FROZEN
    any: tuple[Condition, ...] = Field(min_length=1)


class AllCondition(BaseModel):
    model_config = FROZEN
    all: tuple[Condition, ...] = Field(min_length=1)


class AtLeastCondition(BaseModel):
    model_config = FROZEN
    at_least: int = Field(ge=1)
    of: tuple[Condition, ...] = Field(min_length=1)


class NotCondition(BaseModel):
    model_config = FROZEN
    not_: Condition = Field(alias="not")


class RefCondition(BaseModel):
    model_config = FROZEN
    ref: str


_TAGGED: dict[str, type[BaseModel]] = {
    "sign": SignCondition,
    "vital": VitalCondition,
    "field": FieldCondition,
    "duration": DurationCondition,
    "avpu": AvpuCondition,
    "unrecorded": UnrecordedCondition,
    "always": AlwaysCondition,
    "any": AnyCondition,
    "all": AllCondition,
    "at_least": AtLeastCondition,
    "not": NotCondition,
    "ref": RefCondition,
}
CONDITION_KEYS = tuple(_TAGGED)


def _condition_tag(value: Any) -> str | None:
    """Which shape a condition has: the first of its known keys."""
    if isinstance(value, dict):
        return next((key for key in CONDITION_KEYS if key in value), None)
    for key, model in _TAGGED.items():
        if isinstance(value, model):
            return key
    return None


Condition = Annotated[
    Annotated[SignCondition, Tag("sign")]
    | Annotated[VitalCondition, Tag("vital")]
    | Annotated[FieldCondition, Tag("field")]
    | Annotated[DurationCondition, Tag("duration")]
    | Annotated[AvpuCondition, Tag("avpu")]
    | Annotated[UnrecordedCondition, Tag("unrecorded")]
    | Annotated[AlwaysCondition, Tag("always")]
    | Annotated[AnyCondition, Tag("any")]
    | Annotated[AllCondition, Tag("all")]
    | Annotated[AtLeastCondition, Tag("at_least")]
    | Annotated[NotCondition, Tag("not")]
    | Annotated[RefCondition, Tag("ref")],
    Discriminator(
        _condition_tag,
        custom_error_type="condition_shape",
        custom_error_message="a condition needs one of the keys " + ", ".join(CONDITION_KEYS),
    ),
]

for _model in _TAGGED.values():
    _model.model_rebuild()


CASE_FIELDS: tuple[str, ...] = ("age_days", "gestation_weeks", "postpartum_days")


def input_name(name: str) -> str:
    """The dotted input path of a field or vital: 'age_days', 'vitals.spo2', 'vitals.avpu'."""
    return name if name in CASE_FIELDS else f"vitals.{name}"


def inputs_used(  # noqa: PLR0911 - one return per kind of condition
    condition: Condition, definitions: Mapping[str, Condition]
) -> set[str]:
    """The recorded values (vitals as 'vitals.NAME', fields, 'vitals.avpu') a condition reads."""
    match condition:
        case VitalCondition(vital=name):
            return {f"vitals.{name}"}
        case FieldCondition(field=name):
            return {name}
        case AvpuCondition():
            return {"vitals.avpu"}
        case UnrecordedCondition(unrecorded=name):
            return {input_name(name)}
        case AnyCondition(any=children) | AllCondition(all=children):
            return set().union(*(inputs_used(child, definitions) for child in children))
        case AtLeastCondition(of=children):
            return set().union(*(inputs_used(child, definitions) for child in children))
        case NotCondition(not_=child):
            return inputs_used(child, definitions)
        case RefCondition(ref=name):
            return inputs_used(definitions[name], definitions) if name in definitions else set()
    return set()


__all__ = [
    "CASE_FIELDS",
    "CONDITION_KEYS",
    "AllCondition",
    "AlwaysCondition",
    "AnyCondition",
    "AtLeastCondition",
    "AvpuCondition",
    "AvpuWord",
    "Comparison",
    "Condition",
    "DurationCondition",
    "FieldCondition",
    "FieldName",
    "NotCondition",
    "RefCondition",
    "SignCondition",
    "UnrecordedCondition",
    "VitalCondition",
    "VitalName",
    "input_name",
    "inputs_used",
]
