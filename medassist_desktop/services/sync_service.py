"""Sync use cases: configure the server, build the engine from settings, run, read status.

The composition root (or a CLI command) calls these with what they need; nothing
here is global. The sync's local state (outbox, revisions, checkpoints, conflicts)
lives in the app's one encrypted database (migration 30); the engine gets that
database's `transaction()`. The password is in the OS keyring, or where none exists,
inside that database (`core.security.clinic_secrets`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medassist_desktop.config import LoadedSettings, Settings
from medassist_desktop.config.settings_file import (
    overridden_by_environment,
    settings_file_for_update,
    update_settings_file,
)
from medassist_desktop.config.urls import check_server_url
from medassist_desktop.core.degradation import DegradationRegistry
from medassist_desktop.core.security.audit import AuditSink, Outcome
from medassist_desktop.core.security.clinic_secrets import SYNC_PASSWORD, NamedSecrets
from medassist_desktop.core.sync.audit_copy import AuditCopyCheck, AuditCopyResult, AuditCopyState
from medassist_desktop.core.sync.breaker import CircuitBreaker
from medassist_desktop.core.sync.couchdb import ServerConfig
from medassist_desktop.core.sync.db import TransactionProvider
from medassist_desktop.core.sync.engine import SyncEngine, SyncOptions, SyncReport
from medassist_desktop.core.sync.errors import InsecureServerURLError, SyncNotConfiguredError
from medassist_desktop.core.sync.resilience import RetryPolicy
from medassist_desktop.core.sync.scheduler import SyncScheduler
from medassist_desktop.i18n.catalogue import N_
from medassist_desktop.services.daily_metrics import DailyMetrics

if TYPE_CHECKING:
    from medassist_desktop.core.health.metrics import AppMetrics

SYNC_SETTINGS = ["sync_url", "sync_db", "sync_user", "sync_enabled"]


@dataclass(frozen=True)
class ConfigureResult:
    settings_file: Path
    url: str
    db: str
    user: str
    enabled: bool
    hidden_by_environment: list[str]


def configure_sync(
    loaded: LoadedSettings,
    environ: Mapping[str, str],
    store: NamedSecrets,
    *,
    url: str,
    db: str,
    user: str,
    password: str,
    enable: bool = True,
) -> ConfigureResult:
    """Check the address, keep the password in the secret store, save the rest as settings.

    The password is stored first: if it cannot be kept safely, nothing is written.
    """
    try:
        clean_url = check_server_url(url)
    except ValueError as exc:
        raise InsecureServerURLError(
            N_("The sync server address cannot be used: {reason}.", reason=exc)
        ) from None
    if not password:
        raise SyncNotConfiguredError(
            N_("No password or API key was given on standard input."),
            hint=N_('Pipe it in: `printf %s "$PASSWORD" | medassist sync configure ...`.'),
        )
    store.set(SYNC_PASSWORD, password)
    path = settings_file_for_update(loaded)
    update_settings_file(
        path, {"sync_url": clean_url, "sync_db": db, "sync_user": user, "sync_enabled": enable}
    )
    return ConfigureResult(
        settings_file=path,
        url=clean_url,
        db=db,
        user=user,
        enabled=enable,
        hidden_by_environment=overridden_by_environment(environ, SYNC_SETTINGS),
    )


def server_config(settings: Settings, store: NamedSecrets) -> ServerConfig:
    """The server to sync with, or a clear error naming what is missing."""
    missing = [
        name for name in ("sync_url", "sync_db", "sync_user") if getattr(settings, name) is None
    ]
    if missing:
        raise SyncNotConfiguredError(
            N_("Sync is not configured ({join} not set).", join=", ".join(missing)),
            hint=N_("Run `medassist sync configure --url URL --db NAME --user USER`."),
        )
    password = store.get(SYNC_PASSWORD)
    if password is None:
        raise SyncNotConfiguredError(
            N_("The sync password is not stored on this computer (keyring or database)."),
            hint=N_("Run `medassist sync configure` again to store it."),
        )
    assert settings.sync_url and settings.sync_db and settings.sync_user
    return ServerConfig(
        url=settings.sync_url, db=settings.sync_db, user=settings.sync_user, password=password
    )


def audit_copy_recorder(audit: AuditSink) -> Callable[[AuditCopyResult], None]:
    """Writes an entry when the comparison with the server's copy finds a gap (failure,
    with the reason and the first entry concerned) or matches again after one."""

    def record(result: AuditCopyResult) -> None:
        gap = result.state is AuditCopyState.GAP
        audit.append(
            None,
            "audit.server_copy",
            "audit_log",
            Outcome.FAILURE if gap else Outcome.SUCCESS,
            details={
                "state": result.state.value,
                "reason": result.reason,
                "first_bad_id": result.first_bad_id,
                "verified_through": result.verified_through,
            },
        )

    return record


def build_engine(
    settings: Settings,
    store: NamedSecrets,
    database: TransactionProvider,
    degradation: DegradationRegistry,
    *,
    breaker: CircuitBreaker | None = None,
    retry_policy: RetryPolicy | None = None,
    batch_size: int | None = None,
    audit: AuditSink | None = None,
    metrics: AppMetrics | None = None,
    **engine_kwargs: Any,
) -> SyncEngine:
    """A `SyncEngine` from settings, on the app's database (its `transaction()`).

    The breaker should live as long as the app does. The engine uses the database on
    the thread that runs it: in the GUI give it its own connection
    (`storage.connections.PerThreadDatabase`), never the GUI's database thread, which
    must not wait on the network.

    Each run compares the server's copy of this clinic's audit entries with the local
    chain; `audit` (when given) records a gap found, and the match after one. With
    `sync_metrics_daily`, each run first queues today's metrics document (with the
    window's `metrics` counters when given). `batch_size` (documents per push request)
    is the one option a caller may change; the rest, such as how long acknowledged
    outbox rows are kept, come from settings for every entry point.
    """
    engine_kwargs.setdefault("audit_copy", AuditCopyCheck(settings.clinic_id))
    if settings.sync_metrics_daily:
        daily = DailyMetrics(settings, degradation, metrics=metrics)
        engine_kwargs.setdefault("prepare_push", daily.queue)
    if audit is not None:
        engine_kwargs.setdefault("record_audit_copy", audit_copy_recorder(audit))
    options = SyncOptions(retention_days=settings.sync_retention_days)
    if batch_size is not None:
        options = replace(options, batch_size=max(1, batch_size))
    return SyncEngine(
        database,
        server_config(settings, store),
        breaker=breaker if breaker is not None else CircuitBreaker("sync"),
        degradation=degradation,
        retry_policy=retry_policy,
        options=options,
        **engine_kwargs,
    )


def build_scheduler(settings: Settings, engine: SyncEngine) -> SyncScheduler[SyncReport]:
    """The background schedule from settings: interval, switched off, metered link."""
    return SyncScheduler(
        engine.run_once,
        interval_s=settings.sync_interval_minutes * 60,
        enabled=lambda: settings.sync_enabled,
        metered=lambda: settings.sync_metered,
    )


def ensure_enabled(settings: Settings) -> None:
    if not settings.sync_enabled:
        raise SyncNotConfiguredError(
            N_("Sync is switched off (sync_enabled is false)."),
            hint=N_("Run `medassist sync configure ...` or set SYNC_ENABLED=true."),
        )
