"""How fast the model writes on this computer: measured, never looked up in a table.

Two sources. Every answer the local model writes records its decode speed in the audit
entry of the consult (`tokens_per_second`, no patient data), so the speed the clinic
actually gets is the median of the recent answers of the model in use. Before there
are any (a new install), the admin can ask for a short measured run: a fixed prompt,
greedy, a few dozen tokens, on the loaded model.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from medassist_desktop.core.inference.interface import (
    ChatMessage,
    GenerationParams,
    InferenceEngine,
)
from medassist_desktop.services.model_holder import ModelHolder
from medassist_desktop.storage.database import Database

CONSULT_ACTION = "consult.ask"
# The newest answers the median is taken over, and how far back to look for them.
RECENT_ANSWERS = 20
LOOK_BACK_ENTRIES = 2000
# A run this short still decodes enough tokens for a steady figure on a slow laptop.
MEASURE_TOKENS = 48
MEASURE_PROMPT = "List the months of the year, one per line."

Source = Literal["answers", "measured", "none"]


@dataclass(frozen=True)
class ModelSpeed:
    model: str | None
    tokens_per_second: float | None  # None: not measured yet
    samples: int  # answers (or runs) the figure comes from
    source: Source
    measured_at: str | None  # the newest sample
    unavailable_reason: str | None = None  # why a measured run could not be made

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def speed_from_answers(db: Database, model: str | None) -> ModelSpeed:
    """The median decode speed of the recent answers the local `model` wrote here.

    Cached answers (no model run) and very short ones (under two tokens: no decode
    time) do not count; with `model` None, every local model's answers count.
    """
    rows = db.query_all(
        "SELECT ts, details FROM audit_log WHERE id > (SELECT COALESCE(MAX(id), 0) FROM"
        " audit_log) - ? AND action = ? AND outcome = 'success' ORDER BY id DESC",
        (LOOK_BACK_ENTRIES, CONSULT_ACTION),
    )
    samples: list[tuple[str, float]] = []
    for ts, raw in rows:
        speed = _answer_speed(json.loads(raw), model)
        if speed is not None:
            samples.append((str(ts), speed))
            if len(samples) >= RECENT_ANSWERS:
                break
    return summarise(model, samples, "answers")


def _answer_speed(details: dict[str, Any], model: str | None) -> float | None:
    if details.get("engine") != "local" or details.get("cached"):
        return None
    if model is not None and details.get("model") != model:
        return None
    speed, tokens = details.get("tokens_per_second"), details.get("tokens")
    if not isinstance(speed, int | float) or speed <= 0:
        return None
    if not isinstance(tokens, int) or tokens < 2:
        return None
    return float(speed)


def summarise(
    model: str | None, samples: Sequence[tuple[str, float]], source: Source
) -> ModelSpeed:
    if not samples:
        return ModelSpeed(model, None, 0, "none", None)
    median = statistics.median(speed for _ts, speed in samples)
    newest = max(ts for ts, _speed in samples)
    return ModelSpeed(model, round(median, 1), len(samples), source, newest)


def measure_loaded(holder: ModelHolder, *, load_timeout_s: float = 300.0) -> ModelSpeed:
    """Load the model in use if it is not (waiting at most `load_timeout_s`), then
    measure it. Blocking: run it on a thread of its own."""
    choice = holder.acquire(timeout=load_timeout_s)
    name = choice.name or holder.identity()[0]
    if choice.engine is None:
        return ModelSpeed(name, None, 0, "none", None, choice.unavailable_reason)
    return measure_speed(choice.engine, name)


def measure_speed(engine: InferenceEngine, model: str | None) -> ModelSpeed:
    """A short greedy run on the loaded model; its decode speed (blocking: not the GUI
    thread, not the database's)."""
    result = engine.generate(
        [ChatMessage("user", MEASURE_PROMPT)],
        GenerationParams(max_tokens=MEASURE_TOKENS, temperature=0.0, logprobs=False, seed=1),
    )
    now = datetime.now(UTC).isoformat(timespec="seconds")
    if result.tokens < 2 or result.tokens_per_second <= 0:
        return ModelSpeed(model, None, 0, "none", now)
    return ModelSpeed(model, round(result.tokens_per_second, 1), 1, "measured", now)
