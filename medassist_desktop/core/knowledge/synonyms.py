"""Everyday words of a question widened to the clinical words of the same concept.

Health workers type "the kid is fitting", "how much drip", "stuck by a needle"; the
starter library and a clinic's procedures say "convulsion", "IV fluids", "needlestick".
Keyword search finds only shared words, and MiniLM places many such pairs far apart.
`data/synonyms_en.json` holds groups of terms that stand for each other (from the
starter library's vocabulary and the way staff and carers in the region speak
English); keyword search uses it where the question's word is in no passage at all
(keyword_query.py says why only there).

Matching is on whole words of the casefolded, NFC-normalised question; a plural "s" or
"es" after a term counts as the term ("jabs", "fits"). The list is English, as the
library is: a question in another language is searched in the English the consult
renders it in (core/assistant/translate.py), or with its own words where there is none.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

SYNONYMS_FILE = "synonyms_en.json"


@dataclass(frozen=True)
class Synonyms:
    """Groups of interchangeable terms, and the terms a question's words bring in."""

    groups: tuple[tuple[str, ...], ...]
    version: str = ""
    _group_of: dict[str, int] = field(init=False, repr=False, compare=False)
    _pattern: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        groups = tuple(tuple(_normal(term) for term in group) for group in self.groups)
        object.__setattr__(self, "groups", groups)
        group_of: dict[str, int] = {}
        for number, group in enumerate(groups):
            for term in group:
                group_of.setdefault(term, number)
        object.__setattr__(self, "_group_of", group_of)
        # Longest first, so "iv fluids" wins over "iv" where both are terms.
        alternatives = "|".join(re.escape(term) for term in sorted(group_of, key=len, reverse=True))
        pattern = rf"(?<!\w)({alternatives})(?:e?s)?(?!\w)" if group_of else None
        object.__setattr__(self, "_pattern", re.compile(pattern) if pattern else None)

    @staticmethod
    def shipped() -> Synonyms:
        """The list shipped with the app (package data), read once per process."""
        return _shipped()

    def named(self, question: str) -> list[tuple[str, list[str]]]:
        """For each group the question names, in order: the term as named and the
        group's other terms that the question does not say."""
        if self._pattern is None:
            return []
        text = _normal(question)
        found: dict[int, str] = {}
        for match in self._pattern.finditer(text):
            found.setdefault(self._group_of[match.group(1)], match.group(1))
        return [
            (term, [other for other in self.groups[group] if not _says(text, other)])
            for group, term in found.items()
        ]


@cache
def _shipped() -> Synonyms:
    text = resources.files(__package__).joinpath("data", SYNONYMS_FILE).read_text("utf-8")
    data = json.loads(text)
    groups = tuple(tuple(group["terms"]) for group in data["groups"])
    return Synonyms(groups, version=str(data["version"]))


def _normal(text: str) -> str:
    return unicodedata.normalize("NFC", text.casefold()).strip()


def _says(text: str, term: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(term)}(?:e?s)?(?!\w)", text) is not None


__all__ = ["Synonyms"]
