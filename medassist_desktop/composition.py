"""The composition root: the one place that builds the app's services.

`AppServices` is made once per run (a GUI window or a CLI command) from the
`AppContext`. It opens the encrypted database on request and builds every other
service on first use, once: accounts and audit (with the database), cases,
knowledge, consult, the local model's holder, admin settings, model admin and sync.
The GUI and the CLI ask it; no widget and no command wires services by hand.

Threads: a SQLite connection belongs to the thread that opened it. The CLI opens
and uses the database on its one thread. The GUI opens it on the database
executor's thread and hands that executor to `attach`; the consult service (which
runs on a worker thread) then reaches the knowledge base and the audit log through
adapters that run on the executor (services/on_database_thread.py), and the sync
gets its own connection, opened on the sync thread. Knowledge work that takes long (the
first-run starter library, imports, re-embeds) runs the same way, on its own thread with
its own connection (`knowledge_on_own_connection`, `library_preparation`); the consult
waits for the library on its worker thread, never on the database thread.

Nothing heavy is imported here at module level: the window imports this module
before it is painted.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from loguru import logger

from medassist_desktop.context import AppContext
from medassist_desktop.errors import KnownError
from medassist_desktop.i18n.catalogue import N_

if TYPE_CHECKING:
    from argon2 import PasswordHasher
    from keyring.backend import KeyringBackend

    from medassist_desktop.config import LoadedSettings
    from medassist_desktop.core.health.metrics import AppMetrics
    from medassist_desktop.core.knowledge.passages import RetrievalResult
    from medassist_desktop.core.security.secrets import KdfCost
    from medassist_desktop.core.sync.engine import SyncEngine, SyncReport
    from medassist_desktop.core.sync.scheduler import SyncScheduler
    from medassist_desktop.services.admin_settings import AdminSettingsService
    from medassist_desktop.services.cases import CaseService
    from medassist_desktop.services.consult import ConsultService
    from medassist_desktop.services.health import HealthService
    from medassist_desktop.services.knowledge import KnowledgeService
    from medassist_desktop.services.knowledge_background import LibraryPreparation
    from medassist_desktop.services.model_holder import ModelHolder
    from medassist_desktop.services.models_admin import ModelAdminService
    from medassist_desktop.services.security import SecurityServices
    from medassist_desktop.services.sync_conflicts import SyncConflictService
    from medassist_desktop.storage.executor import SerialExecutor


_log = logger.bind(area="ui")
ROUTER_WARM_UP_WAIT_S = 30.0  # embedding the router examples takes seconds on a slow laptop


class NotReadyError(KnownError):
    """A service was asked for before the database was open, or before sign-in."""


@dataclass
class SecurityOptions:
    """What tests (and only tests) swap: the keyring, Argon2 costs, the services' clock."""

    keyring_backend: KeyringBackend | None = None
    hasher: PasswordHasher | None = None
    kdf_cost: KdfCost | None = None
    clock: Callable[[], float] = field(default=time.time)


