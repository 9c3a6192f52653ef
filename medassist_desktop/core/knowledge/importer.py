"""Importing files into the knowledge base: parse -> chunk -> embed (batched) -> store.

What an admin can count on:
- Every file gets its own result: imported, replaced (a changed file: only its own
  chunks are swapped), unchanged (same bytes and chunking: nothing is written), or
  failed with a message naming the file and the reason. A bad file never stops the batch.
- Each document is stored in its own transaction, so a crash or power cut loses at most
  the documents still in hand, never half a document, and never the previous version
  of a file being replaced. Running the same import again skips what was stored and
  imports the rest (resuming).
- Progress after every file (count and percent); cancel between files and between
  embedding batches (what was not stored is listed as not processed).
- Embedding is batched across small files and sorted by length (less padding), so the
  model, not our code, sets the pace.
- If the embedding model cannot be used, chunks are stored without vectors (keyword
  search finds them at once), the document is marked `needs_embedding`, and
  `reembed_missing()` embeds them when the model is back. The same call re-embeds
  everything after a change of embedding model.

The importer uses one database connection from one thread (the store's); chunking and
embedding run on that thread too, outside any transaction. Files are parsed in a child
process with memory and time limits (isolation.py): a file built to exhaust a parser
costs one refused file, never the process that holds the database key. Symbolic links
are skipped and listed (`skipped`), never followed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

import numpy as np
from loguru import logger

from medassist_desktop.core.knowledge.chunking import Chunk, Chunker
from medassist_desktop.core.knowledge.documents import Document
from medassist_desktop.core.knowledge.embeddings import Embedder
from medassist_desktop.core.knowledge.ingest import (
    BytesParser,
    FileStatus,
    collect_import_files,
    iter_parse_files,
)
from medassist_desktop.core.knowledge.isolation import (
    PARSE_MEMORY_MB,
    PARSE_TIMEOUT_S,
    IsolatedParser,
)
from medassist_desktop.core.knowledge.parsers import DEFAULT_MAX_FILE_MB, parse_bytes
from medassist_desktop.core.knowledge.prebuilt import text_hash
from medassist_desktop.core.knowledge.store import (
    READY,
    EmbeddingSpace,
    FloatMatrix,
    KnowledgeStore,
    PendingChunk,
)
from medassist_desktop.errors import KnownError, new_error_id

_log = logger.bind(area="knowledge")

BATCH_CHUNKS = 256  # chunks gathered (across files), then embedded longest first
ENCODE_BATCH_SIZE = 32  # texts per call to the model (one model batch)

OriginOf = Callable[[Path], str]
Stage = Literal["import", "embed"]


class ImportOutcome(StrEnum):
    IMPORTED = "imported"
    REPLACED = "replaced"
    UNCHANGED = "unchanged"
    FAILED = "failed"
    SKIPPED = "skipped"  # not read at all (a symbolic link)


@dataclass(frozen=True, slots=True)
class ImportProgress:
    """Reported after each file (stage "import") or embedding batch (stage "embed")."""

    stage: Stage
    done: int
    total: int
    item: str
    outcome: str

    @property
    def percent(self) -> float:
        return round(100.0 * self.done / self.total, 1) if self.total else 100.0


ProgressCallback = Callable[[ImportProgress], None]


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """One file's result. `message`: why it failed, or a note (a duplicate)."""

    path: Path
    outcome: ImportOutcome
    doc_id: str | None = None
    title: str | None = None
    chunks: int = 0
    embedded: bool = False
    message: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"path": str(self.path)}
        if self.outcome in (ImportOutcome.FAILED, ImportOutcome.SKIPPED):
            data["message"] = self.message
            return data
        data.update(doc_id=self.doc_id, title=self.title, chunks=self.chunks)
        data["embedded"] = self.embedded
        if self.message:
            data["note"] = self.message
        return data


