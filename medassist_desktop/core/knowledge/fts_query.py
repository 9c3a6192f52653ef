"""Turning whatever a person types into a safe FTS5 query.

FTS5 has its own query language (quotes, AND/OR/NOT/NEAR, `col:`, `*`, `^`, brackets),
so raw user text can be a syntax error ("fever AND", an odd number of quotes) or mean
something else than typed ("NOT" as an operator). We never pass it through: the text is
split into words (runs of letters, digits and combining marks, in any script), common
function words of questions are dropped, and each remaining word becomes a quoted
string (`"word"`), joined with OR. Inside quotes FTS5 applies the table's tokenizer
(porter stemming, diacritics folded) and nothing is an operator, and the words we keep
contain no quote character, so every expression we build is valid. BM25 then ranks
passages matching more, and rarer, words first.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

MAX_TERMS = 32
MAX_TERM_CHARS = 64

# English function words and question words: they match nearly every passage and only
# slow the search down. Clinical words (pain, fever, child...) are never in this list.
_STOPWORD_TEXT = """
    a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your
    yours yourself yourselves tell please give me shall may might must also get got let
    know need want
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def _is_word_char(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "LNM"


def query_terms(text: str) -> list[str]:
    """The search words of `text`: lower-cased, de-duplicated, function words dropped."""
    words: list[str] = []
    current: list[str] = []
    for char in text + " ":
        if _is_word_char(char):
            current.append(char)
        elif current:
            words.append("".join(current))
            current = []
    terms: list[str] = []
    seen: set[str] = set()
    for word in words:
        term = unicodedata.normalize("NFC", word.casefold())[:MAX_TERM_CHARS]
        if term in seen or term in STOPWORDS:
            continue
        if len(term) == 1 and term.isascii():
            continue  # "a", "s" of "child's", "x": noise for keyword search
        seen.add(term)
        terms.append(term)
        if len(terms) == MAX_TERMS:
            break
    return terms


def fts_match_expression(text: str) -> str | None:
    """An FTS5 MATCH expression for `text`, or None when it has no search words."""
    return match_expression(query_terms(text))


def match_expression(terms: Sequence[str]) -> str | None:
    """Any of the terms (each a quoted FTS5 string), or None for no terms."""
    if not terms:
        return None
    return " OR ".join(quote(term) for term in terms)


def quote(term: str) -> str:
    """One term as an FTS5 string: inside double quotes nothing is an operator."""
    return '"' + term.replace('"', '""') + '"'
