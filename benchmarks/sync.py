"""Sync: push throughput to a local pouchdb-server, and time to resume after an interruption.

throughput: N case documents (~0.6 KB each) queued in the app's encrypted database
(SQLCipher, all migrations), pushed in batches of 100 by `SyncEngine.run_once` to
pouchdb-server on 127.0.0.1 (leveldb);
documents per second of the whole run (reachability, _revs_diff, _bulk_docs, checkpoints
and the encrypted local bookkeeping included). Median of several fresh databases.

resume: 1000 documents; the server is killed (SIGKILL) right after it stored batch 5
and before it answered; it is restarted on the same data; then the second run is
timed: to its first newly confirmed batch ("time to resume") and to the end. Also
counts what the second run sent again (should be nothing: batch 5 is skipped by
`_revs_diff`).

    .venv/bin/python benchmarks/sync.py [--docs 2000] [--runs 3]

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
from medassist_desktop.core.sync.breaker import CircuitBreaker  # noqa: E402
from medassist_desktop.core.sync.couchdb import ServerConfig  # noqa: E402
from medassist_desktop.core.sync.engine import SyncEngine, SyncOptions  # noqa: E402
from medassist_desktop.core.sync.outbox import enqueue_change  # noqa: E402
from medassist_desktop.core.sync.resilience import RetryPolicy  # noqa: E402
from medassist_desktop.storage.database import Database  # noqa: E402
from tests.servers import ADMIN_PASSWORD, ADMIN_USER, FaultProxy, PouchServer, Seen  # noqa: E402
from tests.support.databases import open_app_db  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "sync.json"
BATCH = 100


def _state(directory: Path, docs: int) -> Database:
    state = open_app_db(directory / "medassist.db", os.urandom(32))
    with state.transaction() as conn:
        for i in range(docs):
            enqueue_change(
                conn,
                f"case:kh-01:{i:06d}",
                "case",
                {
                    "complaint": "fever and cough for three days, no danger signs " * 4,
                    "age_months": i % 60,
                    "temp_c": 38.5,
                    "weight_kg": 11.2,
                    "visit": i,
                    "advice": ["paracetamol", "fluids", "return if worse"],
                },
            )
    return state


def _engine(url: str, db: str, state: Database, **kwargs: Any) -> SyncEngine:
    return SyncEngine(
        state,
        ServerConfig(url=url, db=db, user=ADMIN_USER, password=ADMIN_PASSWORD),
        breaker=CircuitBreaker("sync"),
        degradation=DegradationRegistry(),
        retry_policy=RetryPolicy(delay=0.05, jitter=0.0),
        options=SyncOptions(batch_size=BATCH),
        **kwargs,
    )


def throughput(server: PouchServer, work: Path, docs: int, runs: int) -> dict[str, Any]:
    rates: list[float] = []
    for run in range(runs):
        db = f"throughput-{run}"
        server.create_db(db)
        with _state(work / db, docs) as state:
            report = _engine(server.url, db, state).run_once()
        assert report.pushed == docs, report
        assert len(server.all_docs(db)) == docs
        rates.append(round(docs / report.duration_s, 1))
    return {
        "documents": docs,
        "batch_size": BATCH,
        "runs_docs_per_s": rates,
        "median_docs_per_s": statistics.median(rates),
    }


def resume(work: Path) -> dict[str, Any]:
    docs = 1000
    with PouchServer(work / "resume-server") as server:
        server.create_db("clinic")

        def rule(seen: Seen, count: int) -> Any:
            return server.kill if "_bulk_docs" in seen.path and count == 5 else "forward"

        with FaultProxy(server.url, rule=rule) as proxy, _state(work / "resume", docs) as state:
            first = _engine(proxy.url, "clinic", state).run_once()
            restart_started = time.perf_counter()
            server.start()
            restart_s = time.perf_counter() - restart_started
            proxy.rule = lambda _seen, _count: "forward"
            marks: list[float] = []
            engine = _engine(
                proxy.url, "clinic", state, on_progress=lambda _p: marks.append(time.perf_counter())
            )
            seen_before = len(proxy.seen)
            started = time.perf_counter()
            second = engine.run_once()
            total = time.perf_counter() - started
            resent = [
                d["_id"]
                for s in proxy.seen[seen_before:]
                if "_bulk_docs" in s.path
                for d in json.loads(s.body)["docs"]
            ]
        assert len(server.all_docs("clinic")) == docs
    stored_before = {f"case:kh-01:{i:06d}" for i in range(5 * BATCH)}
    return {
        "documents": docs,
        "interrupted_after_batches_confirmed": first.batches,
        "first_run_state": first.state.value,
        "server_restart_s": round(restart_s, 3),
        "time_to_first_new_batch_s": round(marks[0] - started, 3),
        "resumed_run_total_s": round(total, 3),
        "resumed_pushed": second.pushed,
        "resumed_skipped_already_stored": second.skipped,
        "documents_sent_again": len(set(resent) & stored_before),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with PouchServer(work / "server") as server:
            push = throughput(server, work, args.docs, args.runs)
        resumed = resume(work)
    result = {
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "server": "pouchdb-server 4.2.0 (leveldb) on 127.0.0.1",
        "push": push,
        "resume": resumed,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