class AppServices:
    """Every service of one run, built lazily from the context and the open database.

    `keyword_only`: no embedding model (keyword routing and search only).
    `wait_for_models`: searches wait for the embedding model to load and consults for
    the local model; the GUI says False (keyword search and rules-only answers while
    they load, nobody waits), a command says True.
    """

    def __init__(
        self,
        context: AppContext,
        environ: Mapping[str, str],
        *,
        options: SecurityOptions | None = None,
        keyword_only: bool = False,
        wait_for_models: bool = True,
    ) -> None:
        self.context = context
        self.environ = environ
        self.options = options or SecurityOptions()
        self._keyword_only = keyword_only
        self._wait_for_models = wait_for_models
        self._security: SecurityServices | None = None
        self._executor: SerialExecutor | None = None
        self._cases: CaseService | None = None
        self._knowledge: KnowledgeService | None = None
        self._knowledge_lock = threading.Lock()  # built by the first of several threads
        self._knowledge_writer = threading.Lock()  # one import or re-embed at a time
        self._preparation: LibraryPreparation | None = None
        self._consult: ConsultService | None = None
        self._router_warm_up: threading.Thread | None = None
        self._model: ModelHolder | None = None
        self._admin_settings: AdminSettingsService | None = None
        self._model_admin: ModelAdminService | None = None
        self._metrics: AppMetrics | None = None

    # -- the database ----------------------------------------------------------------------
    def open_database(
        self,
        *,
        create: bool = False,
        passphrase: str | None = None,
        loaded: LoadedSettings | None = None,
        allow_broken_audit: bool = False,
    ) -> SecurityServices:
        """Unlock (with `create`, create) and migrate the database; build accounts and audit.

        Blocking (Argon2, keyring, SQLCipher): the GUI calls it on its database thread,
        then `attach`es the result. `loaded`: settings other than the context's (first
        run saves the clinic's settings before the database exists).
        """
        from medassist_desktop.services.security import open_security

        return open_security(
            loaded or self.context.loaded,
            self.context.redactor,
            self.environ,
            create=create,
            passphrase=passphrase,
            keyring_backend=self.options.keyring_backend,
            hasher=self.options.hasher,
            kdf_cost=self.options.kdf_cost,
            clock=self.options.clock,
            allow_broken_audit=allow_broken_audit,
        )

    def attach(self, security: SecurityServices, executor: SerialExecutor | None = None) -> None:
        """The database is open. `executor`: the thread its connection belongs to, when
        services are called from other threads too (the GUI); None when one thread does all."""
        self._security, self._executor = security, executor
        if security.loaded is not None:
            self.context.loaded = security.loaded  # the clinic policy in the database wins
        if self._metrics is not None:
            security.audit_log.add_observer(self._metrics.observe_audit)

    def metrics(self) -> AppMetrics:
        """This run's metrics (fed by the audit trail and the sync schedule)."""
        if self._metrics is None:
            from medassist_desktop.core.health.metrics import AppMetrics

            self._metrics = AppMetrics(self.context.paths.data_dir)
            if self._security is not None:
                self._security.audit_log.add_observer(self._metrics.observe_audit)
        return self._metrics

    def open(self, *, create: bool = False, allow_broken_audit: bool = False) -> SecurityServices:
        """Open and attach on this thread (a CLI command)."""
        security = self.open_database(create=create, allow_broken_audit=allow_broken_audit)
        self.attach(security)
        return security

    @property
    def ready(self) -> bool:
        return self._security is not None

    @property
    def security(self) -> SecurityServices:
        """The open database with accounts and audit (raises `NotReadyError` before)."""
        if self._security is None:
            raise NotReadyError(N_("The database is not open yet."))
        return self._security

    # -- services on the database ------------------------------------------------------------
    def cases(self) -> CaseService:
        if self._cases is None:
            from medassist_desktop.services.cases import CaseService

            self._cases = CaseService.from_security(self.security, self.context.settings)
        return self._cases

    def knowledge(self) -> KnowledgeService:
        """The knowledge base; in the GUI, use it on the database thread (searches, lists,
        removals); imports and re-embeds go to `knowledge_on_own_connection`."""
        with self._knowledge_lock:
            if self._knowledge is None:
                from medassist_desktop.services.knowledge import KnowledgeService

                self._knowledge = KnowledgeService.from_security(
                    self.security,
                    self.context.settings,
                    degradation=self.context.degradation,
                    use_embeddings=not self._keyword_only,
                    wait_for_model=self._wait_for_models,
                )
            return self._knowledge

    @contextmanager
    def knowledge_on_own_connection(self) -> Iterator[KnowledgeService]:
        """The knowledge service on a connection opened on the calling thread (closed at
        the end), for imports and re-embeds off the database thread: the same roles and
        audit as `knowledge()`, the same embedding model. One such block runs at a time
        (a second waits): two imports at once would only take turns writing anyway."""
        from medassist_desktop.services.knowledge import chunker_for

        security, knowledge = self.security, self.knowledge()
        with self._knowledge_writer:
            db = security.db.open_again()
            try:
                audit = security.audit_log.on_connection(db)
                accounts = security.account_store.on_connection(db, audit)
                chunker = chunker_for(self.context.settings.embedding_model)
                yield knowledge.on_connection(db, audit, accounts, chunker)
            finally:
                db.close()

    def library_preparation(self) -> LibraryPreparation:
        """This run's first-run preparation of the library (started by the window once the
        database is open, or by the first search that needs it)."""
        with self._knowledge_lock:
            if self._preparation is None:
                from medassist_desktop.services.knowledge_background import LibraryPreparation

                self._preparation = LibraryPreparation(self.knowledge_on_own_connection)
            return self._preparation

    def model(self) -> ModelHolder:
        """The local model's one owner: loads it, says its state, hands it to consults."""
        if self._model is None:
            from medassist_desktop.services.model_holder import ModelHolder

            context = self.context
            self._model = ModelHolder(
                context.settings, context.paths, degradation=context.degradation
            )
        return self._model

    def consult(self) -> ConsultService:
        """Consults with the knowledge base, the model holder and the audit log.

        The library is prepared (starter import, missing vectors) at the first search.
        """
        if self._consult is None:
            from medassist_desktop.services.consult import build_consult_service
            from medassist_desktop.services.on_database_thread import (
                ExecutorAudit,
                ExecutorRetriever,
            )

            security, knowledge, executor = self.security, self.knowledge(), self._executor
            if executor is None:  # one thread: call the database directly
                audit: Any = security.audit_log
                retriever: Any = _PreparedSearch(knowledge)
                secrets: Any = security.clinic_secrets()
            else:  # the consult runs on a worker thread; the connection is the executor's
                from medassist_desktop.services.knowledge_background import WaitForLibrary

                audit = ExecutorAudit(executor, security.audit_log)
                # The library is prepared on a thread of its own; the consult's worker
                # waits for it, then searches on the database thread.
                retriever = WaitForLibrary(
                    self.library_preparation(), ExecutorRetriever(executor, knowledge)
                )
                secrets = None  # the keyring alone: the database is not this thread's
            context = self.context
            self._consult = build_consult_service(
                context.settings,
                context.paths,
                audit,
                degradation=context.degradation,
                keyword_only=self._keyword_only,
                model=self.model(),
                retriever=retriever,
                embedder=knowledge.embedder,
                secrets=secrets,
                model_wait_s=None if self._wait_for_models else 0.0,
            )
            if not self._wait_for_models:
                # The window: the question router's embedding model loads in the
                # background; meanwhile keywords route, and a question they would refuse
                # waits for it ("Preparing…"). The model itself is the holder's to load.
                consult = self._consult
                self._router_warm_up = threading.Thread(
                    target=_warm_router, args=(consult,), name="medassist-router", daemon=True
                )
                self._router_warm_up.start()
        return self._consult

    def admin_settings(self) -> AdminSettingsService:
        if self._admin_settings is None:
            from medassist_desktop.services.admin_settings import AdminSettingsService

            security = self.security
            self._admin_settings = AdminSettingsService(
                lambda: self.context.loaded,
                self.environ,
                security.account_store,
                security.audit_log,
                security.clinic_secrets(),
                policy=security.policy,
            )
        return self._admin_settings

    def model_admin(self) -> ModelAdminService:
        if self._model_admin is None:
            from medassist_desktop.services.models_admin import ModelAdminService

            security = self.security
            self._model_admin = ModelAdminService(
                lambda: self.context.loaded,
                self.environ,
                security.account_store,
                security.audit_log,
            )
        return self._model_admin

    # -- sync ------------------------------------------------------------------------------
    def sync_engine(self, **options: Any) -> SyncEngine:
        """A sync engine on this thread's connection (a command's one run)."""
        from medassist_desktop.core.degradation import DegradationRegistry
        from medassist_desktop.services.sync_service import build_engine

        security = self.security
        return build_engine(
            self.context.settings,
            security.clinic_secrets(),
            security.db,
            DegradationRegistry(),  # a command reports its own outcome
            audit=security.audit_log,
            **options,
        )

    def sync_conflicts(self) -> SyncConflictService:
        """Open sync conflicts for the admin (on the database's thread, as the cases)."""
        from medassist_desktop.services.sync_conflicts import SyncConflictService

        return SyncConflictService(self.security, lambda: self.context.settings, self.cases())

    def sync_scheduler(self) -> SyncScheduler[SyncReport]:
        """The background schedule, with a connection of its own opened on the sync thread.

        Call it on the database's thread: the sync password may be kept in the database.
        """
        from medassist_desktop.core.sync.engine import SyncState
        from medassist_desktop.services.on_database_thread import ExecutorAudit
        from medassist_desktop.services.sync_service import build_engine, build_scheduler
        from medassist_desktop.storage.connections import PerThreadDatabase

        security, settings = self.security, self.context.settings
        # The engine runs on the sync thread; audit entries are written on the database's.
        audit = (
            ExecutorAudit(self._executor, security.audit_log)
            if self._executor is not None
            else security.audit_log
        )
        engine = build_engine(
            settings,
            security.clinic_secrets(),
            PerThreadDatabase(security.db.open_again),
            self.context.degradation,
            audit=audit,
            metrics=self._metrics,
        )
        if self._metrics is not None:
            metrics = self._metrics

            def count_run(state: SyncState, _reason: str | None) -> None:
                if state is not SyncState.SYNCING:
                    metrics.observe_sync(state.value, 0)

            engine.add_status_listener(count_run)
        return build_scheduler(settings, engine)

    # -- health ----------------------------------------------------------------------------
    def health(self) -> HealthService:
        """The probes for this run: with the database open they use a connection of their
        own (opened on the probing thread), else they open it read-only themselves."""
        from medassist_desktop.services.health import HealthService

        return HealthService(
            self.context.loaded,
            self.environ,
            degradation=self.context.degradation,
            open_database=self._security.db.open_again if self._security is not None else None,
            redactor=self.context.redactor,
        )

    # -- the end ---------------------------------------------------------------------------
    def close(self, *, close_database: bool = True) -> None:
        """Stop answering, free the model, close the database (when this thread owns it)."""
        if self._consult is not None:
            self._consult.cancel()
        if self._preparation is not None:
            self._preparation.stop()
        self._wait_for_router_warm_up()
        if self._model is not None:
            self._model.close()
        if close_database and self._security is not None:
            self._security.close()

    def _wait_for_router_warm_up(self) -> None:
        """The warm-up embeds the router's examples in native code (torch). Left running
        when the interpreter shuts down, its thread is ended under that native code when it
        comes back for the GIL, which aborts the process ("terminate called without an
        active exception"): quitting in the first seconds must wait for it to finish."""
        thread = self._router_warm_up
        if thread is None:
            return
        thread.join(ROUTER_WARM_UP_WAIT_S)
        if thread.is_alive():
            _log.warning("The question router was still preparing at shutdown")


def _warm_router(consult: ConsultService) -> None:
    try:
        consult.warm_up(load_model=False)
    except Exception:  # noqa: BLE001 - keyword routing stays; the failure is logged
        _log.exception("Preparing the question router failed")


class _PreparedSearch:
    """The knowledge base as a `Retriever` that prepares the library on first use."""

    def __init__(self, knowledge: KnowledgeService) -> None:
        self._knowledge = knowledge

    def search(self, query: str, k: int = 5, *, query_embedding: Any = None) -> RetrievalResult:
        return self._knowledge.search_prepared(query, k, query_embedding=query_embedding)
