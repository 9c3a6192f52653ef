"""Extractive answers: the library's own sentences and table rows, quoted, never rewritten.

A model that is not an instruction-tuned medical model (the embedded Gemma 3 270M
is a small general base model) must not write clinical text: asked about ORS it
echoed its prompt and shuffled a dosing table. With such a model the consult
answers by quoting: the sentences and table rows of the top passages that are most
similar to the question (cosine similarity of the embeddings, or shared words when
the embedding model is not loaded), each verbatim and with its citation [n].
Nothing is paraphrased, so nothing can be distorted; the health worker reads the
numbers exactly as the guideline prints them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from medassist_desktop.core.assistant.passage_units import PassageUnit, passage_units
from medassist_desktop.core.knowledge.passages import Passage
from medassist_desktop.i18n.catalogue import FALLBACK_LANGUAGE, gettext_noop, translate

EXTRACTIVE_NOTICE = gettext_noop(
    "Answers are quoted from the library; import MedGemma for written answers."
)
# The embedded model cannot write in another language: the quotes stay as the library
# has them, and a health worker reading another language is told so in that language.
ENGLISH_QUOTES_NOTICE = gettext_noop(
    "The library is in English and the quotes below are not translated; a model that "
    "writes answers (MedGemma) can answer in your language."
)
NO_QUOTE_TEXT = gettext_noop(
    "No passage in the reference library matches this question. Follow national "
    "guidelines, and refer when in doubt."
)
READ_IN_FULL = gettext_noop("Open a source to read it in full before acting.")
PAGE_TEXT = gettext_noop(", p. {page}")

MAX_QUOTES = 5
QUOTED_PASSAGES = 3
# A piece is quoted when it is nearly as similar to the question as the best one: the
# margin keeps a second relevant row of the same table, the floor drops the unrelated.
SIMILARITY_MARGIN = 0.15
MIN_UNIT_SIMILARITY = 0.25

Embed = Callable[[Sequence[str]], Any]  # texts -> L2-normalised rows
_WORDS = re.compile(r"[a-z0-9]+")
_STOPWORDS = frozenset(
    " ".join(
        (
            "a an and are as at be by can do does for from give how i in is it me my of on or",
            "should the their there this to what when which who why with you your",
        )
    ).split(" ")
)


@dataclass(frozen=True)
class Quote:
    """One quoted piece: passage number [n], the text as printed, and how it matched."""

    n: int
    text: str
    kind: str
    similarity: float
    header: str | None = None
    order: int = 0  # position in its passage (quotes are shown in reading order)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("order")
        return data


def _lexical_scores(question: str, texts: Sequence[str]) -> list[float]:
    """Shared content words, normalised: the measure when no embedding model is loaded."""
    asked = {w for w in _WORDS.findall(question.lower()) if w not in _STOPWORDS}
    scores: list[float] = []
    for text in texts:
        words = {w for w in _WORDS.findall(text.lower()) if w not in _STOPWORDS}
        shared = len(asked & words)
        scores.append(shared / math.sqrt(len(asked) * len(words)) if asked and words else 0.0)
    return scores


def _embedding_scores(question: str, texts: Sequence[str], embed: Embed) -> list[float]:
    vectors = np.asarray(embed([question, *texts]))
    return [float(v) for v in vectors[1:] @ vectors[0]]


def select_quotes(
    question: str,
    passages: Sequence[Passage],
    *,
    embed: Embed | None = None,
    max_quotes: int = MAX_QUOTES,
) -> list[Quote]:
    """The pieces of the top passages that best answer `question`, in reading order.

    `embed`: the embedding model's encode (None: shared words are compared instead,
    with no similarity floor, since word overlap is not on the cosine scale).
    """
    pieces: list[tuple[int, int, PassageUnit]] = [
        (n, order, unit)
        for n, passage in enumerate(passages[:QUOTED_PASSAGES], start=1)
        for order, unit in enumerate(passage_units(passage.text, whole_tables=True))
    ]
    if not pieces:
        return []
    # Each piece is compared with its section's name before it: "Refer for in-patient
    # care: Any warning sign." answers "when should I refer" better than the bare line.
    texts = [f"{passages[n - 1].section}: {unit.embedding_text}" for n, _order, unit in pieces]
    if embed is not None:
        scores, floor = _embedding_scores(question, texts, embed), MIN_UNIT_SIMILARITY
    else:
        scores, floor = _lexical_scores(question, texts), 1e-9
    best = max(scores)
    ranked = sorted(range(len(pieces)), key=lambda i: -scores[i])
    chosen = [i for i in ranked if scores[i] >= floor and scores[i] >= best - SIMILARITY_MARGIN][
        :max_quotes
    ]
    quotes = [
        Quote(
            n=pieces[i][0],
            text=pieces[i][2].text,
            kind=pieces[i][2].kind,
            similarity=round(scores[i], 4),
            header=pieces[i][2].header,
            order=pieces[i][1],
        )
        for i in chosen
    ]
    return sorted(quotes, key=lambda q: (q.n, q.order))


def extractive_text(
    quotes: Sequence[Quote], passages: Sequence[Passage], language: str = FALLBACK_LANGUAGE
) -> str:
    """The answer body: the notice, then each source's quotes under its title, cited."""
    lines = [translate(EXTRACTIVE_NOTICE, language)]
    if language != FALLBACK_LANGUAGE:
        lines.append(translate(ENGLISH_QUOTES_NOTICE, language))
    lines.append("")
    if not quotes:
        lines.append(translate(NO_QUOTE_TEXT, language))
        return "\n".join(lines)
    current: int | None = None
    shown_header: str | None = None
    for quote in quotes:
        if quote.n != current:
            if current is not None:
                lines.append("")
            passage = passages[quote.n - 1]
            where = " > ".join(part for part in (passage.title, passage.section) if part)
            page = ""
            if passage.page is not None:
                page = translate(PAGE_TEXT, language).format(page=passage.page)
            lines.append(f"[{quote.n}] {where}{page}:")
            current, shown_header = quote.n, None
        if quote.kind in ("row", "table"):
            if quote.header and quote.header != shown_header:
                lines.append(f"  {quote.header}")
                shown_header = quote.header
            rows = quote.text.splitlines()
            lines.extend(f"  {row}" for row in rows[:-1])
            lines.append(f"  {rows[-1]} [{quote.n}]")
        else:
            lines.append(f'  "{quote.text}" [{quote.n}]')
    lines.extend(["", translate(READ_IN_FULL, language)])
    return "\n".join(lines)


__all__ = [
    "ENGLISH_QUOTES_NOTICE",
    "EXTRACTIVE_NOTICE",
    "MIN_UNIT_SIMILARITY",
    "Quote",
    "extractive_text",
    "select_quotes",
]
