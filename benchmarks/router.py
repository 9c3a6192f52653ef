"""Router speed and accuracy: per-query latency after warm-up, accuracy on held-out questions.

Routes every held-out question of tests/unit/core/routing/heldout.py (DEV: looked at
while writing the examples; BLIND: written afterwards) with the semantic router alone
(real all-MiniLM-L6-v2 on the CPU), the keyword router alone, and `IntentRouter` (what
the app uses: semantic, with the keyword router's veto on refusing clinical questions),
and times each call of `route()` (embedding the question included) after a warm-up.
Target: under 10 ms per query (median) for the semantic router.

    .venv/bin/python benchmarks/router.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from medassist_desktop.core.knowledge.embeddings import SentenceEmbedder  # noqa: E402
from medassist_desktop.core.routing import (  # noqa: E402
    Intent,
    IntentRouter,
    KeywordRouter,
    RouteResult,
    SemanticRouter,
    load_intent_data,
)
from tests.unit.core.routing.heldout import BLIND, DEV, labelled  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "router.json"
TARGET_MS = 10.0


def expected_calibration_error(
    results: list[RouteResult], gold: list[str], bins: int = 10
) -> float:
    confidence = np.array([r.confidence for r in results])
    correct = np.array([r.intent.value == g for r, g in zip(results, gold, strict=True)])
    error = 0.0
    for low in np.linspace(0, 1, bins, endpoint=False):
        in_bin = (confidence > low) & (confidence <= low + 1 / bins)
        if in_bin.any():
            error += in_bin.mean() * abs(correct[in_bin].mean() - confidence[in_bin].mean())
    return round(float(error), 4)


def accuracy_report(route: object, questions: list[tuple[str, str]]) -> dict[str, object]:
    results = [route(q) for _, q in questions]  # type: ignore[operator]
    gold = [g for g, _ in questions]
    per_intent = {}
    for intent in Intent:
        pairs = [(r, g) for r, g in zip(results, gold, strict=True) if g == intent.value]
        per_intent[intent.value] = round(sum(r.intent.value == g for r, g in pairs) / len(pairs), 3)
    in_scope = [(r, g) for r, g in zip(results, gold, strict=True) if g != "out_of_scope"]
    mistakes = [
        {"question": q, "expected": g, "got": r.intent.value, "confidence": r.confidence}
        for r, (g, q) in zip(results, questions, strict=True)
        if r.intent.value != g
    ]
    return {
        "questions": len(questions),
        "accuracy": round(
            sum(r.intent.value == g for r, g in zip(results, gold, strict=True)) / len(gold), 4
        ),
        "per_intent": per_intent,
        "out_of_scope_refused": per_intent["out_of_scope"],
        "in_scope_wrongly_refused": sum(r.is_out_of_scope for r, _ in in_scope),
        "expected_calibration_error": expected_calibration_error(results, gold),
        "mistakes": mistakes,
    }


def time_routes(route: object, questions: list[str], rounds: int) -> dict[str, float]:
    timings = []
    for _ in range(rounds):
        for question in questions:
            start = time.perf_counter()
            route(question)  # type: ignore[operator]
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return {
        "calls": len(timings),
        "median_ms": round(statistics.median(timings), 2),
        "p90_ms": round(timings[int(len(timings) * 0.9)], 2),
        "p99_ms": round(timings[int(len(timings) * 0.99)], 2),
        "max_ms": round(timings[-1], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--threads", type=int, default=0, help="torch intra-op threads (0: torch's default)"
    )
    args = parser.parse_args()
    data = load_intent_data()
    embedder = SentenceEmbedder(question_cache_size=0)  # measure the model, not the cache
    start = time.perf_counter()
    embedder.load()
    load_s = time.perf_counter() - start
    import torch

    if args.threads:
        torch.set_num_threads(args.threads)
    semantic = SemanticRouter(embedder, data)
    start = time.perf_counter()
    semantic.prepare()
    prepare_s = time.perf_counter() - start
    keyword = KeywordRouter(data)
    combined = IntentRouter(embedder, data)
    combined.warm_up()

    questions = [q for _, q in labelled(DEV, BLIND)]
    for question in questions[:20]:  # warm-up
        semantic.route(question)
    report = {
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_1m_at_start": round(os.getloadavg()[0], 2),
            "torch_threads": torch.get_num_threads(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "model": embedder.model_id,
        "model_load_s": round(load_s, 2),
        "examples_embed_s": round(prepare_s, 2),
        "target_median_ms": TARGET_MS,
        "latency": {
            "semantic": time_routes(semantic.route, questions, args.rounds),
            "keyword": time_routes(keyword.route, questions, args.rounds),
            "router": time_routes(combined.route, questions, args.rounds),
        },
        "accuracy": {
            method: {
                "dev": accuracy_report(router.route, labelled(DEV)),
                "blind": accuracy_report(router.route, labelled(BLIND)),
            }
            for method, router in (
                ("semantic", semantic),
                ("keyword", keyword),
                ("router", combined),
            )
        },
    }
    report["machine"]["load_average_1m_at_end"] = round(os.getloadavg()[0], 2)  # type: ignore[index]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps({k: v for k, v in report.items() if k != "accuracy"}, indent=2))
    for method, sets in report["accuracy"].items():  # type: ignore[attr-defined]
        for name, result in sets.items():
            print(
                f"{method:8} {name:5} accuracy={result['accuracy']:.3f} "
                f"oos_refused={result['out_of_scope_refused']:.2f} "
                f"wrongly_refused={result['in_scope_wrongly_refused']} "
                f"ece={result['expected_calibration_error']}"
            )


if __name__ == "__main__":
    main()
