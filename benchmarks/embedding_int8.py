"""Dynamically quantised (int8) MiniLM vs the float32 model: question latency and recall.

Question: would int8 weights (torch's dynamic quantisation of every Linear layer) make
the question's embedding, most of a knowledge query, fast enough without losing
recall? Measured: one question at a time on one torch thread (as the app encodes a
question), the two models interleaved for `--rounds` passes over the evaluation
questions; the cosine between the two models' vectors of the starter library's chunks;
and recall@1/@3 / MRR on the held-out clinic questions of benchmarks/retrieval_eval.py
with each model embedding both the chunks and the questions.

    .venv/bin/python benchmarks/embedding_int8.py [--rounds 3]

Results: benchmarks/results/embedding_int8.json (with the load average: on a busy
machine the latencies are relative, not absolute).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from benchmarks.retrieval_eval import build_store, evaluate, load_questions  # noqa: E402
from medassist_desktop.atomic_io import atomic_write_text  # noqa: E402
from medassist_desktop.core.knowledge.embeddings import FloatMatrix, SentenceEmbedder  # noqa: E402
from medassist_desktop.core.knowledge.retrieval import HybridRetriever  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "embedding_int8.json"


class QuantisedEmbedder(SentenceEmbedder):
    """The packaged model with int8 dynamic quantisation of its Linear layers."""

    def __init__(self, base: SentenceEmbedder) -> None:
        super().__init__(question_cache_size=0)
        import torch

        base.load()
        self._model = torch.ao.quantization.quantize_dynamic(
            copy.deepcopy(base._model), {torch.nn.Linear}, dtype=torch.qint8
        )
        self._dimension = base.dimension

    @property
    def model_id(self) -> str:
        return "all-MiniLM-L6-v2-int8"

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> FloatMatrix:
        return super().encode(texts, batch_size)


def percentile(values: list[float], q: float) -> float:
    return round(float(np.percentile(values, q)), 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    fp32 = SentenceEmbedder(question_cache_size=0)
    fp32.load()
    int8 = QuantisedEmbedder(fp32)
    questions = load_questions()
    texts = [q["q"] for q in questions]
    timings: dict[str, list[float]] = {"fp32": [], "int8": []}
    for model in (fp32, int8):
        model.encode(texts[:3])  # warm-up
    for _ in range(args.rounds):
        for text in texts:
            for name, model in (("fp32", fp32), ("int8", int8)):
                started = time.perf_counter()
                model.encode([text])
                timings[name].append(1000 * (time.perf_counter() - started))
    result: dict[str, Any] = {
        "command": "benchmarks/embedding_int8.py " + " ".join(sys.argv[1:]),
        "load_average_1min_at_start": round(os.getloadavg()[0], 2),
        "question_ms": {
            name: {
                "p50": percentile(values, 50),
                "p95": percentile(values, 95),
                "mean": round(statistics.fmean(values), 2),
            }
            for name, values in timings.items()
        },
        "recall": {},
    }
    with tempfile.TemporaryDirectory() as tmp:
        for name, model in (("fp32", fp32), ("int8", int8)):
            folder = Path(tmp) / name
            folder.mkdir()
            db, store = build_store(folder, model)
            result["recall"][name] = evaluate(HybridRetriever(store, model), store, questions)[0]
            db.close()
    sample = texts
    a, b = fp32.encode(sample), int8.encode(sample)
    result["question_vector_cosine_fp32_vs_int8"] = {
        "min": round(float(np.min(np.sum(a * b, axis=1))), 4),
        "mean": round(float(np.mean(np.sum(a * b, axis=1))), 4),
    }
    result["load_average_1min_at_end"] = round(os.getloadavg()[0], 2)
    atomic_write_text(RESULTS, json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
