"""Hybrid retrieval: exact vector search and FTS5 BM25, fused by reciprocal-rank fusion.

Why exact search: a clinic's knowledge base holds thousands to a few hundred thousand
chunks. The vectors are L2-normalised, so cosine similarity is one matrix-vector
product over a float32 matrix held in memory (50,000 x 384 is 77 MB); no approximate
index to build, tune or corrupt, and results are reproducible.

Why fusion by rank (RRF, Cormack et al. 2009): BM25 scores and cosine similarities live
on different scales; adding weight / (60 + rank) from each list needs no calibration,
and a passage that both searches rank high comes first. Keyword search catches exact
terms (drug names, "MUAC") that embeddings blur; vectors catch paraphrases. Both lists
count the same. Counting the keyword list half (so that a conversational question's
everyday words, "baby", "home", weigh less) was measured against it: on the 26
paraphrased starter-library questions (tests/integration/knowledge/) 21 first with half
weight, 22 with equal weights, all 26 in the top 3 either way; on the 121 tuning
questions over 23 clinic documents (benchmarks/retrieval_eval.py) equal weights put 7
more first (82 -> 89) and one more in the top 3.

The top results then go through two rules, measured on clinic documents with the starter
library present (benchmarks/retrieval_eval.py, table in benchmarks/results/
retrieval_eval.md): at most two chunks of one starter-library document come before any
document's third (a long generic document cannot fill the top 3 alone), while a document
the clinic imported may place three (a clinic's procedure often answers in the section
after its two most similar ones: on the tuning questions this moved 5 more of 121
answers into the top 3, 104 -> 109, and none out); and with `prefer_local` (the
`kb_prefer_local` setting) passages of documents the clinic imported get a 5% higher
fused score, so when a clinic's own procedure and a starter-library passage score close,
the clinic's comes first ("who do we call when the fridge breaks" is answered by the
clinic's cold-chain procedure, not by the generic immunisation page). The bonus is small
on purpose: at 10-20% clinic documents displaced the library on questions only the
library answers. The passage says which library it is from and whether the preference
moved it (`library`, `preferred_local`). Each chunk's context line (document title and
heading path) is embedded with it and is its own FTS column counting twice the body; a
further fused list of title/heading-only keyword matches was measured and left out: it
lowered keyword-only recall. Also measured and left out: a second vector per chunk of
its heading path alone (no tuning question moved into the top 3), and fusing scores
instead of ranks (a share of the cosine + the rest x BM25 relative to the best hit,
Bruch et al. 2023): with 0.7-0.85 of cosine up to three more tuning questions came
first, but on the starter library alone a dengue warning-signs question ("The high
temperature went away on day four but now he has belly pain and his gums bleed") fell
out of the top 3 - its passage is the first keyword hit but only the 12th by cosine, and
rank fusion keeps it in; at 0.6 it stayed, and 20 of the 26 starter questions came first
instead of 22.

Keyword search alone (no embedding model, or nothing embedded with it yet) ranks by
BM25, and the clinic preference then compares BM25 scores relative to the best hit: with
one list, rank fusion's scores would make a clinic passage one rank lower "close" to any
starter passage however far apart their BM25 scores are. With 35 clinic documents
imported, the starter library's own questions found in the top 3 went from 19 to 23 of 26
(first: 6 to 12), the 121 tuning questions from 98 to 97 (first: 76 to 70).

The keyword query (which words are searched, the synonyms of a word no passage
contains, and what a misspelt word most likely means) is built by `keyword_query.py`.

The two searches overlap: `search` hands the question's embedding and the vector
search to the retriever's one helper thread and runs the keyword search meanwhile on
its own thread, the one owning the database connection (SQLite connections stay on
their thread; the helper touches only the embedder and the matrix in memory). torch,
numpy's matrix product and SQLite's FTS5 step all release the GIL, so on two cores the
search takes about max(embed + vector, keyword) + fusion instead of their sum; the
question is embedded on one torch thread (embeddings.py), leaving the other core to
SQLite. Only from `overlap_from_chunks` chunks (5,000): in a smaller knowledge base
the keyword search takes about a millisecond, less than handing work to another thread
and back costs on a busy machine. The ranking is the same either way
(tests/integration/knowledge/test_overlapped_search.py compares the two). On 50,000
synthetic chunks, alternating question by question with the sequential search on the
shared 2-core machine (benchmarks/knowledge.py), p50 / p95: 44 / 99 ms vs 48 / 110 ms
at load average ~2-3, 32 / 59 ms vs 36 / 53 ms at ~3, 54 / 75 ms vs 58 / 92 ms at
~5-8 (the median lower in every run, the 95th percentile in half of them: with other
processes on both cores the two steps also take CPU from each other); with the
question's vector given (the router's), 17 / 22 ms vs 19 / 33 ms at ~2-3. At 1,000
chunks under load the hand-over made it slower (18.5 / 26.8 vs 16.9 / 22.6 ms): hence
the threshold.

The matrix is loaded lazily on the first search and reloaded when the store's content
version moves (an import, a removal, a re-embed, also by another process), checked with
one indexed read per search. Only vectors of the embedder's model are loaded: chunks
without one are still found by keyword search until they are re-embedded.

When embeddings are unavailable (no model, the model failed to load, or nothing is
embedded with it yet) keyword search alone answers, with `mode="keyword"` and the
reason in `degraded_reason`; the UI shows it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from loguru import logger

from medassist_desktop.core.knowledge.embeddings import Embedder
from medassist_desktop.core.knowledge.keyword_query import KeywordQuery
from medassist_desktop.core.knowledge.passages import Passage, RetrievalResult
from medassist_desktop.core.knowledge.store import (
    EmbeddingSpace,
    FloatMatrix,
    IdArray,
    KnowledgeStore,
    PassageRow,
)
from medassist_desktop.core.knowledge.synonyms import Synonyms
from medassist_desktop.errors import KnownError

_log = logger.bind(area="knowledge")

RRF_K = 60  # the constant of reciprocal-rank fusion (the paper's value)
VECTOR_WEIGHT = 1.0
KEYWORD_WEIGHT = 1.0
MAX_PER_DOCUMENT = 2  # chunks of one starter-library document among the top results
MAX_PER_CLINIC_DOCUMENT = 3  # chunks of one document the clinic imported
LOCAL_PREFERENCE = 0.05  # relative score bonus of clinic documents (kb_prefer_local)
DIVERSITY_POOL = 30  # fused candidates considered for the top results
MIN_CANDIDATES = 50  # each search contributes at least this many ranked candidates
RETRY_EMBEDDER_AFTER_S = 60.0
OVERLAP_FROM_CHUNKS = 5000  # smaller: the keyword search takes ~1 ms, nothing to overlap


@dataclass
class _Ranked:
    """A candidate of the top results: its fused score, and the score it is ranked by."""

    rowid: int
    row: PassageRow
    score: float
    fused_score: float
    preferred_local: bool = False


@dataclass
class _VectorStep:
    """What the helper thread hands back: the question's vector (None when it could not
    be embedded, with the reason), the vector ranking and its step timings."""

    vector: npt.NDArray[np.float32] | None
    ranked: list[int]
    reason: str | None
    timings: dict[str, float]


@dataclass(frozen=True)
class VectorIndex:
    """The vectors of one model at one content version, in memory."""

    space: EmbeddingSpace
    content_version: int
    rowids: IdArray  # ascending chunk row ids, one per matrix row
    matrix: FloatMatrix

    @property
    def nbytes(self) -> int:
        return int(self.matrix.nbytes + self.rowids.nbytes)

    def rows_of(self, rowids: Sequence[int]) -> npt.NDArray[np.int64]:
        """Matrix row of each chunk row id; -1 where the chunk has no vector."""
        wanted = np.asarray(rowids, dtype=np.int64)
        positions = np.searchsorted(self.rowids, wanted)
        positions = np.minimum(positions, max(len(self.rowids) - 1, 0))
        found = (
            self.rowids[positions] == wanted if len(self.rowids) else np.zeros(len(wanted), bool)
        )
        return np.where(found, positions, -1).astype(np.int64)


class HybridRetriever:
    """The `Retriever` of the knowledge base (see `passages.py` for the contract).

    Runs on the thread that owns the store's database connection. `wait_for_model=False`
    answers in keyword mode while the embedding model is still loading (the GUI loads it
    in the background) instead of blocking on the load. `synonyms`: the list keyword
    search widens unknown words with, `correct_spelling`: whether it searches a misspelt
    word as the term it most likely means (keyword_query.py).
    """

    def __init__(
        self,
        store: KnowledgeStore,
        embedder: Embedder | None,
        *,
        wait_for_model: bool = True,
        rrf_k: int = RRF_K,
        min_candidates: int = MIN_CANDIDATES,
        clock: Callable[[], float] = time.monotonic,
        prefer_local: bool = True,
        local_preference: float = LOCAL_PREFERENCE,
        keyword_weight: float = KEYWORD_WEIGHT,
        max_per_document: int = MAX_PER_DOCUMENT,
        max_per_clinic_document: int = MAX_PER_CLINIC_DOCUMENT,
        overlap_from_chunks: int | None = OVERLAP_FROM_CHUNKS,
        synonyms: Synonyms | Literal["shipped"] | None = "shipped",
        correct_spelling: bool = True,
    ) -> None:
        if min(max_per_document, max_per_clinic_document) < 1:
            raise ValueError("max_per_document and max_per_clinic_document must be at least 1")
        self.prefer_local = prefer_local
        self._local_preference = local_preference
        self._keyword_weight = keyword_weight
        self._max_per_document = max_per_document
        self._max_per_clinic_document = max_per_clinic_document
        self._store = store
        self._embedder = embedder
        self._wait_for_model = wait_for_model
        self._rrf_k = rrf_k
        self._min_candidates = min_candidates
        self._clock = clock
        self._index: VectorIndex | None = None
        self._index_lock = threading.Lock()
        self._embedder_error: str | None = None
        self._embedder_failed_at = 0.0
        self._overlap_from_chunks = overlap_from_chunks
        self._executor: ThreadPoolExecutor | None = None
        self._keyword_query = KeywordQuery(store, synonyms, correct_spelling=correct_spelling)

    # -- the Retriever protocol ----------------------------------------------------------

    def search(
        self,
        query: str,
        k: int = 5,
        *,
        query_embedding: npt.NDArray[np.float32] | None = None,
    ) -> RetrievalResult:
        if k < 1:
            raise ValueError("k must be at least 1")
        started = time.perf_counter()
        timings: dict[str, float] = {}
        if not query.strip():  # nothing asked, nothing found (a blank line of a batch file)
            reason = None
            if query_embedding is None and self._embedder is None:
                reason = "no embedding model is configured"
            return self._search(
                query,
                k,
                query_vector=query_embedding,
                reason=reason,
                timings=timings,
                started=started,
            )
        if not self._overlapping():
            vector, reason = query_embedding, None
            if vector is None:
                vectors, reason = self._embed([query], timings)
                vector = None if vectors is None else vectors[0]
            return self._search(
                query, k, query_vector=vector, reason=reason, timings=timings, started=started
            )
        return self._search_overlapped(query, k, query_embedding, timings, started)

    def _search_overlapped(
        self,
        query: str,
        k: int,
        query_embedding: npt.NDArray[np.float32] | None,
        timings: dict[str, float],
        started: float,
    ) -> RetrievalResult:
        """The question's embedding and the vector search on the helper thread while this
        thread (the one owning the database connection) runs the keyword search."""
        candidates = self._candidates(k)
        version = self._store.content_version()
        reason = None if query_embedding is not None else self._embedding_unavailable()
        index = None if reason is not None else self._searchable_index(version, query_embedding)
        job: Future[_VectorStep] | None = None
        if reason is None and (index is not None or query_embedding is None):
            job = self._helper().submit(
                self._vector_step, query, query_embedding, index, candidates
            )
        keyword_hits = self._keyword_hits(query, version, candidates, timings)
        vector_ranked: list[int] = []
        vector = query_embedding
        if job is not None:
            step = job.result()
            timings.update(step.timings)
            vector, vector_ranked = step.vector, step.ranked
            reason = step.reason
        if reason is None and vector is not None and index is None:
            reason = self._not_embedded_reason()
        return self._finish(
            k,
            index=index if vector is not None else None,
            query_vector=vector,
            reason=reason,
            rankings=(vector_ranked, keyword_hits),
            timings=timings,
            started=started,
        )

    def _vector_step(
        self,
        query: str,
        query_embedding: npt.NDArray[np.float32] | None,
        index: VectorIndex | None,
        candidates: int,
    ) -> _VectorStep:
        """On the helper thread: embed the question (unless given), then rank the matrix.
        Touches no database connection: only the embedder and the in-memory matrix."""
        timings: dict[str, float] = {}
        vector = query_embedding
        if vector is None:
            vectors, reason = self._embed([query], timings)
            if vectors is None:
                return _VectorStep(None, [], reason, timings)
            vector = vectors[0]
            if index is not None:
                _check_dimension(vector, index)
        ranked: list[int] = []
        if index is not None:
            step = time.perf_counter()
            ranked = _vector_ranked(index, vector, candidates)
            timings["vector_ms"] = _ms_since(step)
        return _VectorStep(vector, ranked, None, timings)

    def _helper(self) -> ThreadPoolExecutor:
        """The retriever's one helper thread, started on the first overlapped search.

        An idle worker ends when the retriever is garbage collected (the executor's
        worker holds it only weakly) or on `close()`."""
        with self._index_lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    max_workers=1, thread_name_prefix="kb-question-embedding"
                )
            return self._executor

    def close(self) -> None:
        """Stop the helper thread (a later search starts it again)."""
        with self._index_lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)

    def search_many(self, queries: Sequence[str], k: int = 5) -> list[RetrievalResult]:
        """Several questions with one batched encode (for evaluation runs)."""
        timings: dict[str, float] = {}
        vectors, reason = self._embed(list(queries), timings) if queries else (None, None)
        results = []
        for position, query in enumerate(queries):
            started = time.perf_counter()
            vector = None if vectors is None else vectors[position]
            results.append(
                self._search(
                    query, k, query_vector=vector, reason=reason, timings={}, started=started
                )
            )
        return results

    # -- state the UI and the benchmarks read ----------------------------------------------

    @property
    def index(self) -> VectorIndex | None:
        """The vector matrix in memory, if loaded (None before the first hybrid search)."""
        return self._index

    def invalidate(self) -> None:
        """Forget the in-memory matrix (the next search reloads it)."""
        with self._index_lock:
            self._index = None

    def retry_embeddings(self) -> None:
        """Try the embedding model again on the next search (after a failure)."""
        self._embedder_error = None

    def vector_index(self, content_version: int | None = None) -> VectorIndex | None:
        """The current matrix of the embedder's model (loaded or reloaded if stale)."""
        if self._embedder is None:
            return None
        version = self._store.content_version() if content_version is None else content_version
        with self._index_lock:
            index = self._index
            if (
                index is not None
                and index.content_version == version
                and index.space.model_id == self._embedder.model_id
            ):
                return index
            space = self._store.space(self._embedder.model_id)
            if space is None:
                self._index = None
                return None
            loaded_at = time.perf_counter()
            rowids, matrix = self._store.load_vectors(space)
            self._index = VectorIndex(space, version, rowids, matrix)
            _log.info(
                "Loaded {} vectors of {} ({:.1f} MB) in {:.0f} ms",
                len(rowids),
                space.model_id,
                matrix.nbytes / 1e6,
                1000 * (time.perf_counter() - loaded_at),
            )
            return self._index

    # -- the steps -----------------------------------------------------------------------

    def _embed(
        self, texts: list[str], timings: dict[str, float]
    ) -> tuple[FloatMatrix | None, str | None]:
        """Query vectors, or None and the reason vector search cannot be used now."""
        unavailable = self._embedding_unavailable()
        if unavailable is not None:
            return None, unavailable
        embedder = self._embedder
        assert embedder is not None
        started = time.perf_counter()
        try:
            vectors = embedder.encode(texts)
        except Exception as exc:
            if not isinstance(exc, KnownError):
                _log.opt(exception=True).error("The embedding model failed; keyword search only")
            detail = exc.message if isinstance(exc, KnownError) else f"{type(exc).__name__}: {exc}"
            self._embedder_error = f"the embedding model is unavailable ({detail})"
            self._embedder_failed_at = self._clock()
            return None, self._embedder_error
        timings["embed_ms"] = _ms_since(started)
        return vectors, None

    def _searchable_index(
        self, version: int, query_vector: npt.NDArray[np.float32] | None
    ) -> VectorIndex | None:
        """The matrix at this version, None when no passage has a vector of the model;
        a given question vector must have the matrix's dimension."""
        index = self.vector_index(version)
        if index is None or len(index.rowids) == 0:
            return None
        if query_vector is not None:
            _check_dimension(query_vector, index)
        return index

    def _not_embedded_reason(self) -> str:
        model_id = self._embedder.model_id if self._embedder is not None else "?"
        return f"no passage has been embedded with the model {model_id} yet"

    def _embedding_unavailable(self) -> str | None:
        """Why the question cannot be embedded now (before trying), or None."""
        embedder = self._embedder
        if embedder is None:
            return "no embedding model is configured"
        if self._embedder_error is not None:
            if self._clock() - self._embedder_failed_at < RETRY_EMBEDDER_AFTER_S:
                return self._embedder_error
            self._embedder_error = None
        if not self._wait_for_model and not getattr(embedder, "is_loaded", True):
            return "the embedding model is still loading"
        return None

    def _search(
        self,
        query: str,
        k: int,
        *,
        query_vector: npt.NDArray[np.float32] | None,
        reason: str | None,
        timings: dict[str, float],
        started: float,
    ) -> RetrievalResult:
        candidates = self._candidates(k)
        index: VectorIndex | None = None
        if not query.strip():  # nothing asked, nothing found (a blank line of a batch file)
            usable = self._embedder is not None and self._embedder_error is None
            return RetrievalResult(
                passages=[],
                mode="hybrid" if query_vector is not None or usable else "keyword",
                kb_version=self._store.kb_version(),
                degraded_reason=reason,
                timings_ms=timings,
            )
        version = self._store.content_version()
        if query_vector is not None:
            index = self._searchable_index(version, query_vector)
            if index is None:
                reason = self._not_embedded_reason()

        vector_ranked: list[int] = []
        if index is not None and query_vector is not None:
            step = time.perf_counter()
            vector_ranked = _vector_ranked(index, query_vector, candidates)
            timings["vector_ms"] = _ms_since(step)

        keyword_hits = self._keyword_hits(query, version, candidates, timings)
        return self._finish(
            k,
            index=index,
            query_vector=query_vector,
            reason=reason,
            rankings=(vector_ranked, keyword_hits),
            timings=timings,
            started=started,
        )

    def _finish(
        self,
        k: int,
        *,
        index: VectorIndex | None,
        query_vector: npt.NDArray[np.float32] | None,
        reason: str | None,
        rankings: tuple[list[int], list[tuple[int, float]]],
        timings: dict[str, float],
        started: float,
    ) -> RetrievalResult:
        """Fusion, the top-results rules and the passages' rows (on the connection's thread)."""
        vector_ranked, keyword_hits = rankings
        keyword_ranked = [rowid for rowid, _ in keyword_hits]
        kb_version = self._store.kb_version()
        if index is None:  # keyword search alone: its own scores (see the module docstring)
            fused = _relative_bm25(keyword_hits)
        else:
            fused = _reciprocal_rank_fusion(
                [(vector_ranked, VECTOR_WEIGHT), (keyword_ranked, self._keyword_weight)],
                self._rrf_k,
            )
        step = time.perf_counter()
        pool = fused[: max(DIVERSITY_POOL, 3 * k)]
        rows_by_id = self._store.passages(rowid for rowid, _ in pool)
        ranked = self._rerank(pool, rows_by_id, k)
        similarities: dict[int, float] = {}
        if index is not None and query_vector is not None and ranked:
            rows = index.rows_of([item.rowid for item in ranked])
            for item, row in zip(ranked, rows, strict=True):
                if row >= 0:
                    similarities[item.rowid] = float(index.matrix[row] @ query_vector)

        vector_rank = {rowid: rank for rank, rowid in enumerate(vector_ranked, start=1)}
        keyword_rank = {rowid: rank for rank, rowid in enumerate(keyword_ranked, start=1)}
        passages = []
        for item in ranked:
            row = item.row
            passages.append(
                Passage(
                    chunk_id=row.chunk_id,
                    doc_id=row.doc_id,
                    title=row.title,
                    source=row.source,
                    section=row.section,
                    page=row.page,
                    text=row.text,
                    score=item.score,
                    similarity=similarities.get(item.rowid),
                    keyword_rank=keyword_rank.get(item.rowid),
                    vector_rank=vector_rank.get(item.rowid),
                    library="starter" if row.from_starter_library else "clinic",
                    preferred_local=item.preferred_local,
                )
            )
        timings["fetch_ms"] = _ms_since(step)
        timings["total_ms"] = _ms_since(started)  # from before the question was embedded
        hybrid = index is not None
        return RetrievalResult(
            passages=passages,
            mode="hybrid" if hybrid else "keyword",
            kb_version=kb_version,
            degraded_reason=None if hybrid else reason,
            timings_ms=timings,
        )

    def _rerank(
        self, pool: list[tuple[int, float]], rows_by_id: dict[int, PassageRow], k: int
    ) -> list[_Ranked]:
        """The top k of the fused pool: clinic documents' scores raised by the local
        preference, then at most `max_per_document` chunks of one starter-library document
        (`max_per_clinic_document` of a clinic's) before any document's further chunks
        (those fill the end only when too few others match)."""
        items = []
        for rowid, score in pool:
            row = rows_by_id.get(rowid)
            if row is None:  # removed by another connection between the steps
                continue
            local = self.prefer_local and not row.from_starter_library
            boosted = score * (1.0 + self._local_preference) if local else score
            items.append(_Ranked(rowid, row, boosted, score))
        items.sort(key=lambda item: -item.score)  # stable: fusion order breaks ties
        chosen: list[_Ranked] = []
        overflow: list[_Ranked] = []
        per_document: dict[str, int] = {}
        for item in items:
            count = per_document.get(item.row.doc_id, 0)
            starter = item.row.from_starter_library
            if count < (self._max_per_document if starter else self._max_per_clinic_document):
                per_document[item.row.doc_id] = count + 1
                chosen.append(item)
            else:
                overflow.append(item)
        chosen = (chosen + overflow)[:k]
        for position, item in enumerate(chosen):
            # Shown as "preferred" when the bonus put it above a starter passage that
            # fused higher without it.
            item.preferred_local = item.score != item.fused_score and any(
                other.row.from_starter_library and other.fused_score > item.fused_score
                for other in chosen[position + 1 :]
            )
        return chosen

    def _candidates(self, k: int) -> int:
        return max(self._min_candidates, 4 * k)

    def _keyword_hits(
        self, query: str, version: int, candidates: int, timings: dict[str, float]
    ) -> list[tuple[int, float]]:
        """(row id, BM25 score: lower is better) over title, headings and text, best first."""
        step = time.perf_counter()
        match = self._keyword_query.match(query, version)
        hits = self._store.keyword_search(match, candidates) if match else []
        timings["keyword_ms"] = _ms_since(step)
        return hits

    def _overlapping(self) -> bool:
        """Whether this search overlaps its steps (see the module docstring)."""
        threshold = self._overlap_from_chunks
        if threshold is None:
            return False
        if threshold <= 0:
            return True
        return self._keyword_query.chunks(self._store.content_version()) >= threshold