@dataclass(slots=True)
class ImportSummary:
    """All results of one import. `embedding_error`: why vectors were not made, if so."""

    total: int = 0
    results: list[FileOutcome] = field(default_factory=list)
    cancelled: bool = False
    not_processed: list[Path] = field(default_factory=list)
    embedding_error: str | None = None
    reembedded_chunks: int = 0  # chunks of earlier imports embedded after this one

    def of(self, outcome: ImportOutcome) -> list[FileOutcome]:
        return [r for r in self.results if r.outcome is outcome]

    @property
    def changed(self) -> bool:
        return any(
            r.outcome in (ImportOutcome.IMPORTED, ImportOutcome.REPLACED) for r in self.results
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            **{outcome.value: [r.to_dict() for r in self.of(outcome)] for outcome in ImportOutcome},
            "cancelled": self.cancelled,
            "not_processed": [str(p) for p in self.not_processed],
            "embedding_error": self.embedding_error,
            "reembedded_chunks": self.reembedded_chunks,
        }


@dataclass(slots=True)
class EmbedSummary:
    """What `reembed_missing` did: chunks embedded, and how many still lack a vector."""

    model_id: str | None = None
    embedded: int = 0
    documents: int = 0
    remaining: int = 0
    cancelled: bool = False
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "model_id": self.model_id,
            "embedded_chunks": self.embedded,
            "documents": self.documents,
            "remaining_chunks": self.remaining,
            "cancelled": self.cancelled,
            "error": self.error,
        }


@dataclass(slots=True)
class _Prepared:
    path: Path
    origin: str
    document: Document
    chunks: list[Chunk]
    replacing: bool


def path_origin(path: Path) -> str:
    """A file's identity in the knowledge base: its resolved absolute path."""
    return str(path.resolve())


