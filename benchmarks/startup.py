"""Time from launch to the first window, cold and warm.

Runs `python -m medassist_desktop --exit-when-shown` (offscreen) several times and
measures the wall time of each process, which includes interpreter start, imports,
settings, logging, QApplication and the first paint of the main window.

cold: the first launch after the package's bytecode caches are removed and the OS
page cache is dropped (when permitted). warm: the launches after it.
Target: warm under 1.5 s on the 2-core reference machine.

    .venv/bin/python benchmarks/startup.py [--runs 10]
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

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "startup.json"


def _drop_caches() -> bool:
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def _launch(env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "medassist_desktop", "--exit-when-shown"],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:
        env = dict(
            os.environ,
            QT_QPA_PLATFORM="offscreen",
            MEDASSIST_DATA_DIR=data,
            MEDASSIST_ENV="production",
        )
        for cache in (ROOT / "medassist_desktop").rglob("__pycache__"):
            shutil.rmtree(cache)
        dropped = _drop_caches()
        cold = _launch(env)
        warm = [_launch(env) for _ in range(args.runs)]
    result = {
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "page_cache_dropped_for_cold": dropped,
        "cold_s": round(cold, 3),
        "warm_median_s": round(statistics.median(warm), 3),
        "warm_max_s": round(max(warm), 3),
        "warm_runs": [round(w, 3) for w in warm],
        "target_warm_s": 1.5,
    }
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
