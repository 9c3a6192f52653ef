"""Local inference: the app's engine and Qt worker against llama-cpp-python called directly.

Same model (the embedded Gemma 3 270M), same prompt tokens, same sampling
(greedy), same threads and context, measured side by side in one process and
interleaved round by round (A B, B A, ...) so a busy machine hurts both alike:

- raw generate: `Llama.generate()` in a loop with per-token detokenize: the
  leanest streaming use of llama-cpp-python;
- raw completion: `Llama.create_completion(stream=True)`: the usual direct call;
- raw generate threaded: the raw loop on a plain thread while the GUI event loop
  and its timer run (what running beside a GUI costs, without our code);
- app: `InferenceWorker.generate()` on a running Qt event loop, timed where the
  GUI receives the token signals (engine thread, logprobs, queued signal, slot);
- app without logprobs: the same with per-token log-probabilities off (their cost).

tokens/s = (tokens - 1) / (last token time - first token time); time to first
token (TTFT) = first token time - call time. While the app generates, a 5 ms
QTimer records the longest gap of the GUI event loop. Memory: process RSS before
load, after load, after a generation and after unload.

Targets (issue 3): app tokens/s >= 95% of raw, TTFT within 30 ms of raw, GUI
stall <= 50 ms, memory returns on unload.

    .venv/bin/python benchmarks/inference.py [--rounds 5] [--tokens 64] [--threads 0]
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "benchmarks" / "results" / "inference.json"
MIB = 1024**2


def rss_mib() -> float:
    import psutil

    gc.collect()
    return round(psutil.Process().memory_info().rss / MIB, 1)


def summary(runs: list[dict[str, float]]) -> dict[str, float]:
    return {
        key: round(statistics.median(run[key] for run in runs), 2)
        for key in runs[0]
        if isinstance(runs[0][key], int | float)
    }


def logprob_cost_ms(n_vocab: int, repeats: int = 500) -> float:
    """The engine's per-token log-sum-exp over the vocabulary, timed alone."""
    import numpy as np

    logits = np.random.default_rng(0).normal(size=n_vocab).astype(np.float32)
    scratch = np.empty_like(logits)
    start = time.perf_counter()
    for _ in range(repeats):
        top = float(logits.max())
        np.subtract(logits, top, out=scratch)
        np.exp(scratch, out=scratch)
        float(logits[7]) - top - float(np.log(scratch.sum()))
    return round((time.perf_counter() - start) / repeats * 1000, 3)


