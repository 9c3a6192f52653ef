"""Which capabilities are degraded right now, and why: what the UI's status bar reads.

Each capability has a fallback (cloud inference -> the local model, cloud sync ->
work offline and keep changes in the outbox, ...), so being degraded is a state to
show, not an error to raise. One registry lives in the `AppContext`; the parts that
notice trouble mark it, and listeners (the Qt bridge in `workers/`) are told of
every change. Thread-safe: marks come from worker threads.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from loguru import logger

from medassist_desktop.errors import KnownError

log = logger.bind(area="health")

# Capability names used across the app.
CLOUD_SYNC = "cloud_sync"
CLOUD_INFERENCE = "cloud_inference"
LOCAL_MODEL = "local_model"  # fallback: answers from the triage rules and quoted passages
EMBEDDINGS = "embeddings"  # fallback: keyword routing and keyword search
BACKUP = "backup"  # the daily automatic backup failed: records are only on this disk
MONITORING = "monitoring"  # /metrics and /health could not be served
# The sync server's copy of the audit entries differs from the local chain (an entry
# missing or changed on one side): the trail here may have been cut or rewritten.
AUDIT = "audit"


@dataclass(frozen=True)
class Degradation:
    """One degraded capability: a reason a person can read, and since when (epoch seconds)."""

    capability: str
    reason: str
    since: float
    error_type: str | None = None

    def as_dict(self) -> dict[str, str | float | None]:
        return {
            "capability": self.capability,
            "reason": self.reason,
            "since": self.since,
            "error_type": self.error_type,
        }


# listener(capability, degradation or None when healthy again)
DegradationListener = Callable[[str, Degradation | None], None]


def describe_reason(cause: BaseException | str) -> str:
    """A person-readable reason: a KnownError's message, else the exception's type and text."""
    if isinstance(cause, str):
        return cause
    if isinstance(cause, KnownError):
        return cause.message
    text = str(cause)
    return f"{type(cause).__name__}: {text}" if text else type(cause).__name__


class DegradationRegistry:
    """Degraded capabilities and their reasons. Listeners are told of changes only."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        # Held across a change and its notification, so listeners see changes in order.
        self._change_lock = threading.RLock()
        self._degraded: dict[str, Degradation] = {}
        self._listeners: list[DegradationListener] = []

    def mark_degraded(self, capability: str, cause: BaseException | str) -> Degradation:
        """Record that `capability` runs on its fallback because of `cause`.

        Marking again with the same reason keeps the original `since` and tells nobody;
        a new reason is a change.
        """
        reason = describe_reason(cause)
        error_type = None if isinstance(cause, str) else type(cause).__name__
        with self._change_lock:
            with self._lock:
                current = self._degraded.get(capability)
                if current is not None and current.reason == reason:
                    return current
                entry = Degradation(
                    capability=capability,
                    reason=reason,
                    since=current.since if current is not None else self._clock(),
                    error_type=error_type,
                )
                self._degraded[capability] = entry
            log.warning("{capability} degraded: {reason}", capability=capability, reason=reason)
            self._notify(capability, entry)
        return entry

    def mark_healthy(self, capability: str) -> None:
        with self._change_lock:
            with self._lock:
                removed = self._degraded.pop(capability, None)
            if removed is not None:
                log.info("{capability} healthy again", capability=capability)
                self._notify(capability, None)

    def is_degraded(self, capability: str) -> bool:
        with self._lock:
            return capability in self._degraded

    def get(self, capability: str) -> Degradation | None:
        with self._lock:
            return self._degraded.get(capability)

    def snapshot(self) -> dict[str, Degradation]:
        """A copy the UI can read at leisure."""
        with self._lock:
            return dict(self._degraded)

    def add_listener(self, listener: DegradationListener) -> Callable[[], None]:
        """Call `listener` on each change (on the marking thread); returns a remover."""
        with self._lock:
            self._listeners.append(listener)

        def remove() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return remove

    def _notify(self, capability: str, entry: Degradation | None) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(capability, entry)
            except Exception:
                log.exception("degradation listener failed")
