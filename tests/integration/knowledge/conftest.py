"""Real all-MiniLM-L6-v2 (loaded once per session) and real encrypted databases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from medassist_desktop.core.degradation import DegradationRegistry
from medassist_desktop.core.knowledge.embeddings import Embedder, SentenceEmbedder
from medassist_desktop.core.security.sessions import Session
from medassist_desktop.services.knowledge import KnowledgeService, chunker_for
from medassist_desktop.services.security import SecurityServices
from tests.support.keyrings import MemoryKeyring
from tests.support.security import open_services

ADMIN = "admin"
ADMIN_PW = "Admin-password-1"
WORKER = "hoa"
WORKER_PW = "839201"


@pytest.fixture(scope="session")
def embedder(minilm_embedder: SentenceEmbedder) -> SentenceEmbedder:
    """The session's one all-MiniLM-L6-v2 (tests/support/consult.py)."""
    return minilm_embedder


def open_clinic(data_dir: Path, keyring: MemoryKeyring | None = None) -> SecurityServices:
    """A fresh encrypted database with an admin and a health worker."""
    services = open_services(data_dir, keyring or MemoryKeyring())
    services.accounts.create_first_admin(ADMIN, ADMIN_PW)
    admin = services.accounts.login(ADMIN, ADMIN_PW)
    services.accounts.add_user(admin, WORKER, WORKER_PW)
    return services


def knowledge_for(
    services: SecurityServices,
    embedder: Embedder | None,
    *,
    degradation: DegradationRegistry | None = None,
    starter_library: bool = False,
) -> KnowledgeService:
    return KnowledgeService(
        services.db,
        services.audit_log,
        services.account_store,
        embedder=embedder,
        chunker=chunker_for("all-MiniLM-L6-v2"),
        max_file_bytes=50 * 1024 * 1024,
        starter_library=starter_library,
        degradation=degradation,
    )


def admin_session(services: SecurityServices) -> Session:
    return services.accounts.login(ADMIN, ADMIN_PW)


@pytest.fixture
def keyring() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def clinic(tmp_path: Path, keyring: MemoryKeyring) -> Iterator[SecurityServices]:
    services = open_clinic(tmp_path / "data", keyring)
    yield services
    services.close()


def audit_actions(services: SecurityServices) -> list[tuple[str | None, str, str]]:
    return [(e.actor, e.action, e.outcome) for e in services.audit_log.entries()]
