"""Helpers shared by the triage tests: build cases, run the packaged rules."""

from __future__ import annotations

from functools import cache
from typing import Any

from medassist_desktop.core.triage import RuleSet, TriageEngine, TriageResult, load_rules

ADULT = 30 * 12  # a 30-year-old


@cache
def rules() -> RuleSet:
    return load_rules()


def engine() -> TriageEngine:
    return TriageEngine(rules())


def case(
    age: int,
    *,
    signs: list[str] | None = None,
    pregnant: bool | None = None,
    sex: str | None = None,
    durations: dict[str, float] | None = None,
    **vitals: float,
) -> dict[str, Any]:
    data: dict[str, Any] = {"age_months": age}
    if signs is not None:
        data["signs"] = signs
    if pregnant is not None:
        data["pregnant"] = pregnant
        data["sex"] = sex or "female"
    elif sex is not None:
        data["sex"] = sex
    if durations is not None:
        data["duration_days"] = durations
    if vitals:
        data["vitals"] = vitals
    return data


def triage(data: dict[str, Any]) -> TriageResult:
    return engine().triage(data)


def fired(data: dict[str, Any]) -> set[str]:
    return {finding.rule for finding in triage(data).findings}
