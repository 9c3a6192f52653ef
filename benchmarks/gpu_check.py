"""GPU check for a maintainer: does the installed llama-cpp-python build run the app on the GPU,
and at what speed against llama-cpp-python called directly?

Builds nothing: run it on a machine where `make install LLAMA_BACKEND=cuda` (or vulkan)
installed a GPU build. For MODEL_DEVICE=gpu and =cpu it loads the embedded model
through the app's engine (the same planning as the app: threads, GPU layers, the
fall-back to the CPU) and raw (`Llama(n_gpu_layers=-1 or 0)`), then streams the same
prompt with both, interleaved round by round, and prints a table:

    device  threads  gpu layers  raw tok/s  app tok/s  app/raw  raw TTFT  app TTFT

It also prints where the engine actually ran, and why when it fell back to the CPU.
On a build without GPU offload (the default CPU build) it says so first and runs
MODEL_DEVICE=cpu only (`--devices gpu,cpu`, or MODEL_DEVICE=gpu in the environment,
still asks for the GPU, to see the fall-back); the results file is then written only
when `--out` names one, so a CPU-only run never stands in for the GPU results.
numpy is imported before the app's modules on purpose when `--numpy-first` is given,
to check the import-order guard's other side. Results: benchmarks/results/gpu_check.json
(with the GPU's name from nvidia-smi when there is one).

    .venv/bin/python benchmarks/gpu_check.py [--rounds 5] [--tokens 128] [--devices gpu,cpu]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if "--numpy-first" in sys.argv:
    import numpy  # noqa: F401 - deliberately before llama.cpp's library

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import medassist_desktop.core.inference.native_first  # noqa: E402,F401 - before numpy

RESULTS = ROOT / "benchmarks" / "results" / "gpu_check.json"


def gpu_name() -> str:
    nvidia_smi = shutil.which("nvidia-smi")
    if nvidia_smi:
        out = subprocess.run(
            [nvidia_smi, "--query-gpu=name,driver_version", "--format=csv,noheader"],
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.strip().splitlines()[0]
    return "no NVIDIA GPU found (nvidia-smi)"


def measure(device: str, args: argparse.Namespace, data_dir: str) -> dict[str, Any]:
    from medassist_desktop.config import load_settings
    from medassist_desktop.core.inference.engine import LlamaEngine
    from medassist_desktop.core.inference.interface import ChatMessage, GenerationParams
    from medassist_desktop.core.inference.llama_runtime import import_llama
    from medassist_desktop.core.inference.loading import prepare_load

    llama_cpp = import_llama()
    env = {"MEDASSIST_DATA_DIR": data_dir, "MEDASSIST_ENV": "development", "MODEL_DEVICE": device}
    if args.threads:
        env["MODEL_THREADS"] = str(args.threads)
    loaded = load_settings(env)
    request = prepare_load(loaded.settings, loaded.paths)
    engine = LlamaEngine()
    info = engine.load(request)
    raw = llama_cpp.Llama(
        model_path=str(request.model.path),
        n_ctx=request.plan.n_ctx,
        n_threads=request.plan.n_threads,
        n_threads_batch=request.plan.n_threads,
        n_gpu_layers=-1 if info.device == "gpu" else 0,
        verbose=False,
    )
    params = GenerationParams(max_tokens=args.tokens, temperature=0.0, repeat_penalty=1.0)

    def messages(n: int) -> list[ChatMessage]:
        return [ChatMessage("user", f"Case {n}: a child of two has diarrhoea. Danger signs?")]

    def run_raw(n: int) -> tuple[float, float]:
        text = engine.format_prompt(messages(n))
        tokens = raw.tokenize(text.encode(), add_bos=True, special=True)
        raw.reset()
        start = time.perf_counter()
        times: list[float] = []
        for token in raw.generate(tokens, temp=0.0, repeat_penalty=1.0):
            raw.detokenize([token])
            times.append(time.perf_counter())
            if len(times) >= args.tokens:
                break
        return (len(times) - 1) / (times[-1] - times[0]), (times[0] - start) * 1000

    def run_app(n: int) -> tuple[float, float]:
        result = engine.generate(messages(n), params, lambda _text: None)
        return result.tokens_per_second, result.time_to_first_token_ms

    runs: dict[str, list[tuple[float, float]]] = {"raw": [], "app": []}
    run_raw(0)
    run_app(0)
    for n in range(1, args.rounds + 1):
        order = ("raw", "app") if n % 2 else ("app", "raw")
        for name in order:
            runs[name].append(run_raw(n) if name == "raw" else run_app(n))
    raw.close()
    engine.close()
    raw_tps = statistics.median(r[0] for r in runs["raw"])
    app_tps = statistics.median(r[0] for r in runs["app"])
    return {
        "requested": device,
        "device": info.device,
        "n_threads": info.n_threads,
        "n_gpu_layers": info.n_gpu_layers,
        "fallback_reason": info.fallback_reason,
        "raw_tokens_per_second": round(raw_tps, 2),
        "app_tokens_per_second": round(app_tps, 2),
        "app_vs_raw": round(app_tps / raw_tps, 3),
        "raw_ttft_ms": round(statistics.median(r[1] for r in runs["raw"]), 1),
        "app_ttft_ms": round(statistics.median(r[1] for r in runs["app"]), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--threads", type=int, default=0, help="0 = the app's automatic pick")
    parser.add_argument("--numpy-first", action="store_true", help="import numpy first")
    parser.add_argument(
        "--devices",
        default="",
        help="MODEL_DEVICE values, e.g. gpu,cpu (default: gpu,cpu "
        "on a GPU build, cpu on a CPU-only build)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help=f"results file (default {RESULTS} on a GPU build; none on a CPU-only build)",
    )
    args = parser.parse_args()

    from loguru import logger

    from medassist_desktop.core.inference.llama_runtime import import_llama
    from medassist_desktop.core.inference.native_order import STATE

    logger.remove()
    logger.add(sys.stderr, level="WARNING")
    llama_cpp = import_llama()
    gpu_build = bool(llama_cpp.llama_supports_gpu_offload())
    if not gpu_build:
        print(
            f"No GPU build: this llama-cpp-python ({llama_cpp.__version__}) was built without "
            "GPU offload, so MODEL_DEVICE=gpu runs on the CPU. Install a GPU build with "
            "`make install LLAMA_BACKEND=cuda` (or vulkan) and run this again; every row "
            "below runs on the CPU.",
            flush=True,
        )
    asked = args.devices or os.environ.get("MODEL_DEVICE", "").replace("auto", "")
    devices = asked.split(",") if asked else ["gpu", "cpu"] if gpu_build else ["cpu"]
    data_dir = tempfile.mkdtemp(prefix="medassist-gpu-check-")
    rows = [measure(device.strip(), args, data_dir) for device in devices]
    shutil.rmtree(data_dir, ignore_errors=True)
    result = {
        "machine": {
            "gpu": gpu_name(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "llama_cpp_python": llama_cpp.__version__,
            "gpu_offload_in_build": gpu_build,
            "llama_library_loaded_before_numpy": not STATE.numpy_came_first,
            "numpy_came_first": STATE.numpy_came_first,
        },
        "settings": {"rounds": args.rounds, "max_tokens": args.tokens, "sampling": "greedy"},
        "rows": rows,
    }
    header = f"{'asked':>5} {'device':>6} {'threads':>7} {'gpu layers':>10} {'raw tok/s':>9} "
    header += f"{'app tok/s':>9} {'app/raw':>7} {'raw TTFT':>8} {'app TTFT':>8}"
    print(json.dumps(result["machine"], indent=2))
    print(header)
    for row in rows:
        print(
            f"{row['requested']:>5} {row['device']:>6} {row['n_threads']:>7} "
            f"{row['n_gpu_layers']:>10} "
            f"{row['raw_tokens_per_second']:>9} {row['app_tokens_per_second']:>9} "
            f"{row['app_vs_raw']:>7} {row['raw_ttft_ms']:>8} {row['app_ttft_ms']:>8}"
        )
        if row["fallback_reason"]:
            print(f"         fell back: {row['fallback_reason']}")
    out = args.out or (RESULTS if gpu_build else None)
    if out is None:
        print("Results not written (no GPU build; --out FILE writes them anyway).")
    else:
        out.write_text(json.dumps(result, indent=2) + "\n")
        print(f"Results written to {out}")


if __name__ == "__main__":
    main()
