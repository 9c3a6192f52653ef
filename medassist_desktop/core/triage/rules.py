"""Triage rules as versioned data, and the small condition language they are written in.

Rules live in a JSON file inside the package (`rules/who_2014_v1.json`), so that a
clinician can read and review them, a new guideline edition is a new file with a
new version, and every triage result names the version that produced it.

A condition is one JSON object with exactly one of these shapes:

    {"sign": "stridor"}                                    the sign is present
    {"vital": "spo2", "op": "<", "value": 90}              a recorded vital compared
    {"duration": "cough", "op": ">=", "value": 14}         a recorded duration (days) compared
    {"any": [c, ...]}   {"all": [c, ...]}                  or / and
    {"at_least": 2, "of": [c, ...]}                        two or more of
    {"not": c}                                             negation (used only to cut bands)
    {"ref": "general_danger_sign"}                         a named condition from "definitions"

Comparisons use "<", "<=", ">", ">="; a value that is not recorded satisfies none.
Each rule also has a population: an inclusive age band in completed months and,
optionally, pregnancy. The file is checked when loaded (unknown signs, unknown
definitions, duplicate ids, unknown sources): a bad file is a bug, never a silent
partial rule set.
"""

from __future__ import annotations

import json
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, ValidationError

from medassist_desktop.errors import KnownError

DEFAULT_RULES_FILE = "who_2014_v1.json"


class TriageRulesError(KnownError):
    """The triage rules file cannot be read or is not valid."""


class Level(StrEnum):
    """Triage levels, lowest first; compare them with `rank`."""

    ROUTINE = "routine"
    URGENT = "urgent"
    EMERGENCY = "emergency"

    @property
    def rank(self) -> int:
        return _LEVEL_RANK[self]


_LEVEL_RANK = {Level.ROUTINE: 0, Level.URGENT: 1, Level.EMERGENCY: 2}


def highest_level(levels: list[Level]) -> Level:
    return max(levels, key=lambda level: level.rank, default=Level.ROUTINE)


VitalName = Literal[
    "temperature_c",
    "respiratory_rate",
    "heart_rate",
    "spo2",
    "systolic_bp",
    "diastolic_bp",
    "weight_kg",
    "muac_mm",
]
Comparison = Literal["<", "<=", ">", ">="]

_FROZEN = ConfigDict(extra="forbid", frozen=True)


class SignCondition(BaseModel):
    model_config = _FROZEN
    sign: str


class VitalCondition(BaseModel):
    model_config = _FROZEN
    vital: VitalName
    op: Comparison
    value: float


class DurationCondition(BaseModel):
    model_config = _FROZEN
    duration: str
    op: Comparison
    value: float


class AnyCondition(BaseModel):
    model_config = _FROZEN
    any: tuple[Condition, ...] = Field(min_length=1)


class AllCondition(BaseModel):
    model_config = _FROZEN
    all: tuple[Condition, ...] = Field(min_length=1)


class AtLeastCondition(BaseModel):
    model_config = _FROZEN
    at_least: int = Field(ge=1)
    of: tuple[Condition, ...] = Field(min_length=1)


class NotCondition(BaseModel):
    model_config = _FROZEN
    not_: Condition = Field(alias="not")


class RefCondition(BaseModel):
    model_config = _FROZEN
    ref: str


_CONDITION_KEYS = ("sign", "vital", "duration", "any", "all", "at_least", "not", "ref")


def _condition_tag(value: Any) -> str | None:
    """Which shape a condition has: the first of its known keys."""
    if isinstance(value, dict):
        return next((key for key in _CONDITION_KEYS if key in value), None)
    for key, model in _TAGGED.items():
        if isinstance(value, model):
            return key
    return None


Condition = Annotated[
    Annotated[SignCondition, Tag("sign")]
    | Annotated[VitalCondition, Tag("vital")]
    | Annotated[DurationCondition, Tag("duration")]
    | Annotated[AnyCondition, Tag("any")]
    | Annotated[AllCondition, Tag("all")]
    | Annotated[AtLeastCondition, Tag("at_least")]
    | Annotated[NotCondition, Tag("not")]
    | Annotated[RefCondition, Tag("ref")],
    Discriminator(
        _condition_tag,
        custom_error_type="condition_shape",
        custom_error_message="a condition needs one of the keys " + ", ".join(_CONDITION_KEYS),
    ),
]

_TAGGED: dict[str, type[BaseModel]] = {
    "sign": SignCondition,
    "vital": VitalCondition,
    "duration": DurationCondition,
    "any": AnyCondition,
    "all": AllCondition,
    "at_least": AtLeastCondition,
    "not": NotCondition,
    "ref": RefCondition,
}
for _model in _TAGGED.values():
    _model.model_rebuild()


class Population(BaseModel):
    """Who a rule applies to: an inclusive age band in completed months, and pregnancy."""

    model_config = _FROZEN
    min_age_months: int = Field(0, ge=0)
    max_age_months: int | None = Field(None, ge=0)
    pregnant: Literal[True] | None = None

    def includes(self, age_months: int, pregnant: bool) -> bool:
        if age_months < self.min_age_months:
            return False
        if self.max_age_months is not None and age_months > self.max_age_months:
            return False
        return not (self.pregnant and not pregnant)


