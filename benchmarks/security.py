"""What security costs: password hashing, key derivation, unlocking, the audit chain.

Production parameters throughout (argon2-cffi PasswordHasher defaults; Argon2id
t=3, 64 MiB, p=4 for the passphrase KDF). Results go to benchmarks/results/security.json.

    .venv/bin/python benchmarks/security.py [--entries 10000]
"""

from __future__ import annotations

import argparse
import json
import platform
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from argon2 import PasswordHasher  # noqa: E402
from loguru import logger  # noqa: E402

from medassist_desktop.core.security.audit import AuditLog, Outcome  # noqa: E402
from medassist_desktop.core.security.secrets import KdfCost, KdfParams  # noqa: E402
from medassist_desktop.storage.database import Database  # noqa: E402
from medassist_desktop.storage.migrations import migrate  # noqa: E402
from medassist_desktop.storage.schema import ALL_MIGRATIONS  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "security.json"


def _median_ms(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=10_000)
    args = parser.parse_args()
    logger.remove()
    hasher = PasswordHasher()
    stored = hasher.hash("a-password-1")
    kdf = KdfParams.new(KdfCost())
    key = secrets.token_bytes(32)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        with Database.open(path, key, create=True) as db:
            migrate(db, ALL_MIGRATIONS)
        open_ms = _median_ms(lambda: Database.open(path, key).close(), 10)
        with Database.open(path, key) as db:
            audit = AuditLog(db, secrets.token_bytes(32))
            started = time.perf_counter()
            with db.transaction():
                for n in range(args.entries):
                    audit.append(None, "bench", f"item:{n}", Outcome.SUCCESS)
            append_per_s = args.entries / (time.perf_counter() - started)
            single_commit_ms = _median_ms(
                lambda: audit.append(None, "bench", "x", Outcome.SUCCESS), 20
            )
            started = time.perf_counter()
            assert audit.verify().ok
            verify_s = time.perf_counter() - started
    results = {
        "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
        "password_hash_ms (argon2 defaults)": _median_ms(lambda: hasher.hash("a-password-1"), 5),
        "password_verify_ms": _median_ms(lambda: hasher.verify(stored, "a-password-1"), 5),
        "passphrase_kdf_ms (argon2id t=3 64MiB p=4)": _median_ms(lambda: kdf.derive("p" * 16), 3),
        "database_open_unlock_ms": open_ms,
        "audit_append_per_s (one transaction)": round(append_per_s),
        "audit_append_own_commit_ms": single_commit_ms,
        f"audit_verify_s ({args.entries} entries)": round(verify_s, 3),
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
