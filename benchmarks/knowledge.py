"""Knowledge base: query latency by size, ingest throughput vs raw encode, matrix memory.

Targets: query latency (embed the question + hybrid search) p95 < 25 ms at
50,000 chunks on a quiet 2-core machine, and how it grows from 1k to 50k to 200k chunks;
ingest throughput >= 90% of raw sentence-transformers `encode` on the same chunks;
the memory of the in-memory vector matrix at 50k.

How:
- Ingest: the starter library (resources/knowledge/) imported into a fresh encrypted
  database by `KnowledgeImporter` (parse, chunk, embed in batches, one transaction per
  document) vs `SentenceTransformer.encode` of the same chunks' texts (batch size 32,
  normalised, the same model object), `--rounds` rounds, the order alternating; medians.
- Queries: the real chunks and their real vectors, then synthetic chunks made by
  perturbing them (15% of the words replaced by other words of the library, vectors
  moved by Gaussian noise to a cosine of ~0.9 and renormalised), stored through the same
  store code (100 chunks per document transaction) up to 1k, 50k and 200k chunks. At each
  size a fresh retriever (cold: the matrix load is timed), 5 warm-up questions, then
  `--rounds` passes over 30 health-worker questions; `total_ms` per search (embedding
  the question included). Each question is also asked of a retriever that runs the
  steps one after the other (`sequential_query_ms`), alternating which goes first, so
  the overlapped search (question embedded on the helper thread while the keyword
  search runs, from 5,000 chunks) is compared under the same load; `uptime` is noted at
  the start and the end. The same at 50k with torch's default thread count for the
  question (the app encodes a question on one thread, see embeddings.py).
- Memory: the matrix and row-id array at 50k (bytes), and the process RSS growth when
  the retriever loads them.

- Recall: the shipped ranking's recall@1 / @3 and MRR on the clinic-document
  questions of benchmarks/retrieval_eval.py (held-out, tuning, starter splits), so one
  run prints both quality and speed (`--no-recall` skips it).

    .venv/bin/python benchmarks/knowledge.py [--rounds 3] [--sizes 1000,50000,200000]

Results: benchmarks/results/knowledge.json. The database lives in a temporary folder,
removed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "benchmarks" / "results" / "knowledge.json"
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from medassist_desktop.atomic_io import atomic_write_text  # noqa: E402
from medassist_desktop.core.knowledge.chunking import Chunk, Chunker  # noqa: E402
from medassist_desktop.core.knowledge.embeddings import SentenceEmbedder  # noqa: E402
from medassist_desktop.core.knowledge.importer import KnowledgeImporter  # noqa: E402
from medassist_desktop.core.knowledge.parsers import parse_file  # noqa: E402
from medassist_desktop.core.knowledge.retrieval import HybridRetriever  # noqa: E402
from medassist_desktop.core.knowledge.starter import starter_library_files  # noqa: E402
from medassist_desktop.core.knowledge.store import (  # noqa: E402
    EmbeddingSpace,
    KnowledgeStore,
    starter_origin,
)
from medassist_desktop.core.knowledge.tokens import default_token_counter  # noqa: E402
from medassist_desktop.storage.database import Database  # noqa: E402
from medassist_desktop.storage.migrations import migrate  # noqa: E402
from medassist_desktop.storage.schema import ALL_MIGRATIONS  # noqa: E402

QUESTIONS = [
    "A rice farmer was bitten on the foot by a snake, what first aid before hospital?",
    "The little girl is too weak to breastfeed and vomits everything",
    "How much oral rehydration solution after each loose stool?",
    "Pregnant woman with severe headache, swollen face and blurred vision",
    "Heavy bleeding after delivery at home",
    "A monkey scratched the boy's arm, does he need injections?",
    "MUAC tape in the red zone for a toddler",
    "Cough for a month with night sweats and weight loss",
    "When should babies get polio drops and the measles vaccine?",
    "Fever with a painless black scab in the armpit after working in fields",
    "Boiling water burn on a child's chest, how to cool it",
    "Newborn turned yellow on the first day",
    "Fever settled on day four but now belly pain and bleeding gums",
    "Child breathing fast with chest indrawing",
    "Loose stools for three weeks in a two-year-old",
    "Low blood sugar in a diabetic who is confused",
    "Burning when passing urine and going often",
    "Fever for a week with stomach pain after drinking dirty water",
    "Waded through flood water, now fever and calf pain",
    "Pus coming out of a child's ear",
    "Five moments for hand hygiene",
    "How to use an inhaler with a spacer",
    "Paracetamol dose for a 12 kg child",
    "Cold hands, weak fast pulse and slow capillary refill",
    "Pale palms and tiredness in pregnancy",
    "rectal artesunate before referral",
    "zinc dose for diarrhoea",
    "antivenom for krait bite",
    "magnesium sulfate for eclampsia",
    "general danger signs IMCI",
]


def _pct(values: list[float], q: float) -> float:
    return round(float(np.percentile(values, q)), 2)


def _summary(values: list[float]) -> dict[str, float]:
    return {
        "p50": _pct(values, 50),
        "p95": _pct(values, 95),
        "mean": round(statistics.fmean(values), 2),
        "max": round(max(values), 2),
        "n": len(values),
    }


def _uptime() -> str:
    """`uptime`'s line: the load averages over 1, 5 and 15 minutes next to every figure."""
    try:
        command = shutil.which("uptime")
        if command is None:
            raise OSError("no uptime command")
        return subprocess.run([command], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "load average: " + ", ".join(f"{v:.2f}" for v in os.getloadavg())


def _open_db(folder: Path) -> Database:
    db = Database.open(
        folder / f"kb-{secrets.token_hex(4)}.db", secrets.token_bytes(32), create=True
    )
    migrate(db, ALL_MIGRATIONS)
    return db


def measure_ingest(
    embedder: SentenceEmbedder, chunker: Chunker, files: list[Path], rounds: int, folder: Path
) -> tuple[dict[str, Any], Database]:
    documents = [parse_file(path) for path in files]
    texts = [chunk.embedding_text for doc in documents for chunk in chunker.chunk(doc)]
    model = embedder._model  # the same SentenceTransformer object the importer uses
    model.encode(texts[:64], batch_size=32)  # warm-up
    raw_s: list[float] = []
    import_s: list[float] = []
    db: Database | None = None
    for round_number in range(rounds):
        # Alternate which goes first, so a change in the machine's load hits both alike.
        order = ("raw", "import") if round_number % 2 == 0 else ("import", "raw")
        for what in order:
            started = time.perf_counter()
            if what == "raw":
                model.encode(
                    texts,
                    batch_size=32,
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                    show_progress_bar=False,
                )
                raw_s.append(time.perf_counter() - started)
                continue
            if db is not None:
                db.close()
            db = _open_db(folder)
            importer = KnowledgeImporter(KnowledgeStore(db), chunker, embedder)
            started = time.perf_counter()
            summary = importer.import_files(files, origin=lambda p: starter_origin(p.name))
            import_s.append(time.perf_counter() - started)
            assert summary.embedding_error is None and len(summary.results) == len(files)
        print(f"  ingest round: raw {raw_s[-1]:.1f} s, import {import_s[-1]:.1f} s", flush=True)
    assert db is not None
    count = len(texts)
    raw, ours = statistics.median(raw_s), statistics.median(import_s)
    return {
        "files": len(files),
        "chunks": count,
        "rounds": rounds,
        "raw_encode_s": [round(s, 2) for s in raw_s],
        "import_s": [round(s, 2) for s in import_s],
        "raw_encode_chunks_per_s": round(count / raw, 2),
        "import_chunks_per_s": round(count / ours, 2),
        "import_vs_raw": round(raw / ours, 3),
        "per_round_ratios": [round(r / i, 3) for r, i in zip(raw_s, import_s, strict=True)],
        "target": ">= 0.90",
    }, db


class Synthesiser:
    """Perturbed copies of the real chunks: similar words, nearby vectors."""

    def __init__(self, store: KnowledgeStore, space: EmbeddingSpace, seed: int = 5) -> None:
        rows = store.db.query_all(
            "SELECT c.chunk_id, c.section, c.context, c.text, c.token_count, v.vector "
            "FROM kb_chunks c JOIN kb_vectors v ON v.chunk = c.id ORDER BY c.id"
        )
        self.base = [
            (str(r[2]), str(r[3]), int(r[4]), np.frombuffer(r[5], dtype="<f4")) for r in rows
        ]
        self.vocabulary = sorted({w for _, text, _, _ in self.base for w in text.split()})
        self.random = random.Random(seed)
        self.noise = np.random.default_rng(seed)
        self.space = space
        self.document = parse_file(starter_library_files()[0])
        self.made = 0

    def add(self, store: KnowledgeStore, count: int, per_document: int = 100) -> float:
        started = time.perf_counter()
        sigma = np.sqrt((1 / 0.9**2 - 1) / self.space.dimension)  # cosine ~0.9 to the original
        while count > 0:
            n = min(per_document, count)
            chunks, vectors = [], []
            self.made += 1
            sha = secrets.token_hex(32)
            for index in range(n):
                context, text, tokens, vector = self.random.choice(self.base)
                words = [
                    self.random.choice(self.vocabulary) if self.random.random() < 0.15 else word
                    for word in text.split()
                ]
                chunks.append(
                    Chunk(
                        chunk_id=secrets.token_hex(32),
                        doc_sha256=sha,
                        index=index,
                        text=" ".join(words),
                        heading_path=tuple(context.split(" > ")[1:]),
                        page_start=None,
                        page_end=None,
                        token_count=tokens,
                        context=context,
                    )
                )
                moved = vector + self.noise.normal(0, sigma, vector.shape).astype(np.float32)
                vectors.append(moved / np.linalg.norm(moved))
            document = replace(self.document, sha256=sha, path=Path(f"synthetic-{self.made}.md"))
            store.replace_document(
                origin=f"synthetic:{self.made}",
                document=document,
                chunks=chunks,
                chunker="synthetic",
                vectors=np.vstack(vectors).astype(np.float32),
                space=self.space,
            )
            count -= n
        return time.perf_counter() - started


def measure_queries(
    store: KnowledgeStore, embedder: SentenceEmbedder, rounds: int
) -> dict[str, Any]:
    process = psutil.Process()
    rss_before = process.memory_info().rss
    retriever = HybridRetriever(store, embedder)
    started = time.perf_counter()
    retriever.search(QUESTIONS[0], 5)
    first_ms = 1000 * (time.perf_counter() - started)
    index = retriever.index
    assert index is not None
    rss_after = process.memory_info().rss
    for question in QUESTIONS[:5]:
        retriever.search(question, 5)
    # The same searches one step after the other (the question embedded, then the vector
    # and keyword searches), alternating with the shipped overlapped search question by
    # question, so a change in the machine's load hits both alike.
    sequential = HybridRetriever(store, embedder, overlap_from_chunks=None)
    sequential.search(QUESTIONS[0], 5)
    totals: list[float] = []
    sequential_totals: list[float] = []
    steps: dict[str, list[float]] = {}
    search_only: list[float] = []
    sequential_search_only: list[float] = []
    vectors = embedder.encode(QUESTIONS[:8])  # for timing the search without the model
    for round_number in range(rounds):
        for position, question in enumerate(QUESTIONS):
            pair = (retriever, sequential)
            for which in pair if (round_number + position) % 2 == 0 else pair[::-1]:
                result = which.search(question, 5)
                assert result.mode == "hybrid" and len(result.passages) == 5
                if which is sequential:
                    sequential_totals.append(result.timings_ms["total_ms"])
                    continue
                totals.append(result.timings_ms["total_ms"])
                for key, value in result.timings_ms.items():
                    steps.setdefault(key, []).append(value)
        for question, vector in zip(QUESTIONS[:8], vectors, strict=True):
            for which, into in ((retriever, search_only), (sequential, sequential_search_only)):
                began = time.perf_counter()
                which.search(question, 5, query_embedding=vector)
                into.append(1000 * (time.perf_counter() - began))
    retriever.close()
    return {
        "chunks": store.chunk_count(),
        "query_ms": _summary(totals),
        "sequential_query_ms": _summary(sequential_totals),
        "sequential_search_without_embedding_ms": _summary(sequential_search_only),
        "steps_p50_ms": {k: _pct(v, 50) for k, v in steps.items() if k != "total_ms"},
        "steps_p95_ms": {k: _pct(v, 95) for k, v in steps.items() if k != "total_ms"},
        "search_without_embedding_ms": _summary(search_only),
        "first_search_ms_with_matrix_load": round(first_ms, 1),
        "matrix_bytes": int(index.matrix.nbytes),
        "row_id_bytes": int(index.rowids.nbytes),
        "matrix_mib": round(index.nbytes / 2**20, 1),
        "rss_growth_on_load_mib": round((rss_after - rss_before) / 2**20, 1),
    }


def measure_recall(embedder: SentenceEmbedder, folder: Path) -> dict[str, Any]:
    """Recall@1/@3 and MRR of the shipped ranking, hybrid and keyword-only, per split of
    the clinic-document questions (held-out: never used to choose a setting)."""
    from benchmarks.retrieval_eval import build_store, evaluate, load_questions

    db, store = build_store(folder, embedder)
    try:
        questions = load_questions()
        return {
            mode: evaluate(HybridRetriever(store, model), store, questions)[0]
            for mode, model in (("hybrid", embedder), ("keyword", None))
        }
    finally:
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sizes", default="1000,50000,200000")
    parser.add_argument("--no-recall", action="store_true", help="skip the recall figures")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    import torch

    folder = Path(tempfile.mkdtemp(prefix="medassist-kb-bench-"))
    result: dict[str, Any] = {
        "command": "python benchmarks/knowledge.py " + " ".join(sys.argv[1:]),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "torch_threads": torch.get_num_threads(),
            "load_average_1min_at_start": round(os.getloadavg()[0], 2),
            "uptime_at_start": _uptime(),
        },
    }
    try:
        embedder = SentenceEmbedder(question_cache_size=0)  # every question embedded: no cache hits
        started = time.perf_counter()
        embedder.load()
        result["model_load_s"] = round(time.perf_counter() - started, 1)
        chunker = Chunker(default_token_counter())
        files = starter_library_files()

        print("ingest: starter library, import vs raw encode", flush=True)
        result["ingest"], db = measure_ingest(embedder, chunker, files, args.rounds, folder)
        print(json.dumps(result["ingest"]), flush=True)

        store = KnowledgeStore(db)
        space = store.space(embedder.model_id)
        assert space is not None
        synthesiser = Synthesiser(store, space)
        result["queries"] = []
        for size in sizes:
            missing = size - store.chunk_count()
            insert_s = synthesiser.add(store, missing) if missing > 0 else 0.0
            print(f"queries at {store.chunk_count()} chunks (insert {insert_s:.1f} s)", flush=True)
            measured = measure_queries(store, embedder, args.rounds)
            measured["synthetic_insert_s"] = round(insert_s, 1)
            measured["synthetic_insert_chunks_per_s"] = (
                round(missing / insert_s, 1) if missing > 0 else None
            )
            if size == 50_000:
                embedder._small_batch_threads = None  # torch's default for the question too
                measured["torch_default_threads_query_ms"] = measure_queries(store, embedder, 1)[
                    "query_ms"
                ]
                embedder._small_batch_threads = 1
            result["queries"].append(measured)
            print(json.dumps(measured), flush=True)
        if not args.no_recall:
            result["recall"] = measure_recall(embedder, folder)
            print("recall (shipped ranking):", json.dumps(result["recall"]), flush=True)
        result["database_mib_at_end"] = round(db.path.stat().st_size / 2**20, 1)
        result["load_average_1min_at_end"] = round(os.getloadavg()[0], 2)
        result["uptime_at_end"] = _uptime()
        db.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(RESULTS, json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
