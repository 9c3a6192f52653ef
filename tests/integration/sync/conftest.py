"""Real pouchdb-server on 127.0.0.1, the app's real encrypted database, server checks."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from medassist_desktop.core.degradation import DegradationRegistry
from medassist_desktop.core.sync.breaker import CircuitBreaker
from medassist_desktop.core.sync.couchdb import ServerConfig
from medassist_desktop.core.sync.engine import SyncEngine, SyncOptions
from medassist_desktop.core.sync.outbox import OutboxEntry, enqueue_change
from medassist_desktop.core.sync.resilience import RetryPolicy
from medassist_desktop.storage.database import Database
from tests.servers import ADMIN_PASSWORD, ADMIN_USER, PouchServer
from tests.support.databases import open_app_db

_names = itertools.count()

# Tests wait a fraction of a second, not the production 1 s / 2 s.
FAST_RETRY = RetryPolicy(max_attempts=3, delay=0.02, backoff=2.0, jitter=0.01)


@pytest.fixture(scope="module")
def pouch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PouchServer]:
    """One server per module; each test gets its own database on it."""
    with PouchServer(tmp_path_factory.mktemp("pouch")) as server:
        yield server


@pytest.fixture
def db_name(pouch: PouchServer) -> str:
    name = f"clinic-{os.getpid()}-{next(_names)}"
    pouch.create_db(name)
    return name


@pytest.fixture
def state(tmp_path: Path) -> Iterator[Database]:
    """The app's database (all migrations): the outbox and sync state live in it."""
    with open_app_db(tmp_path / "medassist.db") as db:
        yield db


def make_engine(
    url: str,
    db: str,
    state: Database,
    *,
    batch_size: int = 20,
    breaker: CircuitBreaker | None = None,
    degradation: DegradationRegistry | None = None,
    timeout: float = 5.0,
    **kwargs: Any,
) -> SyncEngine:
    return SyncEngine(
        state,
        ServerConfig(url=url, db=db, user=ADMIN_USER, password=ADMIN_PASSWORD),
        breaker=breaker or CircuitBreaker("sync"),
        degradation=degradation or DegradationRegistry(),
        retry_policy=FAST_RETRY,
        options=SyncOptions(batch_size=batch_size),
        timeout=timeout,
        reach_timeout=min(timeout, 2.0),
        **kwargs,
    )


def enqueue_cases(
    state: Database, count: int, *, start: int = 0, version: int = 1
) -> dict[str, str]:
    """Queue `count` case documents; returns id -> revision."""
    revs: dict[str, str] = {}
    with state.transaction() as conn:
        for i in range(start, start + count):
            entry: OutboxEntry | None = enqueue_change(
                conn,
                f"case:kh-01:{i:05d}",
                "case",
                {"complaint": f"fever day {i}", "age_months": i % 60, "version": version},
            )
            assert entry is not None
            revs[entry.doc_id] = entry.rev
    return revs


def assert_server_has_exactly(
    pouch: PouchServer, db: str, expected: dict[str, str], *, prefix: str = ""
) -> None:
    """Nothing lost (every id at its revision), nothing extra, no duplicate branches.

    With `prefix`, only documents whose id starts with it are compared (e.g. the cases,
    leaving out the audit entries every signed-in command also shares).
    """
    on_server = {k: v for k, v in pouch.all_docs(db).items() if k.startswith(prefix)}
    assert set(on_server) == set(expected), (
        f"missing {sorted(set(expected) - set(on_server))[:5]}, "
        f"extra {sorted(set(on_server) - set(expected))[:5]}"
    )
    wrong = {i: (on_server[i], expected[i]) for i in expected if on_server[i] != expected[i]}
    assert not wrong, f"wrong revisions: {list(wrong.items())[:5]}"
    for doc_id in sorted(expected)[:: max(1, len(expected) // 10)]:
        assert pouch.leaf_revs(db, doc_id) == [expected[doc_id]], f"{doc_id} has branches"
