"""The clinical lexicon: words that make a question clinical whatever else it says.

A question that names a disease, a symptom or sign, a medicine, a procedure or a body
part (or a patient's measurement) is about patient care, and refusing it ("What are
the dengue warning signs?") costs a health worker far more than answering a stray
one. The keyword router therefore never refuses a question with a lexicon term, with
one exception: a body part or a measurement alone is weak evidence, so an
out-of-scope phrase outweighs it ("how many legs does a spider have"); a disease,
sign, medicine or procedure never is.

The terms come from `data/clinical_lexicon_v2.json` (built from the starter library's
topics, the triage sign codes and curated lists in each language the app ships -
English, Indonesian, Vietnamese - by tools/build_clinical_lexicon.py); the sign codes
of the rules in use are added at load time, so a new sign is covered without
rebuilding the file. A question is matched whatever the language the app is set to:
health workers mix languages, and the lists leave out words that are everyday words
in one of the languages.

Matching is on whole words, case-insensitive, after Unicode NFC normalisation of both
the question and the terms, so a Vietnamese question typed with combining accents
("sốt" as o + U+0302 + U+0301) matches the composed term. Two cheap Indonesian
morphology rules: a reduplicated word counts as its base ("batuk-batuk" is "batuk")
and the suffix "-nya" is allowed after a term ("demamnya", "batuknya").
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources

from medassist_desktop.core.routing.intents import Intent, RoutingDataError
from medassist_desktop.i18n.catalogue import N_

LEXICON_FILE = "clinical_lexicon_v2.json"
WEAK_CATEGORIES = frozenset({"body_part", "measurement"})

# The intent a lexicon term points to when nothing else in the question does.
CATEGORY_INTENTS: dict[str, Intent] = {
    "disease": Intent.GUIDELINE,
    "library_topic": Intent.GUIDELINE,
    "procedure": Intent.GUIDELINE,
    "medicine": Intent.MEDICATION,
    "symptom": Intent.SYMPTOMS,
    "triage_sign": Intent.SYMPTOMS,
    "body_part": Intent.SYMPTOMS,
    "measurement": Intent.SYMPTOMS,
}


# "batuk-batuk" -> "batuk", "kejang-kejang" -> "kejang" (Indonesian reduplication).
_REDUPLICATED = re.compile(r"(?<![\w-])(\w+)-\1(?=(?:nya)?(?![\w-]))", re.IGNORECASE)


def normalise(text: str) -> str:
    """NFC, with reduplicated words reduced to their base (what the terms are matched on)."""
    return _REDUPLICATED.sub(r"\1", unicodedata.normalize("NFC", text))


def _pattern(terms: Iterable[str]) -> re.Pattern[str]:
    unique = {unicodedata.normalize("NFC", t) for t in terms if t}
    ordered = sorted(unique, key=len, reverse=True)  # longest first
    words = (r"\s+".join(re.escape(part) for part in term.split()) for term in ordered)
    return re.compile(r"(?<![\w-])(?:" + "|".join(words) + r")(?:-?nya)?(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class LexiconMatch:
    """The lexicon terms found in a question, by category."""

    terms: dict[str, tuple[str, ...]]

    @property
    def strong(self) -> bool:
        """A disease, sign, medicine or procedure (not only a body part) is named."""
        return any(terms for cat, terms in self.terms.items() if cat not in WEAK_CATEGORIES)

    @property
    def any(self) -> bool:
        return any(self.terms.values())


class ClinicalLexicon:
    """Finds the clinical terms of a question (thread-safe; compiled once)."""

    def __init__(
        self, terms: Mapping[str, Iterable[str]], not_clinical: Iterable[str] = ()
    ) -> None:
        """`not_clinical`: everyday phrases that contain a term ("nước sốt", a sauce,
        holds "sốt", fever); they are blanked out of a question before matching."""
        self.categories = {name: tuple(sorted(set(words))) for name, words in terms.items()}
        self._patterns = {name: _pattern(words) for name, words in self.categories.items() if words}
        phrases = tuple(p for p in not_clinical if p)
        self._not_clinical = _pattern(phrases) if phrases else None

    @classmethod
    def load(cls, extra_signs: Iterable[str] = ()) -> ClinicalLexicon:
        """The packaged lexicon, with the given triage sign codes ("stiff_neck") added."""
        try:
            text = (
                resources.files("medassist_desktop.core.routing")
                .joinpath("data", LEXICON_FILE)
                .read_text(encoding="utf-8")
            )
            data = json.loads(text)
            terms: dict[str, list[str]] = dict(data["terms"])
            not_clinical = [str(p) for p in data.get("not_clinical", [])]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise RoutingDataError(
                N_("The clinical lexicon cannot be loaded: {reason}", reason=exc)
            ) from exc
        signs = [code.replace("_", " ") for code in extra_signs]
        terms["triage_sign"] = [*terms.get("triage_sign", []), *signs]
        return cls(terms, not_clinical)

    def find(self, text: str) -> LexiconMatch:
        text = normalise(text)
        if self._not_clinical is not None:
            text = self._not_clinical.sub(" ", text)
        return LexiconMatch(
            {
                name: tuple(dict.fromkeys(m.group(0).lower() for m in pattern.finditer(text)))
                for name, pattern in self._patterns.items()
            }
        )


__all__ = [
    "CATEGORY_INTENTS",
    "WEAK_CATEGORIES",
    "ClinicalLexicon",
    "LexiconMatch",
    "normalise",
]
