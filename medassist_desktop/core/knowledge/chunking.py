"""Cutting a Document into passages that follow its headings, paragraphs and pages.

Why these sizes: all-MiniLM-L6-v2 reads at most 256 word pieces (2 of them special)
and drops the rest silently. A chunk is embedded as its context line (title and
heading path) plus its text, so the text budget is `max_tokens` (200 by default) or
less when the context line is long, and the whole input always fits the window.
Overlap (40 tokens) repeats the end of one chunk at the start of the next, so a
sentence cut at a boundary is still whole in one of them.

How: a chunk never crosses a heading; consecutive sections under the same heading
(PDF pages) are chunked together and the chunk keeps its first and last page. The text
of a heading is split into units (sentences, and long sentences into word groups no
longer than the overlap); units are packed greedily up to the budget, then the end is
moved back to the strongest boundary (paragraph > line > sentence) that keeps the chunk
at least 60% full. Chunk ids are the sha256 of the document's content hash, the
chunking settings and the chunk's position: the same file chunked the same way gets the
same ids, so importing it again changes nothing.

Tables: a Markdown table cut between two chunks would leave the second one with rows and
no column names ("| 2 up to 5 years | 12 to 19 kg | 960 to 1600 ml |": which is the
dose?), so such rows rank low and are quoted without meaning. A chunk that starts inside
a table's body therefore begins with the table's header row and its `---` line (within
the same budget), as a person copying part of a table would.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate, groupby

from medassist_desktop.core.knowledge.documents import Document, Section
from medassist_desktop.core.knowledge.tokens import TokenCounter

CHUNKER_VERSION = 2  # 2: a chunk starting inside a table repeats its header row
MIN_FILL = 0.6  # a chunk is cut early at a good boundary only if it keeps this share of its budget
SPECIAL_TOKENS = 2  # [CLS] and [SEP]
CONTEXT_SEPARATOR = " > "

_SENTENCE_END = re.compile(r"(?<=[.!?…。！？])\s+")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•|>#]|\d{1,3}[.)])\s?")
_ENDS_SENTENCE = re.compile(r"[.!?:;…。！？]\s*$")
_PARAGRAPH, _LINE, _SENTENCE, _INSIDE = 3, 2, 1, 0  # boundary strength at a unit's start
_TABLE_ROW = re.compile(r"^\s*\|")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
MAX_HEADER_SHARE = 3  # a table header longer than budget / 3 is not repeated


@dataclass(frozen=True, slots=True)
class ChunkingOptions:
    """Sizes in tokens of the counter in use. `window_tokens`: the embedder's input limit."""

    max_tokens: int = 200
    overlap_tokens: int = 40
    window_tokens: int = 256

    def __post_init__(self) -> None:
        if self.max_tokens < 16:
            raise ValueError("max_tokens must be at least 16")
        if not 0 <= self.overlap_tokens <= self.max_tokens // 2:
            raise ValueError("overlap_tokens must be from 0 to half of max_tokens")
        if self.window_tokens < 64:
            raise ValueError("window_tokens must be at least 64")


@dataclass(frozen=True, slots=True)
class Chunk:
    """One passage: what retrieval returns and a citation points to.

    `text` is the passage as written (shown to the person); `context` is the document
    title and heading path, e.g. "Malaria > Severe malaria"; `embedding_text` is what
    the embedder should read. Pages are 1-based and None outside PDFs.
    """

    chunk_id: str
    doc_sha256: str
    index: int
    text: str
    heading_path: tuple[str, ...]
    page_start: int | None
    page_end: int | None
    token_count: int
    context: str

    @property
    def section(self) -> str:
        """The heading path as one line ('' before the first heading)."""
        return CONTEXT_SEPARATOR.join(self.heading_path)

    @property
    def embedding_text(self) -> str:
        return join_embedding_text(self.context, self.text)


@dataclass(slots=True)
class _Unit:
    text: str
    separator: str  # joins this unit to the one before it in a chunk
    strength: int  # how good a place to start a chunk this unit's start is
    page: int | None
    tokens: int = 0
    table_header: str | None = None  # header row and rule of the table this row is in


