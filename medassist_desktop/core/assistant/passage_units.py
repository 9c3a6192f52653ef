"""A passage cut into the pieces an answer can quote or be checked against.

A piece is one sentence of running text or list item, or one row of a table (with
its header row kept beside it, because a row such as "| 2 up to 5 years | 12 to 19
kg | 960 to 1600 ml |" means nothing without its column names). Both the
extractive answers (`extractive.py`) and the number checks (`numbers.py`) work on
these pieces, so "the same row or sentence" means the same thing in both.

Whitespace is collapsed (the library's Markdown is hard-wrapped) and emphasis
markers are dropped; no word is changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

UnitKind = Literal["sentence", "row", "table"]

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,2}[.)])\s+")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_EMPHASIS = re.compile(r"(\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w))")
_ABBREVIATIONS = ("e.g.", "i.e.", "approx.", "p.", "no.", "vs.", "dr.", "etc.")


@dataclass(frozen=True)
class PassageUnit:
    """One quotable piece of a passage: a sentence, a table row under its header, or a
    whole table (its rows, one a line, under its header)."""

    kind: UnitKind
    text: str
    header: str | None = None  # the table's header row, for a row or a table

    @property
    def display(self) -> str:
        """The piece as quoted: a row is shown under its header."""
        return f"{self.header}\n{self.text}" if self.header else self.text

    @property
    def embedding_text(self) -> str:
        """What is compared with the question (a row with its column names)."""
        return self.display.replace("|", " ")


def clean(text: str) -> str:
    """Collapse whitespace and drop Markdown emphasis markers."""
    return " ".join(_EMPHASIS.sub("", text).split())


def split_sentences(text: str) -> list[str]:
    """Sentences of a flat text; abbreviations such as "e.g." do not end a sentence."""
    pieces = _SENTENCE_END.split(text)
    sentences: list[str] = []
    for piece in pieces:
        if sentences and sentences[-1].lower().endswith(_ABBREVIATIONS):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return [s.strip() for s in sentences if s.strip()]


def _blocks(text: str) -> list[tuple[str, str]]:
    """(kind, text) blocks: "row" and "separator" lines of tables, "heading" lines, and
    "text" paragraphs/list items."""
    blocks: list[tuple[str, str]] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            blocks.append(("text", " ".join(current)))
            current.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("|"):
            flush()
            blocks.append(("separator" if _TABLE_SEPARATOR.match(line) else "row", line))
        elif line.startswith("#"):
            flush()
            blocks.append(("heading", line.lstrip("#").strip()))
        elif _LIST_ITEM.match(line):
            flush()
            current.append(_LIST_ITEM.sub("", line, count=1))
        else:
            current.append(line)
    flush()
    return blocks


def passage_units(text: str, *, whole_tables: bool = False) -> list[PassageUnit]:
    """The sentences and table rows of a passage, in reading order (headings left out).

    `whole_tables`: each table is one unit (all its rows) instead of one unit a row; a
    dosing table is read by picking the row of the patient, so it is quoted whole.
    """
    units: list[PassageUnit] = []
    header: str | None = None
    rows: list[str] = []

    def end_table() -> None:
        if whole_tables and rows:
            units.append(PassageUnit("table", "\n".join(rows), header))
        rows.clear()

    previous_kind = ""
    blocks = _blocks(text)
    for index, (kind, block) in enumerate(blocks):
        if kind == "separator":
            continue
        if kind == "row":
            row = clean(block)
            starts_table = previous_kind != "row"
            names_columns = index + 1 < len(blocks) and blocks[index + 1][0] == "separator"
            if starts_table:
                # The first row names the columns only when a separator follows it; a
                # passage cut from the middle of a table starts with a row of data, which
                # must not be shown as the header of the rows below it.
                header = row if names_columns else None
            if starts_table and names_columns:
                previous_kind = kind
                continue  # the header row itself: shown above the rows, not quoted alone
            if whole_tables:
                rows.append(row)
            else:
                units.append(PassageUnit("row", row, header))
        else:
            end_table()
            if kind == "text":
                units.extend(PassageUnit("sentence", s) for s in split_sentences(clean(block)))
        previous_kind = kind
    end_table()
    return units


__all__ = ["PassageUnit", "UnitKind", "clean", "passage_units", "split_sentences"]
