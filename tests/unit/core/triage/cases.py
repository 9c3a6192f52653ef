"""Helpers shared by the triage tests: build cases, run the packaged rules."""

from __future__ import annotations

from functools import cache
from typing import Any

from medassist_desktop.core.triage import RuleSet, TriageEngine, TriageResult, load_rules

ADULT = 30 * 12  # a 30-year-old
PREGNANT: dict[str, Any] = {"sex": "female", "pregnant": True}
POSTPARTUM: dict[str, Any] = {"sex": "female", "postpartum_days": 3}


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
    age_days: int | None = None,
    gestation_weeks: int | None = None,
    postpartum_days: int | None = None,
    avpu: str | None = None,
    **vitals: float,
) -> dict[str, Any]:
    data: dict[str, Any] = {"age_months": age}
    if age_days is not None:
        data["age_days"] = age_days
    if gestation_weeks is not None:
        data["gestation_weeks"] = gestation_weeks
    if postpartum_days is not None:
        data["postpartum_days"] = postpartum_days
        data["sex"] = sex or "female"
    if signs is not None:
        data["signs"] = signs
    if pregnant is not None:
        data["pregnant"] = pregnant
        data["sex"] = sex or "female"
    elif sex is not None:
        data["sex"] = sex
    if durations is not None:
        data["duration_days"] = durations
    if vitals or avpu is not None:
        data["vitals"] = {**vitals, **({"avpu": avpu} if avpu is not None else {})}
    return data


def triage(data: dict[str, Any]) -> TriageResult:
    return engine().triage(data)


def fired(data: dict[str, Any]) -> set[str]:
    return {finding.rule for finding in triage(data).findings}