class Chunker:
    """Chunks documents with one token counter and one set of options."""

    def __init__(self, counter: TokenCounter, options: ChunkingOptions | None = None) -> None:
        self.counter = counter
        self.options = options or ChunkingOptions()

    @property
    def signature(self) -> str:
        """What decides chunk boundaries; part of every chunk id."""
        o = self.options
        return (
            f"chunker-v{CHUNKER_VERSION}:{self.counter.name}:"
            f"max={o.max_tokens}:overlap={o.overlap_tokens}:window={o.window_tokens}"
        )

    def chunk(self, document: Document) -> list[Chunk]:
        chunks: list[Chunk] = []
        title_heading = _title_heading(document.sections)
        for heading_path, run in groupby(document.sections, key=lambda s: s.heading_path):
            shown = heading_path
            if title_heading is not None and heading_path[:1] == (title_heading,):
                shown = heading_path[1:]  # the title already says it
            context, budget = self._context_and_budget(document.title, shown)
            overlap = min(self.options.overlap_tokens, budget // 2)
            units = self._units(list(run), overlap or budget)
            header_tokens = self._header_tokens(units)
            packed = _pack(units, budget, overlap, self._measure, header_tokens)
            for chunk_units, text, tokens in packed:
                pages = [unit.page for unit in chunk_units if unit.page is not None]
                index = len(chunks)
                chunks.append(
                    Chunk(
                        chunk_id=chunk_id(document.sha256, self.signature, index),
                        doc_sha256=document.sha256,
                        index=index,
                        text=text,
                        heading_path=heading_path,
                        page_start=min(pages) if pages else None,
                        page_end=max(pages) if pages else None,
                        token_count=tokens,
                        context=context,
                    )
                )
        return chunks

    def _context_and_budget(self, title: str, heading_path: tuple[str, ...]) -> tuple[str, int]:
        """The context line for the embedder, and the text budget left beside it."""
        parts = [title, *heading_path]
        if len(parts) > 1 and parts[1].casefold() == title.casefold():
            del parts[1]
        limit = self.options.window_tokens // 4
        candidates = (
            CONTEXT_SEPARATOR.join(parts),
            CONTEXT_SEPARATOR.join([title, parts[-1]]) if len(parts) > 1 else title,
            title[:80],
        )
        context, tokens = "", 0
        for candidate in candidates:  # the full path, else title and last heading, else title
            count = self.counter.count([candidate])[0]
            if count <= limit:
                context, tokens = candidate, count
                break
        window_left = self.options.window_tokens - SPECIAL_TOKENS - tokens
        return context, min(self.options.max_tokens, window_left)

    def _units(self, sections: list[Section], unit_cap: int) -> list[_Unit]:
        """Sentences of the sections, long ones split into word groups of at most unit_cap."""
        units: list[_Unit] = []
        for section in sections:
            for paragraph in section.text.split("\n\n"):
                previous_line = ""
                lines = paragraph.split("\n")
                headers = _table_headers(lines)
                for l_index, line in enumerate(lines):
                    sentences = [s for s in _SENTENCE_END.split(line.strip()) if s]
                    if not sentences:
                        continue
                    indent = line[: len(line) - len(line.lstrip())]
                    for s_index, sentence in enumerate(sentences):
                        if s_index:
                            separator, strength = " ", _SENTENCE
                        elif l_index:
                            separator, strength = "\n" + indent, _line_strength(previous_line, line)
                        else:
                            separator, strength = "\n\n" + indent, _PARAGRAPH
                        unit = _Unit(sentence, separator, strength, section.page)
                        unit.table_header = headers[l_index]
                        units.append(unit)
                    previous_line = line
        counts = self.counter.count([unit.text for unit in units])
        result: list[_Unit] = []
        for unit, tokens in zip(units, counts, strict=True):
            unit.tokens = tokens
            result.extend([unit] if tokens <= unit_cap else self._split_long(unit, unit_cap))
        return result

    def _split_long(self, unit: _Unit, cap: int) -> list[_Unit]:
        """A sentence longer than cap as word groups (and over-long words as slices)."""
        words = unit.text.split()
        counts = self.counter.count(words)
        pieces: list[tuple[str, str, int]] = []  # (text, separator, tokens)
        for word, tokens in zip(words, counts, strict=True):
            if tokens <= cap:
                pieces.append((word, " ", tokens))
            else:
                slices = self._slice_word(word, cap)
                pieces.extend(
                    (text, " " if i == 0 else "", n) for i, (text, n) in enumerate(slices)
                )
        groups: list[_Unit] = []
        for text, separator, tokens in pieces:
            last = groups[-1] if groups else None
            if last is not None and last.tokens + tokens <= cap:
                last.text += separator + text
                last.tokens += tokens
            else:
                groups.append(_Unit(text, separator, _INSIDE, unit.page, tokens, unit.table_header))
        groups[0].separator, groups[0].strength = unit.separator, unit.strength
        return groups

    def _slice_word(self, word: str, cap: int) -> list[tuple[str, int]]:
        """Halve a word with no spaces (a URL, a run of Thai script) until each part fits."""
        tokens = self.counter.count([word])[0]
        if tokens <= cap or len(word) < 2:
            return [(word, tokens)]
        middle = len(word) // 2
        return self._slice_word(word[:middle], cap) + self._slice_word(word[middle:], cap)

    def _measure(self, units: list[_Unit], prefix: str | None = None) -> tuple[str, int]:
        """The joined text of units (after `prefix`, a repeated table header) and its
        exact token count."""
        text = _join(units)
        if prefix:
            text = f"{prefix}\n{text}"
        return text, self.counter.count([text])[0]

    def _header_tokens(self, units: list[_Unit]) -> dict[str, int]:
        """Token counts of the table headers the units' rows repeat."""
        headers = list(dict.fromkeys(u.table_header for u in units if u.table_header))
        return dict(zip(headers, self.counter.count(headers), strict=True)) if headers else {}


def _pack(
    units: list[_Unit],
    budget: int,
    overlap: int,
    measure: Callable[[list[_Unit], str | None], tuple[str, int]],
    header_tokens: dict[str, int] | None = None,
) -> list[tuple[list[_Unit], str, int]]:
    """Greedy packing with boundary preference and overlap (see the module docstring);
    a chunk starting in a table's body begins with the table's header (`header_tokens`:
    their token counts).

    Returns (units, joined text, exact token count) per chunk.
    """
    if not units:
        return []
    sums = [0, *accumulate(unit.tokens for unit in units)]
    chunks: list[tuple[list[_Unit], str, int]] = []
    start, count = 0, len(units)
    while start < count:
        prefix = units[start].table_header
        room = budget
        if prefix is not None:
            prefix_tokens = (header_tokens or {}).get(prefix, budget)
            if prefix_tokens * MAX_HEADER_SHARE <= budget:
                room = budget - prefix_tokens - 1  # and the line break
            else:
                prefix = None
        end = start + 1
        while end < count and sums[end + 1] - sums[start] <= room:
            end += 1
        if end < count:
            best, best_strength = end, units[end].strength
            for candidate in range(end - 1, start, -1):
                if sums[candidate] - sums[start] < MIN_FILL * room:
                    break
                if units[candidate].strength > best_strength:
                    best, best_strength = candidate, units[candidate].strength
            end = best
        # Token counts of units add up to (almost) the count of their joined text; make sure.
        text, tokens = measure(units[start:end], prefix)
        while tokens > budget and end - start > 1:
            end -= 1
            text, tokens = measure(units[start:end], prefix)
        chunks.append((units[start:end], text, tokens))
        if end >= count:
            break
        start = _overlap_start(units, sums, start, end, overlap)
    return chunks


def _overlap_start(units: list[_Unit], sums: list[int], start: int, end: int, overlap: int) -> int:
    """Where the next chunk starts: as far back as the overlap allows, at a sentence if possible."""
    candidates = [k for k in range(start + 1, end) if sums[end] - sums[k] <= overlap]
    if not candidates:
        return end
    at_sentence = [k for k in candidates if units[k].strength >= _SENTENCE]
    return at_sentence[0] if at_sentence else candidates[0]


def _table_headers(lines: list[str]) -> list[str | None]:
    """For each line of a paragraph: the header row and rule of the Markdown table whose
    body it is in, else None (also for the header row and rule themselves)."""
    headers: list[str | None] = [None] * len(lines)
    current: str | None = None
    for index, line in enumerate(lines):
        if not _TABLE_ROW.match(line):
            current = None
        elif (
            index + 1 < len(lines)
            and _TABLE_RULE.match(lines[index + 1])
            and not _TABLE_RULE.match(line)
        ):
            current = None  # a header row: it and its rule start a new table
            headers[index] = None
        elif current is None and index >= 2 and _TABLE_RULE.match(lines[index - 1]):
            current = f"{lines[index - 2].strip()}\n{lines[index - 1].strip()}"
            headers[index] = current
        else:
            headers[index] = current
    return headers


def _title_heading(sections: tuple[Section, ...]) -> str | None:
    """The one top-level heading over the whole document ('# Title'), if there is one."""
    roots = {section.heading_path[0] for section in sections if section.heading_path}
    return roots.pop() if len(roots) == 1 else None


def _line_strength(previous_line: str, line: str) -> int:
    """A new list item, table row or sentence is a real line boundary; a hard wrap is not."""
    if _LIST_ITEM.match(line) or _ENDS_SENTENCE.search(previous_line):
        return _LINE
    return _INSIDE


def _join(units: list[_Unit]) -> str:
    return "".join(
        unit.text if i == 0 else unit.separator + unit.text for i, unit in enumerate(units)
    )


def join_embedding_text(context: str, text: str) -> str:
    """What the embedder reads for a chunk: its context line, then its text.

    One function, so a chunk re-embedded from the database reads exactly what it read
    when it was imported.
    """
    return f"{context}\n{text}" if context else text


def chunk_id(doc_sha256: str, signature: str, index: int) -> str:
    return hashlib.sha256(f"{doc_sha256}:{signature}:{index}".encode()).hexdigest()


def chunk_document(
    document: Document, counter: TokenCounter, options: ChunkingOptions | None = None
) -> list[Chunk]:
    """Chunks of one document (a shortcut for Chunker(counter, options).chunk(document))."""
    return Chunker(counter, options).chunk(document)
