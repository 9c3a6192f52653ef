"""The Qt-free sync schedule: interval, "Sync now", disabled, metered, stop."""

from __future__ import annotations

import threading
import time

from medassist_desktop.core.sync.scheduler import SyncScheduler


class Recorder:
    def __init__(self) -> None:
        self.calls = 0
        self.ran = threading.Event()

    def __call__(self) -> int:
        self.calls += 1
        self.ran.set()
        return self.calls


def test_runs_on_the_interval_and_stops_promptly() -> None:
    run = Recorder()
    results: list[int] = []
    scheduler = SyncScheduler(run, interval_s=0.05, first_run_delay_s=0, on_result=results.append)
    scheduler.start()
    deadline = time.monotonic() + 5
    while run.calls < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.monotonic()
    assert scheduler.stop(timeout=2)
    assert time.monotonic() - started < 1
    assert run.calls >= 3
    assert results[:3] == [1, 2, 3]
    assert scheduler.last_result == results[-1]


def test_sync_now_runs_at_once_despite_a_long_interval() -> None:
    run = Recorder()
    scheduler = SyncScheduler(run, interval_s=3600)
    scheduler.start()
    try:
        time.sleep(0.05)
        assert run.calls == 0
        scheduler.sync_now()
        assert run.ran.wait(2)
        assert run.calls == 1
    finally:
        scheduler.stop()


def test_disabled_runs_nothing_not_even_sync_now() -> None:
    run = Recorder()
    scheduler = SyncScheduler(run, interval_s=0.02, first_run_delay_s=0, enabled=lambda: False)
    scheduler.start()
    scheduler.sync_now()
    time.sleep(0.2)
    scheduler.stop()
    assert run.calls == 0


def test_metered_runs_only_on_sync_now() -> None:
    run = Recorder()
    scheduler = SyncScheduler(run, interval_s=0.02, first_run_delay_s=0, metered=lambda: True)
    scheduler.start()
    try:
        time.sleep(0.2)
        assert run.calls == 0
        scheduler.sync_now()
        assert run.ran.wait(2)
        time.sleep(0.1)
        assert run.calls == 1
    finally:
        scheduler.stop()


def test_a_failing_run_does_not_stop_the_schedule() -> None:
    calls: list[int] = []

    def flaky() -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("bug in one run")

    scheduler = SyncScheduler(flaky, interval_s=0.02, first_run_delay_s=0)
    scheduler.start()
    deadline = time.monotonic() + 5
    while len(calls) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    scheduler.stop()
    assert len(calls) >= 3
    assert not scheduler.running