def _check_dimension(vector: npt.NDArray[np.float32], index: VectorIndex) -> None:
    if vector.shape != (index.space.dimension,):
        raise ValueError(
            f"query_embedding has shape {vector.shape}; "
            f"this knowledge base's vectors have {index.space.dimension} dimensions"
        )


def _vector_ranked(index: VectorIndex, vector: npt.NDArray[np.float32], count: int) -> list[int]:
    """Chunk row ids by cosine similarity, best first: one matrix-vector product over the
    matrix in memory (numpy releases the GIL for it)."""
    scores = index.matrix @ np.asarray(vector, dtype=np.float32)
    ranked: list[int] = index.rowids[_top_indices(scores, count)].tolist()
    return ranked


def _top_indices(scores: npt.NDArray[np.float32], count: int) -> npt.NDArray[np.intp]:
    """Indices of the `count` highest scores, highest first (ties: lower index first)."""
    if len(scores) <= count:
        return np.argsort(-scores, kind="stable")
    part = np.argpartition(-scores, count - 1)[:count]
    return part[np.argsort(-scores[part], kind="stable")]


def _relative_bm25(hits: Sequence[tuple[int, float]]) -> list[tuple[int, float]]:
    """(row id, BM25 score relative to the best hit: 1 for it, less for the others), in
    BM25's order. FTS5's bm25() is negative, lower better; a score of 0 gives 0."""
    best = min((score for _, score in hits), default=0.0)
    return [(rowid, score / best if best < 0 else 0.0) for rowid, score in hits]


def _reciprocal_rank_fusion(
    rankings: Sequence[tuple[list[int], float]], rrf_k: int
) -> list[tuple[int, float]]:
    """(row id, fused score) best first, from (ranking, weight) pairs; ties go to the
    better best rank, then the lower id."""
    scores: dict[int, float] = {}
    best: dict[int, int] = {}
    for ranking, weight in rankings:
        for rank, rowid in enumerate(ranking, start=1):
            scores[rowid] = scores.get(rowid, 0.0) + weight / (rrf_k + rank)
            best[rowid] = min(best.get(rowid, rank), rank)
    return sorted(scores.items(), key=lambda item: (-item[1], best[item[0]], item[0]))


def _ms_since(started: float) -> float:
    return round(1000 * (time.perf_counter() - started), 3)


__all__ = ["HybridRetriever", "VectorIndex"]
