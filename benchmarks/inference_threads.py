"""Thread policy: decode speed and GUI responsiveness for 1..N llama.cpp threads per core count.

For each CPU set (all of this machine's CPUs, then fewer, pinned with `taskset`
in a child process; machines with more CPUs also get a 4-CPU set) and each thread
count from 1 to the set's size, a child process loads the embedded model through
the app's own worker and streams replies on a running Qt event loop, measuring:

- decode tokens/s (engine thread, as the app reports it),
- the longest gap of a 5 ms GUI timer while streaming,
- typing latency: a key press posted to a QLineEdit every 30 ms, delay until it lands.

The load average is recorded with every row: the reference machine is shared,
and a busy core is exactly what hurts multi-threaded decoding (see hardware.py).
Results: benchmarks/results/inference_threads.json.

    .venv/bin/python benchmarks/inference_threads.py [--tokens 48] [--replies 2]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
import medassist_desktop.core.inference.native_first  # noqa: E402,F401 - before numpy

RESULTS = ROOT / "benchmarks" / "results" / "inference_threads.json"


def child(threads: int, tokens: int, replies: int, data_dir: str) -> dict[str, Any]:
    """One configuration, in this (pinned) process."""
    from inference import GuiProbe, wait_for  # type: ignore[import-not-found]  # beside it
    from loguru import logger
    from PySide6.QtWidgets import QApplication

    from medassist_desktop.config import load_settings
    from medassist_desktop.core.inference.engine import LlamaEngine
    from medassist_desktop.core.inference.interface import ChatMessage, GenerationParams
    from medassist_desktop.core.inference.loading import prepare_load
    from medassist_desktop.workers.inference_worker import InferenceWorker

    logger.remove()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    env = {
        "MEDASSIST_DATA_DIR": data_dir,
        "MEDASSIST_ENV": "development",
        "MODEL_THREADS": str(threads),
    }
    loaded = load_settings(env)
    worker = InferenceWorker(LlamaEngine())
    worker.load(prepare_load(loaded.settings, loaded.paths))
    wait_for(worker.loaded)
    probe = GuiProbe()
    speeds: list[float] = []
    stalls: list[float] = []
    typing: list[float] = []
    for n in range(replies + 1):  # the first reply warms up and is not counted
        done: list[dict[str, Any]] = []
        worker.finished.connect(done.append)
        probe.start_typing()
        start = time.perf_counter()
        worker.generate(
            [ChatMessage("user", f"Case {n}: a child of two has diarrhoea. Danger signs?")],
            GenerationParams(max_tokens=tokens, temperature=0.0, repeat_penalty=1.0),
        )
        wait_for(worker.finished)
        end = time.perf_counter()
        latencies = probe.stop_typing()
        worker.finished.disconnect(done.append)
        if n:
            speeds.append(done[0]["tokens_per_second"])
            stalls.append(probe.max_gap_ms(start, end))
            typing.extend(latencies)
    worker.shutdown()
    del app
    return {
        "tokens_per_second": round(statistics.median(speeds), 2),
        "gui_max_stall_ms": max(stalls),
        "typing_latency_max_ms": max(typing) if typing else 0.0,
        "typing_latency_median_ms": round(statistics.median(typing), 1) if typing else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tokens", type=int, default=48)
    parser.add_argument("--replies", type=int, default=2)
    parser.add_argument("--child", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.tokens, args.replies, args.data_dir)))
        return

    cpus = sorted(os.sched_getaffinity(0))
    sets = sorted({1, min(4, len(cpus)), len(cpus)})
    data_dir = tempfile.mkdtemp(prefix="medassist-threads-")
    rows: list[dict[str, Any]] = []
    for n_cpus in sets:
        cpu_list = ",".join(str(c) for c in cpus[:n_cpus])
        for threads in range(1, n_cpus + 1):
            load_before = [round(x, 2) for x in os.getloadavg()]
            command = [
                "taskset",
                "-c",
                cpu_list,
                sys.executable,
                __file__,
                "--child",
                str(threads),
                "--tokens",
                str(args.tokens),
                "--replies",
                str(args.replies),
                "--data-dir",
                data_dir,
            ]
            out = subprocess.run(command, capture_output=True, text=True, check=True)
            row = {
                "cpus": n_cpus,
                "threads": threads,
                **json.loads(out.stdout.strip().splitlines()[-1]),
                "load_average_before": load_before,
            }
            rows.append(row)
            print(json.dumps(row))
    shutil.rmtree(data_dir, ignore_errors=True)
    result = {
        "machine": {"cpus": os.cpu_count(), "cpu_sets": sets},
        "settings": {"max_tokens": args.tokens, "replies_per_row": args.replies},
        "note": "4 CPUs cannot be emulated on a machine with fewer; the table has what exists.",
        "rows": rows,
    }
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
