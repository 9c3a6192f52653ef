"""Intents, the route result, and the routing data (example utterances, keywords, calibration).

The data lives in `data/intents_v1.json` inside the package: the example
utterances the semantic router compares a question with, the keyword lists of
the fallback router, and the scoring parameters chosen by
`benchmarks/router_calibrate.py` (leave-one-out over the examples).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from medassist_desktop.errors import KnownError
from medassist_desktop.i18n.catalogue import N_, gettext_noop

DEFAULT_INTENTS_FILE = "intents_v1.json"

# Shown instead of an answer when a question is out of scope; the model is not called.
OUT_OF_SCOPE_REFUSAL = gettext_noop(
    "Sorry, I can only help with clinical questions: a patient's symptoms or danger signs, "
    "medicines and doses, a patient's records, or what the clinical guidelines say. "
    "Please ask a question about patient care."
)


class Intent(StrEnum):
    EMERGENCY = "emergency"
    SYMPTOMS = "symptoms"
    MEDICATION = "medication"
    PATIENT_HISTORY = "patient_history"
    GUIDELINE = "guideline"
    OUT_OF_SCOPE = "out_of_scope"


# When two intents score the same, the first here wins: a possible emergency is never
# routed as something calmer because of a tie.
INTENT_PRIORITY: tuple[Intent, ...] = (
    Intent.EMERGENCY,
    Intent.MEDICATION,
    Intent.PATIENT_HISTORY,
    Intent.GUIDELINE,
    Intent.SYMPTOMS,
    Intent.OUT_OF_SCOPE,
)

Method = Literal["semantic", "keyword"]


class RoutingDataError(KnownError):
    """The routing data file cannot be read or is not valid."""


@dataclass(frozen=True)
class Alternative:
    intent: Intent
    confidence: float


@dataclass(frozen=True)
class RouteResult:
    """Where a question goes, how sure the router is, and what else it could have been."""

    intent: Intent
    confidence: float
    alternatives: tuple[Alternative, ...]
    method: Method

    @property
    def is_out_of_scope(self) -> bool:
        return self.intent is Intent.OUT_OF_SCOPE

    def as_dict(self) -> dict[str, Any]:
        return {
            "intent": self.intent.value,
            "confidence": self.confidence,
            "alternatives": [
                {"intent": alt.intent.value, "confidence": alt.confidence}
                for alt in self.alternatives
            ],
            "method": self.method,
        }


def result_from_probabilities(probabilities: dict[Intent, float], method: Method) -> RouteResult:
    """The best intent (ties broken by `INTENT_PRIORITY`) and the others, most likely first."""
    ranked = sorted(
        INTENT_PRIORITY, key=lambda intent: (-probabilities[intent], INTENT_PRIORITY.index(intent))
    )
    best = ranked[0]
    return RouteResult(
        intent=best,
        confidence=round(probabilities[best], 4),
        alternatives=tuple(
            Alternative(intent=intent, confidence=round(probabilities[intent], 4))
            for intent in ranked[1:]
        ),
        method=method,
    )


def empty_question_result(method: Method) -> RouteResult:
    """An empty question is out of scope, with certainty (no model call)."""
    probabilities = dict.fromkeys(Intent, 0.0) | {Intent.OUT_OF_SCOPE: 1.0}
    return result_from_probabilities(probabilities, method)


class SemanticScoring(BaseModel):
    """How similarities become an intent and a confidence (see `semantic.py`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    top_k: int = Field(ge=1)
    temperature: float = Field(gt=0)
    out_of_scope_threshold: float = Field(ge=-1, le=1)
    model: str
    calibration: str


class KeywordList(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    phrases: tuple[str, ...]
    case_sensitive: tuple[str, ...] = ()


class KeywordScoring(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    out_of_scope_base: float = Field(gt=0)
    out_of_scope_weight: float = Field(gt=0)
    temperature: float = Field(gt=0)


class IntentData(BaseModel):
    """The whole routing data file."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    version: str = Field(min_length=1)
    semantic: SemanticScoring
    keyword_scoring: KeywordScoring
    utterances: dict[Intent, tuple[str, ...]]
    keywords: dict[Intent, KeywordList]

    @model_validator(mode="after")
    def _every_intent_covered(self) -> IntentData:
        for intent in Intent:
            examples = self.utterances.get(intent, ())
            if len(examples) < self.semantic.top_k:
                raise ValueError(f"intent {intent} needs at least top_k example utterances")
            if len(set(examples)) != len(examples):
                raise ValueError(f"intent {intent} has duplicate example utterances")
            if intent not in self.keywords:
                raise ValueError(f"intent {intent} has no keyword list")
        return self

    def labelled_utterances(self) -> list[tuple[Intent, str]]:
        return [(intent, text) for intent in Intent for text in self.utterances[intent]]


def load_intent_data(path: Path | None = None) -> IntentData:
    """The packaged routing data (or the file at `path`), validated."""
    try:
        if path is None:
            text = (
                resources.files("medassist_desktop.core.routing")
                .joinpath("data", DEFAULT_INTENTS_FILE)
                .read_text(encoding="utf-8")
            )
        else:
            text = path.read_text(encoding="utf-8")
        return IntentData.model_validate(json.loads(text))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, ValidationError) as exc:
        raise RoutingDataError(
            N_("The routing data cannot be loaded: {reason}", reason=exc)
        ) from exc


__all__ = [
    "INTENT_PRIORITY",
    "OUT_OF_SCOPE_REFUSAL",
    "Alternative",
    "Intent",
    "IntentData",
    "Method",
    "RouteResult",
    "RoutingDataError",
    "empty_question_result",
    "load_intent_data",
    "result_from_probabilities",
]
