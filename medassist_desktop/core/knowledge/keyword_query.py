"""The keyword half of a search: which words of the question FTS5 looks for.

Keyword search costs a BM25 score for every chunk matching any word of the question.
In a large knowledge base (from 2,000 chunks) words found in more than 20% of the
chunks are left out of the keyword query (kept when fewer than two words would be
left), and at most the 8 rarest words are searched: such words have a BM25 weight (IDF)
below ~1.4 and barely move the ranking, but each adds thousands of rows to score. On
50,000 synthetic chunks this took the keyword step from 12 / 31 ms (p50 / p95) to
7 / 18 ms. Document counts per word are cached until the content changes.

A word of the question that no passage contains (a lay word: "premmie", "drip",
"jerking") is searched by the other terms of its concept in the synonym list
(synonyms.py): at most 4 added terms, beside the question's own words. Only for such
words: expanding every word the list knows took the 190 tuning questions' recall@3 from
0.863 to 0.832 (a first draft of the list, which expanded 171 of the 216 tuning and
starter questions), while expanding only words absent from the knowledge base raised it
to 0.874 (first: 0.621 to 0.637), keyword-only 0.753 to 0.779 and the starter library's
own questions keyword-only 0.808 to 0.885; on the fourth held-out set (72 questions over
12 unseen clinic documents, list and questions written apart) hybrid recall@3 stayed
0.889 (first: 0.750 to 0.736), keyword-only went 0.833 to 0.847; on the fifth (72
questions sharing fewer words with their answers) hybrid 0.625 to 0.667, keyword-only
0.500 to 0.528 (benchmarks/retrieval_eval.py).

A misspelt word ("vacination", "diabetis", "amoxicilin") is in no passage either; one
of at least six letters is searched as the index's term of five letters or more it most
likely means: one letter added, dropped or changed (in the index's stemmed form,
"vacin" -> "vaccin"), or a term of six letters or more that it begins with, two letters
longer at most ("artesunat" -> "artesun"); of several, the one in most chunks. Shorter
words are left as typed: at five letters one changed letter is often another word
("stuff", "staff"). On the 262 tuning questions recall@3 went 0.878 to 0.885
(keyword-only 0.798 to 0.805); on the fifth held-out set, one question in eight
misspelt, hybrid recall@3 stayed 0.667 (first: 0.486 to 0.472), keyword-only 0.528 to
0.556. The first search with a misspelt word reads the index's terms of its first letter
(fts5vocab, with their chunk counts): 2-10 ms at 50,000 chunks; the answer is cached
until the content changes.

Runs on the thread that owns the store's database connection (it counts words there).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from medassist_desktop.core.knowledge.fts_query import match_expression, query_terms, quote
from medassist_desktop.core.knowledge.store import KnowledgeStore
from medassist_desktop.core.knowledge.synonyms import Synonyms

PRUNE_FROM_CHUNKS = 2000  # below this, every word of the question is searched
MAX_TERM_SHARE = 0.2  # words in a larger share of chunks are left out of keyword search
MIN_KEYWORD_TERMS = 2
MAX_KEYWORD_TERMS = 8
MAX_SYNONYM_TERMS = 4  # terms of a concept searched beside the question's own words
MAX_CACHED_TERMS = 20_000
MIN_CORRECTED_LETTERS = 6  # shorter words are left as typed ("stuff" is not "staff")


@dataclass
class _TermStats:
    """Chunk count and per-word document counts at one content version."""

    content_version: int
    chunks: int
    document_counts: dict[str, int]
    spellings: dict[str, str | None] = field(default_factory=dict)


class KeywordQuery:
    """Builds the FTS5 expression of a question; `synonyms="shipped"` reads the app's
    list on the first search; `correct_spelling=False` searches misspelt words as typed."""

    def __init__(
        self,
        store: KnowledgeStore,
        synonyms: Synonyms | Literal["shipped"] | None,
        *,
        correct_spelling: bool = True,
    ) -> None:
        self._store = store
        self._synonyms = synonyms
        self._correct_spelling = correct_spelling
        self._stats: _TermStats | None = None

    def chunks(self, version: int) -> int:
        """How many chunks the knowledge base holds at this content version."""
        return self._stats_at(version).chunks

    def match(self, query: str, version: int) -> str | None:
        """The FTS5 expression for the question's words and, for a word no passage has,
        the other terms of its concept; None when there is nothing to search."""
        stats = self._stats_at(version)
        if len(stats.document_counts) > MAX_CACHED_TERMS:
            stats.document_counts.clear()
            stats.spellings.clear()
        terms = [self._spelling(term, stats) for term in query_terms(query)]
        added = self._synonyms_of_unknown_words(query, terms, stats)
        if not terms and not added:
            return None
        if stats.chunks < PRUNE_FROM_CHUNKS:
            return match_expression(terms + added[:MAX_SYNONYM_TERMS])
        counted = self._counted(terms, stats)
        kept = [item for item in counted if item[0] <= MAX_TERM_SHARE * stats.chunks]
        if len(kept) < MIN_KEYWORD_TERMS:
            kept = counted[:MIN_KEYWORD_TERMS]
        extra = [
            item for item in self._counted(added, stats) if item[0] <= MAX_TERM_SHARE * stats.chunks
        ]
        chosen = kept[:MAX_KEYWORD_TERMS] + extra[:MAX_SYNONYM_TERMS]
        return match_expression([term for _, term in chosen]) if chosen else None

    def _stats_at(self, version: int) -> _TermStats:
        """Chunk and word counts at this content version (counted again after a change)."""
        stats = self._stats
        if stats is None or stats.content_version != version:
            stats = _TermStats(version, self._store.chunk_count(), {})
            self._stats = stats
        return stats

    def _synonyms_of_unknown_words(
        self, query: str, terms: list[str], stats: _TermStats
    ) -> list[str]:
        """The other terms of each concept the question names with a word or phrase that
        no passage contains."""
        if self._synonyms == "shipped":
            self._synonyms = Synonyms.shipped()
        if self._synonyms is None:
            return []
        added: list[str] = []
        for named, others in self._synonyms.named(query):
            if self._document_count(named, stats) == 0:
                added += [term for term in others if term not in added and term not in terms]
        return added

    def _spelling(self, term: str, stats: _TermStats) -> str:
        """The term, or for a misspelt word the index term it most likely means."""
        if not self._correct_spelling or len(term) < MIN_CORRECTED_LETTERS or not term.isalpha():
            return term
        if term not in stats.spellings:
            stats.spellings[term] = None
            if self._document_count(term, stats) == 0:
                stats.spellings[term] = self._likely_meant(self._store.stem(term))
        return stats.spellings[term] or term

    def _likely_meant(self, stem: str) -> str | None:
        best: tuple[int, str] | None = None
        shortest = max(MIN_CORRECTED_LETTERS - 1, len(stem) - 2)
        for candidate, chunks in self._store.index_terms(stem[0], shortest, len(stem) + 1):
            begins = len(candidate) >= MIN_CORRECTED_LETTERS and stem.startswith(candidate)
            if (begins or _one_edit_apart(stem, candidate)) and (best is None or chunks > best[0]):
                best = (chunks, candidate)
        return None if best is None else best[1]

    def _counted(self, terms: list[str], stats: _TermStats) -> list[tuple[int, str]]:
        """(chunks containing it, term) for each term found at all, rarest first."""
        counted = [(self._document_count(term, stats), term) for term in terms]
        return sorted(item for item in counted if item[0])  # a word no chunk has cannot match

    def _document_count(self, term: str, stats: _TermStats) -> int:
        count = stats.document_counts.get(term)
        if count is None:
            count = self._store.term_document_count(quote(term))
            stats.document_counts[term] = count
        return count


def _one_edit_apart(a: str, b: str) -> bool:
    """Whether one letter added, dropped or changed turns `a` into `b` (not equal)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    start = 0
    while start < len(a) and a[start] == b[start]:
        start += 1
    if len(a) == len(b):
        return a[start + 1 :] == b[start + 1 :]
    return a[start:] == b[start + 1 :]


__all__ = ["KeywordQuery"]
