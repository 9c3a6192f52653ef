"""Which found passages are relevant enough to show a person searching the library.

Vector search always returns its k nearest passages, related or not: a search the
library does not cover ("kidney stone") came back with eight passages about other
things. On the starter library with all-MiniLM-L6-v2 (benchmarks/results/consult.json)
the best passage of a covered question scored 0.61-0.79 and that of a question the
library does not cover 0.33-0.39, so passages under 0.40 are not shown and, when none
is left, the page says that nothing relevant was found. Keyword-only results carry
no similarity and are all kept (their scores are not comparable across searches).
"""

from __future__ import annotations

from collections.abc import Sequence

from medassist_desktop.core.knowledge.passages import Passage

MIN_RELEVANT_SIMILARITY = 0.40


def relevant_passages(
    passages: Sequence[Passage], floor: float = MIN_RELEVANT_SIMILARITY
) -> list[Passage]:
    """The passages at or above `floor` (all of them when none has a similarity)."""
    return [p for p in passages if p.similarity is None or p.similarity >= floor]


__all__ = ["MIN_RELEVANT_SIMILARITY", "relevant_passages"]
