"""Passages under the similarity floor are not shown as if they answered the search."""

from __future__ import annotations

from medassist_desktop.core.knowledge.passages import Passage
from medassist_desktop.core.knowledge.relevance import MIN_RELEVANT_SIMILARITY, relevant_passages


def passage(similarity: float | None) -> Passage:
    return Passage("c", "d", "t", "s", "", None, "text", 0.5, similarity)


def test_below_the_floor_is_dropped_and_keyword_results_are_kept() -> None:
    found = [passage(0.72), passage(MIN_RELEVANT_SIMILARITY), passage(0.39), passage(0.12)]
    assert [p.similarity for p in relevant_passages(found)] == [0.72, MIN_RELEVANT_SIMILARITY]
    assert relevant_passages([passage(0.35), passage(0.2)]) == []  # "no relevant passage"
    keyword_only = [passage(None), passage(None)]
    assert relevant_passages(keyword_only) == keyword_only
