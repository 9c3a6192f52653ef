"""A thread-safe circuit breaker: CLOSED -> OPEN -> HALF_OPEN -> CLOSED.

After `failure_threshold` consecutive failures the circuit opens: calls are refused at
once (no network wait) for `recovery_timeout` seconds. Then one trial call is let
through (HALF_OPEN); its success closes the circuit, its failure opens it again.

Why not pybreaker (checked, 1.4.1): its `call` holds the breaker's lock for the whole
guarded call, so a 30-second HTTP request or a streamed answer would block every
other thread that asks the breaker anything, the GUI's status reads included; its
clock is the wall clock (`datetime.now`), which jumps when a clinic PC that was
offline for days syncs its time, and cannot be injected in tests; and a streamed
answer needs success/failure reported after the call returns. This breaker holds its
lock only to read and change its state, uses an injectable monotonic clock, and
exposes `before_call` / `record_success` / `record_failure` beside `call`.

Only failures that say something about the remote side count (`is_failure`, by
default the transient ones: network errors, timeouts, 5xx, 429); a 4xx answer means
the server is up and answering, so it neither counts nor resets the count.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from loguru import logger

from medassist_desktop.core.sync.resilience import is_transient
from medassist_desktop.errors import KnownError
from medassist_desktop.i18n.catalogue import N_

T = TypeVar("T")

log = logger.bind(area="sync")


class CircuitState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitOpenError(KnownError):
    """Refused without trying: the remote side failed repeatedly and is resting."""

    def __init__(self, name: str, retry_in: float) -> None:
        super().__init__(
            N_(
                "{name}: paused after repeated failures; the next try is in {seconds:.0f} s.",
                name=name,
                seconds=max(retry_in, 0),
            )
        )
        self.name = name
        self.retry_in = retry_in


@dataclass(frozen=True)
class BreakerSnapshot:
    """What a status screen shows about a breaker."""

    name: str
    state: CircuitState
    consecutive_failures: int
    retry_in: float | None  # seconds until a trial call is allowed, when open
    last_failure: str | None


StateListener = Callable[[CircuitState, CircuitState], None]


class CircuitBreaker:
    """Guards calls to one remote service. Safe to share between threads."""

    def __init__(
        self,
        name: str,
        *,
        failure_threshold: int = 5,
        recovery_timeout: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        is_failure: Callable[[BaseException], bool] = is_transient,
    ) -> None:
        if failure_threshold < 1 or recovery_timeout < 0:
            raise ValueError("failure_threshold must be >= 1 and recovery_timeout >= 0")
        self.name = name
        self.failure_threshold = failure_threshold
        self.recovery_timeout = recovery_timeout
        self._clock = clock
        self._is_failure = is_failure
        self._lock = threading.Lock()
        self._state = CircuitState.CLOSED
        self._failures = 0
        self._opened_at = 0.0
        self._trial_in_flight = False
        self._trial_started_at = 0.0
        self._last_failure: str | None = None
        self._listeners: list[StateListener] = []

    # --- reading -----------------------------------------------------------------------

    @property
    def state(self) -> CircuitState:
        """The state as a caller would meet it now (OPEN turns HALF_OPEN once rested)."""
        with self._lock:
            return self._effective_state()

    def snapshot(self) -> BreakerSnapshot:
        with self._lock:
            state = self._effective_state()
            retry_in = (
                self._opened_at + self.recovery_timeout - self._clock()
                if state is CircuitState.OPEN
                else None
            )
            return BreakerSnapshot(
                name=self.name,
                state=state,
                consecutive_failures=self._failures,
                retry_in=retry_in,
                last_failure=self._last_failure,
            )

    def add_listener(self, listener: StateListener) -> Callable[[], None]:
        """Call `listener(old, new)` on each state change; returns a function that removes it.

        Listeners run on the thread that caused the change, after the lock is released.
        """
        with self._lock:
            self._listeners.append(listener)

        def remove() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return remove

    # --- guarding ------------------------------------------------------------------------

    def before_call(self) -> None:
        """Raise `CircuitOpenError` unless a call may go out now.

        In HALF_OPEN exactly one trial call is admitted; the others are refused until
        its outcome is recorded (or, should a caller never report it, until another
        `recovery_timeout` has passed).
        """
        change: tuple[CircuitState, CircuitState] | None = None
        with self._lock:
            state = self._effective_state()
            now = self._clock()
            trial_busy = (
                self._trial_in_flight and now - self._trial_started_at < self.recovery_timeout
            )
            if state is CircuitState.OPEN or (state is CircuitState.HALF_OPEN and trial_busy):
                retry_in = (
                    self._opened_at + self.recovery_timeout - now
                    if state is CircuitState.OPEN
                    else self._trial_started_at + self.recovery_timeout - now
                )
                raise CircuitOpenError(self.name, retry_in)
            if state is CircuitState.HALF_OPEN:
                self._trial_in_flight = True
                self._trial_started_at = now
                if self._state is not CircuitState.HALF_OPEN:
                    change = (self._state, CircuitState.HALF_OPEN)
                    self._state = CircuitState.HALF_OPEN
        self._notify(change)

    def record_success(self) -> None:
        change: tuple[CircuitState, CircuitState] | None = None
        with self._lock:
            self._failures = 0
            self._trial_in_flight = False
            if self._state is not CircuitState.CLOSED:
                change = (self._state, CircuitState.CLOSED)
                self._state = CircuitState.CLOSED
        self._notify(change)

    def record_failure(self, exc: BaseException) -> None:
        """Count `exc` if it says the remote side is failing; otherwise only end a trial."""
        counts = self._is_failure(exc)
        change: tuple[CircuitState, CircuitState] | None = None
        with self._lock:
            was_trial = self._trial_in_flight
            self._trial_in_flight = False
            if not counts:
                return
            self._failures += 1
            self._last_failure = f"{type(exc).__name__}: {exc}"
            if was_trial or self._failures >= self.failure_threshold:
                self._opened_at = self._clock()
                if self._state is not CircuitState.OPEN:
                    change = (self._state, CircuitState.OPEN)
                    self._state = CircuitState.OPEN
        self._notify(change)

    def call(self, fn: Callable[[], T]) -> T:
        """Run `fn` through the breaker. The lock is not held while `fn` runs."""
        self.before_call()
        try:
            result = fn()
        except BaseException as exc:
            self.record_failure(exc)
            raise
        self.record_success()
        return result

    def reset(self) -> None:
        """Close the circuit (an admin's "try now"); the next call goes out."""
        self.record_success()

    # --- internals -----------------------------------------------------------------------

    def _effective_state(self) -> CircuitState:
        if (
            self._state is CircuitState.OPEN
            and self._clock() - self._opened_at >= self.recovery_timeout
        ):
            return CircuitState.HALF_OPEN
        return self._state

    def _notify(self, change: tuple[CircuitState, CircuitState] | None) -> None:
        if change is None:
            return
        old, new = change
        log.info("circuit {name}: {old} -> {new}", name=self.name, old=old, new=new)
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(old, new)
            except Exception:
                log.exception("circuit listener failed")
