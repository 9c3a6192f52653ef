"""Chunking: sizes within bounds, overlap, headings and pages kept, deterministic ids."""

from __future__ import annotations

import dataclasses
import itertools
import re
from pathlib import Path

import pytest

from medassist_desktop.core.knowledge.chunking import Chunk, Chunker, ChunkingOptions
from medassist_desktop.core.knowledge.documents import Document, DocumentFormat, Section
from medassist_desktop.core.knowledge.parsers import parse_file
from medassist_desktop.core.knowledge.tokens import ApproximateTokenCounter, TokenizerCounter
from tests.unit.core.knowledge.conftest import write_text_pdf

SENTENCES = [
    f"Sentence {i} says that a child with danger sign number {i} must be referred urgently."
    for i in range(60)
]


def make_document(sections: list[Section], title: str = "Referral guide") -> Document:
    return Document(
        path=Path("/virtual/guide.md"),
        format=DocumentFormat.MARKDOWN,
        title=title,
        source="Test source, 2024",
        language="en",
        sections=tuple(sections),
        sha256="ab" * 32,
        size_bytes=1,
    )


def long_document() -> Document:
    paragraphs = ["\n".join(SENTENCES[i : i + 4]) for i in range(0, 40, 4)]
    return make_document(
        [
            Section(("Referral",), "\n\n".join(paragraphs)),
            Section(("Referral", "Transport"), " ".join(SENTENCES[40:60])),
            Section(("Referral", "Notes"), "Short note."),
        ]
    )


def test_chunk_sizes_stay_within_the_budget(minilm_counter: TokenizerCounter) -> None:
    options = ChunkingOptions(max_tokens=120, overlap_tokens=30)
    chunks = Chunker(minilm_counter, options).chunk(long_document())
    assert len(chunks) > 5
    for chunk in chunks:
        assert chunk.token_count == minilm_counter.count([chunk.text])[0]
        assert chunk.token_count <= 120
        # the embedder's whole input (context line + text + 2 special tokens) fits its window
        assert minilm_counter.count([chunk.embedding_text])[0] + 2 <= options.window_tokens
    # chunks are not needlessly small: all but the last of each section fill >= 60%
    for section_chunks in _by_section(chunks).values():
        assert all(chunk.token_count >= 0.6 * 120 - 30 for chunk in section_chunks[:-1])


def test_consecutive_chunks_overlap(minilm_counter: TokenizerCounter) -> None:
    chunks = Chunker(minilm_counter, ChunkingOptions(max_tokens=120, overlap_tokens=30)).chunk(
        long_document()
    )
    pairs = 0
    for section_chunks in _by_section(chunks).values():
        for before, after in itertools.pairwise(section_chunks):
            first_sentence = re.split(r"(?<=\.)\s", after.text, maxsplit=1)[0]
            assert first_sentence in before.text, "the next chunk starts inside the previous one"
            overlap_tokens = minilm_counter.count([first_sentence])[0]
            assert 0 < overlap_tokens <= 30
            pairs += 1
    assert pairs >= 4


def test_every_sentence_is_kept(minilm_counter: TokenizerCounter) -> None:
    chunks = Chunker(minilm_counter, ChunkingOptions(max_tokens=100, overlap_tokens=20)).chunk(
        long_document()
    )
    joined = "\n".join(chunk.text for chunk in chunks)
    for sentence in SENTENCES:
        assert sentence in joined
    assert "Short note." in joined


def test_chunks_follow_headings(minilm_counter: TokenizerCounter) -> None:
    chunks = Chunker(minilm_counter).chunk(long_document())
    assert [c.heading_path for c in chunks][-1] == ("Referral", "Notes")
    assert chunks[-1].text == "Short note."  # a chunk never crosses a heading
    assert chunks[-1].section == "Referral > Notes"
    # "Referral" heads the whole document like a '# Title': the context leaves it out
    assert chunks[-1].context == "Referral guide > Notes"
    assert chunks[-1].embedding_text == "Referral guide > Notes\nShort note."
    transport = [c for c in chunks if c.heading_path == ("Referral", "Transport")]
    assert transport and all("Sentence 3 " not in c.text for c in transport)
    assert [c.index for c in chunks] == list(range(len(chunks)))


