"""Accounts on a real database: hashing, password rules, lockout with growing periods."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from medassist_desktop.core.security.accounts import (
    LOCKOUT_BASE_S,
    AccountStore,
    Role,
    check_password,
    lockout_seconds,
)
from medassist_desktop.core.security.audit import AuditLog
from medassist_desktop.core.security.errors import (
    AccountDisabledError,
    AccountLockedError,
    AuthError,
    InvalidCredentialError,
    UserExistsError,
)
from medassist_desktop.storage.database import Database
from medassist_desktop.storage.migrations import migrate
from medassist_desktop.storage.schema import ALL_MIGRATIONS
from tests.support.security import FakeClock, cheap_hasher

KEY = secrets.token_bytes(32)
RIGHT = "right-password-1"


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database.open(tmp_path / "a.db", KEY, create=True)
    migrate(database, ALL_MIGRATIONS)
    yield database
    database.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def audit(db: Database, clock: FakeClock) -> AuditLog:
    log = AuditLog(db, secrets.token_bytes(32), clock=clock)
    log.write_genesis()  # as `open_security` does for a new database
    return log


@pytest.fixture
def store(db: Database, audit: AuditLog, clock: FakeClock) -> AccountStore:
    accounts = AccountStore(db, audit, max_login_attempts=5, hasher=cheap_hasher(), clock=clock)
    accounts.create("hoa", RIGHT, Role.HEALTH_WORKER, "Hoa")
    return accounts


def test_passwords_are_stored_as_argon2id_hashes(store: AccountStore, db: Database) -> None:
    stored = db.scalar("SELECT password_hash FROM users WHERE username = 'hoa'")
    assert stored.startswith("$argon2id$") and RIGHT not in stored
    assert store.authenticate("HOA", RIGHT).username == "hoa"  # usernames ignore case


def test_real_default_argon2_parameters(db: Database, audit: AuditLog) -> None:
    accounts = AccountStore(db, audit)  # production defaults
    accounts.create("admin1", "Str0ng-enough", Role.ADMIN)
    stored = db.scalar("SELECT password_hash FROM users WHERE username = 'admin1'")
    defaults = PasswordHasher()
    assert f"m={defaults.memory_cost},t={defaults.time_cost},p={defaults.parallelism}" in stored
    assert accounts.authenticate("admin1", "Str0ng-enough").role is Role.ADMIN
    with pytest.raises(AuthError):
        accounts.authenticate("admin1", "Str0ng-enougH")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("12345", "at least 6 digits"),
        ("111111", "one digit repeated"),
        ("short1", "at least 8 characters"),
        ("        ", "at least 8 characters"),
        ("x" * 1025, "too long"),
    ],
)
def test_password_rules(password: str, message: str) -> None:
    with pytest.raises(InvalidCredentialError, match=message):
        check_password(password)


def test_pins_and_passwords_that_pass() -> None:
    check_password("482913")
    check_password("eight ch")
    with pytest.raises(InvalidCredentialError, match="cannot be the username"):
        check_password("nguyenvan", username="NguyenVan")


def test_bad_usernames_and_duplicates(store: AccountStore) -> None:
    for bad in ("", "a", "-lead", "has space", "x" * 33, "o'brien"):
        with pytest.raises(InvalidCredentialError):
            store.create(bad, RIGHT, Role.HEALTH_WORKER)
    with pytest.raises(UserExistsError):
        store.create("Hoa", RIGHT, Role.ADMIN)


def test_unknown_user_and_wrong_password_read_the_same(store: AccountStore) -> None:
    with pytest.raises(AuthError) as unknown:
        store.authenticate("nobody", RIGHT)
    with pytest.raises(AuthError) as wrong:
        store.authenticate("hoa", "wrong-password")
    assert str(unknown.value) == str(wrong.value) == "Wrong username or password."


def test_sixth_attempt_is_refused_even_with_the_right_password(
    store: AccountStore, clock: FakeClock, audit: AuditLog
) -> None:
    for _ in range(4):
        with pytest.raises(AuthError) as caught:
            store.authenticate("hoa", "wrong-password")
        assert not isinstance(caught.value, AccountLockedError)
    with pytest.raises(AccountLockedError, match="locked for 5 more minute"):
        store.authenticate("hoa", "wrong-password")  # the 5th locks
    with pytest.raises(AccountLockedError):
        store.authenticate("hoa", RIGHT)  # the 6th, right, is refused
    clock.advance(LOCKOUT_BASE_S - 1)
    with pytest.raises(AccountLockedError):
        store.authenticate("hoa", RIGHT)
    clock.advance(1)
    assert store.authenticate("hoa", RIGHT).locked_until is None
    actions = [(e.action, e.outcome, e.details) for e in audit.entries()]
    assert sum(a == "auth.lockout" for a, _, _ in actions) == 1
    assert sum('"reason": "locked"' in d for _, _, d in actions) == 2
    assert actions[-1][:2] == ("auth.login", "success")
    assert audit.verify().ok


def test_lockouts_grow_until_a_success(store: AccountStore, clock: FakeClock) -> None:
    assert [lockout_seconds(n) for n in (1, 2, 3)] == [300, 600, 1200]
    assert lockout_seconds(30) == 24 * 3600
    for expected in (300, 600, 1200):
        for _ in range(5):
            with pytest.raises(AuthError):
                store.authenticate("hoa", "wrong-password")
        user = store.get("hoa")
        assert user.locked_until == pytest.approx(clock.now + expected)
        clock.advance(expected)
    store.authenticate("hoa", RIGHT)
    for _ in range(5):
        with pytest.raises(AuthError):
            store.authenticate("hoa", "wrong-password")
    assert store.get("hoa").locked_until == pytest.approx(clock.now + 300)  # back to the start


def test_lockout_survives_a_restart(
    store: AccountStore, db: Database, audit: AuditLog, clock: FakeClock
) -> None:
    for _ in range(5):
        with pytest.raises(AuthError):
            store.authenticate("hoa", "wrong-password")
    fresh = AccountStore(db, audit, hasher=cheap_hasher(), clock=clock)
    with pytest.raises(AccountLockedError):
        fresh.authenticate("hoa", RIGHT)


def test_reset_clears_the_lockout_and_disabled_accounts_are_refused(store: AccountStore) -> None:
    for _ in range(5):
        with pytest.raises(AuthError):
            store.authenticate("hoa", "wrong-password")
    user = store.get("hoa")
    store.set_password(user, "new-password-2", must_change=True)
    assert store.authenticate("hoa", "new-password-2").must_change_password
    store.set_active(user.id, False)
    with pytest.raises(AccountDisabledError):
        store.authenticate("hoa", "new-password-2")


def test_weak_hashes_are_upgraded_on_sign_in(
    db: Database, audit: AuditLog, store: AccountStore, clock: FakeClock
) -> None:
    before = db.scalar("SELECT password_hash FROM users WHERE username = 'hoa'")
    stronger = AccountStore(
        db, audit, hasher=PasswordHasher(time_cost=2, memory_cost=16, parallelism=1), clock=clock
    )
    stronger.authenticate("hoa", RIGHT)
    after = db.scalar("SELECT password_hash FROM users WHERE username = 'hoa'")
    assert before != after and "t=2" in after
