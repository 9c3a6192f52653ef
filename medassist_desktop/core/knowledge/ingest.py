"""Parsing many files with per-file results, progress and cancellation.

An import of a clinic's folder must not stop at its first bad file: each file gets
its own result (a Document, or the reason it was refused, or "unchanged"), progress is
reported after every file (count and percent), and a cancel flag is honoured between
files. Results come one at a time from `iter_parse_files`, so a caller can store each
document in its own transaction before the next file is read: a crash then loses at
most the file in hand, and a re-run skips what was stored (the `is_unchanged` hook).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from loguru import logger

from medassist_desktop.core.knowledge.decoding import RawFile, read_limited
from medassist_desktop.core.knowledge.documents import (
    SUPPORTED_EXTENSIONS,
    Document,
    DocumentFormat,
)
from medassist_desktop.core.knowledge.parsers import (
    DEFAULT_MAX_FILE_MB,
    document_format,
    parse_bytes,
)
from medassist_desktop.errors import KnownError, new_error_id

_log = logger.bind(area="knowledge")


class FileStatus(StrEnum):
    OK = "ok"
    ERROR = "error"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class FileResult:
    """The outcome for one file. `document` is set when ok; `error` when error."""

    path: Path
    status: FileStatus
    document: Document | None = None
    error: str | None = None
    sha256: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is FileStatus.OK


@dataclass(frozen=True, slots=True)
class Progress:
    """Reported after each file: `done` of `total` files, `percent` 0-100."""

    done: int
    total: int
    path: Path
    status: FileStatus

    @property
    def percent(self) -> float:
        return round(100.0 * self.done / self.total, 1) if self.total else 100.0


@dataclass(slots=True)
class BatchResult:
    """All per-file results of a batch, and whether it was cancelled before the end."""

    results: list[FileResult] = field(default_factory=list)
    total: int = 0
    cancelled: bool = False

    @property
    def documents(self) -> list[Document]:
        return [r.document for r in self.results if r.document is not None]

    @property
    def errors(self) -> list[FileResult]:
        return [r for r in self.results if r.status is FileStatus.ERROR]


ProgressCallback = Callable[[Progress], None]
UnchangedCheck = Callable[[Path, str], bool]
# Bytes read and size-checked here -> Document (parse_bytes, or the same in a child
# process: see isolation.py).
BytesParser = Callable[[RawFile, DocumentFormat], Document]


SYMLINK_SKIPPED = "a symbolic link: not followed (import the file it points to instead)"


@dataclass(slots=True)
class CollectedFiles:
    """The files an import will read, and the paths it skipped with the reason."""

    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)


def collect_files(paths: Iterable[Path]) -> list[Path]:
    """The files to import (see `collect_import_files`; skipped paths left out)."""
    return collect_import_files(paths).files


def collect_import_files(paths: Iterable[Path]) -> CollectedFiles:
    """The files to import: files as given, and supported files found under folders.

    A file named explicitly is kept whatever its ending (it gets a clear 'unsupported'
    result); inside a folder only supported endings are taken, hidden entries skipped,
    in sorted order so imports are repeatable. Symbolic links are never followed, named
    or found in a folder: a link inside a clinic's folder can point anywhere the app's
    user can read (another user's files, a device), and the import would copy it into
    the knowledge base every health worker reads. They are listed as skipped instead.
    """
    collected = CollectedFiles()
    for path in paths:
        if path.is_symlink():
            collected.skipped.append((path, SYMLINK_SKIPPED))
        elif path.is_dir():
            _collect_folder(path, collected)
        else:
            collected.files.append(path)
    return collected


def _collect_folder(folder: Path, collected: CollectedFiles) -> None:
    found: list[Path] = []
    for parent, dirs, names in os.walk(folder, followlinks=False):
        here = Path(parent)
        for name in list(dirs):
            if name.startswith("."):
                dirs.remove(name)
            elif (here / name).is_symlink():
                dirs.remove(name)  # os.walk would not enter it; say so
                collected.skipped.append((here / name, SYMLINK_SKIPPED))
        for name in names:
            child = here / name
            if name.startswith(".") or child.suffix.lower() not in SUPPORTED_EXTENSIONS:
                continue
            if child.is_symlink():
                collected.skipped.append((child, SYMLINK_SKIPPED))
            elif child.is_file():
                found.append(child)
    collected.files.extend(sorted(found))
    collected.skipped.sort()


def parse_one(
    path: Path,
    *,
    max_file_bytes: int = DEFAULT_MAX_FILE_MB * 1024 * 1024,
    is_unchanged: UnchangedCheck | None = None,
    parse: BytesParser = parse_bytes,
) -> FileResult:
    """One file's result; never raises for a bad file (bugs become an error with an id)."""
    sha256: str | None = None
    try:
        fmt = document_format(path)
        raw = read_limited(path, max_file_bytes)
        sha256 = raw.sha256
        if is_unchanged is not None and is_unchanged(path, sha256):
            return FileResult(path, FileStatus.UNCHANGED, sha256=sha256)
        document = parse(raw, fmt)
    except KnownError as exc:
        return FileResult(path, FileStatus.ERROR, error=str(exc), sha256=sha256)
    except Exception:
        error_id = new_error_id()
        _log.opt(exception=True).error("Unexpected error parsing {} (error id {})", path, error_id)
        message = f"{path.name}: unexpected error while reading it (error id {error_id})."
        return FileResult(path, FileStatus.ERROR, error=message, sha256=sha256)
    return FileResult(path, FileStatus.OK, document=document, sha256=sha256)


def iter_parse_files(
    paths: list[Path],
    *,
    max_file_bytes: int = DEFAULT_MAX_FILE_MB * 1024 * 1024,
    on_progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    is_unchanged: UnchangedCheck | None = None,
    parse: BytesParser = parse_bytes,
) -> Iterator[FileResult]:
    """Results file by file. Stops before the next file once `cancel` is set."""
    total = len(paths)
    for done, path in enumerate(paths, start=1):
        if cancel is not None and cancel.is_set():
            _log.info("Import cancelled after {} of {} files", done - 1, total)
            return
        result = parse_one(
            path, max_file_bytes=max_file_bytes, is_unchanged=is_unchanged, parse=parse
        )
        if result.status is FileStatus.ERROR:
            _log.warning("Not imported: {}", result.error)
        if on_progress is not None:
            on_progress(Progress(done=done, total=total, path=path, status=result.status))
        yield result


def parse_files(
    paths: Iterable[Path],
    *,
    max_file_bytes: int = DEFAULT_MAX_FILE_MB * 1024 * 1024,
    on_progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    is_unchanged: UnchangedCheck | None = None,
) -> BatchResult:
    """Parse files and folders (see collect_files); every file gets a result."""
    files = collect_files(paths)
    batch = BatchResult(total=len(files))
    for result in iter_parse_files(
        files,
        max_file_bytes=max_file_bytes,
        on_progress=on_progress,
        cancel=cancel,
        is_unchanged=is_unchanged,
    ):
        batch.results.append(result)
    batch.cancelled = len(batch.results) < len(files)
    return batch


def file_sha256(path: Path, *, block_size: int = 1 << 20) -> str:
    """The sha256 of a file, read in blocks (what Document.sha256 holds for that file)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(block_size):
            digest.update(block)
    return digest.hexdigest()


def max_file_bytes_from_mb(megabytes: int) -> int:
    """The byte limit for the kb_max_file_mb setting."""
    return megabytes * 1024 * 1024
