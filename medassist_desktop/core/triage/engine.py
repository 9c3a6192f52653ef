"""The danger-sign evaluator: a pure function of a validated case and a rule set.

No model, no clock, no I/O: the same case and rules give the same result, which is
what lets the result be audited, tested at every threshold, and trusted above
whatever the language model later writes. Findings come out emergency first, then
in the order of the rules file; the level is the highest level among them.

A routine result only means that no rule held on what was recorded, so the result
also lists `not_assessed`: the vitals and fields the rules for this patient would
read but that are missing (a routine child with no respiratory rate is not a child
without fast breathing).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from medassist_desktop.core.triage.case import VITAL_LIMITS, TriageCase, parse_case
from medassist_desktop.core.triage.conditions import (
    CASE_FIELDS,
    AllCondition,
    AlwaysCondition,
    AnyCondition,
    AtLeastCondition,
    AvpuCondition,
    Condition,
    DurationCondition,
    FieldCondition,
    NotCondition,
    RefCondition,
    SignCondition,
    UnrecordedCondition,
    VitalCondition,
    input_name,
    inputs_used,
)
from medassist_desktop.core.triage.rules import Level, RuleSet, highest_level

_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


@dataclass(frozen=True)
class Finding:
    """One rule that held."""

    rule: str
    finding: str
    label: str
    level: Level
    source: str

    def as_dict(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "finding": self.finding,
            "label": self.label,
            "level": self.level.value,
            "source": self.source,
        }


@dataclass(frozen=True)
class TriageResult:
    """The rules' verdict on one case. Immutable: nothing downstream may change it."""

    level: Level
    findings: tuple[Finding, ...]
    unknown_signs: tuple[str, ...]
    rules_version: str
    not_assessed: tuple[str, ...] = ()  # inputs the rules for this patient use, not recorded

    def as_dict(self) -> dict[str, Any]:
        return {
            "level": self.level.value,
            "findings": [finding.as_dict() for finding in self.findings],
            "unknown_signs": list(self.unknown_signs),
            "not_assessed": list(self.not_assessed),
            "rules_version": self.rules_version,
        }


# The order `not_assessed` lists missing inputs in: the order they are examined.
INPUT_ORDER: tuple[str, ...] = (
    *CASE_FIELDS,
    *(f"vitals.{name}" for name in VITAL_LIMITS),
    "vitals.avpu",
)


@dataclass(frozen=True)
class CaseFacts:
    """What the conditions look at, derived once from the case."""

    age_months: int
    pregnant: bool
    signs: frozenset[str]
    vitals: Mapping[str, float]
    durations: Mapping[str, float]
    unknown_signs: tuple[str, ...]
    fields: Mapping[str, float] = field(default_factory=dict)  # age_days, gestation, postpartum
    avpu: str | None = None

    @property
    def postpartum(self) -> bool:
        return "postpartum_days" in self.fields

    def recorded(self, name: str) -> bool:
        """Whether an input ('age_days', 'vitals.spo2', 'vitals.avpu') was recorded."""
        if name == "vitals.avpu":
            return self.avpu is not None
        if name.startswith("vitals."):
            return name.removeprefix("vitals.") in self.vitals
        return name in self.fields


def normalise_sign(code: str) -> str:
    """'Chest-indrawing ' and 'chest indrawing' are the code chest_indrawing."""
    return "_".join(code.strip().lower().replace("-", " ").split())


def case_facts(
    case: TriageCase, known_signs: Mapping[str, str], aliases: Mapping[str, str] | None = None
) -> CaseFacts:
    """Signs (listed, or with a duration above 0), recorded vitals and durations, unknown codes."""
    present: set[str] = set()
    unknown: list[str] = []
    aliases = aliases or {}

    def note(raw: str) -> str | None:
        code = normalise_sign(raw)
        code = aliases.get(code, code)
        if code in known_signs:
            return code
        if raw not in unknown:
            unknown.append(raw)
        return None

    for raw in case.signs or []:
        code = note(raw)
        if code is not None:
            present.add(code)
    durations: dict[str, float] = {}
    for raw, days in (case.duration_days or {}).items():
        code = note(raw)
        if code is None or days is None:
            continue
        durations[code] = max(days, durations.get(code, 0.0))
        if days > 0:
            present.add(code)
    vitals = (
        {}
        if case.vitals is None
        else {
            name: value
            for name, value in case.vitals.model_dump(exclude={"avpu"}).items()
            if value is not None
        }
    )
    fields = {
        name: float(value) for name in CASE_FIELDS if (value := getattr(case, name)) is not None
    }
    return CaseFacts(
        age_months=case.age_months,
        pregnant=bool(case.pregnant),
        signs=frozenset(present),
        vitals=vitals,
        durations=durations,
        unknown_signs=tuple(unknown),
        fields=fields,
        avpu=None if case.vitals is None else case.vitals.avpu,
    )


