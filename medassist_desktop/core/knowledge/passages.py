"""What retrieval hands to the consult pipeline: passages with everything a citation needs.

Kept apart from the retriever itself so the pipeline, the CLI and the UI depend on
this small contract, not on how the knowledge base stores or ranks things.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

RetrievalMode = Literal["hybrid", "keyword"]


@dataclass(frozen=True)
class Passage:
    """One retrieved chunk, with its document's title, section, page and source."""

    chunk_id: str
    doc_id: str
    title: str
    source: str
    section: str
    page: int | None
    text: str
    score: float  # fused ranking score (reciprocal-rank fusion); orders passages
    similarity: float | None = None  # cosine similarity to the question; None: keyword only
    keyword_rank: int | None = None
    vector_rank: int | None = None
    # "clinic": imported by the clinic; "starter": the library shipped with the app.
    library: str = "clinic"
    # True when the clinic-document preference (kb_prefer_local) raised this passage.
    preferred_local: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class RetrievalResult:
    passages: list[Passage]
    mode: RetrievalMode
    kb_version: str  # changes whenever the indexed content changes (part of cache keys)
    degraded_reason: str | None = None  # why vector search was not used, when it was not
    timings_ms: dict[str, float] = field(default_factory=dict)


class Retriever(Protocol):
    """Hybrid keyword + vector search over the knowledge base."""

    def search(
        self,
        query: str,
        k: int = 5,
        *,
        query_embedding: npt.NDArray[np.float32] | None = None,
    ) -> RetrievalResult:
        """Top-k passages for the query; `query_embedding` lets a caller that already
        embedded the question (the router) avoid a second encode."""
        ...
