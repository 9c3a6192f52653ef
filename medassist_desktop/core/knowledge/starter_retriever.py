"""INTERIM: hybrid search over the starter library, in memory, until the knowledge base lands.

`StarterLibraryRetriever` implements the `Retriever` contract (`passages.py`) over the
Markdown documents shipped in resources/knowledge/, so the consult pipeline and
`medassist ask` work end to end before the encrypted knowledge base (hybrid search in
SQLCipher, another branch) is merged. The lead replaces it with the database retriever
there; nothing else needs to change, because the pipeline only sees the contract.

How, in the same spirit as the real one (GPT4All's LocalDocs):
- the documents are parsed and chunked with the knowledge area's own parser and
  chunker (`parsers.parse_file`, `chunking.Chunker`), so passages and ids match;
- vector search: the chunks' `embedding_text` is embedded once with the app's
  `SentenceEmbedder`; a query is one encode and one matrix product (exact cosine);
- keyword search: an in-memory SQLite FTS5 table ranked by BM25 (Porter stemming);
- the two rankings are fused by reciprocal-rank fusion (k = 60). Without embeddings
  (not loaded, failed, or keyword-only mode) it searches by keywords alone and says so.
The chunk embeddings are kept in `cache_dir` (a .npy named by the chunk ids and the
embedding model), since embedding the ~300 chunks takes half a minute on a small CPU.
"""

from __future__ import annotations

import hashlib
import io
import re
import sqlite3
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from loguru import logger

from medassist_desktop.atomic_io import atomic_write_bytes
from medassist_desktop.core.knowledge.chunking import Chunk, Chunker
from medassist_desktop.core.knowledge.documents import Document
from medassist_desktop.core.knowledge.embeddings import Embedder, FloatMatrix
from medassist_desktop.core.knowledge.parsers import parse_file
from medassist_desktop.core.knowledge.passages import Passage, RetrievalResult
from medassist_desktop.core.knowledge.starter import starter_library_files
from medassist_desktop.core.knowledge.tokens import TokenCounter, default_token_counter
from medassist_desktop.errors import KnownError

_log = logger.bind(area="knowledge")

RRF_K = 60
KV_PREFIX = "starter-"
_WORD = re.compile(r"\w{2,}", re.UNICODE)


@dataclass(frozen=True)
class _Indexed:
    chunk: Chunk
    document: Document