class KnowledgeImporter:
    """Imports files and (re-)embeds chunks into one `KnowledgeStore`."""

    def __init__(
        self,
        store: KnowledgeStore,
        chunker: Chunker,
        embedder: Embedder | None,
        *,
        max_file_bytes: int = DEFAULT_MAX_FILE_MB * 1024 * 1024,
        batch_chunks: int = BATCH_CHUNKS,
        encode_batch_size: int = ENCODE_BATCH_SIZE,
        isolate_parsing: bool = True,
        parse_memory_mb: int = PARSE_MEMORY_MB,
        parse_timeout_s: float = PARSE_TIMEOUT_S,
    ) -> None:
        self.store = store
        self.isolate_parsing = isolate_parsing
        self.parse_memory_mb = parse_memory_mb
        self.parse_timeout_s = parse_timeout_s
        # text hash -> vector shipped for this embedder's model (prebuilt.py); chunks found
        # there are not embedded again.
        self.prebuilt: Mapping[str, FloatMatrix] = {}
        self.prebuilt_used = 0
        self.chunker = chunker
        self.embedder = embedder
        self.max_file_bytes = max_file_bytes
        self.batch_chunks = batch_chunks
        self.encode_batch_size = encode_batch_size
        self._embedding_error: str | None = None if embedder else "no embedding model"

    @property
    def embedding_error(self) -> str | None:
        """Why the last embedding attempt failed (None: the model works or was not needed)."""
        return self._embedding_error

    # -- importing -----------------------------------------------------------------------

    def import_files(
        self,
        paths: Iterable[Path],
        *,
        origin: OriginOf = path_origin,
        on_progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> ImportSummary:
        """Import files and folders (folders: their supported files, see
        collect_import_files; symbolic links are skipped and listed as such)."""
        collected = collect_import_files(paths)
        files = collected.files
        summary = ImportSummary(total=len(files) + len(collected.skipped))
        if self.embedder is not None:
            self._embedding_error = None  # try the model again on each import
        fingerprints = self.store.fingerprints()
        signature = self.chunker.signature

        def unchanged(path: Path, sha256: str) -> bool:
            return fingerprints.get(origin(path)) == (sha256, signature)

        def finish(outcome: FileOutcome) -> None:
            summary.results.append(outcome)
            if on_progress is not None:
                on_progress(
                    ImportProgress(
                        "import",
                        len(summary.results),
                        summary.total,
                        outcome.path.name,
                        outcome.outcome.value,
                    )
                )

        for path, reason in collected.skipped:
            _log.warning("Not imported: {}: {}", path, reason)
            finish(FileOutcome(path, ImportOutcome.SKIPPED, message=f"{path.name}: {reason}"))
        with IsolatedParser(
            parse_bytes, memory_mb=self.parse_memory_mb, timeout_s=self.parse_timeout_s
        ) as isolated:
            parse = isolated.parse if self.isolate_parsing else parse_bytes
            self._import_parsed(
                files, parse=parse, unchanged=unchanged, finish=finish, origin=origin, cancel=cancel
            )
        finished = {r.path for r in summary.results}
        summary.not_processed = [path for path in files if path not in finished]
        summary.cancelled = bool(summary.not_processed) and cancel is not None and cancel.is_set()
        summary.embedding_error = self._embedding_error
        if summary.cancelled:
            _log.info("Import cancelled; {} file(s) not processed", len(summary.not_processed))
        return summary

    def _import_parsed(
        self,
        files: list[Path],
        *,
        parse: BytesParser,
        unchanged: Callable[[Path, str], bool],
        finish: Callable[[FileOutcome], None],
        origin: OriginOf,
        cancel: threading.Event | None,
    ) -> None:
        """Parse, chunk, embed and store `files`, one result per file through `finish`."""
        pending: list[_Prepared] = []
        pending_shas: dict[str, Path] = {}
        for result in iter_parse_files(
            files,
            max_file_bytes=self.max_file_bytes,
            cancel=cancel,
            is_unchanged=unchanged,
            parse=parse,
        ):
            path = result.path
            if result.status is FileStatus.ERROR:
                finish(FileOutcome(path, ImportOutcome.FAILED, message=result.error))
            elif result.status is FileStatus.UNCHANGED:
                finish(self._unchanged(path, origin(path)))
            else:
                assert result.document is not None
                prepared = self._prepare(path, origin(path), result.document, pending_shas)
                if isinstance(prepared, FileOutcome):
                    finish(prepared)
                else:
                    pending.append(prepared)
                    pending_shas[prepared.document.sha256] = path
                    batch_full = sum(len(p.chunks) for p in pending) >= self.batch_chunks
                    if batch_full or self._embedding_error is not None:  # no model: no wait
                        self._flush(pending, finish, cancel)
                        pending, pending_shas = [], {}
            if cancel is not None and cancel.is_set():
                break
        if pending and not (cancel is not None and cancel.is_set()):
            self._flush(pending, finish, cancel)

    def _unchanged(self, path: Path, origin: str) -> FileOutcome:
        stored = self.store.by_origin(origin)
        if stored is None:  # removed meanwhile by another connection: says so, harmlessly
            return FileOutcome(path, ImportOutcome.UNCHANGED, message="already imported")
        return FileOutcome(
            path,
            ImportOutcome.UNCHANGED,
            doc_id=stored.doc_id,
            title=stored.title,
            chunks=stored.chunk_count,
            embedded=stored.status == READY,
        )

    def _prepare(
        self, path: Path, origin: str, document: Document, pending_shas: dict[str, Path]
    ) -> _Prepared | FileOutcome:
        """Chunk a parsed document; a FileOutcome instead when there is nothing to store."""
        try:
            chunks = self.chunker.chunk(document)
        except Exception:
            error_id = new_error_id()
            _log.opt(exception=True).error("Chunking {} failed (error id {})", path, error_id)
            message = f"{path.name}: unexpected error while splitting it (error id {error_id})."
            return FileOutcome(path, ImportOutcome.FAILED, message=message)
        if not chunks:
            return FileOutcome(
                path, ImportOutcome.FAILED, message=f"{path.name}: no text to index."
            )
        twin = self.store.by_sha256(document.sha256)
        if twin is not None and twin.origin != origin:
            return FileOutcome(
                path,
                ImportOutcome.UNCHANGED,
                doc_id=twin.doc_id,
                title=twin.title,
                chunks=twin.chunk_count,
                embedded=twin.status == READY,
                message=f"same content as the document '{twin.doc_id}' (not imported twice)",
            )
        if document.sha256 in pending_shas:
            first = pending_shas[document.sha256]
            return FileOutcome(
                path,
                ImportOutcome.UNCHANGED,
                message=f"same content as {first.name} in this import (not imported twice)",
            )
        replacing = self.store.by_origin(origin) is not None
        return _Prepared(path, origin, document, chunks, replacing)

    def _flush(
        self,
        batch: list[_Prepared],
        finish: Callable[[FileOutcome], None],
        cancel: threading.Event | None,
    ) -> None:
        """Embed the batch's chunks and store each document as soon as all its chunks
        have vectors; without a (working) model, store them without. A cancel leaves the
        documents not yet stored for the next run."""
        owners = [n for n, item in enumerate(batch) for _ in item.chunks]
        texts = [chunk.embedding_text for item in batch for chunk in item.chunks]
        first = [0]
        for item in batch:
            first.append(first[-1] + len(item.chunks))
        left = [len(item.chunks) for item in batch]
        stored = [False] * len(batch)
        vectors: FloatMatrix | None = None

        def embedded(rows: list[int], piece: FloatMatrix) -> None:
            nonlocal vectors
            if vectors is None:
                vectors = np.empty((len(texts), piece.shape[1]), dtype=np.float32)
            vectors[rows] = piece
            for row in rows:
                left[owners[row]] -= 1
            for n in sorted({owners[row] for row in rows}):
                if left[n] == 0:
                    finish(self._store(batch[n], vectors[first[n] : first[n + 1]]))
                    stored[n] = True

        if not self._encode_sorted(texts, embedded, cancel):
            return  # cancelled
        for n, item in enumerate(batch):
            if not stored[n]:  # the model failed, or there is none
                finish(self._store(item, None))

    def _encode_sorted(
        self,
        texts: list[str],
        embedded: Callable[[list[int], FloatMatrix], None],
        cancel: threading.Event | None,
    ) -> bool:
        """Encode texts longest first, one model batch per call, handing each batch's rows
        and vectors to `embedded`. Sorting by length is what sentence-transformers does
        inside one call; doing it here over the whole gathered batch keeps the padding
        as low as one big call would (it was 27% of the work with calls per 64 chunks)
        while cancel is honoured between model batches. False when cancelled."""
        rows: list[int] = list(range(len(texts)))
        if self.prebuilt:
            hashes = [text_hash(text) for text in texts]
            known = [row for row in rows if hashes[row] in self.prebuilt]
            if known:
                embedded(known, np.stack([self.prebuilt[hashes[row]] for row in known]))
                self.prebuilt_used += len(known)
                rows = [row for row in rows if hashes[row] not in self.prebuilt]
        if self._embedding_error is not None:
            return True
        order = sorted(rows, key=lambda row: -len(texts[row]))
        for start in range(0, len(order), self.encode_batch_size):
            if cancel is not None and cancel.is_set():
                return False
            rows = order[start : start + self.encode_batch_size]
            piece = self._encode([texts[row] for row in rows])
            if piece is None:
                return True
            embedded(rows, piece)
        return True

    def _encode(self, texts: list[str]) -> FloatMatrix | None:
        """Vectors for texts; None (and the reason kept) when the model cannot be used."""
        assert self.embedder is not None
        try:
            return self.embedder.encode(texts, batch_size=self.encode_batch_size)
        except Exception as exc:
            if not isinstance(exc, KnownError):
                _log.opt(exception=True).error("The embedding model failed during an import")
            detail = exc.message if isinstance(exc, KnownError) else f"{type(exc).__name__}: {exc}"
            self._embedding_error = detail
            _log.warning("Importing without embeddings (keyword search only): {}", detail)
            return None

    def _store(self, item: _Prepared, vectors: FloatMatrix | None) -> FileOutcome:
        space = None
        if vectors is not None:
            assert self.embedder is not None
            space = EmbeddingSpace(self.embedder.model_id, int(vectors.shape[1]))
        try:
            stored, replaced = self.store.replace_document(
                origin=item.origin,
                document=item.document,
                chunks=item.chunks,
                chunker=self.chunker.signature,
                vectors=vectors,
                space=space,
            )
        except KnownError as exc:  # the disk is full, the database became read-only...
            return FileOutcome(item.path, ImportOutcome.FAILED, message=f"{item.path.name}: {exc}")
        except Exception:
            error_id = new_error_id()
            _log.opt(exception=True).error("Storing {} failed (error id {})", item.path, error_id)
            message = f"{item.path.name}: unexpected error while storing it (error id {error_id})."
            return FileOutcome(item.path, ImportOutcome.FAILED, message=message)
        _log.info(
            "{} {} as {} ({} chunks{})",
            "Replaced" if replaced else "Imported",
            item.path.name,
            stored.doc_id,
            len(item.chunks),
            "" if vectors is not None else ", no vectors yet",
        )
        return FileOutcome(
            item.path,
            ImportOutcome.REPLACED if replaced else ImportOutcome.IMPORTED,
            doc_id=stored.doc_id,
            title=stored.title,
            chunks=len(item.chunks),
            embedded=vectors is not None,
        )

    # -- (re-)embedding ------------------------------------------------------------------

    def reembed_missing(
        self,
        *,
        on_progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> EmbedSummary:
        """Embed every chunk lacking a vector of the current model (degraded imports, or a
        new model); once none is left, vectors of other models are deleted."""
        if self.embedder is None:
            return EmbedSummary(error="no embedding model")
        self._embedding_error = None
        model_id = self.embedder.model_id
        summary = EmbedSummary(model_id=model_id)
        total = self.store.count_missing_vectors(model_id)
        if total == 0:
            self.store.drop_other_vectors(model_id)
            return summary
        self.store.mark_documents_missing_vectors(model_id)
        _log.info("Embedding {} chunk(s) with {}", total, model_id)
        documents: set[int] = set()
        after = 0
        while not summary.cancelled and summary.error is None:
            page = self.store.chunks_missing_vectors(model_id, after=after, limit=self.batch_chunks)
            if not page:
                break
            after = page[-1].rowid

            def embedded(
                rows: list[int], vectors: FloatMatrix, page: list[PendingChunk] = page
            ) -> None:
                space = EmbeddingSpace(model_id, int(vectors.shape[1]))
                chunks = [page[row] for row in rows]
                for document_id, positions in _by_document(chunks):
                    self.store.store_vectors(
                        document_id, [chunks[i].rowid for i in positions], vectors[positions], space
                    )
                    documents.add(document_id)
                summary.embedded += len(rows)
                if on_progress is not None:
                    on_progress(
                        ImportProgress("embed", summary.embedded, total, model_id, "embedded")
                    )

            texts = [chunk.embedding_text for chunk in page]
            summary.cancelled = not self._encode_sorted(texts, embedded, cancel)
            summary.error = self._embedding_error
        summary.documents = len(documents)
        summary.remaining = self.store.count_missing_vectors(model_id)
        if summary.remaining == 0:
            self.store.drop_other_vectors(model_id)
        return summary


def _by_document(chunks: list[PendingChunk]) -> list[tuple[int, list[int]]]:
    """(document row id, positions in `chunks`) in order of first appearance."""
    groups: dict[int, list[int]] = {}
    for position, chunk in enumerate(chunks):
        groups.setdefault(chunk.document_id, []).append(position)
    return list(groups.items())
