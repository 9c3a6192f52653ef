"""The answer of one consult: what the GUI shows, the CLI prints, the cache keeps.

One immutable object for every way a consult can end (a model answer, a rules-only
answer when the model is unavailable, a refusal, a cancelled answer, a cached one),
so the UI and the audit treat them alike. `to_dict()` is the JSON of `medassist ask
--json` and what the consult worker hands to the GUI. `engine` says who wrote the
text: "local"/"cloud" (a model), "extractive" (quoted from the library because the
model may not write clinical answers), "rules" (no model: the rules and passages).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from medassist_desktop.core.assistant.confidence import Confidence
from medassist_desktop.core.assistant.extractive import Quote
from medassist_desktop.core.knowledge.passages import Passage
from medassist_desktop.core.routing import RouteResult
from medassist_desktop.core.triage import TriageResult

AnswerEngine = Literal["local", "cloud", "rules", "extractive"]


@dataclass(frozen=True)
class Citation:
    """A numbered passage the answer may cite as [n]; `cited` says whether it did."""

    n: int
    passage_id: str
    doc_id: str
    title: str
    section: str
    page: int | None
    source: str
    score: float
    similarity: float | None
    text: str
    cited: bool = False

    @classmethod
    def from_passage(cls, n: int, passage: Passage, *, cited: bool = False) -> Citation:
        return cls(
            n=n,
            passage_id=passage.chunk_id,
            doc_id=passage.doc_id,
            title=passage.title,
            section=passage.section,
            page=passage.page,
            source=passage.source,
            score=round(passage.score, 6),
            similarity=None if passage.similarity is None else round(passage.similarity, 4),
            text=passage.text,
            cited=cited,
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class GenerationStats:
    """Figures of the model run behind an answer (None for rules-only answers)."""

    tokens: int
    prompt_tokens: int
    tokens_per_second: float
    time_to_first_token_ms: float
    stop_reason: str
    kept_passages: int
    dropped_passages: int
    prompt_trimmed: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ConsultAnswer:
    """Everything about one answered (or refused) question.

    `triage_level` is the rules' level and nothing else: `model_claimed_level` records
    the lowest level the model's text seemed to say, for review, and never replaces it;
    `model_suggested_level` is set only when the text reads as MORE urgent than the
    rules, and makes the screen show a "check" note (it raises attention, never a level).

    `translation` says what became of a question asked in another language: None (not
    needed, or the model may not write answers: searched as typed), "translated" or
    "cached" (routed and searched with `retrieval_question`, its English rendering),
    "failed" (searched as typed; the note says why).
    """

    consult_id: str
    question: str
    text: str
    citations: tuple[Citation, ...]
    triage: TriageResult | None
    route: RouteResult
    confidence: Confidence
    engine: AnswerEngine
    model: str | None
    model_sha256: str | None
    rules_version: str
    kb_version: str | None
    retrieval_mode: str | None
    latency_ms: float
    cached: bool = False
    refused: bool = False
    cancelled: bool = False
    model_error: str | None = None
    fallback_reason: str | None = None
    model_claimed_level: str | None = None
    model_suggested_level: str | None = None
    generation: GenerationStats | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    quotes: tuple[Quote, ...] = ()  # an extractive answer's quoted pieces
    translation: str | None = None
    retrieval_question: str | None = None

    @property
    def triage_level(self) -> str | None:
        return None if self.triage is None else self.triage.level.value

    @property
    def passage_ids(self) -> list[str]:
        return [citation.passage_id for citation in self.citations]

    def to_dict(self) -> dict[str, Any]:
        return {
            "consult_id": self.consult_id,
            "question": self.question,
            "text": self.text,
            "citations": [citation.to_dict() for citation in self.citations],
            "triage": None if self.triage is None else self.triage.as_dict(),
            "triage_level": self.triage_level,
            "model_claimed_level": self.model_claimed_level,
            "model_suggested_level": self.model_suggested_level,
            "route": self.route.as_dict(),
            "confidence": self.confidence.to_dict(),
            "engine": self.engine,
            "model": self.model,
            "model_sha256": self.model_sha256,
            "rules_version": self.rules_version,
            "kb_version": self.kb_version,
            "retrieval_mode": self.retrieval_mode,
            "latency_ms": self.latency_ms,
            "cached": self.cached,
            "refused": self.refused,
            "cancelled": self.cancelled,
            "model_error": self.model_error,
            "fallback_reason": self.fallback_reason,
            "generation": None if self.generation is None else self.generation.to_dict(),
            "notes": list(self.notes),
            "quotes": [quote.to_dict() for quote in self.quotes],
            "translation": self.translation,
            "retrieval_question": self.retrieval_question,
        }


__all__ = ["AnswerEngine", "Citation", "ConsultAnswer", "GenerationStats"]