def test_context_keeps_top_headings_when_there_are_several(
    minilm_counter: TokenizerCounter,
) -> None:
    doc = make_document(
        [Section(("Malaria", "Severe"), "Refer now."), Section(("Dengue",), "Watch fluids.")],
        title="Fevers",
    )
    contexts = [chunk.context for chunk in Chunker(minilm_counter).chunk(doc)]
    assert contexts == ["Fevers > Malaria > Severe", "Fevers > Dengue"]


def test_chunks_prefer_paragraph_boundaries(minilm_counter: TokenizerCounter) -> None:
    chunks = Chunker(minilm_counter, ChunkingOptions(max_tokens=150, overlap_tokens=0)).chunk(
        long_document()
    )
    referral = [c for c in chunks if c.heading_path == ("Referral",)]
    # paragraphs are 4 sentences (~80 tokens): with no overlap each chunk ends a paragraph
    for chunk in referral:
        assert chunk.text.startswith("Sentence ")
        last_number = int(re.findall(r"Sentence (\d+)", chunk.text)[-1])
        assert last_number % 4 == 3


def test_pdf_chunks_keep_pages(tmp_path: Path, minilm_counter: TokenizerCounter) -> None:
    doc = parse_file(write_text_pdf(tmp_path / "malaria.pdf"))
    chunks = Chunker(minilm_counter, ChunkingOptions(max_tokens=80, overlap_tokens=20)).chunk(doc)
    assert chunks[0].heading_path == ("Diagnosis",)
    assert (chunks[0].page_start, chunks[0].page_end) == (1, 1)
    later = [c for c in chunks if c.heading_path == ("Severe malaria", "Pre-referral treatment")]
    pages = {(c.page_start, c.page_end) for c in later}
    assert (2, 2) in pages
    assert any(end == 3 for _, end in pages)
    spanning = [c for c in later if c.page_start == 2 and c.page_end == 3]
    for chunk in spanning:  # a chunk over a page break holds text of both pages
        assert "artesunate" in chunk.text and "referral note" in chunk.text


def test_ids_are_deterministic_and_depend_on_content_and_settings(
    minilm_counter: TokenizerCounter,
) -> None:
    doc = long_document()
    first = Chunker(minilm_counter).chunk(doc)
    again = Chunker(minilm_counter).chunk(doc)
    assert [c.chunk_id for c in first] == [c.chunk_id for c in again]
    assert [c.text for c in first] == [c.text for c in again]
    assert len({c.chunk_id for c in first}) == len(first)
    assert all(re.fullmatch(r"[0-9a-f]{64}", c.chunk_id) for c in first)

    changed = dataclasses.replace(doc, sha256="cd" * 32)
    assert {c.chunk_id for c in Chunker(minilm_counter).chunk(changed)}.isdisjoint(
        c.chunk_id for c in first
    )
    other_settings = Chunker(minilm_counter, ChunkingOptions(max_tokens=150)).chunk(doc)
    assert other_settings[0].chunk_id != first[0].chunk_id


def test_very_long_sentence_and_unbroken_text_are_split(minilm_counter: TokenizerCounter) -> None:
    words = " ".join(f"word{i}" for i in range(600))  # one 'sentence' of ~1800 tokens
    unbroken = "ก" * 3000 + "x" * 2000  # no spaces at all (Thai script runs together)
    doc = make_document([Section(("Long",), words), Section(("Unbroken",), unbroken)])
    chunks = Chunker(minilm_counter, ChunkingOptions(max_tokens=100, overlap_tokens=20)).chunk(doc)
    assert all(c.token_count <= 100 for c in chunks)
    long_text = " ".join(c.text for c in chunks if c.heading_path == ("Long",))
    assert "word0 " in long_text and "word599" in long_text
    rebuilt = "".join(c.text for c in chunks if c.heading_path == ("Unbroken",))
    assert set(rebuilt) == {"ก", "x"}


