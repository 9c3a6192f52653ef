"""Choose the semantic router's scoring parameters from its own example utterances.

Leave-one-out over the examples in medassist_desktop/core/routing/data/intents_v1.json:
each example is routed against all the others. top_k and out_of_scope_threshold are
the grid point with the best leave-one-out accuracy; the softmax temperature is then
the one with the lowest leave-one-out negative log-likelihood (temperature scaling),
so the confidence reads as a probability of being right. No held-out question is used
here. Results go to benchmarks/results/router_calibration.json; `--write` also stores
the chosen values in the data file.

    .venv/bin/python benchmarks/router_calibrate.py [--write]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from medassist_desktop.core.knowledge.embeddings import SentenceEmbedder  # noqa: E402
from medassist_desktop.core.routing.intents import (  # noqa: E402
    DEFAULT_INTENTS_FILE,
    Intent,
    SemanticScoring,
    load_intent_data,
)
from medassist_desktop.core.routing.semantic import intent_scores  # noqa: E402

DATA_FILE = ROOT / "medassist_desktop" / "core" / "routing" / "data" / DEFAULT_INTENTS_FILE
RESULTS = ROOT / "benchmarks" / "results" / "router_calibration.json"
TOP_KS = (1, 2, 3, 4, 5)
THRESHOLDS = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4)
TEMPERATURES = np.round(np.arange(0.005, 0.2, 0.001), 3)


def leave_one_out_scores(
    matrix: np.ndarray, labels: list[Intent], scoring: SemanticScoring
) -> np.ndarray:
    """Intent scores of each example against all the others."""
    similarities = matrix @ matrix.T
    rows = []
    for index in range(len(labels)):
        keep = np.arange(len(labels)) != index
        kept_labels = [label for label, k in zip(labels, keep, strict=True) if k]
        slices = {}
        start = 0
        for intent in Intent:
            count = kept_labels.count(intent)
            slices[intent] = slice(start, start + count)
            start += count
        rows.append(intent_scores(similarities[index][keep], slices, scoring))
    return np.array(rows)


def nll(scores: np.ndarray, gold: np.ndarray, temperature: float) -> float:
    z = scores / temperature
    z = z - z.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return float(-log_p[np.arange(len(gold)), gold].mean())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true", help="store the result in the data file")
    args = parser.parse_args()
    data = load_intent_data()
    labelled = data.labelled_utterances()  # grouped by intent, in Intent order
    labels = [intent for intent, _ in labelled]
    embedder = SentenceEmbedder(data.semantic.model)
    matrix = embedder.encode([text for _, text in labelled])
    gold = np.array([list(Intent).index(label) for label in labels])

    grid = []
    for top_k in TOP_KS:
        for threshold in THRESHOLDS:
            scoring = data.semantic.model_copy(
                update={"top_k": top_k, "out_of_scope_threshold": threshold}
            )
            scores = leave_one_out_scores(matrix, labels, scoring)
            accuracy = float((scores.argmax(axis=1) == gold).mean())
            grid.append({"top_k": top_k, "threshold": threshold, "accuracy": accuracy})
            print(f"top_k={top_k} threshold={threshold:.2f} leave-one-out accuracy={accuracy:.3f}")
    best = max(grid, key=lambda row: (row["accuracy"], -row["top_k"]))
    scoring = data.semantic.model_copy(
        update={"top_k": best["top_k"], "out_of_scope_threshold": best["threshold"]}
    )
    scores = leave_one_out_scores(matrix, labels, scoring)
    temperature = float(min(TEMPERATURES, key=lambda t: nll(scores, gold, float(t))))
    chosen = {
        "top_k": best["top_k"],
        "out_of_scope_threshold": best["threshold"],
        "temperature": temperature,
        "leave_one_out_accuracy": round(best["accuracy"], 4),
        "leave_one_out_nll": round(nll(scores, gold, temperature), 4),
        "examples": len(labels),
        "model": embedder.model_id,
    }
    print("chosen:", chosen)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"chosen": chosen, "grid": grid}, indent=2) + "\n")
    if args.write:
        raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
        raw["semantic"].update(
            top_k=chosen["top_k"],
            out_of_scope_threshold=chosen["out_of_scope_threshold"],
            temperature=chosen["temperature"],
        )
        DATA_FILE.write_text(json.dumps(raw, indent=2, ensure_ascii=False) + "\n")
        print(f"written to {DATA_FILE}")


if __name__ == "__main__":
    main()
