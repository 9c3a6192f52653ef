"""Keyword routing: the fallback used while (or when) the embedding model is not loaded.

Each intent has a list of phrases (a trailing '*' matches any word ending; other
phrases match whole words, case-insensitively; `case_sensitive` phrases such as
"WHO" must match exactly, so "who won the match" is not a guideline question).
An intent's score is the number of its distinct phrases found. out_of_scope starts
from a base score, so a question with no clinical phrase is refused, and each
out-of-scope phrase adds a larger weight, so "the price of a phone" stays refused
even if a clinical word slips in. Confidence is a softmax over the scores, as in
the semantic router, with the same output shape.

The clinical lexicon (`lexicon.py`) comes last and has the final word: a question
naming a disease, sign, medicine or procedure is never refused (out_of_scope is
taken out of the race and the term's intent scores), and one naming only a body
part is refused only when an out-of-scope phrase is also found.
"""

from __future__ import annotations

import re

import numpy as np

from medassist_desktop.core.routing.intents import (
    Intent,
    IntentData,
    KeywordList,
    RouteResult,
    empty_question_result,
    result_from_probabilities,
)
from medassist_desktop.core.routing.lexicon import (
    CATEGORY_INTENTS,
    ClinicalLexicon,
    LexiconMatch,
)
from medassist_desktop.core.routing.semantic import softmax


def default_lexicon() -> ClinicalLexicon:
    """The packaged lexicon with the sign codes of the triage rules in use."""
    from medassist_desktop.core.triage import load_rules

    return ClinicalLexicon.load(load_rules().signs)


def _compile(phrase: str, *, case_sensitive: bool) -> re.Pattern[str]:
    words = phrase.strip().split()
    parts = [re.escape(word.rstrip("*")) + (r"\w*" if word.endswith("*") else "") for word in words]
    pattern = r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)"
    return re.compile(pattern, 0 if case_sensitive else re.IGNORECASE)


class KeywordRouter:
    """Routes by phrase matches; needs no model and answers in well under a millisecond."""

    def __init__(self, data: IntentData, lexicon: ClinicalLexicon | None = None) -> None:
        self.lexicon = lexicon if lexicon is not None else default_lexicon()
        self._scoring = data.keyword_scoring
        self._patterns: dict[Intent, list[re.Pattern[str]]] = {
            intent: self._patterns_of(data.keywords[intent]) for intent in Intent
        }

    @staticmethod
    def _patterns_of(keywords: KeywordList) -> list[re.Pattern[str]]:
        return [_compile(p, case_sensitive=False) for p in keywords.phrases] + [
            _compile(p, case_sensitive=True) for p in keywords.case_sensitive
        ]

    def matches(self, text: str) -> dict[Intent, int]:
        """How many distinct phrases of each intent occur in the text."""
        return {
            intent: sum(1 for pattern in patterns if pattern.search(text))
            for intent, patterns in self._patterns.items()
        }

    def scores(self, text: str) -> np.ndarray:
        found = self.matches(text)
        scores = np.array([float(found[intent]) for intent in Intent], dtype=np.float64)
        oos = list(Intent).index(Intent.OUT_OF_SCOPE)
        scores[oos] = (
            self._scoring.out_of_scope_base
            + self._scoring.out_of_scope_weight * found[Intent.OUT_OF_SCOPE]
        )
        clinical = self.lexicon.find(text)
        if clinical.strong or (clinical.any and not found[Intent.OUT_OF_SCOPE]):
            self._never_refuse(scores, clinical, oos)
        return scores

    @staticmethod
    def _never_refuse(scores: np.ndarray, clinical: LexiconMatch, oos: int) -> None:
        """Score the lexicon's intents and put out_of_scope below every clinical intent."""
        order = list(Intent)
        if not scores[:oos].any():  # no intent phrase at all: the terms say which
            for category, terms in clinical.terms.items():
                if terms:
                    scores[order.index(CATEGORY_INTENTS[category])] += len(terms)
        scores[oos] = float(scores[:oos].min()) - 4.0

    def route(self, text: str) -> RouteResult:
        if not text.strip():
            return empty_question_result("keyword")
        probabilities = softmax(self.scores(text), self._scoring.temperature)
        return result_from_probabilities(
            {intent: float(p) for intent, p in zip(Intent, probabilities, strict=True)},
            "keyword",
        )


__all__ = ["KeywordRouter"]
