"""Batch parsing: per-file results, bad files do not stop the batch, progress, cancel."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from medassist_desktop.core.knowledge import parsers
from medassist_desktop.core.knowledge.decoding import RawFile
from medassist_desktop.core.knowledge.documents import Document
from medassist_desktop.core.knowledge.ingest import (
    FileStatus,
    Progress,
    collect_files,
    file_sha256,
    iter_parse_files,
    max_file_bytes_from_mb,
    parse_files,
)
from tests.unit.core.knowledge.conftest import write_scanned_pdf, write_text_pdf

MB = 1024 * 1024


def make_mixed_folder(root: Path) -> dict[str, Path]:
    """A clinic's folder: good files of every format and every kind of bad file."""
    root.mkdir()
    files = {
        "good_md": root / "a-malaria.md",
        "good_html": root / "b-dengue.html",
        "good_pdf": root / "c-guide.pdf",
        "empty": root / "d-empty.txt",
        "binary": root / "e-photo.txt",
        "scanned": root / "f-scan.pdf",
        "huge": root / "g-huge.txt",
        "mystery": root / "h-mystery.txt",
        "good_txt": root / "i-notes.txt",
    }
    files["good_md"].write_text("# Malaria\n\nTest before treating.\n", encoding="utf-8")
    files["good_html"].write_text("<h1>Dengue</h1><p>Warning signs.</p>", encoding="utf-8")
    write_text_pdf(files["good_pdf"])
    files["empty"].write_bytes(b"")
    files["binary"].write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 4)
    write_scanned_pdf(files["scanned"], with_image=True)
    with files["huge"].open("wb") as handle:
        handle.truncate(200 * MB)  # sparse
    files["mystery"].write_bytes(bytes((i * 37) % 128 + 128 for i in range(3000)))
    files["good_txt"].write_text("Burns first aid\n\nCool with running water.\n")
    (root / "picture.png").write_bytes(b"\x89PNG")  # not a supported ending: skipped in folders
    hidden = root / ".cache"
    hidden.mkdir()
    (hidden / "stale.md").write_text("# Hidden\n")
    return files


def test_batch_continues_past_bad_files(tmp_path: Path) -> None:
    files = make_mixed_folder(tmp_path / "library")
    progress: list[Progress] = []
    batch = parse_files([tmp_path / "library"], max_file_bytes=50 * MB, on_progress=progress.append)

    assert batch.total == 9 and not batch.cancelled
    by_name = {result.path.name: result for result in batch.results}
    assert sorted(by_name) == sorted(path.name for path in files.values())
    ok = {name for name, result in by_name.items() if result.ok}
    assert ok == {"a-malaria.md", "b-dengue.html", "c-guide.pdf", "i-notes.txt"}
    assert [d.title for d in batch.documents] == [
        "Malaria",
        "Dengue",
        "Provincial malaria guide",
        "Burns first aid",
    ]
    expected_errors = {
        "d-empty.txt": "d-empty.txt: the file is empty.",
        "e-photo.txt": "e-photo.txt: this is a binary file, not text.",
        "f-scan.pdf": "f-scan.pdf: no text layer (scanned PDF?).",
        "g-huge.txt": "g-huge.txt: too large (200.0 MB; the limit is 50.0 MB).",
        "h-mystery.txt": "h-mystery.txt: the text encoding cannot be recognised with confidence.",
    }
    for name, message in expected_errors.items():
        result = by_name[name]
        assert result.status is FileStatus.ERROR and result.document is None
        assert result.error is not None and result.error.startswith(message)
    assert len(batch.errors) == 5

    assert [p.done for p in progress] == list(range(1, 10))
    assert all(p.total == 9 for p in progress)
    assert progress[0].percent == pytest.approx(11.1)
    assert progress[-1].percent == 100.0
    assert progress[3].path.name == "d-empty.txt" and progress[3].status is FileStatus.ERROR


def test_ok_result_carries_the_content_hash(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("# Note\n\nText.\n")
    (result,) = parse_files([path]).results
    assert result.document is not None
    assert result.sha256 == result.document.sha256 == file_sha256(path)


def test_cancel_stops_between_files(tmp_path: Path) -> None:
    paths = []
    for index in range(5):
        path = tmp_path / f"doc{index}.md"
        path.write_text(f"# Document {index}\n\nBody {index}.\n")
        paths.append(path)
    cancel = threading.Event()

    def cancel_after_second(progress: Progress) -> None:
        if progress.done == 2:
            cancel.set()

    batch = parse_files(paths, on_progress=cancel_after_second, cancel=cancel)
    assert batch.cancelled
    assert [r.path.name for r in batch.results] == ["doc0.md", "doc1.md"]
    assert batch.total == 5


def test_cancel_before_start_parses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("# A\n")
    cancel = threading.Event()
    cancel.set()
    assert list(iter_parse_files([path], cancel=cancel)) == []


def test_unchanged_files_are_not_parsed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    known = tmp_path / "known.md"
    known.write_text("# Known\n\nAlready imported.\n")
    fresh = tmp_path / "fresh.md"
    fresh.write_text("# Fresh\n\nNew.\n")
    stored = {known: file_sha256(known)}
    parsed: list[str] = []
    real_parse = parsers.parse_markdown

    def spy(raw: RawFile, text: str, encoding: str) -> Document:
        parsed.append(raw.path.name)
        return real_parse(raw, text, encoding)

    monkeypatch.setattr(parsers, "parse_markdown", spy)
    batch = parse_files([known, fresh], is_unchanged=lambda path, sha: stored.get(path) == sha)
    assert [r.status for r in batch.results] == [FileStatus.UNCHANGED, FileStatus.OK]
    assert batch.results[0].sha256 == stored[known] and batch.results[0].document is None
    assert parsed == ["fresh.md"]


def test_unexpected_error_is_reported_with_an_id_and_the_batch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "a.txt"
    bad.write_text("Triggers a bug.\n")
    good = tmp_path / "b.md"
    good.write_text("# Fine\n\nAll good.\n")

    def broken(raw: RawFile, text: str, encoding: str) -> Document:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(parsers, "parse_plain_text", broken)
    first, second = parse_files([bad, good]).results
    assert first.status is FileStatus.ERROR and first.error is not None
    assert first.error.startswith("a.txt: unexpected error while reading it (error id ")
    assert "simulated bug" not in first.error  # details go to the log, not the person
    assert second.ok


def test_explicit_unsupported_file_gets_a_result(tmp_path: Path) -> None:
    path = tmp_path / "protocol.docx"
    path.write_bytes(b"PK")
    (result,) = parse_files([path]).results
    assert result.status is FileStatus.ERROR
    assert result.error is not None and "unsupported file type '.docx'" in result.error


def test_collect_files_orders_and_filters(tmp_path: Path) -> None:
    make_mixed_folder(tmp_path / "lib")
    single = tmp_path / "extra.docx"
    single.write_bytes(b"PK")
    found = collect_files([tmp_path / "lib", single])
    names = [path.name for path in found]
    assert names[:-1] == sorted(names[:-1])
    assert "picture.png" not in names and "stale.md" not in names
    assert names[-1] == "extra.docx"


def test_max_file_bytes_from_setting() -> None:
    assert max_file_bytes_from_mb(50) == 50 * MB