def main() -> None:  # noqa: PLR0915 - one linear script reads best here
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--tokens", type=int, default=64)
    parser.add_argument("--threads", type=int, default=0, help="0 = the app's automatic pick")
    args = parser.parse_args()

    from loguru import logger
    from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal
    from PySide6.QtWidgets import QApplication

    from medassist_desktop.config import load_settings
    from medassist_desktop.core.inference.engine import LlamaEngine
    from medassist_desktop.core.inference.interface import ChatMessage, GenerationParams
    from medassist_desktop.core.inference.llama_runtime import import_llama
    from medassist_desktop.core.inference.loading import prepare_load
    from medassist_desktop.workers.inference_worker import InferenceWorker

    logger.remove()
    logger.add(sys.stderr, level="WARNING")
    _qt_app = QApplication.instance() or QApplication(sys.argv[:1])  # kept alive to the end
    llama_cpp = import_llama()
    load_avg_start = os.getloadavg()

    data_dir = tempfile.mkdtemp(prefix="medassist-bench-")
    env = {"MEDASSIST_DATA_DIR": data_dir, "MEDASSIST_ENV": "development"}
    if args.threads:
        env["MODEL_THREADS"] = str(args.threads)
    loaded = load_settings(env)
    request = prepare_load(loaded.settings, loaded.paths)  # assembles the embedded model
    plan = request.plan

    # -- memory -------------------------------------------------------------------------
    engine = LlamaEngine()
    memory = {"rss_before_load_mib": rss_mib()}
    engine.load(request)
    memory["rss_after_load_mib"] = rss_mib()
    warm_up = [ChatMessage("user", "Hello")]
    engine.generate(warm_up, GenerationParams(max_tokens=16, temperature=0.0))
    memory["rss_after_generate_mib"] = rss_mib()
    engine.unload()
    memory["rss_after_unload_mib"] = rss_mib()

    # -- the GUI side ---------------------------------------------------------------------
    worker = InferenceWorker(engine)
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()

    def wait_for(signal: Any) -> None:
        """Run the Qt event loop (as app.exec() would) until `signal` fires."""
        loop = QEventLoop()
        signal.connect(loop.quit)
        loop.exec()
        signal.disconnect(loop.quit)

    def max_gap(start: float, end: float) -> float:
        inside = [t for t in ticks if start <= t <= end]
        edges = [start, *inside, end]
        return max(b - a for a, b in itertools.pairwise(edges))

    load_start = time.perf_counter()
    worker.load(request)
    wait_for(worker.loaded)
    load_stall_ms = round(max_gap(load_start, time.perf_counter()) * 1000, 1)

    raw = llama_cpp.Llama(
        model_path=str(request.model.path),
        n_ctx=plan.n_ctx,
        n_threads=plan.n_threads,
        n_threads_batch=plan.n_threads,
        n_gpu_layers=0,
        verbose=False,
    )
    n_vocab = int(raw.n_vocab())

    def messages_for(round_no: int, variant: int) -> list[ChatMessage]:
        # A different prompt for every run: llama-cpp-python reuses the KV cache of a
        # repeated prompt, which would flatter whichever variant runs second.
        return [
            ChatMessage(
                "user",
                f"Case {round_no}.{variant}: a child of two has had watery diarrhoea for "
                "three days. What are the danger signs of dehydration, and what should the "
                "health worker do first?",
            )
        ]

    def prompt_tokens(messages: list[ChatMessage]) -> list[int]:
        text = engine.format_prompt(messages)
        tokens: list[int] = raw.tokenize(text.encode(), add_bos=True, special=True)
        return tokens

    def run_raw_generate(tokens: list[int]) -> dict[str, float]:
        start = time.perf_counter()
        times: list[float] = []
        for token in raw.generate(tokens, temp=0.0, repeat_penalty=1.0, top_k=40, top_p=0.95):
            raw.detokenize([token])
            times.append(time.perf_counter())
            if len(times) >= args.tokens:
                break
        return figures(start, times)

    class Finished(QObject):
        done = Signal()

    finished_in_thread = Finished()

    def run_raw_generate_threaded(tokens: list[int]) -> dict[str, float]:
        """The raw loop on a plain thread while the GUI loop and its timer run, as in the app."""
        box: list[dict[str, float]] = []

        def work() -> None:
            box.append(run_raw_generate(tokens))
            finished_in_thread.done.emit()

        thread = threading.Thread(target=work)
        thread.start()
        wait_for(finished_in_thread.done)
        thread.join()
        return box[0]

    def run_raw_completion(tokens: list[int]) -> dict[str, float]:
        start = time.perf_counter()
        times: list[float] = []
        for chunk in raw.create_completion(
            tokens,
            max_tokens=args.tokens,
            temperature=0.0,
            repeat_penalty=1.0,
            top_k=40,
            top_p=0.95,
            stream=True,
        ):
            if chunk["choices"][0]["text"]:  # not the closing chunk (finish_reason only)
                times.append(time.perf_counter())
        return figures(start, times, tokens=args.tokens)

    def run_app(messages: list[ChatMessage], logprobs: bool) -> dict[str, float]:
        times: list[float] = []
        done: list[dict[str, Any]] = []

        def on_token(_text: str) -> None:
            times.append(time.perf_counter())

        worker.token.connect(on_token)
        worker.finished.connect(done.append)
        params = GenerationParams(
            max_tokens=args.tokens, temperature=0.0, repeat_penalty=1.0, logprobs=logprobs
        )
        start = time.perf_counter()
        worker.generate(messages, params)
        wait_for(worker.finished)
        end = time.perf_counter()
        worker.token.disconnect(on_token)
        worker.finished.disconnect(done.append)
        result = figures(start, times, tokens=done[0]["tokens"])
        result["gui_max_stall_ms"] = round(max_gap(start, end) * 1000, 1)
        result["engine_tokens_per_second"] = done[0]["tokens_per_second"]
        return result

    def figures(start: float, times: list[float], tokens: int | None = None) -> dict[str, float]:
        n = tokens if tokens is not None else len(times)
        return {
            "tokens": n,
            "tokens_per_second": round((n - 1) / (times[-1] - times[0]), 2),
            "ttft_ms": round((times[0] - start) * 1000, 1),
        }

    def run_idle(seconds: float) -> dict[str, float]:
        """Control: the same event loop and timer with nothing generating."""
        start = time.perf_counter()
        loop = QEventLoop()
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()
        return {"gui_max_stall_ms": round(max_gap(start, time.perf_counter()) * 1000, 1)}

    variants = {
        "raw_generate": lambda r: run_raw_generate(prompt_tokens(messages_for(r, 1))),
        "raw_completion": lambda r: run_raw_completion(prompt_tokens(messages_for(r, 2))),
        "raw_generate_threaded": lambda r: run_raw_generate_threaded(
            prompt_tokens(messages_for(r, 5))
        ),
        "app": lambda r: run_app(messages_for(r, 3), logprobs=True),
        "app_no_logprobs": lambda r: run_app(messages_for(r, 4), logprobs=False),
    }
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in variants}
    idle: list[dict[str, float]] = []
    variants["app"](0)  # warm both paths once (page cache, first-call costs)
    variants["raw_generate"](0)
    for round_no in range(1, args.rounds + 1):
        order = list(variants) if round_no % 2 else list(reversed(variants))
        for name in order:
            runs[name].append(variants[name](round_no))
        idle.append(run_idle(3.0))
        print(f"round {round_no}: " + ", ".join(f"{n} {runs[n][-1]}" for n in order))

    timer.stop()
    n_prompt_tokens = len(prompt_tokens(messages_for(1, 1)))
    raw.close()
    worker.shutdown()

    medians = {name: summary(values) for name, values in runs.items()}
    logprob_ms = logprob_cost_ms(n_vocab)
    raw_best = medians["raw_generate"]
    app = medians["app"]
    ratio = app["tokens_per_second"] / raw_best["tokens_per_second"]
    ratio_vs_completion = app["tokens_per_second"] / medians["raw_completion"]["tokens_per_second"]
    ratio_vs_threaded = (
        app["tokens_per_second"] / medians["raw_generate_threaded"]["tokens_per_second"]
    )
    ttft_delta = app["ttft_ms"] - raw_best["ttft_ms"]
    app_stalls = [run["gui_max_stall_ms"] for run in runs["app"] + runs["app_no_logprobs"]]
    idle_stalls = [run["gui_max_stall_ms"] for run in idle]
    stall = max(app_stalls)
    logprob_cost = 1 - app["tokens_per_second"] / medians["app_no_logprobs"]["tokens_per_second"]
    freed = memory["rss_after_generate_mib"] - memory["rss_after_unload_mib"]
    taken = memory["rss_after_generate_mib"] - memory["rss_before_load_mib"]
    result = {
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_average_start": [round(x, 2) for x in load_avg_start],
            "load_average_end": [round(x, 2) for x in os.getloadavg()],
        },
        "model": request.model.name,
        "settings": {
            "n_threads": plan.n_threads,
            "n_ctx": plan.n_ctx,
            "max_tokens": args.tokens,
            "rounds": args.rounds,
            "sampling": "greedy (temperature 0), repeat_penalty 1.0, top_k 40, top_p 0.95",
            "prompt_tokens": n_prompt_tokens,
        },
        "medians": medians,
        "runs": runs,
        "memory": {**memory, "freed_on_unload_mib": round(freed, 1)},
        "gui_max_stall_during_load_ms": load_stall_ms,
        "gui_stall_ms": {
            "generating_max": stall,
            "generating_median_of_run_maxima": statistics.median(app_stalls),
            "idle_control_max": max(idle_stalls),
            "idle_control_median_of_run_maxima": statistics.median(idle_stalls),
        },
        "logprob_compute_ms_per_token": logprob_ms,
        "figures": {
            "app_vs_raw_generate_tokens_per_second": round(ratio, 3),
            "app_vs_raw_completion_tokens_per_second": round(ratio_vs_completion, 3),
            "app_vs_raw_generate_threaded_tokens_per_second": round(ratio_vs_threaded, 3),
            "app_minus_raw_ttft_ms": round(ttft_delta, 1),
            "gui_max_stall_ms": stall,
            "logprob_cost_fraction_measured": round(logprob_cost, 3),
            "logprob_cost_fraction_computed": round(
                logprob_ms / (1000 / app["tokens_per_second"]), 4
            ),
        },
        "targets": {
            "tokens_per_second_at_least_95_percent_of_raw": ratio >= 0.95,
            "ttft_within_30_ms_of_raw": ttft_delta <= 30,
            "gui_stall_at_most_50_ms": stall <= 50,
            "memory_returns_on_unload": freed >= 0.8 * taken,
        },
    }
    shutil.rmtree(data_dir, ignore_errors=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: result[k] for k in ("medians", "memory", "figures", "targets")}, indent=2))


if __name__ == "__main__":
    main()
