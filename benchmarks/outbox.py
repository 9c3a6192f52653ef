"""The sync outbox stays bounded: many case saves, synced now and then, pruned after sync.

Saves `--cases` cases (each queues its case document and its audit entry) through the
real `CaseService` on a real encrypted database, and every `--sync-every` saves runs a
real sync against pouchdb-server on 127.0.0.1 with `sync_retention_days=0` (prune as soon
as the server confirmed, the tightest bound; the default keeps rows 30 days). Prints and
records the outbox size before and after each sync: without pruning it grows by every
row ever queued; with it, it never exceeds what one sync interval queues.
Results go to benchmarks/results/outbox.json.

    .venv/bin/python benchmarks/outbox.py [--cases 10000] [--sync-every 500]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loguru import logger  # noqa: E402

from medassist_desktop.core.degradation import DegradationRegistry  # noqa: E402
from medassist_desktop.core.sync.breaker import CircuitBreaker  # noqa: E402
from medassist_desktop.core.sync.couchdb import ServerConfig  # noqa: E402
from medassist_desktop.core.sync.engine import SyncEngine, SyncOptions  # noqa: E402
from medassist_desktop.services.cases import CaseService  # noqa: E402
from tests.servers import ADMIN_PASSWORD, ADMIN_USER, PouchServer  # noqa: E402
from tests.support.keyrings import MemoryKeyring  # noqa: E402
from tests.support.security import open_services  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "outbox.json"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--sync-every", type=int, default=500)
    args = parser.parse_args()
    logger.remove()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder, PouchServer(Path(folder) / "pouch") as pouch:
        pouch.create_db("clinic")
        services = open_services(Path(folder) / "data", MemoryKeyring(), CLINIC_ID="kh-01")
        services.accounts.create_first_admin("admin", "bench-password-1")
        session = services.accounts.login("admin", "bench-password-1")
        cases = CaseService(
            services.db, services.account_store, services.audit_log, clinic_id="kh-01"
        )
        engine = SyncEngine(
            services.db,
            ServerConfig(url=pouch.url, db="clinic", user=ADMIN_USER, password=ADMIN_PASSWORD),
            breaker=CircuitBreaker("sync"),
            degradation=DegradationRegistry(),
            options=SyncOptions(batch_size=200, retention_days=0),
        )
        rows: list[dict[str, int]] = []
        queued_total = 0
        for n in range(1, args.cases + 1):
            cases.create_case(session, {"name": f"Patient {n}", "age_months": n % 600})
            if n % args.sync_every == 0 or n == args.cases:
                before = int(services.db.scalar("SELECT COUNT(*) FROM sync_outbox"))
                report = engine.run_once()
                after = int(services.db.scalar("SELECT COUNT(*) FROM sync_outbox"))
                queued_total += report.pushed
                rows.append(
                    {
                        "saved": n,
                        "outbox_before_sync": before,
                        "pushed": report.pushed,
                        "pruned": report.pruned,
                        "outbox_after_sync": after,
                    }
                )
                print(rows[-1], flush=True)
        services.close()
    record = {
        "what": "outbox rows across case saves with a sync every N saves (retention 0 days)",
        "command": "python benchmarks/outbox.py "
        f"--cases {args.cases} --sync-every {args.sync_every}",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "seconds": round(time.perf_counter() - started, 1),
        "documents_pushed": queued_total,
        "max_outbox_rows": max(r["outbox_before_sync"] for r in rows),
        "outbox_rows_at_end": rows[-1]["outbox_after_sync"],
        "syncs": rows,
    }
    RESULTS.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print({k: v for k, v in record.items() if k != "syncs"})


if __name__ == "__main__":
    main()
