"""What a case save, a draft autosave and a case-list search cost on the real database.

Production settings: SQLCipher with a random key, WAL, `synchronous=FULL` (every save
is fsynced), the packaged triage rules. A case save is one transaction: the case row,
its triage, the audit entry (HMAC chain) and three outbox rows (case, audit entry,
and, with telemetry, the day's counts). The list search runs on `--cases` saved cases.
Results go to benchmarks/results/cases.json.

    .venv/bin/python benchmarks/cases.py [--cases 1000]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loguru import logger  # noqa: E402

from medassist_desktop.core.triage import Level  # noqa: E402
from medassist_desktop.services.cases import CaseService  # noqa: E402
from tests.support.keyrings import MemoryKeyring  # noqa: E402
from tests.support.security import open_services  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "cases.json"
PASSWORD = "bench-password-1"


def _case(n: int) -> dict[str, Any]:
    return {
        "name": f"Patient {n:05d} Nguyễn",
        "patient_id": f"KH-{n:05d}",
        "age_months": n % 600,
        "sex": "female" if n % 2 else "male",
        "vitals": {"respiratory_rate": 30 + n % 30, "temperature_c": 36.5 + (n % 30) / 10},
        "signs": ["cough"] + (["lethargic"] if n % 7 == 0 else []),
        "duration_days": {"cough": n % 10},
        "complaint": "cough and fever for some days, eating less than usual " * 3,
    }


def _timed_ms(action: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return times


def _summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1], 2),
        "max_ms": round(ordered[-1], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1000)
    args = parser.parse_args()
    logger.remove()
    with tempfile.TemporaryDirectory() as folder:
        services = open_services(Path(folder), MemoryKeyring(), CLINIC_ID="bench-01")
        try:
            services.accounts.create_first_admin("admin", PASSWORD)
            session = services.accounts.login("admin", PASSWORD)
            session.timeout_s = 1e9
            service = CaseService(
                services.db,
                services.account_store,
                services.audit_log,
                clinic_id="bench-01",
                telemetry=True,
            )
            counter = iter(range(10**9))
            save = _timed_ms(lambda: service.create_case(session, _case(next(counter))), args.cases)
            draft = _timed_ms(lambda: service.save_draft(session, _case(1)), 200)
            searches = {
                "name_text": lambda: service.list_cases(session, text="00042"),
                "level_emergency": lambda: service.list_cases(session, levels=[Level.EMERGENCY]),
                "first_page_newest_200": lambda: service.list_cases(session),
            }
            search = {name: _summary(_timed_ms(run, 50)) for name, run in searches.items()}
            outbox_rows = services.db.scalar("SELECT COUNT(*) FROM sync_outbox")
            size_mb = round(
                sum(p.stat().st_size for p in Path(folder).glob("medassist.db*")) / 2**20, 1
            )
        finally:
            services.close()
    results = {
        "machine": {
            "cpus": _cpus(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "cases": args.cases,
        "case_save": _summary(save),
        "draft_autosave": _summary(draft),
        "case_list_search_over_all_cases": search,
        "outbox_rows_after": outbox_rows,
        "database_mb": size_mb,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2, ensure_ascii=False))


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


if __name__ == "__main__":
    main()
