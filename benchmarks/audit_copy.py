"""The cost of comparing the server's copy of the audit entries at each sync.

N audit entries (the app's `AuditLog`, shared with the clinic) in the app's encrypted
database are pushed to pouchdb-server on 127.0.0.1 by one sync run, which also makes the
first full comparison. Then, R times: a few new entries and another run. Reported: the
comparison's own time in the first run and in the steady runs (`AuditCopyCheck.compare`,
timed around the call), and the requests of a whole steady run (push, pull and comparison)
(counted by a pass-through proxy). The steady cost must not grow with N.

    .venv/bin/python benchmarks/audit_copy.py [--entries 5000] [--new 10] [--rounds 3]

Needs tests/node_modules (make install-dev).
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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from medassist_desktop.core.degradation import DegradationRegistry  # noqa: E402
from medassist_desktop.core.security.audit import AuditLog, Outcome  # noqa: E402
from medassist_desktop.core.sync.audit_copy import AuditCopyCheck, AuditCopyResult  # noqa: E402
from medassist_desktop.core.sync.breaker import CircuitBreaker  # noqa: E402
from medassist_desktop.core.sync.couchdb import CouchDBClient, ServerConfig  # noqa: E402
from medassist_desktop.core.sync.db import TransactionProvider  # noqa: E402
from medassist_desktop.core.sync.engine import SyncEngine, SyncOptions  # noqa: E402
from tests.servers import ADMIN_PASSWORD, ADMIN_USER, FaultProxy, PouchServer  # noqa: E402
from tests.support.databases import open_app_db  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "audit_copy.json"
CLINIC = "kh-01"


class TimedCheck(AuditCopyCheck):
    """The app's check, with the time of each comparison kept."""

    def __init__(self, clinic_id: str) -> None:
        super().__init__(clinic_id)
        self.seconds: list[float] = []

    def compare(self, client: CouchDBClient, store: TransactionProvider) -> AuditCopyResult:
        started = time.perf_counter()
        try:
            return super().compare(client, store)
        finally:
            self.seconds.append(time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--new", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with PouchServer(work / "server") as server, FaultProxy(server.url) as proxy:
            server.create_db("clinic")
            state = open_app_db(work / "medassist.db", os.urandom(32))
            audit = AuditLog(state, os.urandom(32), share_with_clinic=CLINIC)
            audit.write_genesis()
            for i in range(args.entries - 1):
                audit.append(None, "case.view", f"case:{i}", Outcome.SUCCESS, details={"n": i})
            check = TimedCheck(CLINIC)
            engine = SyncEngine(
                state,
                ServerConfig(url=proxy.url, db="clinic", user=ADMIN_USER, password=ADMIN_PASSWORD),
                breaker=CircuitBreaker("sync"),
                degradation=DegradationRegistry(),
                options=SyncOptions(batch_size=500),
                audit_copy=check,
            )
            first = engine.run_once()
            assert first.audit_copy == "matches", first.audit_copy_reason
            steady: list[float] = []
            requests: dict[str, int] = {}
            request_bytes = 0
            for _ in range(args.rounds):
                for i in range(args.new):
                    audit.append(None, "case.view", f"case:new{i}", Outcome.SUCCESS)
                before = len(proxy.seen)
                report = engine.run_once()
                assert report.audit_copy == "matches", report.audit_copy_reason
                steady.append(check.seconds[-1])
                requests = {}
                for seen in proxy.seen[before:]:
                    kind = "_local" if "/_local/" in seen.path else seen.path.rsplit("/", 1)[-1]
                    requests[kind.split("?")[0]] = requests.get(kind.split("?")[0], 0) + 1
            for seen in proxy.seen[-sum(requests.values()) :]:
                request_bytes += len(seen.body)
            state.close()
    result: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "server": "pouchdb-server (leveldb) on 127.0.0.1",
        "entries": args.entries,
        "first_run_compare_s": round(check.seconds[0], 3),
        "new_entries_per_run": args.new,
        "steady_compare_s": [round(s, 4) for s in steady],
        "steady_compare_median_s": round(statistics.median(steady), 4),
        "steady_run_requests_by_kind": requests,
        "steady_run_request_body_bytes": request_bytes,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
