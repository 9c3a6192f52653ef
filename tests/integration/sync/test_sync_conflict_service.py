"""The admin's conflict service on the app's encrypted database and a real pouchdb-server:
a case saved here, edited on the server and here, listed with both versions, settled
each way (the case itself updated when the server's version is kept), audited; a
health worker is refused."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from medassist_desktop.core.security.accounts import Role
from medassist_desktop.core.security.errors import PermissionDenied
from medassist_desktop.core.security.sessions import Session
from medassist_desktop.core.sync.conflicts import Keep
from medassist_desktop.core.sync.engine import SyncState
from medassist_desktop.core.sync.shared import CASE, doc_id
from medassist_desktop.services.cases import CaseService
from medassist_desktop.services.security import SecurityServices
from medassist_desktop.services.sync_conflicts import RESOLVE_ACTION, SyncConflictService
from tests.integration.sync.conftest import make_engine
from tests.servers import PouchServer
from tests.support.keyrings import MemoryKeyring
from tests.support.security import FakeClock, open_services

pytestmark = pytest.mark.timeout(120)

CLINIC = "kh-01"
ADMIN_PW = "admin-password-1"
CHILD: dict[str, Any] = {"name": "Sok Dara", "age_months": 30, "sex": "male"}


@pytest.fixture
def services(tmp_path: Path) -> Iterator[SecurityServices]:
    opened = open_services(tmp_path / "data", MemoryKeyring(), clock=FakeClock(), CLINIC_ID=CLINIC)
    opened.accounts.create_first_admin("admin", ADMIN_PW)
    yield opened
    opened.close()


@pytest.fixture
def admin(services: SecurityServices) -> Session:
    return services.accounts.login("admin", ADMIN_PW)


@pytest.fixture
def cases(services: SecurityServices) -> CaseService:
    return CaseService(
        services.db, services.account_store, services.audit_log, clinic_id=CLINIC, clock=FakeClock()
    )


def conflict_service(
    services: SecurityServices, cases: CaseService, pouch: PouchServer, db_name: str
) -> SyncConflictService:
    return SyncConflictService(
        services,
        lambda: pytest.fail("the engine comes from the factory"),
        cases,
        engine_factory=lambda: make_engine(pouch.url, db_name, services.db),
    )


def conflicting_case(
    services: SecurityServices,
    cases: CaseService,
    admin: Session,
    pouch: PouchServer,
    db_name: str,
) -> tuple[int, str]:
    """A case synced, edited on the server (age 36) and here (age 31), synced again."""
    engine = make_engine(pouch.url, db_name, services.db)
    case = cases.create_case(admin, CHILD)
    assert engine.run_once().state is SyncState.IDLE
    shared_id = doc_id(CASE, CLINIC, case.uid)
    on_server = pouch.get(db_name, shared_id)
    on_server["details"]["age_months"] = 36
    on_server["details"]["notes"] = "weighed again at the district hospital"
    pouch.put(db_name, on_server)
    cases.update_case(admin, case.id, {**CHILD, "age_months": 31})
    report = engine.run_once()
    assert (report.state, report.conflicts) == (SyncState.IDLE, 1), report.reason
    return case.id, shared_id


def resolve_entries(services: SecurityServices) -> list[tuple[str, str, dict[str, Any]]]:
    rows = services.db.query_all(
        "SELECT resource, outcome, details FROM audit_log WHERE action = ? ORDER BY id",
        (RESOLVE_ACTION,),
    )
    return [(str(r[0]), str(r[1]), json.loads(r[2])) for r in rows]


def test_listed_with_both_versions_and_kept_here(
    services: SecurityServices,
    cases: CaseService,
    admin: Session,
    pouch: PouchServer,
    db_name: str,
) -> None:
    case_id, shared_id = conflicting_case(services, cases, admin, pouch, db_name)
    service = conflict_service(services, cases, pouch, db_name)
    [conflict] = service.list(admin)
    assert conflict.doc_id == shared_id
    fields = {pair.name: (pair.local, pair.server) for pair in conflict.fields() if pair.differs}
    assert fields["details.age_months"] == ("31", "36")
    assert fields["details.notes"] == (None, "weighed again at the district hospital")

    resolution = service.resolve(admin, shared_id, Keep.LOCAL)
    assert resolution.keep is Keep.LOCAL
    assert pouch.get(db_name, shared_id)["details"]["age_months"] == 31
    assert cases.get_case(admin, case_id).age_months == 31
    assert service.list(admin) == []
    [(resource, outcome, details)] = resolve_entries(services)
    assert (resource, outcome, details["keep"]) == (shared_id, "success", "local")
    assert details["remote_rev"] == conflict.remote_rev
    assert services.audit_log.verify().ok


def test_keeping_the_servers_version_updates_the_case_here_and_there(
    services: SecurityServices,
    cases: CaseService,
    admin: Session,
    pouch: PouchServer,
    db_name: str,
) -> None:
    case_id, shared_id = conflicting_case(services, cases, admin, pouch, db_name)
    service = conflict_service(services, cases, pouch, db_name)
    resolution = service.resolve(admin, shared_id, Keep.SERVER)
    kept = cases.get_case(admin, case_id)
    assert (kept.age_months, kept.notes) == (36, "weighed again at the district hospital")
    # The new revision here descends from the server's: one sync, one branch, no conflict.
    report = make_engine(pouch.url, db_name, services.db).run_once()
    assert (report.state, report.conflicts) == (SyncState.IDLE, 0)
    on_server = pouch.get(db_name, shared_id)
    assert on_server["_rev"] == resolution.head_rev
    assert on_server["details"]["age_months"] == 36
    assert "_conflicts" not in pouch.client().get(f"/{db_name}/{shared_id}?conflicts=true").json()
    [(_resource, outcome, details)] = resolve_entries(services)
    assert (outcome, details["keep"]) == ("success", "server")


def test_a_health_worker_may_not_see_or_settle_conflicts(
    services: SecurityServices,
    cases: CaseService,
    admin: Session,
    pouch: PouchServer,
    db_name: str,
) -> None:
    _case_id, shared_id = conflicting_case(services, cases, admin, pouch, db_name)
    services.accounts.add_user(admin, "hoa", "482913", Role.HEALTH_WORKER)
    worker = services.accounts.login("hoa", "482913")
    service = conflict_service(services, cases, pouch, db_name)
    with pytest.raises(PermissionDenied):
        service.list(worker)
    with pytest.raises(PermissionDenied):
        service.resolve(worker, shared_id, Keep.SERVER)
    assert len(service.list(admin)) == 1


def test_the_server_gone_leaves_the_conflict_open_and_audits_the_failure(
    services: SecurityServices,
    cases: CaseService,
    admin: Session,
    pouch: PouchServer,
    db_name: str,
) -> None:
    _case_id, shared_id = conflicting_case(services, cases, admin, pouch, db_name)
    service = SyncConflictService(
        services,
        lambda: pytest.fail("the engine comes from the factory"),
        cases,
        engine_factory=lambda: make_engine("http://127.0.0.1:9", db_name, services.db),
    )
    with pytest.raises(Exception, match="not reachable"):
        service.resolve(admin, shared_id, Keep.LOCAL)
    assert len(service.list(admin)) == 1
    [(_resource, outcome, _details)] = resolve_entries(services)
    assert outcome == "failure"
