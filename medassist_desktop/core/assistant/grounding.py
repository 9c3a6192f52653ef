"""Checks on the answer text itself that no token probability catches.

Measured on Gemma 3 270M (benchmarks/results/consult.json): the model's most confident
outputs were often its worst. It cited passages that do not exist ("[4] (1) (2) (3)
[5] (1) ..." with a mean token probability of 0.84 when three passages were given),
looped on one phrase, or repeated its instructions back instead of answering. So
three checks, each a reason for low confidence:
- citations of passage numbers that were not given;
- repetition: the share of the answer's word 4-grams, or of its lines, that occur
  more than once;
- echo: the share of the answer's word 6-grams that appear in the instructions, and
  any whole sentence of the instructions (five words or more) found in the answer;
- numbers: every number with a unit must appear, with the other numbers of its
  sentence or table row, in one sentence or row of a cited passage (`numbers.py`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from medassist_desktop.core.assistant.numbers import NumberCheck, check_numbers
from medassist_desktop.core.assistant.passage_units import split_sentences
from medassist_desktop.core.assistant.prompt import cited_numbers

MAX_REPETITION = 0.5
MAX_INSTRUCTION_ECHO = 0.5
MIN_ECHO_SENTENCE_WORDS = 5
_WORDS = re.compile(r"\w+", re.UNICODE)


def _ngrams(words: list[str], n: int) -> list[tuple[str, ...]]:
    return [tuple(words[i : i + n]) for i in range(len(words) - n + 1)]


def repetition_share(text: str, n: int = 4) -> float:
    """How much of the text repeats itself: 0.0 none, towards 1.0 one phrase looped.

    The larger of two shares: word n-grams that occur more than once, and non-blank
    lines that occur more than once (a list that loops: "(1) (2) (3) ... (1) (2) (3)").
    """
    shares = [0.0]
    grams = _ngrams(_WORDS.findall(text.lower()), n)
    if len(grams) >= 4:
        counts = Counter(grams)
        shares.append(sum(c for c in counts.values() if c > 1) / len(grams))
    lines = [line.strip().lower() for line in text.splitlines() if line.strip()]
    if len(lines) >= 4:
        line_counts = Counter(lines)
        shares.append(sum(c for c in line_counts.values() if c > 1) / len(lines))
    return max(shares)


def echo_share(text: str, instructions: str, n: int = 6) -> float:
    """The share of the text's word n-grams copied from the instructions."""
    grams = _ngrams(_WORDS.findall(text.lower()), n)
    if not grams:
        return 0.0
    source = set(_ngrams(_WORDS.findall(instructions.lower()), n))
    return sum(gram in source for gram in grams) / len(grams)


def echoed_sentences(text: str, instructions: str) -> list[str]:
    """The sentences of the instructions (five words or more) that the text repeats."""
    words = " " + " ".join(_WORDS.findall(text.lower())) + " "
    echoed: list[str] = []
    for paragraph in instructions.split("\n"):
        for sentence in split_sentences(paragraph.strip()):
            sentence_words = _WORDS.findall(sentence.lower())
            if len(sentence_words) < MIN_ECHO_SENTENCE_WORDS:
                continue
            if f" {' '.join(sentence_words)} " in words:
                echoed.append(sentence)
    return echoed


@dataclass(frozen=True)
class TextChecks:
    invalid_citations: tuple[int, ...]
    repetition: float
    instruction_echo: float
    echoed: tuple[str, ...] = ()
    numbers: NumberCheck = field(default_factory=lambda: NumberCheck(checked=0, unsupported=()))

    def problems(self) -> list[str]:
        found: list[str] = []
        if self.invalid_citations:
            numbers = ", ".join(f"[{n}]" for n in self.invalid_citations)
            found.append(f"the answer cites passages that were not given ({numbers})")
        if self.repetition > MAX_REPETITION:
            found.append(f"the answer repeats itself ({self.repetition:.0%} repeated)")
        if self.instruction_echo > MAX_INSTRUCTION_ECHO:
            found.append(
                f"the answer repeats its instructions ({self.instruction_echo:.0%} copied)"
            )
        elif self.echoed:
            found.append(f"the answer repeats {len(self.echoed)} sentence(s) of its instructions")
        if self.numbers.unsupported:
            found.append(
                "numbers not found as written in the cited passages: "
                + ", ".join(self.numbers.unsupported)
            )
        return found

    def signals(self) -> dict[str, Any]:
        return {
            "invalid_citations": list(self.invalid_citations),
            "repetition": round(self.repetition, 3),
            "instruction_echo": round(self.instruction_echo, 3),
            "echoed_sentences": len(self.echoed),
            "numbers_checked": self.numbers.checked,
            "unsupported_numbers": list(self.numbers.unsupported),
        }


def check_text(
    text: str,
    *,
    instructions: str,
    passages_given: int,
    passage_texts: Mapping[int, str] | None = None,
    case_numbers: Iterable[float] = (),
) -> TextChecks:
    """Run every check. `passage_texts`: the given passages by number (for the numbers)."""
    invalid = tuple(n for n in cited_numbers(text) if not 1 <= n <= passages_given)
    return TextChecks(
        invalid_citations=invalid,
        repetition=repetition_share(text),
        instruction_echo=echo_share(text, instructions),
        echoed=tuple(echoed_sentences(text, instructions)),
        numbers=check_numbers(text, passage_texts or {}, case_numbers=case_numbers),
    )


__all__ = ["TextChecks", "check_text", "echo_share", "echoed_sentences", "repetition_share"]
