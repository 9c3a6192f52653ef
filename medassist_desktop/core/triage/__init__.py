"""Danger-sign triage: WHO rules kept as versioned data, evaluated by a pure function.

Triage runs before the model and its level can never be lowered by it (see
`guard.py`). Entry points: `load_rules()` then `TriageEngine(rules).triage(case_json)`.
"""

from medassist_desktop.core.triage.case import TriageCase, TriageInputError, parse_case
from medassist_desktop.core.triage.engine import (
    Finding,
    TriageEngine,
    TriageResult,
    evaluate,
)
from medassist_desktop.core.triage.guard import TriagedAnswer, attach_triage, final_level
from medassist_desktop.core.triage.rules import Level, RuleSet, TriageRulesError, load_rules

__all__ = [
    "Finding",
    "Level",
    "RuleSet",
    "TriageCase",
    "TriageEngine",
    "TriageInputError",
    "TriageResult",
    "TriageRulesError",
    "TriagedAnswer",
    "attach_triage",
    "evaluate",
    "final_level",
    "load_rules",
    "parse_case",
]
