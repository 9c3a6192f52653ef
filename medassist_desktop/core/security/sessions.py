"""A signed-in user's session: auto-lock after inactivity, and the role check.

The session is what the services receive with every call; they check it there
(not only in the UI), so a health worker's session cannot reach an admin
operation through any door. The clock is injectable so tests need not sleep.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from medassist_desktop.core.security.accounts import Role, User
from medassist_desktop.core.security.audit import Clock
from medassist_desktop.core.security.errors import PermissionDenied, SessionLockedError
from medassist_desktop.i18n.catalogue import N_


@dataclass
class Session:
    """One user's time at the keyboard. Locked after `timeout_s` without activity."""

    user: User
    timeout_s: float
    clock: Clock = time.monotonic  # idle time: immune to changes of the system clock
    started_at: float = field(default=0.0)
    last_activity: float = field(default=0.0)
    locked: bool = False
    closed: bool = False

    def __post_init__(self) -> None:
        now = self.clock()
        self.started_at = self.started_at or now
        self.last_activity = self.last_activity or now

    @property
    def user_id(self) -> int:
        return self.user.id

    @property
    def role(self) -> Role:
        return self.user.role

    def idle_seconds(self) -> float:
        return self.clock() - self.last_activity

    def check(self) -> None:
        """Raise when the session cannot be used: closed, locked, or idle for too long.

        Going idle locks it for good (until `unlock`): coming back does not reopen it.
        """
        if self.closed:
            raise SessionLockedError(N_("You have signed out."), hint=N_("Sign in again."))
        if not self.locked and self.idle_seconds() >= self.timeout_s:
            self.locked = True
        if self.locked:
            raise SessionLockedError(
                N_("The session is locked (no activity for a while)."),
                hint=N_("Enter your password to continue."),
            )

    def touch(self) -> None:
        """Record activity: call after every successful use."""
        self.check()
        self.last_activity = self.clock()

    def lock(self) -> None:
        self.locked = True

    def unlocked(self, user: User) -> None:
        """After the password was checked again (by the account service)."""
        if user.id != self.user.id:
            raise PermissionDenied(N_("Only the signed-in user can unlock this session."))
        self.user = user
        self.locked = False
        self.last_activity = self.clock()

    def has_role(self, role: Role) -> bool:
        return self.user.role is role
