"""Numbers with units in a written answer, checked against the passages it cites.

A small model that reproduces a dosing table can keep every number and still swap
them between rows ("2 up to 5 years ... 6 to under 10 kg ... 450 to 800 ml"): each
number exists in the library, the combination does not. So a number with a unit
(a dose, volume, rate, age, weight, duration, temperature) counts as grounded only
when, together with the other numbers of its sentence or table row, it appears in
ONE sentence or row of a passage the answer cites. Numbers taken from the patient's
own case (the child's age, the measured temperature) are allowed on their own.

Numbers are compared as values ("1,600" is 1600, "0.50" is 0.5), not as text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from medassist_desktop.core.assistant.passage_units import passage_units, split_sentences
from medassist_desktop.core.assistant.prompt import cited_numbers

_NUMBER = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?|\.\d+"
_UNIT = (
    r"(?:mg|mcg|µg|ug|g|kg|ml|mL|l|L|litres?|liters?|IU|units?|mmol|mmHg|mm|cm|"
    r"years?|yrs?|months?|mo|weeks?|wks?|days?|hours?|hrs?|h|minutes?|mins?|min|"
    r"seconds?|secs?|breaths?|beats?|°\s?C|°|%|tablets?|tabs?|capsules?|drops?|doses?|"
    r"packets?|sachets?|times|spoons?|teaspoons?|cups?)"
    r"(?:\s?/\s?(?:kg|day|d|dose|hour|hr|h|min|minute|m2|L|dL))*"
)
_RANGE_JOIN = r"\s*(?:-|–|—|to under|to below|up to|to|or)\s*"
_WITH_UNIT = re.compile(
    rf"(?<![\w.])((?:{_NUMBER})(?:{_RANGE_JOIN}(?:{_NUMBER}))?)\s?(?:{_UNIT})(?![\w])"
    r"|(?<![\w.])((?:" + _NUMBER + r"))\s?/\s?min(?![\w])",
    re.IGNORECASE,
)
_ANY_NUMBER = re.compile(rf"(?<![\w.])(?:{_NUMBER})(?![\w])")


def value_of(token: str) -> float:
    """The value of one number as written ("1,600" -> 1600.0)."""
    return float(token.replace(",", "")) if "," in token else float(token)


def numbers_in(text: str) -> set[float]:
    """Every number in a text, as values (used for the passages' side)."""
    return {value_of(m.group(0)) for m in _ANY_NUMBER.finditer(text)}


@dataclass(frozen=True)
class UnitNumber:
    """A number (or range) with its unit as written in the answer, and its values."""

    written: str
    values: frozenset[float]


def unit_numbers(text: str) -> list[UnitNumber]:
    """The numbers with a unit in a text: "960 to 1600 ml", "52/min", "38.5 °C"."""
    found: list[UnitNumber] = []
    for match in _WITH_UNIT.finditer(text):
        numbers = match.group(1) or match.group(2) or ""
        values = frozenset(value_of(m.group(0)) for m in _ANY_NUMBER.finditer(numbers))
        if values:
            found.append(UnitNumber(match.group(0), values))
    return found


def answer_units(text: str) -> list[str]:
    """The sentences and table rows of an answer (a row is one unit; lines break units)."""
    units: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("|"):
            units.append(stripped)
        else:
            units.extend(split_sentences(stripped))
    return units


@dataclass(frozen=True)
class NumberCheck:
    """Which numbers of the answer are not backed, as written together, by a cited passage."""

    checked: int
    unsupported: tuple[str, ...]  # as written in the answer, each once

    @property
    def ok(self) -> bool:
        return not self.unsupported


def check_numbers(
    answer: str,
    passages: Mapping[int, str],
    *,
    case_numbers: Iterable[float] = (),
) -> NumberCheck:
    """Check every number with a unit in `answer` against the passages it cites.

    `passages`: the text of each passage given to the model, by its number [n]. A
    sentence or row is checked against the passages it cites itself, else against all
    those the answer cites anywhere; an answer that cites nothing has nothing to back
    its numbers.
    """
    cited_anywhere = [n for n in cited_numbers(answer) if n in passages]
    allowed = set(case_numbers)
    checked = 0
    unsupported: list[str] = []
    for unit in answer_units(answer):
        numbers = unit_numbers(unit)
        if not numbers:
            continue
        checked += len(numbers)
        own = [n for n in cited_numbers(unit) if n in passages]
        sources = own or cited_anywhere
        source_units = [
            numbers_in(piece.display) for n in sources for piece in passage_units(passages[n])
        ]
        needed = {v for number in numbers for v in number.values} - allowed
        if not needed or any(needed <= values for values in source_units):
            continue
        together_fails = [n for n in numbers if n.values - allowed]
        for number in together_fails:
            if number.written not in unsupported:
                unsupported.append(number.written)
    return NumberCheck(checked=checked, unsupported=tuple(unsupported))


def mark_numbers(text: str, unsupported: Sequence[str], mark: str) -> str:
    """The text with each unsupported number followed by `mark` (e.g. " [not in sources]")."""
    if not unsupported:
        return text
    pattern = re.compile("|".join(re.escape(n) for n in sorted(set(unsupported), key=len)[::-1]))
    return pattern.sub(lambda m: m.group(0) + mark, text)


__all__ = [
    "NumberCheck",
    "UnitNumber",
    "answer_units",
    "check_numbers",
    "mark_numbers",
    "numbers_in",
    "unit_numbers",
    "value_of",
]
