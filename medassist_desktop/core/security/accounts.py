"""User accounts: Argon2id password hashes, roles, and lockout with growing periods.

Lockout: `max_login_attempts` wrong passwords in a row lock the account for
`LOCKOUT_BASE_S`, doubling with each further lockout (capped at a day) until a
successful sign-in. While locked, even the right password is refused; the state
lives in the database, so restarting the app does not reset it. Every attempt is
written to the audit chain in the same transaction as the counter.
"""

from __future__ import annotations

import re
import time
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import NoReturn

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from loguru import logger

from medassist_desktop.core.security.audit import AuditLog, Clock
from medassist_desktop.core.security.errors import (
    AccountDisabledError,
    AccountLockedError,
    AuthError,
    InvalidCredentialError,
    UserExistsError,
    UserNotFoundError,
)
from medassist_desktop.i18n.catalogue import N_
from medassist_desktop.storage.database import Connection, Database, Row

LOCKOUT_BASE_S = 5 * 60
LOCKOUT_MAX_S = 24 * 60 * 60
MIN_PASSWORD_LENGTH = 8
MIN_PIN_LENGTH = 6
MAX_PASSWORD_LENGTH = 1024
USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,31}$")
_log = logger.bind(area="security")


class Role(StrEnum):
    HEALTH_WORKER = "health_worker"
    ADMIN = "admin"


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    role: Role
    active: bool
    locked_until: float | None
    must_change_password: bool
    last_login_at: str | None

    @classmethod
    def from_row(cls, row: Row) -> User:
        return cls(
            id=int(row["id"]),
            username=str(row["username"]),
            display_name=str(row["display_name"]),
            role=Role(row["role"]),
            active=bool(row["active"]),
            locked_until=row["locked_until"],
            must_change_password=bool(row["must_change_password"]),
            last_login_at=row["last_login_at"],
        )


def check_username(username: str) -> str:
    if not USERNAME_PATTERN.fullmatch(username):
        raise InvalidCredentialError(
            N_("The username {username!r} is not allowed.", username=username),
            hint=N_("Use 2-32 letters, digits, '.', '_' or '-', starting with a letter or digit."),
        )
    return username


def check_password(password: str, *, username: str = "") -> None:
    """A PIN of at least 6 digits, or a password of at least 8 characters."""
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidCredentialError(N_("The password is too long (at most 1024 characters)."))
    if password.isdigit() and password.isascii():
        if len(password) < MIN_PIN_LENGTH:
            raise InvalidCredentialError(
                N_("A PIN needs at least {min_pin_length} digits.", min_pin_length=MIN_PIN_LENGTH)
            )
        if len(set(password)) == 1:
            raise InvalidCredentialError(N_("A PIN cannot be one digit repeated."))
        return
    if len(password) < MIN_PASSWORD_LENGTH or not password.strip():
        raise InvalidCredentialError(
            N_(
                "A password needs at least {min_password_length} characters (or use a "
                "PIN of at least {min_pin_length} digits).",
                min_password_length=MIN_PASSWORD_LENGTH,
                min_pin_length=MIN_PIN_LENGTH,
            )
        )
    if username and password.casefold() == username.casefold():
        raise InvalidCredentialError(N_("The password cannot be the username."))


def lockout_seconds(lockouts: int) -> float:
    """How long the n-th lockout in a row lasts: 5 min, 10, 20, ... at most a day."""
    return float(min(LOCKOUT_BASE_S * 2 ** max(lockouts - 1, 0), LOCKOUT_MAX_S))


def _iso(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).isoformat(timespec="seconds")