def test_long_context_line_shrinks(minilm_counter: TokenizerCounter) -> None:
    heading = " ".join(["extremely long heading"] * 40)
    doc = make_document([Section((heading,), " ".join(SENTENCES[:20]))], title="Guide")
    options = ChunkingOptions(max_tokens=200, overlap_tokens=40)
    for chunk in Chunker(minilm_counter, options).chunk(doc):
        assert minilm_counter.count([chunk.embedding_text])[0] + 2 <= options.window_tokens
        assert chunk.heading_path == (heading,)  # the path itself is kept whole


def test_approximate_counter_is_cautious(minilm_counter: TokenizerCounter) -> None:
    text = long_document().text
    approximate = ApproximateTokenCounter().count([text])[0]
    exact = minilm_counter.count([text])[0]
    assert exact * 0.9 <= approximate <= exact * 1.5


@pytest.mark.parametrize(
    ("max_tokens", "overlap"),
    [(8, 0), (100, 60), (100, -1)],
)
def test_invalid_options(max_tokens: int, overlap: int) -> None:
    with pytest.raises(ValueError, match=r"max_tokens|overlap_tokens"):
        ChunkingOptions(max_tokens=max_tokens, overlap_tokens=overlap)


def test_empty_document_has_no_chunks(minilm_counter: TokenizerCounter) -> None:
    assert Chunker(minilm_counter).chunk(make_document([])) == []


def _by_section(chunks: list[Chunk]) -> dict[tuple[str, ...], list[Chunk]]:
    grouped: dict[tuple[str, ...], list[Chunk]] = {}
    for chunk in chunks:
        grouped.setdefault(chunk.heading_path, []).append(chunk)
    return grouped


def test_a_chunk_starting_inside_a_table_repeats_its_header(
    minilm_counter: TokenizerCounter,
) -> None:
    header = "| Age | Weight | ORS over 4 hours |\n| --- | --- | --- |"
    rows = [
        f"| {n} up to {n + 1} years | {10 + n} kg | {100 * n} to {100 * n + 50} ml |"
        for n in range(40)
    ]
    table = header + "\n" + "\n".join(rows)
    text = "Give ORS over 4 hours; if the weight is not known, use the age:\n\n" + table
    options = ChunkingOptions(max_tokens=120, overlap_tokens=20)
    chunks = Chunker(minilm_counter, options).chunk(make_document([Section(("Plan B",), text)]))
    assert len(chunks) >= 3
    for chunk in chunks:
        # every chunk holding table rows says which column is which, once, first
        assert chunk.text.count("| Age | Weight | ORS over 4 hours |") == 1
        body = [line for line in chunk.text.splitlines() if line.startswith("| ") and "ml" in line]
        assert body, chunk.text
        assert chunk.token_count == minilm_counter.count([chunk.text])[0] <= 120
    for chunk in chunks[1:]:
        assert chunk.text.startswith(header + "\n| ")
    shown = {line for chunk in chunks for line in chunk.text.splitlines()}
    assert set(rows) <= shown  # no row lost


def test_rows_outside_a_table_body_get_no_header(minilm_counter: TokenizerCounter) -> None:
    # A paragraph of "|" lines without a --- rule is not a table; no header is made up.
    text = "\n".join(f"| note {n} | the clinic keeps this record for {n} days |" for n in range(60))
    chunks = Chunker(minilm_counter, ChunkingOptions(max_tokens=80, overlap_tokens=10)).chunk(
        make_document([Section(("Records",), text)])
    )
    assert len(chunks) > 2
    assert all(chunk.text in text for chunk in chunks)  # nothing added
    assert not any("---" in chunk.text for chunk in chunks)
