"""Roles and sessions enforced in the services, with the real database and keyring flow."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from medassist_desktop.core.security.accounts import Role
from medassist_desktop.core.security.errors import (
    AuthError,
    InvalidCredentialError,
    PermissionDenied,
    SessionLockedError,
)
from medassist_desktop.logging_setup import REDACTED, Redactor
from medassist_desktop.services.security import SecurityServices
from tests.support.keyrings import MemoryKeyring
from tests.support.security import FakeClock, open_services

ADMIN_PW = "admin-password-1"
WORKER_PW = "482913"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def services(tmp_path: Path, clock: FakeClock) -> Iterator[SecurityServices]:
    opened = open_services(
        tmp_path / "data", MemoryKeyring(), clock=clock, SESSION_TIMEOUT_MINUTES="10"
    )
    opened.accounts.create_first_admin("admin", ADMIN_PW, "Dr. Admin")
    yield opened
    opened.close()


def test_first_admin_only_once(services: SecurityServices) -> None:
    assert not services.accounts.needs_setup()
    with pytest.raises(PermissionDenied, match="already set up"):
        services.accounts.create_first_admin("second", ADMIN_PW)


def test_a_health_worker_cannot_call_admin_operations(services: SecurityServices) -> None:
    admin = services.accounts.login("admin", ADMIN_PW)
    services.accounts.add_user(admin, "hoa", WORKER_PW, Role.HEALTH_WORKER)
    worker = services.accounts.login("hoa", WORKER_PW)
    calls = [
        lambda: services.accounts.add_user(worker, "evil", "evil-password", Role.ADMIN),
        lambda: services.accounts.list_users(worker),
        lambda: services.accounts.disable_user(worker, "admin"),
        lambda: services.accounts.reset_password(worker, "admin", "taken-over-1"),
        lambda: services.audit.verify(worker),
        lambda: services.audit.export(worker, io.StringIO()),
        lambda: services.rotate_database_key(worker),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied, match="Only a clinic admin"):
            call()
    denied = [e for e in services.audit_log.entries() if e.outcome == "denied"]
    assert len(denied) == len(calls) and {e.actor for e in denied} == {"hoa"}
    assert services.account_store.find("evil") is None
    assert services.audit_log.verify().ok


def test_sessions_lock_after_inactivity(services: SecurityServices, clock: FakeClock) -> None:
    admin = services.accounts.login("admin", ADMIN_PW)
    clock.advance(9 * 60)
    services.accounts.list_users(admin)  # activity resets the timer
    clock.advance(9 * 60)
    services.accounts.list_users(admin)
    clock.advance(10 * 60)
    with pytest.raises(SessionLockedError, match="locked"):
        services.accounts.list_users(admin)
    clock.advance(-60 * 60)  # coming back does not reopen it
    with pytest.raises(SessionLockedError):
        services.accounts.list_users(admin)
    with pytest.raises(AuthError):
        services.accounts.unlock(admin, "wrong-password")
    services.accounts.unlock(admin, ADMIN_PW)
    assert [u.username for u in services.accounts.list_users(admin)] == ["admin"]
    services.accounts.logout(admin)
    with pytest.raises(SessionLockedError, match="signed out"):
        services.accounts.list_users(admin)


def test_disabling_ends_open_sessions(services: SecurityServices) -> None:
    admin = services.accounts.login("admin", ADMIN_PW)
    services.accounts.add_user(admin, "lan", "lan-password-1", Role.ADMIN)
    lan = services.accounts.login("lan", "lan-password-1")
    services.accounts.disable_user(admin, "lan")
    with pytest.raises(SessionLockedError, match="disabled"):
        services.accounts.list_users(lan)
    with pytest.raises(InvalidCredentialError, match="own account"):
        services.accounts.disable_user(admin, "admin")
    services.accounts.enable_user(admin, "lan")
    lan = services.accounts.login("lan", "lan-password-1")
    services.accounts.disable_user(lan, "admin")
    with pytest.raises(SessionLockedError):
        services.accounts.list_users(admin)
    with pytest.raises(AuthError, match="disabled"):
        services.accounts.login("admin", ADMIN_PW)


def test_reset_password_and_change_own(services: SecurityServices) -> None:
    admin = services.accounts.login("admin", ADMIN_PW)
    services.accounts.add_user(admin, "hoa", WORKER_PW)
    user = services.accounts.reset_password(admin, "hoa", "temporary-1")
    assert user.must_change_password
    worker = services.accounts.login("hoa", "temporary-1")
    with pytest.raises(AuthError, match="current password"):
        services.accounts.change_own_password(worker, "wrong-one", "mine-now-22")
    services.accounts.change_own_password(worker, "temporary-1", "mine-now-22")
    assert not services.accounts.login("hoa", "mine-now-22").user.must_change_password


def test_rotating_the_database_key(tmp_path: Path, clock: FakeClock) -> None:
    backend = MemoryKeyring()
    redactor = Redactor()
    services = open_services(tmp_path / "data", backend, clock=clock, redactor=redactor)
    services.accounts.create_first_admin("admin", ADMIN_PW)
    old = backend.entries[("MedAssist/unconfigured-clinic", "database-key")]
    services.rotate_database_key(services.accounts.login("admin", ADMIN_PW))
    services.close()
    new = backend.entries[("MedAssist/unconfigured-clinic", "database-key")]
    assert new != old
    assert redactor.redact_text(f"{old} {new}") == f"{REDACTED} {REDACTED}"
    assert ("MedAssist/unconfigured-clinic", "database-key-next") not in backend.entries
    reopened = open_services(tmp_path / "data", backend, create=False, clock=clock)
    assert reopened.audit_log.verify().ok
    reopened.close()


def test_an_interrupted_rotation_is_finished_on_open(tmp_path: Path, clock: FakeClock) -> None:
    backend = MemoryKeyring()
    services = open_services(tmp_path / "data", backend, clock=clock)
    service = "MedAssist/unconfigured-clinic"
    pending = bytes(range(32))
    backend.set_password(service, "database-key-next", pending.hex())
    services.db.rekey(pending)  # crash here: the keyring still names the old key
    services.close()
    reopened = open_services(tmp_path / "data", backend, create=False, clock=clock)
    assert backend.entries[(service, "database-key")] == pending.hex()
    assert (service, "database-key-next") not in backend.entries
    reopened.close()


def test_an_admin_change_and_its_audit_entry_commit_together(
    services: SecurityServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the audit entry cannot be written, the change it records does not happen."""
    admin = services.accounts.login("admin", ADMIN_PW)
    services.accounts.add_user(admin, "hoa", WORKER_PW, Role.HEALTH_WORKER)
    real_append = services.audit_log.append

    def failing_append(user_id: int | None, action: str, *args: object, **kwargs: object) -> int:
        if action in ("user.disable", "user.reset_password", "user.create"):
            raise RuntimeError("disk full while writing the audit entry")
        return real_append(user_id, action, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(services.audit_log, "append", failing_append)
    for change in (
        lambda: services.accounts.disable_user(admin, "hoa"),
        lambda: services.accounts.reset_password(admin, "hoa", "taken-over-1"),
        lambda: services.accounts.add_user(admin, "ghost", "ghost-password-1"),
    ):
        with pytest.raises(RuntimeError, match="disk full"):
            change()
    user = services.account_store.get("hoa")
    assert user.active and not user.must_change_password
    assert services.account_store.find("ghost") is None
    monkeypatch.undo()
    assert services.accounts.login("hoa", WORKER_PW).user.username == "hoa"
    assert services.audit_log.verify().ok


def test_a_temporary_password_allows_nothing_but_changing_it(services: SecurityServices) -> None:
    admin = services.accounts.login("admin", ADMIN_PW)
    services.accounts.add_user(admin, "hoa", WORKER_PW, Role.HEALTH_WORKER)
    services.accounts.reset_password(admin, "hoa", "temporary-pw-1")
    worker = services.accounts.login("hoa", "temporary-pw-1")
    with pytest.raises(PermissionDenied, match="new password"):
        services.audit.verify(worker)
    services.accounts.change_own_password(worker, "temporary-pw-1", "my-own-password-2")
    with pytest.raises(PermissionDenied, match="Only a clinic admin"):
        services.audit.verify(worker)  # now the role decides, as for anyone
    actions = [(e.actor, e.action, e.outcome) for e in services.audit_log.entries()]
    assert ("hoa", "audit.verify", "denied") in actions
