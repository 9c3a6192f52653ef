"""Triage rules as versioned data: populations, sources, sign vocabulary, rules.

Rules live in a JSON file inside the package (`rules/who_iitt_v2.json`; earlier
versions stay beside it), so that a clinician can read and review them, a new
guideline edition is a new file with a new version, and every triage result names
the version that produced it. The condition language is in `conditions.py`.

Each rule has a population (an inclusive age band in completed months and,
optionally, a maternal status: pregnant, postpartum, or either), a condition, a
finding, a level and a source. The file is checked when loaded (unknown signs,
unknown definitions, duplicate ids, unknown sources, signs outside the form's
groups): a bad file is a bug, never a silent partial rule set.
"""

from __future__ import annotations

import json
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Literal, Self

from pydantic import BaseModel, Field, ValidationError, model_validator

from medassist_desktop.core.triage.conditions import (
    FROZEN,
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
    VitalName,
)
from medassist_desktop.errors import KnownError
from medassist_desktop.i18n.catalogue import N_

DEFAULT_RULES_FILE = "who_iitt_v2.json"


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


Maternal = Literal["pregnant", "postpartum", "pregnant_or_postpartum"]


class Population(BaseModel):
    """Who a rule applies to: an inclusive age band in completed months, and maternal status.

    `pregnant: true` is the first rules version's spelling of `maternal: "pregnant"`;
    it is still read so that every published version of the rules stays loadable.
    """

    model_config = FROZEN
    min_age_months: int = Field(0, ge=0)
    max_age_months: int | None = Field(None, ge=0)
    pregnant: Literal[True] | None = None
    maternal: Maternal | None = None

    def includes(self, age_months: int, pregnant: bool, postpartum: bool = False) -> bool:
        if age_months < self.min_age_months:
            return False
        if self.max_age_months is not None and age_months > self.max_age_months:
            return False
        status = self.maternal or ("pregnant" if self.pregnant else None)
        if status == "pregnant":
            return pregnant
        if status == "postpartum":
            return postpartum
        if status == "pregnant_or_postpartum":
            return pregnant or postpartum
        return True


class Source(BaseModel):
    """A guideline or chart. A dated document has a year; an undated chart (the IITT)
    says so in `undated`, with the revision it is cited from, instead of an invented year."""

    model_config = FROZEN
    document: str = Field(min_length=1)
    year: int | None = Field(None, ge=1950, le=2100)
    undated: str | None = Field(None, min_length=1)

    @model_validator(mode="after")
    def _dated_or_undated(self) -> Self:
        if (self.year is None) == (self.undated is None):
            raise ValueError("a source has either a year or an 'undated' note, not both")
        return self

    def cite(self) -> str:
        return f"{self.document} ({self.year if self.year is not None else self.undated})"


class SignGroup(BaseModel):
    """Signs in the order a health worker examines (the case form and `triage --codes`)."""

    model_config = FROZEN
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str = Field(min_length=1)
    signs: tuple[str, ...] = Field(min_length=1)


class Rule(BaseModel):
    """One danger sign: who it applies to, when it holds, what it finds and how urgent it is."""

    model_config = FROZEN
    id: str = Field(pattern=r"^[a-z0-9_.]+$")
    level: Literal[Level.URGENT, Level.EMERGENCY]
    population: Population
    when: Condition
    finding: str = Field(pattern=r"^[a-z0-9_]+$")
    label: str = Field(min_length=1)
    source: str
    section: str | None = None  # the chart section or page the rule is read from
    note: str | None = None
    review: str | None = None  # what a clinical reviewer must confirm before relying on it


class RuleSet(BaseModel):
    """A whole rules file: its version, sources, sign vocabulary, named conditions and rules."""

    model_config = FROZEN
    version: str = Field(min_length=1)
    title: str
    conventions: tuple[str, ...] = ()
    interpretations: tuple[str, ...] = ()  # readings of the guidelines a reviewer should check
    sources: dict[str, Source]
    review: tuple[str, ...] = ()  # open questions for the clinical reviewer
    signs: dict[str, str]
    aliases: dict[str, str] = Field(default_factory=dict)  # another code for the same sign
    sign_groups: tuple[SignGroup, ...] = ()
    definitions: dict[str, Condition] = Field(default_factory=dict)
    rules: tuple[Rule, ...] = Field(min_length=1)

    def source_of(self, rule: Rule) -> Source:
        return self.sources[rule.source]

    def cite(self, rule: Rule) -> str:
        """The rule's source as shown with a finding: document, year or revision, section."""
        cited = self.source_of(rule).cite()
        return f"{cited}, {rule.section}" if rule.section else cited


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
        raise TriageRulesError(N_("Cannot read the triage rules ({reason}).", reason=exc)) from exc
    try:
        rule_set = RuleSet.model_validate(json.loads(text))
    except json.JSONDecodeError as exc:
        raise TriageRulesError(
            N_(
                "The triage rules file {where} is not valid JSON: {msg} at line {lineno}.",
                where=where,
                msg=exc.msg,
                lineno=exc.lineno,
            )
        ) from exc
    except ValidationError as exc:
        raise TriageRulesError(
            N_("The triage rules file {where} is not valid: {reason}", where=where, reason=exc)
        ) from exc
    problems = check_rule_set(rule_set)
    if problems:
        raise TriageRulesError(
            N_(
                "The triage rules file {where} is inconsistent: {problems}.",
                where=where,
                problems="; ".join(problems),
            )
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
    for alias, target in rule_set.aliases.items():
        if target not in rule_set.signs:
            problems.append(f"alias {alias!r} names unknown sign {target!r}")
        if alias in rule_set.signs:
            problems.append(f"alias {alias!r} is also a sign")
    if rule_set.sign_groups:
        grouped = [code for group in rule_set.sign_groups for code in group.signs]
        problems.extend(f"sign {c!r} is in no group" for c in rule_set.signs if c not in grouped)
        problems.extend(
            f"group sign {c!r} is not a sign" for c in grouped if c not in rule_set.signs
        )
        problems.extend(
            f"sign {c!r} is in more than one group"
            for c in sorted({c for c in grouped if grouped.count(c) > 1})
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
        case VitalCondition() | FieldCondition() | AvpuCondition():
            return []
        case UnrecordedCondition() | AlwaysCondition():
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
    "AlwaysCondition",
    "AnyCondition",
    "AtLeastCondition",
    "AvpuCondition",
    "Condition",
    "DurationCondition",
    "FieldCondition",
    "Level",
    "NotCondition",
    "Population",
    "RefCondition",
    "Rule",
    "RuleSet",
    "SignCondition",
    "SignGroup",
    "Source",
    "TriageRulesError",
    "UnrecordedCondition",
    "VitalCondition",
    "VitalName",
    "check_rule_set",
    "highest_level",
    "load_rules",
]
