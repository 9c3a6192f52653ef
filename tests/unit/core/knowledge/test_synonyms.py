"""The synonym list: how a question's words are matched, and the shipped list's shape."""

from __future__ import annotations

import unicodedata

from medassist_desktop.core.knowledge.fts_query import STOPWORDS
from medassist_desktop.core.knowledge.synonyms import Synonyms

SMALL = Synonyms(
    (
        ("convulsion", "seizure", "fit", "fitting"),
        ("iv fluids", "drip", "iv"),
        ("needlestick", "stuck by a needle"),
    )
)


def test_whole_words_plurals_and_the_longest_phrase() -> None:
    named = SMALL.named("The kid is FITTING again; two fits today. How much IV fluids, drip?")
    assert named == [
        ("fitting", ["convulsion", "seizure"]),  # 'fit' is said too (as 'fits')
        ("iv fluids", []),  # 'drip' and 'iv' are in the question already
    ]
    assert SMALL.named("fitness check, a misfit, ivory") == []  # not whole words
    assert SMALL.named("got stuck by a needle") == [("stuck by a needle", ["needlestick"])]
    assert Synonyms(()).named("fits") == []


def test_terms_are_compared_case_folded_and_nfc() -> None:
    accented = Synonyms((("sốt", "fever"),))
    decomposed = unicodedata.normalize("NFD", "Bé bị SỐT")
    assert accented.named(decomposed) == [("sốt", ["fever"])]


def test_the_shipped_list_is_one_concept_per_term() -> None:
    shipped = Synonyms.shipped()
    assert shipped.version and len(shipped.groups) >= 100
    seen: set[str] = set()
    for group in shipped.groups:
        assert len(group) >= 2
        for term in group:
            assert term == term.strip().casefold() and term not in seen, term
            assert term not in STOPWORDS, term  # would expand nearly every question
            seen.add(term)
    assert Synonyms.shipped() is shipped  # read once per process