def holds(  # noqa: PLR0911 - one return per kind of condition
    condition: Condition, facts: CaseFacts, definitions: Mapping[str, Condition]
) -> bool:
    """Whether a condition is true of the case; a comparison on a missing value is false."""
    match condition:
        case SignCondition(sign=sign):
            return sign in facts.signs
        case VitalCondition(vital=name, op=op, value=threshold):
            value = facts.vitals.get(name)
            return value is not None and _COMPARE[op](value, threshold)
        case FieldCondition(field=name, op=op, value=threshold):
            recorded = facts.fields.get(name)
            return recorded is not None and _COMPARE[op](recorded, threshold)
        case AvpuCondition(avpu=words):
            return facts.avpu in words
        case UnrecordedCondition(unrecorded=name):
            return not facts.recorded(input_name(name))
        case AlwaysCondition():
            return True
        case DurationCondition(duration=name, op=op, value=threshold):
            days = facts.durations.get(name)
            return days is not None and _COMPARE[op](days, threshold)
        case AnyCondition(any=children):
            return any(holds(child, facts, definitions) for child in children)
        case AllCondition(all=children):
            return all(holds(child, facts, definitions) for child in children)
        case AtLeastCondition(at_least=count, of=children):
            return sum(holds(child, facts, definitions) for child in children) >= count
        case NotCondition(not_=child):
            return not holds(child, facts, definitions)
        case RefCondition(ref=name):
            return holds(definitions[name], facts, definitions)
    raise AssertionError(f"unhandled condition {condition!r}")  # pragma: no cover


def evaluate(case: TriageCase, rule_set: RuleSet) -> TriageResult:
    """Every rule whose population includes the patient and whose condition holds."""
    facts = case_facts(case, rule_set.signs, rule_set.aliases)
    applicable = [
        rule
        for rule in rule_set.rules
        if rule.population.includes(facts.age_months, facts.pregnant, facts.postpartum)
    ]
    findings = [
        Finding(
            rule=rule.id,
            finding=rule.finding,
            label=rule.label,
            level=Level(rule.level),
            source=rule_set.cite(rule),
        )
        for rule in applicable
        if holds(rule.when, facts, rule_set.definitions)
    ]
    used: set[str] = set()
    for rule in applicable:
        used |= inputs_used(rule.when, rule_set.definitions)
    not_assessed = tuple(name for name in INPUT_ORDER if name in used and not facts.recorded(name))
    findings.sort(key=lambda finding: -finding.level.rank)  # stable: file order within a level
    return TriageResult(
        level=highest_level([finding.level for finding in findings]),
        findings=tuple(findings),
        unknown_signs=facts.unknown_signs,
        rules_version=rule_set.version,
        not_assessed=not_assessed,
    )


class TriageEngine:
    """A rule set loaded once, evaluating decoded JSON cases (the CLI and pipeline entry)."""

    def __init__(self, rule_set: RuleSet) -> None:
        self.rule_set = rule_set

    @property
    def rules_version(self) -> str:
        return self.rule_set.version

    def triage(self, data: Any) -> TriageResult:
        """Validate one decoded JSON case and evaluate it (raises `TriageInputError`)."""
        return evaluate(parse_case(data), self.rule_set)


__all__ = [
    "INPUT_ORDER",
    "CaseFacts",
    "Finding",
    "TriageEngine",
    "TriageResult",
    "case_facts",
    "evaluate",
    "holds",
    "normalise_sign",
]
