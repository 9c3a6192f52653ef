"""The opportunistic schedule: a sync every few minutes and on "Sync now", off the GUI thread.

Qt-free: one daemon thread waiting on an Event, so the GUI (through a worker) or the
CLI only calls `sync_now()`, `stop()` or reads the last report. Settings decide:
- disabled: nothing runs, "Sync now" included;
- metered connection: the timer does not fire, only "Sync now" runs (the clinic pays
  per megabyte, so a person decides when).
A run that fails is logged and the schedule goes on; the run itself records state.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from loguru import logger

log = logger.bind(area="sync")

R = TypeVar("R")


class SyncScheduler(Generic[R]):
    """Calls `run()` every `interval_s` seconds and whenever `sync_now()` is called."""

    def __init__(
        self,
        run: Callable[[], R],
        *,
        interval_s: float,
        enabled: Callable[[], bool] = lambda: True,
        metered: Callable[[], bool] = lambda: False,
        on_result: Callable[[R], None] | None = None,
        first_run_delay_s: float | None = None,
    ) -> None:
        if interval_s <= 0:
            raise ValueError("interval_s must be positive")
        self._run = run
        self.interval_s = interval_s
        self._enabled = enabled
        self._metered = metered
        self._on_result = on_result
        self._first_delay = interval_s if first_run_delay_s is None else first_run_delay_s
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._now_requested = threading.Event()
        self._thread: threading.Thread | None = None
        self.runs = 0
        self.last_result: R | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def stop_event(self) -> threading.Event:
        """Set when stopping: pass `stop_event.wait` as a retry policy's sleep."""
        return self._stop

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="sync-scheduler", daemon=True)
        self._thread.start()

    def sync_now(self) -> None:
        """Ask for a run as soon as the current one (if any) ends."""
        self._now_requested.set()
        self._wake.set()

    def stop(self, timeout: float | None = 10.0) -> bool:
        """Stop the schedule; True if the thread ended within `timeout`."""
        self._stop.set()
        self._wake.set()
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _loop(self) -> None:
        delay = self._first_delay
        while not self._stop.is_set():
            self._wake.wait(timeout=delay)
            self._wake.clear()
            delay = self.interval_s
            if self._stop.is_set():
                break
            requested = self._now_requested.is_set()
            self._now_requested.clear()
            if not self._enabled():
                continue
            if self._metered() and not requested:
                log.debug("sync: metered connection, waiting for 'Sync now'")
                continue
            try:
                result = self._run()
            except Exception:
                log.exception("scheduled sync failed")
                continue
            self.runs += 1
            self.last_result = result
            if self._on_result is not None:
                try:
                    self._on_result(result)
                except Exception:
                    log.exception("sync result callback failed")