class StarterLibraryRetriever:
    """The interim `Retriever` over the starter library. Thread-safe after `prepare()`."""

    def __init__(
        self,
        embedder: Embedder | None,
        *,
        files: Sequence[Path] | None = None,
        cache_dir: Path | None = None,
        counter: TokenCounter | None = None,
    ) -> None:
        self._embedder = embedder
        self._files = list(files) if files is not None else None
        self._cache_dir = cache_dir
        self._counter = counter
        self._items: list[_Indexed] = []
        self._matrix: FloatMatrix | None = None
        self._degraded: str | None = None if embedder is not None else "keyword-only mode"
        self._db: sqlite3.Connection | None = None
        self._kb_version = ""
        self._prepare_lock = threading.Lock()
        self._db_lock = threading.Lock()

    # -- preparing ------------------------------------------------------------------------
    @property
    def is_prepared(self) -> bool:
        return self._db is not None

    @property
    def kb_version(self) -> str:
        self.prepare()
        return self._kb_version

    @property
    def chunk_count(self) -> int:
        self.prepare()
        return len(self._items)

    @property
    def degraded_reason(self) -> str | None:
        """Why search is by keywords only (None when vectors are used)."""
        return self._degraded

    def prepare(self) -> None:
        """Parse, chunk, index and embed the library once (slow the first time: call it off
        the GUI thread). Embedding failures leave keyword search working."""
        if self.is_prepared:
            return
        with self._prepare_lock:
            if self._db is not None:
                return
            started = time.perf_counter()
            items = self._chunks()
            ids = [item.chunk.chunk_id for item in items]
            digest = hashlib.sha256("\n".join(ids).encode()).hexdigest()
            self._items = items
            self._kb_version = KV_PREFIX + digest[:16]
            if self._embedder is not None:
                try:
                    self._matrix = self._embeddings(self._embedder, items, digest)
                except KnownError as exc:
                    self._degraded = f"the embedding model is unavailable: {exc}"
                    _log.warning("Starter library: keyword search only ({})", exc)
            self._db = _keyword_index(items)
            _log.info(
                "Starter library indexed: {} chunks, {} ({:.1f} s)",
                len(items),
                "vectors + keywords" if self._matrix is not None else "keywords only",
                time.perf_counter() - started,
            )

    def _chunks(self) -> list[_Indexed]:
        files = self._files if self._files is not None else starter_library_files()
        if not files:
            raise KnownError(
                "The starter library (resources/knowledge) is missing.",
                hint="Reinstall MedAssist Desktop.",
            )
        chunker = Chunker(self._counter or default_token_counter())
        items: list[_Indexed] = []
        for path in files:
            document = parse_file(path)
            items.extend(_Indexed(chunk, document) for chunk in chunker.chunk(document))
        return items

    def _embeddings(self, embedder: Embedder, items: list[_Indexed], digest: str) -> FloatMatrix:
        key = hashlib.sha256(f"{embedder.model_id}\n{digest}".encode()).hexdigest()[:24]
        path = self._cache_dir / f"starter-embeddings-{key}.npy" if self._cache_dir else None
        if path is not None and path.is_file():
            try:
                cached: FloatMatrix = np.load(path, allow_pickle=False)
                if cached.shape[0] == len(items) and cached.dtype == np.float32:
                    return cached
            except (OSError, ValueError) as exc:
                _log.warning("Ignoring a damaged embedding cache {} ({})", path, exc)
        matrix = embedder.encode([item.chunk.embedding_text for item in items])
        if path is not None:
            buffer = io.BytesIO()
            np.save(buffer, matrix, allow_pickle=False)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                atomic_write_bytes(path, buffer.getvalue())
            except OSError as exc:
                _log.warning("Cannot keep the starter library's embeddings in {} ({})", path, exc)
        return matrix

    # -- searching ------------------------------------------------------------------------
    def search(
        self,
        query: str,
        k: int = 5,
        *,
        query_embedding: npt.NDArray[np.float32] | None = None,
    ) -> RetrievalResult:
        self.prepare()
        timings: dict[str, float] = {}
        depth = max(k * 4, 20)
        started = time.perf_counter()
        keyword = self._keyword_ranks(query, depth)
        timings["keyword_ms"] = round((time.perf_counter() - started) * 1000, 2)
        similarities: npt.NDArray[np.float32] | None = None
        degraded = self._degraded
        if self._matrix is not None and self._embedder is not None:
            started = time.perf_counter()
            try:
                vector = (
                    query_embedding
                    if query_embedding is not None
                    else self._embedder.encode([query])[0]
                )
                similarities = self._matrix @ vector
            except KnownError as exc:
                degraded = f"the embedding model is unavailable: {exc}"
            timings["vector_ms"] = round((time.perf_counter() - started) * 1000, 2)
        vector_ranks: dict[int, int] = {}
        if similarities is not None:
            order = np.argsort(-similarities)[:depth]
            vector_ranks = {int(index): rank for rank, index in enumerate(order, start=1)}
        fused: dict[int, float] = {}
        for ranks in (keyword, vector_ranks):
            for index, rank in ranks.items():
                fused[index] = fused.get(index, 0.0) + 1.0 / (RRF_K + rank)
        best = sorted(fused, key=lambda index: (-fused[index], index))[:k]
        passages = [
            self._passage(
                index,
                fused[index],
                None if similarities is None else float(similarities[index]),
                keyword.get(index),
                vector_ranks.get(index),
            )
            for index in best
        ]
        return RetrievalResult(
            passages=passages,
            mode="hybrid" if similarities is not None else "keyword",
            kb_version=self._kb_version,
            degraded_reason=degraded if similarities is None else None,
            timings_ms=timings,
        )

    def _keyword_ranks(self, query: str, depth: int) -> dict[int, int]:
        words = sorted({word.lower() for word in _WORD.findall(query)})
        if not words or self._db is None:
            return {}
        match = " OR ".join('"' + word.replace('"', '""') + '"' for word in words)
        with self._db_lock:
            rows = self._db.execute(
                "SELECT rowid FROM chunks WHERE chunks MATCH ? ORDER BY bm25(chunks) LIMIT ?",
                (match, depth),
            ).fetchall()
        return {int(row[0]): rank for rank, row in enumerate(rows, start=1)}

    def _passage(
        self,
        index: int,
        score: float,
        similarity: float | None,
        keyword_rank: int | None,
        vector_rank: int | None,
    ) -> Passage:
        item = self._items[index]
        return Passage(
            chunk_id=item.chunk.chunk_id,
            doc_id=item.document.sha256,
            title=item.document.title,
            source=item.document.source,
            section=item.chunk.section,
            page=item.chunk.page_start,
            text=item.chunk.text,
            score=score,
            similarity=similarity,
            keyword_rank=keyword_rank,
            vector_rank=vector_rank,
        )


def _keyword_index(items: list[_Indexed]) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute(
        "CREATE VIRTUAL TABLE chunks USING fts5(context, text, "
        "tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    db.executemany(
        "INSERT INTO chunks (rowid, context, text) VALUES (?, ?, ?)",
        [(index, item.chunk.context, item.chunk.text) for index, item in enumerate(items)],
    )
    db.commit()
    return db


__all__ = ["StarterLibraryRetriever"]
