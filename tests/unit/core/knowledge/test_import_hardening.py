"""Hostile import files: YAML alias bombs, oversized front matter, symbolic links, and
files that exhaust a parser's memory or time (parsed in a child process)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from medassist_desktop.core.knowledge.decoding import RawFile, read_limited
from medassist_desktop.core.knowledge.documents import DocumentFormat, IngestError
from medassist_desktop.core.knowledge.ingest import (
    SYMLINK_SKIPPED,
    collect_files,
    collect_import_files,
)
from medassist_desktop.core.knowledge.isolation import IsolatedParser, ParseLimitError
from medassist_desktop.core.knowledge.parsers import (
    MAX_FRONT_MATTER_BYTES,
    MAX_FRONT_MATTER_VALUE_CHARS,
    parse_bytes,
    parse_file,
)
from tests.support import hostile_parsers

MARKDOWN = DocumentFormat.MARKDOWN

# The classic "billion laughs": nine levels of ten aliases each (10^9 'lol's once the
# value is turned into text), under 400 bytes as a Markdown file.
BILLION_LAUGHS = """---
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
title: [*h,*h,*h,*h,*h,*h,*h,*h,*h]
---

# Malaria

Test before treating.
"""


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_billion_laughs_front_matter_is_refused_at_once(tmp_path: Path) -> None:
    path = write(tmp_path / "laughs.md", BILLION_LAUGHS)
    assert path.stat().st_size < 400
    started = time.perf_counter()
    with pytest.raises(IngestError, match="anchors or aliases"):
        parse_file(path)
    assert time.perf_counter() - started < 1.0  # refused before anything is expanded


def test_a_single_alias_is_refused_too(tmp_path: Path) -> None:
    path = write(
        tmp_path / "alias.md",
        "---\nsource: &s WHO 2014\ntitle: *s\n---\n\n# Malaria\n\nTest before treating.\n",
    )
    with pytest.raises(IngestError, match="anchors or aliases"):
        parse_file(path)


def test_front_matter_over_8_kb_is_refused(tmp_path: Path) -> None:
    lines = "".join(f"k{n}: {'x' * 60}\n" for n in range(MAX_FRONT_MATTER_BYTES // 60 + 1))
    path = write(tmp_path / "big.md", f"---\n{lines}---\n\n# Malaria\n\nTest.\n")
    with pytest.raises(IngestError, match="larger than 8 KB"):
        parse_file(path)


def test_front_matter_value_too_long_is_refused(tmp_path: Path) -> None:
    value = "y" * (MAX_FRONT_MATTER_VALUE_CHARS + 1)
    path = write(tmp_path / "long.md", f"---\ntitle: {value}\n---\n\n# Malaria\n\nTest.\n")
    with pytest.raises(IngestError, match="'title' is longer than"):
        parse_file(path)


def test_front_matter_list_too_long_is_refused(tmp_path: Path) -> None:
    topics = ", ".join(str(n) for n in range(101))
    path = write(tmp_path / "list.md", f"---\ntopics: [{topics}]\n---\n\n# Malaria\n\nTest.\n")
    with pytest.raises(IngestError, match="more than 100 items"):
        parse_file(path)


def test_ordinary_front_matter_still_reads(tmp_path: Path) -> None:
    path = write(
        tmp_path / "ok.md",
        "---\ntitle: Malaria\nsource: WHO 2014\ntopics: [fever, malaria]\n---\n\n"
        "# Malaria\n\nTest before treating.\n",
    )
    document = parse_file(path)
    assert (document.title, document.source, document.topics) == (
        "Malaria",
        "WHO 2014",
        ("fever", "malaria"),
    )


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_symbolic_links_are_skipped_and_listed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = write(outside / "secret.md", "# Secret\n\nNot for the library.\n")
    library = tmp_path / "library"
    (library / "sub").mkdir(parents=True)
    real = write(library / "a-real.md", "# Real\n\nKept.\n")
    (library / "b-link.md").symlink_to(secret)
    (library / "linked-folder").symlink_to(outside, target_is_directory=True)
    (library / "sub" / "c-link.md").symlink_to(secret)
    named_link = tmp_path / "named.md"
    named_link.symlink_to(secret)

    collected = collect_import_files([library, named_link])

    assert collected.files == [real]
    assert sorted(collected.skipped) == sorted(
        [
            (library / "b-link.md", SYMLINK_SKIPPED),
            (library / "linked-folder", SYMLINK_SKIPPED),
            (library / "sub" / "c-link.md", SYMLINK_SKIPPED),
            (named_link, SYMLINK_SKIPPED),
        ]
    )
    assert collect_files([library]) == [real]


# -- parsing in a child process ----------------------------------------------------------


def raw_file(path: Path, text: str) -> RawFile:
    write(path, text)
    return read_limited(path, 1024 * 1024)


@pytest.mark.skipif(os.name == "nt", reason="no address-space limit on Windows")
def test_a_file_that_exhausts_memory_is_refused_and_the_next_file_still_parses(
    tmp_path: Path,
) -> None:
    with IsolatedParser(hostile_parsers.exhausting_memory, memory_mb=512) as isolated:
        with pytest.raises(ParseLimitError, match="512 MB"):
            isolated.parse(raw_file(tmp_path / "bomb.md", "# Bomb\n\nexplode\n"), MARKDOWN)
        document = isolated.parse(raw_file(tmp_path / "ok.md", "# Fine\n\nText.\n"), MARKDOWN)
    assert document.title == "Fine"


def test_a_file_that_hangs_the_parser_is_stopped_at_the_deadline(tmp_path: Path) -> None:
    with IsolatedParser(hostile_parsers.hanging, timeout_s=2) as isolated:
        started = time.perf_counter()
        with pytest.raises(ParseLimitError, match="longer than 2 seconds"):
            isolated.parse(raw_file(tmp_path / "slow.md", "# Slow\n\nhang\n"), MARKDOWN)
        assert time.perf_counter() - started < 10
        document = isolated.parse(raw_file(tmp_path / "ok.md", "# Fine\n\nText.\n"), MARKDOWN)
    assert document.title == "Fine"


def test_refusals_and_bugs_in_the_child_come_back_as_file_errors(tmp_path: Path) -> None:
    with IsolatedParser(hostile_parsers.crashing) as isolated:
        with pytest.raises(IngestError, match="anchors or aliases"):
            isolated.parse(raw_file(tmp_path / "laughs.md", BILLION_LAUGHS), MARKDOWN)
        with pytest.raises(IngestError, match=r"crash\.md: unexpected error .*error id"):
            isolated.parse(raw_file(tmp_path / "crash.md", "# Crash\n\ncrash\n"), MARKDOWN)


def test_the_parse_runs_in_another_process(tmp_path: Path) -> None:
    with IsolatedParser(parse_bytes) as isolated:
        isolated.parse(raw_file(tmp_path / "ok.md", "# Fine\n\nText.\n"), MARKDOWN)
        child = isolated._process
        assert child is not None and child.pid != os.getpid() and child.is_alive()
    assert not child.is_alive()  # closed with the import