class Source(BaseModel):
    model_config = _FROZEN
    document: str = Field(min_length=1)
    year: int = Field(ge=1950, le=2100)

    def cite(self) -> str:
        return f"{self.document} ({self.year})"


class Rule(BaseModel):
    """One danger sign: who it applies to, when it holds, what it finds and how urgent it is."""

    model_config = _FROZEN
    id: str = Field(pattern=r"^[a-z0-9_.]+$")
    level: Literal[Level.URGENT, Level.EMERGENCY]
    population: Population
    when: Condition
    finding: str = Field(pattern=r"^[a-z0-9_]+$")
    label: str = Field(min_length=1)
    source: str
    note: str | None = None


class RuleSet(BaseModel):
    """A whole rules file: its version, sources, sign vocabulary, named conditions and rules."""

    model_config = _FROZEN
    version: str = Field(min_length=1)
    title: str
    conventions: tuple[str, ...] = ()
    interpretations: tuple[str, ...] = ()  # readings of the guidelines a reviewer should check
    sources: dict[str, Source]
    signs: dict[str, str]
    definitions: dict[str, Condition] = Field(default_factory=dict)
    rules: tuple[Rule, ...] = Field(min_length=1)

    def source_of(self, rule: Rule) -> Source:
        return self.sources[rule.source]


def load_rules(path: Path | None = None) -> RuleSet:
    """The packaged rules (or the file at `path`), parsed and checked for consistency."""
    try:
        if path is None:
            text = (
                resources.files("medassist_desktop.core.triage")
                .joinpath("rules", DEFAULT_RULES_FILE)
                .read_text(encoding="utf-8")
            )
            where = f"packaged rules {DEFAULT_RULES_FILE}"
        else:
            text = path.read_text(encoding="utf-8")
            where = str(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise TriageRulesError(f"Cannot read the triage rules ({exc}).") from exc
    try:
        rule_set = RuleSet.model_validate(json.loads(text))
    except json.JSONDecodeError as exc:
        raise TriageRulesError(
            f"The triage rules file {where} is not valid JSON: {exc.msg} at line {exc.lineno}."
        ) from exc
    except ValidationError as exc:
        raise TriageRulesError(f"The triage rules file {where} is not valid: {exc}") from exc
    problems = check_rule_set(rule_set)
    if problems:
        raise TriageRulesError(
            f"The triage rules file {where} is inconsistent: " + "; ".join(problems) + "."
        )
    return rule_set


def check_rule_set(rule_set: RuleSet) -> list[str]:
    """Every reference in the file resolves: signs, durations, definitions, sources, ids."""
    problems: list[str] = []
    seen: set[str] = set()
    for rule in rule_set.rules:
        if rule.id in seen:
            problems.append(f"duplicate rule id {rule.id}")
        seen.add(rule.id)
        if rule.source not in rule_set.sources:
            problems.append(f"rule {rule.id} cites unknown source {rule.source!r}")
        population = rule.population
        if (
            population.max_age_months is not None
            and population.max_age_months < population.min_age_months
        ):
            problems.append(f"rule {rule.id} has an empty age band")
        problems.extend(
            f"rule {rule.id}: {problem}"
            for problem in _check_condition(rule.when, rule_set, allow_refs=True)
        )
    for name, condition in rule_set.definitions.items():
        problems.extend(
            f"definition {name}: {problem}"
            for problem in _check_condition(condition, rule_set, allow_refs=False)
        )
    return problems


def _check_condition(  # noqa: PLR0911 - one return per kind of condition
    condition: Condition, rule_set: RuleSet, *, allow_refs: bool
) -> list[str]:
    match condition:
        case SignCondition(sign=sign):
            return [] if sign in rule_set.signs else [f"unknown sign {sign!r}"]
        case DurationCondition(duration=sign):
            return [] if sign in rule_set.signs else [f"duration of unknown sign {sign!r}"]
        case VitalCondition():
            return []
        case AnyCondition(any=children) | AllCondition(all=children):
            return _check_all(children, rule_set, allow_refs=allow_refs)
        case AtLeastCondition(at_least=count, of=children):
            found = _check_all(children, rule_set, allow_refs=allow_refs)
            if count > len(children):
                found.append(f"at_least {count} of only {len(children)} conditions")
            return found
        case NotCondition(not_=child):
            return _check_condition(child, rule_set, allow_refs=allow_refs)
        case RefCondition(ref=name):
            if not allow_refs:
                return [f"definitions may not refer to other definitions ({name!r})"]
            return [] if name in rule_set.definitions else [f"unknown definition {name!r}"]
    raise AssertionError(f"unhandled condition {condition!r}")  # pragma: no cover


def _check_all(
    children: tuple[Condition, ...], rule_set: RuleSet, *, allow_refs: bool
) -> list[str]:
    return [
        problem
        for child in children
        for problem in _check_condition(child, rule_set, allow_refs=allow_refs)
    ]


__all__ = [
    "AllCondition",
    "AnyCondition",
    "AtLeastCondition",
    "Condition",
    "DurationCondition",
    "Level",
    "NotCondition",
    "Population",
    "RefCondition",
    "Rule",
    "RuleSet",
    "SignCondition",
    "Source",
    "TriageRulesError",
    "VitalCondition",
    "VitalName",
    "check_rule_set",
    "highest_level",
    "load_rules",
]
