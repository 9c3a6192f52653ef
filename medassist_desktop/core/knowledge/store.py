"""The knowledge base inside the encrypted database: documents, chunks, FTS5 index, vectors.

Every change is one transaction: a document is replaced (old chunks, index entries and
vectors out, new ones in) or removed as a whole, so a crash or power cut leaves either
the old document or the new one. Each such transaction also bumps the content version,
which retrieval uses to know its in-memory vector matrix is stale and the consult
pipeline uses in its cache keys (`kb_version`).

Vectors are float32 BLOBs (little endian), one per chunk, tagged with the embedding
model (`kb_embedding_models`: model id and dimension). Retrieval reads only the vectors
of the model in use; chunks without one (a model change, or an import while the model
was unavailable) are listed by `chunks_missing_vectors` and re-embedded, never mixed.

Not thread-safe, like the `Database` under it: the thread that owns the connection calls.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from medassist_desktop.core.knowledge.chunking import Chunk, join_embedding_text
from medassist_desktop.core.knowledge.documents import Document
from medassist_desktop.errors import KnownError
from medassist_desktop.i18n.catalogue import N_
from medassist_desktop.storage.database import Connection, Database, Row

FloatMatrix = npt.NDArray[np.float32]
IdArray = npt.NDArray[np.int64]
Clock = Callable[[], float]

READY = "ready"
NEEDS_EMBEDDING = "needs_embedding"
STARTER_ORIGIN_PREFIX = "starter:"
_VECTOR_DTYPE = np.dtype("<f4")
_SLUG_CHARS = re.compile(r"[^a-z0-9]+")
_DOC_COLUMNS = (
    "id, doc_id, origin, path, format, title, source, version, date, language, topics, "
    "sha256, size_bytes, page_count, chunker, chunk_count, status, imported_at, updated_at"
)


class DocumentNotFoundError(KnownError):
    """`kb remove` named a document the knowledge base does not have."""


@dataclass(frozen=True, slots=True)
class EmbeddingSpace:
    """Which model made a set of vectors: vectors of different spaces are never compared."""

    model_id: str
    dimension: int


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """A document as the knowledge base records it (what `kb list` shows)."""

    id: int
    doc_id: str
    origin: str
    path: str
    format: str
    title: str
    source: str
    version: str | None
    date: str | None
    language: str
    topics: tuple[str, ...]
    sha256: str
    size_bytes: int
    page_count: int | None
    chunker: str
    chunk_count: int
    status: str
    imported_at: str
    updated_at: str

    @classmethod
    def from_row(cls, row: Row | Sequence[Any]) -> StoredDocument:
        values = list(row)
        values[10] = tuple(json.loads(values[10]))
        return cls(*values)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        del data["id"]
        data["topics"] = list(self.topics)
        return data


@dataclass(frozen=True, slots=True)
class PendingChunk:
    """A chunk that has no vector of the current model yet."""

    rowid: int
    document_id: int
    embedding_text: str


@dataclass(frozen=True, slots=True)
class PassageRow:
    """What a retrieved chunk needs for its citation."""

    rowid: int
    chunk_id: str
    doc_id: str
    title: str
    source: str
    section: str
    page: int | None
    text: str
    origin: str = ""

    @property
    def from_starter_library(self) -> bool:
        return self.origin.startswith(STARTER_ORIGIN_PREFIX)


def vector_blob(vector: npt.NDArray[np.floating[Any]]) -> bytes:
    return np.ascontiguousarray(vector, dtype=_VECTOR_DTYPE).tobytes()


def starter_origin(file_name: str) -> str:
    """The origin of a starter-library file: the same wherever the app is installed."""
    return STARTER_ORIGIN_PREFIX + file_name


def slugify(text: str, *, max_length: int = 48) -> str:
    slug = _SLUG_CHARS.sub("-", text.casefold()).strip("-")[:max_length].strip("-")
    return slug or "document"


# The tokenizer of kb_chunks_fts (storage/schema.py): words are compared as it stores them.
FTS_TOKENIZER = "porter unicode61 remove_diacritics 2"


class KnowledgeStore:
    """The SQL of the knowledge base (tables from migration 10 in `storage/schema.py`)."""

    def __init__(self, db: Database, *, clock: Clock = time.time) -> None:
        self.db = db
        self._clock = clock
        self._term_tables = False

    # -- versions ------------------------------------------------------------------------

    def content_version(self) -> int:
        return int(self.db.scalar("SELECT value FROM kb_state WHERE key = 'content_version'"))

    def kb_version(self) -> str:
        """This knowledge base's random id and its content version, e.g. '3f9a0c1b22de-17'."""
        rows = self.db.query_all(
            "SELECT key, value FROM kb_state WHERE key IN ('instance', 'content_version')"
        )
        values = {str(row[0]): str(row[1]) for row in rows}
        return f"{values['instance']}-{values['content_version']}"

    def get_state(self, key: str) -> str | None:
        value = self.db.scalar("SELECT value FROM kb_state WHERE key = ?", (key,))
        return None if value is None else str(value)

    def set_state(self, key: str, value: str) -> None:
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO kb_state (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    @staticmethod
    def _bump(conn: Connection) -> None:
        conn.execute(
            "UPDATE kb_state SET value = CAST(value AS INTEGER) + 1 WHERE key = 'content_version'"
        )

    # -- documents -----------------------------------------------------------------------

    def documents(self) -> list[StoredDocument]:
        rows = self.db.query_all(f"SELECT {_DOC_COLUMNS} FROM kb_documents ORDER BY doc_id")
        return [StoredDocument.from_row(row) for row in rows]

    def find(self, reference: str) -> StoredDocument | None:
        """A document by its doc_id, its origin or the path it was imported from."""
        row = self.db.query_one(
            f"SELECT {_DOC_COLUMNS} FROM kb_documents WHERE doc_id = ? OR origin = ? OR path = ? "
            "ORDER BY doc_id = ? DESC LIMIT 1",
            (reference, reference, reference, reference),
        )
        return None if row is None else StoredDocument.from_row(row)

    def by_origin(self, origin: str) -> StoredDocument | None:
        row = self.db.query_one(
            f"SELECT {_DOC_COLUMNS} FROM kb_documents WHERE origin = ?", (origin,)
        )
        return None if row is None else StoredDocument.from_row(row)

    def by_sha256(self, sha256: str) -> StoredDocument | None:
        row = self.db.query_one(
            f"SELECT {_DOC_COLUMNS} FROM kb_documents WHERE sha256 = ? LIMIT 1", (sha256,)
        )
        return None if row is None else StoredDocument.from_row(row)

    def fingerprints(self) -> dict[str, tuple[str, str]]:
        """origin -> (sha256, chunker signature) of every document (for unchanged checks)."""
        rows = self.db.query_all("SELECT origin, sha256, chunker FROM kb_documents")
        return {str(r[0]): (str(r[1]), str(r[2])) for r in rows}

    def replace_document(
        self,
        *,
        origin: str,
        document: Document,
        chunks: Sequence[Chunk],
        chunker: str,
        vectors: FloatMatrix | None = None,
        space: EmbeddingSpace | None = None,
    ) -> tuple[StoredDocument, bool]:
        """Store a document and its chunks (and vectors), replacing the one from `origin`.

        One transaction: the old document's chunks, index entries and vectors go (cascade
        and triggers), the new ones come in, the content version moves on. Returns the
        stored document and whether an older version was replaced.
        """
        if vectors is not None and (
            space is None or vectors.shape != (len(chunks), space.dimension)
        ):
            raise ValueError("vectors must be one row per chunk, of the space's dimension")
        now = self._now()
        with self.db.transaction() as conn:
            old = conn.execute(
                "SELECT id, doc_id, imported_at FROM kb_documents WHERE origin = ?", (origin,)
            ).fetchone()
            if old is not None:
                conn.execute("DELETE FROM kb_documents WHERE id = ?", (old[0],))
                doc_id, imported_at = str(old[1]), str(old[2])
            else:
                doc_id, imported_at = self._new_doc_id(conn, document), now
            status = READY if vectors is not None else NEEDS_EMBEDDING
            cursor = conn.execute(
                "INSERT INTO kb_documents (doc_id, origin, path, format, title, source, version, "
                "date, language, topics, sha256, size_bytes, page_count, chunker, chunk_count, "
                "status, imported_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    doc_id,
                    origin,
                    str(document.path),
                    str(document.format),
                    document.title,
                    document.source,
                    document.version,
                    document.date,
                    document.language,
                    json.dumps(list(document.topics), ensure_ascii=False),
                    document.sha256,
                    document.size_bytes,
                    document.page_count,
                    chunker,
                    len(chunks),
                    status,
                    imported_at,
                    now,
                ),
            )
            document_rowid = int(cursor.lastrowid or 0)
            rowids = self._insert_chunks(conn, document_rowid, chunks)
            if vectors is not None and space is not None:
                self._insert_vectors(conn, rowids, vectors, self._space_id(conn, space))
            self._bump(conn)
        stored = self.by_origin(origin)
        assert stored is not None
        return stored, old is not None

    def remove_document(self, reference: str) -> StoredDocument:
        """Remove a document (its chunks, index entries and vectors with it)."""
        with self.db.transaction():
            document = self.find(reference)
            if document is None:
                raise DocumentNotFoundError(
                    N_("The knowledge base has no document '{reference}'.", reference=reference),
                    hint=N_("`medassist kb list` shows the documents and their ids."),
                )
            self.db.execute("DELETE FROM kb_documents WHERE id = ?", (document.id,))
            self._bump(self.db.connection)
        return document

    @staticmethod
    def _new_doc_id(conn: Connection, document: Document) -> str:
        base = slugify(document.path.stem if document.path.stem else document.title)
        candidate, n = base, 1
        while conn.execute("SELECT 1 FROM kb_documents WHERE doc_id = ?", (candidate,)).fetchone():
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    @staticmethod
    def _insert_chunks(conn: Connection, document_rowid: int, chunks: Sequence[Chunk]) -> list[int]:
        rowids: list[int] = []
        for position, chunk in enumerate(chunks):
            cursor = conn.execute(
                "INSERT INTO kb_chunks (chunk_id, document_id, position, section, context, text, "
                "page_start, page_end, token_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    chunk.chunk_id,
                    document_rowid,
                    position,
                    chunk.section,
                    chunk.context,
                    chunk.text,
                    chunk.page_start,
                    chunk.page_end,
                    chunk.token_count,
                ),
            )
            rowids.append(int(cursor.lastrowid or 0))
        return rowids

    @staticmethod
    def _insert_vectors(
        conn: Connection, rowids: Sequence[int], vectors: FloatMatrix, space_id: int
    ) -> None:
        conn.executemany(
            "INSERT INTO kb_vectors (chunk, model, vector) VALUES (?, ?, ?) "
            "ON CONFLICT (chunk) DO UPDATE SET model = excluded.model, vector = excluded.vector",
            [
                (rowid, space_id, vector_blob(vector))
                for rowid, vector in zip(rowids, vectors, strict=True)
            ],
        )

    @staticmethod
    def _space_id(conn: Connection, space: EmbeddingSpace) -> int:
        row = conn.execute(
            "SELECT id, dimension FROM kb_embedding_models WHERE model_id = ?", (space.model_id,)
        ).fetchone()
        if row is not None:
            if int(row[1]) != space.dimension:
                # Same name, other shape: the model behind the name changed. Its old vectors
                # are worthless; drop them so they are re-embedded, never compared.
                conn.execute("DELETE FROM kb_vectors WHERE model = ?", (row[0],))
                conn.execute(
                    "UPDATE kb_embedding_models SET dimension = ? WHERE id = ?",
                    (space.dimension, row[0]),
                )
            return int(row[0])
        cursor = conn.execute(
            "INSERT INTO kb_embedding_models (model_id, dimension) VALUES (?, ?)",
            (space.model_id, space.dimension),
        )
        return int(cursor.lastrowid or 0)

    # -- vectors -------------------------------------------------------------------------

    def chunk_count(self) -> int:
        return int(self.db.scalar("SELECT count(*) FROM kb_chunks"))

    def vector_counts(self, model_id: str) -> dict[int, int]:
        """document row id -> chunks holding a vector of this model."""
        rows = self.db.query_all(
            "SELECT c.document_id, count(*) FROM kb_vectors v "
            "JOIN kb_chunks c ON c.id = v.chunk "
            "JOIN kb_embedding_models m ON m.id = v.model AND m.model_id = ? "
            "GROUP BY c.document_id",
            (model_id,),
        )
        return {int(r[0]): int(r[1]) for r in rows}

    def count_missing_vectors(self, model_id: str) -> int:
        return int(
            self.db.scalar(
                "SELECT count(*) FROM kb_chunks c "
                "LEFT JOIN kb_vectors v ON v.chunk = c.id "
                "LEFT JOIN kb_embedding_models m ON m.id = v.model "
                "WHERE m.model_id IS NULL OR m.model_id != ?",
                (model_id,),
            )
        )

    def chunks_missing_vectors(
        self, model_id: str, *, after: int = 0, limit: int = 10_000
    ) -> list[PendingChunk]:
        """Chunks with no vector of this model (none at all, or another model's), by row id,
        starting after row id `after` (to page through a large knowledge base)."""
        rows = self.db.query_all(
            "SELECT c.id, c.document_id, c.context, c.text FROM kb_chunks c "
            "LEFT JOIN kb_vectors v ON v.chunk = c.id "
            "LEFT JOIN kb_embedding_models m ON m.id = v.model "
            "WHERE c.id > ? AND (m.model_id IS NULL OR m.model_id != ?) "
            "ORDER BY c.id LIMIT ?",
            (after, model_id, limit),
        )
        return [
            PendingChunk(int(r[0]), int(r[1]), join_embedding_text(str(r[2]), str(r[3])))
            for r in rows
        ]

    def store_vectors(
        self, document_id: int, rowids: Sequence[int], vectors: FloatMatrix, space: EmbeddingSpace
    ) -> None:
        """Vectors for chunks of one document, in one transaction; the document becomes
        ready once all its chunks have a vector of this model. Chunks deleted meanwhile
        (the document was replaced or removed) are skipped."""
        if vectors.shape != (len(rowids), space.dimension):
            raise ValueError("vectors must be one row per chunk, of the space's dimension")
        with self.db.transaction() as conn:
            placeholders = ",".join("?" * len(rowids))
            alive = {
                int(r[0])
                for r in conn.execute(
                    f"SELECT id FROM kb_chunks WHERE document_id = ? AND id IN ({placeholders})",
                    (document_id, *rowids),
                )
            }
            keep = [i for i, rowid in enumerate(rowids) if rowid in alive]
            if not keep:
                return
            space_id = self._space_id(conn, space)
            self._insert_vectors(conn, [rowids[i] for i in keep], vectors[keep], space_id)
            missing = conn.execute(
                "SELECT count(*) FROM kb_chunks c LEFT JOIN kb_vectors v ON v.chunk = c.id "
                "WHERE c.document_id = ? AND (v.model IS NULL OR v.model != ?)",
                (document_id, space_id),
            ).fetchone()[0]
            status = READY if int(missing) == 0 else NEEDS_EMBEDDING
            conn.execute(
                "UPDATE kb_documents SET status = ?, updated_at = ? WHERE id = ?",
                (status, self._now(), document_id),
            )
            self._bump(conn)

    def mark_documents_missing_vectors(self, model_id: str) -> int:
        """Flag (needs_embedding) documents with chunks lacking this model's vectors."""
        with self.db.transaction() as conn:
            cursor = conn.execute(
                "UPDATE kb_documents SET status = 'needs_embedding' "
                "WHERE status = 'ready' AND id IN ("
                "  SELECT c.document_id FROM kb_chunks c "
                "  LEFT JOIN kb_vectors v ON v.chunk = c.id "
                "  LEFT JOIN kb_embedding_models m ON m.id = v.model "
                "  WHERE m.model_id IS NULL OR m.model_id != ?)",
                (model_id,),
            )
            return int(cursor.rowcount)

    def drop_other_vectors(self, model_id: str) -> int:
        """Delete vectors of every other model (after a complete re-embed)."""
        with self.db.transaction() as conn:
            cursor = conn.execute(
                "DELETE FROM kb_vectors WHERE model IN "
                "(SELECT id FROM kb_embedding_models WHERE model_id != ?)",
                (model_id,),
            )
            return int(cursor.rowcount)

    def space(self, model_id: str) -> EmbeddingSpace | None:
        row = self.db.query_one(
            "SELECT model_id, dimension FROM kb_embedding_models WHERE model_id = ?", (model_id,)
        )
        return None if row is None else EmbeddingSpace(str(row[0]), int(row[1]))

    def load_vectors(self, space: EmbeddingSpace) -> tuple[IdArray, FloatMatrix]:
        """(chunk row ids ascending, matrix with one row per id) of this model's vectors."""
        count = int(
            self.db.scalar(
                "SELECT count(*) FROM kb_vectors v JOIN kb_embedding_models m ON m.id = v.model "
                "WHERE m.model_id = ?",
                (space.model_id,),
            )
        )
        rowids = np.empty(count, dtype=np.int64)
        matrix = np.empty((count, space.dimension), dtype=np.float32)
        row_bytes = 4 * space.dimension
        cursor = self.db.execute(
            "SELECT v.chunk, v.vector FROM kb_vectors v "
            "JOIN kb_embedding_models m ON m.id = v.model "
            "WHERE m.model_id = ? ORDER BY v.chunk",
            (space.model_id,),
        )
        filled = 0
        for rowid, blob in cursor:
            if filled == count:  # rows added since the count (another connection): next time
                break
            if len(blob) != row_bytes:
                continue  # cannot happen through this store; never let a bad row in
            rowids[filled] = rowid
            matrix[filled] = np.frombuffer(blob, dtype=_VECTOR_DTYPE)
            filled += 1
        return rowids[:filled], matrix[:filled]

    # -- keyword search and passages -----------------------------------------------------

    def keyword_search(self, match: str, limit: int) -> list[tuple[int, float]]:
        """(chunk row id, BM25 score: lower is better) for an FTS5 MATCH expression.

        The title-and-headings column counts twice the body: a question naming a topic
        should find the document about it first.
        """
        rows = self.db.execute(
            "SELECT rowid, bm25(kb_chunks_fts, 2.0, 1.0) AS score FROM kb_chunks_fts "
            "WHERE kb_chunks_fts MATCH ? ORDER BY score LIMIT ?",
            (match, limit),
        ).fetchall()
        return [(int(r[0]), float(r[1])) for r in rows]

    def term_document_count(self, quoted_term: str) -> int:
        """How many chunks contain a term (an FTS5 string, see fts_query.quote)."""
        return int(
            self.db.scalar(
                "SELECT count(*) FROM kb_chunks_fts WHERE kb_chunks_fts MATCH ?", (quoted_term,)
            )
        )

    def stem(self, word: str) -> str:
        """`word` as the keyword index stores it (porter stem, diacritics folded): put
        through a temporary FTS5 table with the same tokenizer on this connection."""
        self._prepare_term_tables()
        self.db.execute("DELETE FROM temp.kb_stem_probe")
        self.db.execute("INSERT INTO temp.kb_stem_probe (word) VALUES (?)", (word,))
        stem = self.db.scalar("SELECT term FROM temp.kb_stem_probe_terms LIMIT 1")
        return word if stem is None else str(stem)

    def index_terms(self, first: str, shortest: int, longest: int) -> list[tuple[str, int]]:
        """(term, chunks containing it) of the keyword index's terms that start with
        `first` and have `shortest` to `longest` characters."""
        self._prepare_term_tables()
        rows = self.db.query_all(
            "SELECT term, doc FROM temp.kb_index_terms WHERE term >= ? AND term < ? "
            "AND length(term) BETWEEN ? AND ?",
            (first, first + "\U0010ffff", shortest, longest),
        )
        return [(str(r[0]), int(r[1])) for r in rows]

    def _prepare_term_tables(self) -> None:
        """The temporary tables behind `stem` and `index_terms` (per connection)."""
        if self._term_tables:
            return
        self.db.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.kb_stem_probe USING fts5 "
            f"(word, tokenize = '{FTS_TOKENIZER}')"
        )
        self.db.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.kb_stem_probe_terms "
            "USING fts5vocab(temp, kb_stem_probe, 'row')"
        )
        self.db.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.kb_index_terms "
            "USING fts5vocab(main, kb_chunks_fts, 'row')"
        )
        self._term_tables = True

    def passages(self, rowids: Iterable[int]) -> dict[int, PassageRow]:
        ids = list(rowids)
        if not ids:
            return {}
        placeholders = ",".join("?" * len(ids))
        rows = self.db.execute(
            "SELECT c.id, c.chunk_id, d.doc_id, d.title, d.source, c.section, c.page_start, "
            "c.text, d.origin FROM kb_chunks c JOIN kb_documents d ON d.id = c.document_id "
            f"WHERE c.id IN ({placeholders})",
            ids,
        ).fetchall()
        return {int(r[0]): PassageRow(*r) for r in rows}

    def _now(self) -> str:
        return datetime.fromtimestamp(self._clock(), UTC).isoformat(timespec="seconds")


__all__ = [
    "NEEDS_EMBEDDING",
    "READY",
    "DocumentNotFoundError",
    "EmbeddingSpace",
    "KnowledgeStore",
    "PassageRow",
    "PendingChunk",
    "StoredDocument",
    "slugify",
    "starter_origin",
    "vector_blob",
]
