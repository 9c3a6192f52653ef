"""The individual checks: each looks at one part without changing it, in milliseconds.

No check loads a model, calls a model or scans the whole database: readiness must
answer in under 50 ms so a monitor can ask often. Thresholds are what the app needs
to keep working: a model and an embedding model in memory, room for the database,
its WAL and backups to grow.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Mapping
from pathlib import Path

import psutil

from medassist_desktop.core.degradation import Degradation
from medassist_desktop.core.health.probes import CheckOutcome, degraded, healthy, unhealthy
from medassist_desktop.storage.database import Database

MIB = 1024 * 1024
# Below these, saving cases or taking a backup may fail soon / now.
DISK_DEGRADED_BYTES = 1024 * MIB
DISK_UNHEALTHY_BYTES = 200 * MIB
# The embedded model and MiniLM need about 0.5 GB; MedGemma 4B about 3.5 GB.
MEMORY_DEGRADED_BYTES = 1024 * MIB
MEMORY_UNHEALTHY_BYTES = 256 * MIB


def process_answers() -> CheckOutcome:
    """The process runs and its main thread answers (the probe itself ran)."""
    return healthy("The process answers.", pid=os.getpid())


def disk_space(folder: Path) -> CheckOutcome:
    """Room left on the disk that holds the data folder."""
    free = shutil.disk_usage(_existing_parent(folder)).free
    details = {"folder": str(folder), "free_mib": free // MIB}
    if free < DISK_UNHEALTHY_BYTES:
        return unhealthy(f"Only {free // MIB} MiB free on the data disk.", **details)
    if free < DISK_DEGRADED_BYTES:
        return degraded(f"Less than 1 GiB free on the data disk ({free // MIB} MiB).", **details)
    return healthy(f"{free // MIB} MiB free on the data disk.", **details)


def free_memory() -> CheckOutcome:
    memory = psutil.virtual_memory()
    details = {"available_mib": memory.available // MIB, "total_mib": memory.total // MIB}
    if memory.available < MEMORY_UNHEALTHY_BYTES:
        return unhealthy(f"Only {memory.available // MIB} MiB of memory free.", **details)
    if memory.available < MEMORY_DEGRADED_BYTES:
        return degraded(
            f"Less than 1 GiB of memory free ({memory.available // MIB} MiB): a model may "
            "not load.",
            **details,
        )
    return healthy(f"{memory.available // MIB} MiB of memory free.", **details)


def database_reads(db: Database) -> CheckOutcome:
    """The key opens the file and its schema reads (SQLCipher checks each page it reads)."""
    tables = int(db.scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"))
    return healthy(
        "The database opens and reads.",
        path=str(db.path),
        encrypted=db.encrypted,
        tables=tables,
    )


def migrations_done(db: Database, latest: int) -> CheckOutcome:
    version = db.user_version
    details = {"schema_version": version, "expected": latest}
    if version == latest:
        return healthy(f"The database schema is current (version {version}).", **details)
    if version > latest:
        return unhealthy(
            f"The database was written by a newer MedAssist (schema {version}, this one knows "
            f"{latest}).",
            **details,
        )
    return degraded(
        f"The database schema is at version {version}; {latest} after the next start.", **details
    )


def package_present(module: str, what: str) -> CheckOutcome:
    """A model shipped as a Python package is installed (found without importing it)."""
    if importlib.util.find_spec(module) is None:
        return unhealthy(f"The {what} is missing from this installation ({module}).")
    return healthy(f"The {what} is installed.", module=module)


def model_file(path: Path | None, name: str, problem: str | None) -> CheckOutcome:
    """The configured model's file; without one the app answers from the rules only."""
    if path is None or problem is not None:
        return degraded(
            f"Rules only: {problem or 'no model file'}", model=name, path=str(path or "")
        )
    if not path.is_file():
        return degraded(f"Rules only: the model file {path} is missing.", model=name)
    return healthy(
        f"Model {name} is on disk.", model=name, path=str(path), size_mib=path.stat().st_size // MIB
    )


def secrets_path(keyring_problem: str | None, environ: Mapping[str, str]) -> CheckOutcome:
    """Where the database key comes from: the OS keyring, or a passphrase."""
    if keyring_problem is None:
        return healthy("The OS keyring holds the keys.", source="keyring")
    if environ.get("MEDASSIST_DB_PASSPHRASE"):
        return healthy(
            "No usable keyring: the passphrase unlocks the database.", source="passphrase"
        )
    return degraded(
        f"No usable keyring ({keyring_problem}): the database needs its passphrase at each start.",
        source="passphrase",
    )


def capabilities(snapshot: Mapping[str, Degradation]) -> CheckOutcome:
    """What the app's degradation registry says runs on a fallback now."""
    if not snapshot:
        return healthy("Every capability runs normally.")
    reasons = {name: entry.reason for name, entry in sorted(snapshot.items())}
    listed = "; ".join(f"{name}: {reason}" for name, reason in reasons.items())
    return degraded(f"On a fallback: {listed}", capabilities=reasons)


def starter_library(files: list[Path]) -> CheckOutcome:
    if not files:
        return unhealthy("The starter library is missing from this installation.")
    return healthy(
        f"The starter library is installed ({len(files)} documents).", documents=len(files)
    )


def _existing_parent(folder: Path) -> Path:
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            return candidate
    return Path.cwd()
