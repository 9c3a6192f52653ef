"""How long the health probes take on a set-up clinic (target: readiness under 50 ms).

A clinic is created in a throw-away folder with its keys in a file-backed test keyring
(the OS keyring path: no passphrase KDF on each probe); then each probe runs in this
process, as the app and `medassist health` run it, and the timings are written to
benchmarks/results/health.json.

    .venv/bin/python benchmarks/health.py [--runs 50]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loguru import logger  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "health.json"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    logger.remove()
    with tempfile.TemporaryDirectory() as folder:
        os.environ.update(
            MEDASSIST_DATA_DIR=str(Path(folder) / "data"),
            MEDASSIST_ENV="development",
            PYTHON_KEYRING_BACKEND="tests.support.keyrings.FileKeyring",
            MEDASSIST_TEST_KEYRING_FILE=str(Path(folder) / "keyring.json"),
        )
        from medassist_desktop.config import load_settings
        from medassist_desktop.core.health.probes import Probe
        from medassist_desktop.logging_setup import Redactor
        from medassist_desktop.services.health import HealthService
        from medassist_desktop.services.security import open_security

        loaded = load_settings(os.environ)
        loaded.paths.ensure_writable()
        services = open_security(loaded, Redactor(), os.environ, create=True)
        services.accounts.create_first_admin("admin", "Admin-password-1")
        services.close()

        service = HealthService(loaded, os.environ)
        service.all_probes()  # warm: imports, file system caches
        results: dict[str, object] = {}
        for probe in Probe:
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                report = service.probe(probe)
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            results[probe.value] = {
                "status": report.status.value,
                "p50_ms": round(statistics.median(times), 2),
                "p95_ms": round(times[int(0.95 * (len(times) - 1))], 2),
                "max_ms": round(times[-1], 2),
                "slowest_check": max(report.checks, key=lambda c: c.duration_ms).name,
            }
    record = {
        "what": "health probes on a set-up clinic, in-process, keyring path",
        "command": f"python benchmarks/health.py --runs {args.runs}",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "runs": args.runs,
        "probes": results,
    }
    RESULTS.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(record, indent=2))


if __name__ == "__main__":
    main()
