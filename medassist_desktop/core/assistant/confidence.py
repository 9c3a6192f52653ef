"""Confidence from measured signals, never from anything the model says about itself.

Three signals, each measured outside the model's text:
- router confidence: how clearly the question falls within a clinical intent;
- retrieval similarity: cosine similarity of the best passage to the question
  (absent in keyword-only mode, where BM25 scores are not comparable across queries);
- mean token probability of the generated answer (absent for rules-only answers).

The thresholds were set on the starter library with all-MiniLM-L6-v2 and Gemma 3
270M; they are constants here so a change is a reviewed change. MIN_TOP_SIMILARITY was
raised from 0.30 to 0.40 on the evidence of benchmarks/results/consult.json: questions
the library covers had a best passage at 0.61-0.79, questions it does not cover (a
splint, a kidney stone, glaucoma) at 0.33-0.39, so 0.30 never said "nothing relevant".
The mean token probability of the 270M model was 0.76-0.93 even for its worst answers
(instructions echoed, citations invented): it is kept as a signal, but the text checks
of `grounding.py` are what catch those answers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Level = Literal["high", "medium", "low"]

MIN_ROUTER_CONFIDENCE = 0.40
MIN_TOP_SIMILARITY = 0.40
MIN_MEAN_TOKEN_PROB = 0.35
HIGH_ROUTER_CONFIDENCE = 0.70
HIGH_TOP_SIMILARITY = 0.55
HIGH_MEAN_TOKEN_PROB = 0.60


@dataclass(frozen=True)
class Confidence:
    level: Level
    signals: dict[str, Any] = field(default_factory=dict)
    reasons: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level, "signals": dict(self.signals), "reasons": list(self.reasons)}


def assess_confidence(
    *,
    router_confidence: float,
    similarities: Sequence[float | None],
    mean_token_prob: float | None,
    engine: str,
    cited_passages: int | None = None,
    text_problems: Sequence[str] = (),
    extra_signals: Mapping[str, Any] | None = None,
) -> Confidence:
    """Combine the signals into high / medium / low, with the reasons for anything below high.

    `cited_passages`: how many of the passages the answer cites (None: not measured). An
    answer that cites none of the passages it was given is not grounded in them, so it
    is at most medium. `text_problems`: what the checks of the text itself found
    (`grounding.py`); each makes the answer low.
    """
    known = [s for s in similarities if s is not None]
    top = max(known) if known else None
    signals: dict[str, Any] = {
        "router_confidence": round(router_confidence, 3),
        "passages": len(similarities),
        "top_similarities": [round(s, 3) for s in sorted(known, reverse=True)[:3]],
        "mean_token_probability": None if mean_token_prob is None else round(mean_token_prob, 3),
        "engine": engine,
    }
    if cited_passages is not None:
        signals["cited_passages"] = cited_passages
    signals.update(extra_signals or {})
    low = _low_reasons(router_confidence, similarities, top, mean_token_prob)
    low.extend(text_problems)
    if low:
        return Confidence("low", signals, tuple(low))
    medium = _medium_reasons(router_confidence, top, mean_token_prob, engine)
    if cited_passages == 0 and similarities:
        medium.append("the answer cites none of the passages")
    if medium:
        return Confidence("medium", signals, tuple(medium))
    return Confidence("high", signals)


def _low_reasons(
    router_confidence: float,
    similarities: Sequence[float | None],
    top: float | None,
    mean_token_prob: float | None,
) -> list[str]:
    low: list[str] = []
    if not similarities:
        low.append("no relevant passage was found")
    if top is not None and top < MIN_TOP_SIMILARITY:
        low.append(f"best passage similarity {top:.2f} < {MIN_TOP_SIMILARITY}")
    if router_confidence < MIN_ROUTER_CONFIDENCE:
        low.append(f"router confidence {router_confidence:.2f} < {MIN_ROUTER_CONFIDENCE}")
    if mean_token_prob is not None and mean_token_prob < MIN_MEAN_TOKEN_PROB:
        low.append(f"mean token probability {mean_token_prob:.2f} < {MIN_MEAN_TOKEN_PROB}")
    return low


def _medium_reasons(
    router_confidence: float, top: float | None, mean_token_prob: float | None, engine: str
) -> list[str]:
    medium: list[str] = []
    if top is None:
        medium.append("keyword search only (no similarity measured)")
    elif top < HIGH_TOP_SIMILARITY:
        medium.append(f"best passage similarity {top:.2f} < {HIGH_TOP_SIMILARITY}")
    if router_confidence < HIGH_ROUTER_CONFIDENCE:
        medium.append(f"router confidence {router_confidence:.2f} < {HIGH_ROUTER_CONFIDENCE}")
    if mean_token_prob is None:
        # A quoted answer has no model text to measure, and needs none: it is verbatim.
        if engine != "extractive":
            medium.append("no model answer to measure (rules only)")
    elif mean_token_prob < HIGH_MEAN_TOKEN_PROB:
        medium.append(f"mean token probability {mean_token_prob:.2f} < {HIGH_MEAN_TOKEN_PROB}")
    return medium


def refusal_confidence(router_confidence: float) -> Confidence:
    """How sure the refusal of an out-of-scope question is: the router's confidence alone."""
    if router_confidence >= HIGH_ROUTER_CONFIDENCE:
        level: Level = "high"
    elif router_confidence >= MIN_ROUTER_CONFIDENCE:
        level = "medium"
    else:
        level = "low"
    signals = {"router_confidence": round(router_confidence, 3), "engine": "rules"}
    reasons = () if level == "high" else (f"out-of-scope confidence {router_confidence:.2f}",)
    return Confidence(level, signals, reasons)