class AccountStore:
    """Users in the database. Authorization (who may call what) is the services' job."""

    def __init__(
        self,
        db: Database,
        audit: AuditLog,
        *,
        max_login_attempts: int = 5,
        hasher: PasswordHasher | None = None,
        clock: Clock = time.time,
    ) -> None:
        self._db = db
        self._audit = audit
        self._max_attempts = max_login_attempts
        self._hasher = hasher or PasswordHasher()
        self._clock = clock
        self._dummy_hash: str | None = None
        # user id -> when their lock ends on this run's monotonic clock (real time only: a
        # test's injected clock has no monotonic twin)
        self._monotonic_locks: dict[int, float] = {}
        self._monotonic: Clock | None = time.monotonic if clock is time.time else None

    def on_connection(self, db: Database, audit: AuditLog) -> AccountStore:
        """The same accounts read through another connection (work on a thread of its own,
        which checks sessions and roles like the window's thread does)."""
        twin = AccountStore(
            db,
            audit,
            max_login_attempts=self._max_attempts,
            hasher=self._hasher,
            clock=self._clock,
        )
        twin._monotonic_locks = self._monotonic_locks
        return twin

    def transaction(self) -> AbstractContextManager[Connection]:
        """One transaction for an account change and its audit entry (they commit together)."""
        return self._db.transaction()

    def count(self) -> int:
        return int(self._db.scalar("SELECT count(*) FROM users"))

    def find(self, username: str) -> User | None:
        row = self._db.query_one("SELECT * FROM users WHERE username = ?", (username,))
        return User.from_row(row) if row else None

    def get(self, username: str) -> User:
        user = self.find(username)
        if user is None:
            raise UserNotFoundError(N_("There is no user {username!r}.", username=username))
        return user

    def list(self) -> list[User]:
        return [User.from_row(r) for r in self._db.query_all("SELECT * FROM users ORDER BY id")]

    def create(self, username: str, password: str, role: Role, display_name: str = "") -> User:
        check_username(username)
        check_password(password, username=username)
        password_hash = self._hasher.hash(password)
        now = _iso(self._clock())
        with self._db.transaction() as conn:
            if conn.execute("SELECT 1 FROM users WHERE username = ?", (username,)).fetchone():
                raise UserExistsError(
                    N_("The username {username!r} is already taken.", username=username)
                )
            conn.execute(
                "INSERT INTO users (username, display_name, role, password_hash, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                (username, display_name, str(role), password_hash, now, now),
            )
        return self.get(username)

    def set_active(self, user_id: int, active: bool) -> None:
        self._db.execute(
            "UPDATE users SET active = ?, updated_at = ? WHERE id = ?",
            (int(active), _iso(self._clock()), user_id),
        )

    def set_password(self, user: User, password: str, *, must_change: bool) -> None:
        """New password; also clears any lockout (an admin reset is how a locked user gets in)."""
        check_password(password, username=user.username)
        password_hash = self._hasher.hash(password)
        self._monotonic_locks.pop(user.id, None)
        self._db.execute(
            "UPDATE users SET password_hash = ?, must_change_password = ?, failed_attempts = 0, "
            "lockouts = 0, locked_until = NULL, updated_at = ? WHERE id = ?",
            (password_hash, int(must_change), _iso(self._clock()), user.id),
        )

    def authenticate(self, username: str, password: str, *, ip_address: str | None = None) -> User:
        """The user, when the password is right and the account open; audited either way.

        The attempt is reserved (counted as a failure) in a `BEGIN IMMEDIATE` transaction
        before the slow password check, so parallel sign-ins cannot all slip past the
        limit while each one is being checked; the success transaction re-checks the lock.
        """
        now = self._clock()
        user, password_hash, attempt = self._reserve_attempt(username, password, now, ip_address)
        if not self._verify(password_hash, password):
            self._record_failure(user, attempt, self._clock(), ip_address)
        return self._record_success(user, password, password_hash, ip_address)

    def _reserve_attempt(
        self, username: str, password: str, now: float, ip_address: str | None
    ) -> tuple[User, str, int]:
        """Refuse a locked account, else count this attempt; returns its number in the row."""
        with self._db.transaction() as conn:
            row = self._db.query_one("SELECT * FROM users WHERE username = ?", (username,))
            if row is None:
                name_hash = self._audit.pseudonym(username)
                self._audit.log_auth_event(
                    None, "login", False, ip_address, username_hash=name_hash, reason="unknown user"
                )
            else:
                user = User.from_row(row)
                locked_until = self._lock_deadline(user, now)
                if locked_until is None and int(row["failed_attempts"]) >= self._max_attempts:
                    # Every allowed attempt is being checked right now: this one waits its turn.
                    locked_until = now + 1.0
                if locked_until is not None:
                    self._audit.log_auth_event(user.id, "login", False, ip_address, reason="locked")
                else:
                    attempt = int(
                        conn.execute(
                            "UPDATE users SET failed_attempts = failed_attempts + 1 WHERE id = ? "
                            "RETURNING failed_attempts",
                            (user.id,),
                        ).fetchone()[0]
                    )
                    return user, str(row["password_hash"]), attempt
        if row is None:
            self._burn_time(password)  # same cost as a real check: no username probing
            # Never the name itself: people type their password into the user box.
            _log.info("Sign-in refused: unknown user (name hash {})", name_hash)
            raise self._wrong()
        _log.info("Sign-in refused: {} is locked out", user.username)
        raise self._locked(locked_until or now, now)

    def _lock_deadline(self, user: User, now: float) -> float | None:
        """When the lock ends, or None: the stored time, held to this run's monotonic clock
        too, so winding the system clock forward does not open a locked account early."""
        if user.locked_until is not None and user.locked_until > now:
            if self._monotonic is not None:
                remaining = user.locked_until - now
                self._monotonic_locks.setdefault(user.id, self._monotonic() + remaining)
            return user.locked_until
        monotonic_end = self._monotonic_locks.get(user.id)
        if self._monotonic is not None and monotonic_end is not None and user.locked_until:
            remaining = monotonic_end - self._monotonic()
            if remaining > 0:
                return now + remaining
        self._monotonic_locks.pop(user.id, None)
        return None

    def _record_success(
        self, user: User, password: str, password_hash: str, ip_address: str | None
    ) -> User:
        now = self._clock()
        new_hash = (
            self._hasher.hash(password)
            if self._hasher.check_needs_rehash(password_hash)
            else password_hash
        )
        with self._db.transaction() as conn:
            row = self._db.query_one("SELECT * FROM users WHERE id = ?", (user.id,))
            if row is None:  # deleted meanwhile (users are never deleted today)
                raise self._wrong()
            current = User.from_row(row)
            locked_until = self._lock_deadline(current, now)
            if locked_until is not None:  # a parallel wrong attempt locked it meanwhile
                self._audit.log_auth_event(user.id, "login", False, ip_address, reason="locked")
            elif not current.active:
                conn.execute(
                    "UPDATE users SET failed_attempts = max(failed_attempts - 1, 0) WHERE id = ?",
                    (user.id,),
                )
                self._audit.log_auth_event(user.id, "login", False, ip_address, reason="disabled")
            else:
                conn.execute(
                    "UPDATE users SET failed_attempts = 0, lockouts = 0, locked_until = NULL, "
                    "last_login_at = ?, password_hash = ? WHERE id = ?",
                    (_iso(now), new_hash, user.id),
                )
                self._audit.log_auth_event(user.id, "login", True, ip_address)
        if locked_until is not None:
            _log.info("Sign-in refused: {} was locked out meanwhile", user.username)
            raise self._locked(locked_until, now)
        if not current.active:
            _log.info("Sign-in refused: {} is disabled", user.username)
            raise AccountDisabledError(
                N_("This account is disabled."), hint=N_("Ask a clinic admin to enable it.")
            )
        _log.info("{} signed in", user.username)
        return self.get(user.username)

    def _record_failure(
        self, user: User, attempt: int, now: float, ip_address: str | None
    ) -> NoReturn:
        """The attempt was already counted; lock when it was the last one allowed."""
        locked_until = None
        with self._db.transaction() as conn:
            self._audit.log_auth_event(user.id, "login", False, ip_address, reason="password")
            if attempt >= self._max_attempts:
                lockouts = int(
                    conn.execute(
                        "UPDATE users SET failed_attempts = 0, lockouts = lockouts + 1 "
                        "WHERE id = ? RETURNING lockouts",
                        (user.id,),
                    ).fetchone()[0]
                )
                locked_until = now + lockout_seconds(lockouts)
                conn.execute(
                    "UPDATE users SET locked_until = ? WHERE id = ?", (locked_until, user.id)
                )
                if self._monotonic is not None:
                    self._monotonic_locks[user.id] = self._monotonic() + lockout_seconds(lockouts)
                self._audit.log_auth_event(
                    user.id,
                    "lockout",
                    True,
                    ip_address,
                    failed_attempts=attempt,
                    until=_iso(locked_until),
                )
        if locked_until is not None:
            _log.warning("{} locked out after {} wrong passwords", user.username, attempt)
            raise self._locked(locked_until, now)
        _log.info("Sign-in refused: wrong password for {} ({} in a row)", user.username, attempt)
        raise self._wrong()

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return bool(self._hasher.verify(password_hash, password))
        except (VerificationError, InvalidHashError):
            return False

    def _burn_time(self, password: str) -> None:
        if self._dummy_hash is None:
            self._dummy_hash = self._hasher.hash("medassist-no-such-user")
        self._verify(self._dummy_hash, password)

    @staticmethod
    def _wrong() -> AuthError:
        return AuthError(N_("Wrong username or password."))

    @staticmethod
    def _locked(until: float, now: float) -> AccountLockedError:
        minutes = max(1, round((until - now) / 60))
        return AccountLockedError(
            N_(
                "Too many wrong passwords: this account is locked for {minutes} more minute(s).",
                minutes=minutes,
            ),
            locked_until=until,
            hint=N_("Wait, or ask a clinic admin to reset the password."),
        )
