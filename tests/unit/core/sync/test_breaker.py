"""The circuit breaker: CLOSED -> OPEN -> HALF_OPEN -> CLOSED, with an injected clock."""

from __future__ import annotations

import contextlib
import threading
import time

import httpx
import pytest

from medassist_desktop.core.sync.breaker import CircuitBreaker, CircuitOpenError, CircuitState


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def failing() -> None:
    raise httpx.ConnectError("down")


def fail_times(breaker: CircuitBreaker, n: int) -> None:
    for _ in range(n):
        with pytest.raises(httpx.ConnectError):
            breaker.call(failing)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def test_defaults() -> None:
    breaker = CircuitBreaker("sync")
    assert (breaker.failure_threshold, breaker.recovery_timeout) == (5, 60.0)
    assert breaker.state is CircuitState.CLOSED


def test_opens_after_threshold_and_rejects_fast(clock: FakeClock) -> None:
    breaker = CircuitBreaker("sync", failure_threshold=5, recovery_timeout=60, clock=clock)
    fail_times(breaker, 4)
    assert breaker.state is CircuitState.CLOSED
    fail_times(breaker, 1)
    assert breaker.state is CircuitState.OPEN

    calls: list[int] = []
    started = time.perf_counter()
    with pytest.raises(CircuitOpenError) as info:
        breaker.call(lambda: calls.append(1))
    assert time.perf_counter() - started < 0.01
    assert calls == [], "an open circuit must not call through"
    assert info.value.retry_in == pytest.approx(60)
    clock.now += 59.9
    with pytest.raises(CircuitOpenError):
        breaker.call(lambda: calls.append(1))
    assert calls == []


def test_half_opens_after_recovery_timeout_and_closes_on_success(clock: FakeClock) -> None:
    breaker = CircuitBreaker("sync", failure_threshold=2, recovery_timeout=60, clock=clock)
    fail_times(breaker, 2)
    clock.now += 60
    assert breaker.state is CircuitState.HALF_OPEN
    assert breaker.call(lambda: "pong") == "pong"
    assert breaker.state is CircuitState.CLOSED
    assert breaker.snapshot().consecutive_failures == 0


def test_failed_trial_reopens_for_a_full_timeout(clock: FakeClock) -> None:
    breaker = CircuitBreaker("sync", failure_threshold=3, recovery_timeout=60, clock=clock)
    fail_times(breaker, 3)
    clock.now += 61
    fail_times(breaker, 1)  # the trial fails: open again at once, not after 3 more
    assert breaker.state is CircuitState.OPEN
    clock.now += 30
    assert breaker.state is CircuitState.OPEN
    clock.now += 30
    assert breaker.state is CircuitState.HALF_OPEN


def test_half_open_admits_exactly_one_trial(clock: FakeClock) -> None:
    breaker = CircuitBreaker("cloud", failure_threshold=1, recovery_timeout=10, clock=clock)
    fail_times(breaker, 1)
    clock.now += 10
    breaker.before_call()  # the trial, still in flight
    with pytest.raises(CircuitOpenError):
        breaker.before_call()
    breaker.record_success()
    breaker.before_call()  # closed: anyone may call
    breaker.before_call()


def test_a_trial_never_reported_does_not_block_forever(clock: FakeClock) -> None:
    breaker = CircuitBreaker("cloud", failure_threshold=1, recovery_timeout=10, clock=clock)
    fail_times(breaker, 1)
    clock.now += 10
    breaker.before_call()  # a trial whose caller vanished
    clock.now += 10
    breaker.before_call()  # another trial is admitted after a further timeout


def test_client_errors_do_not_count(clock: FakeClock) -> None:
    breaker = CircuitBreaker("sync", failure_threshold=2, clock=clock)
    request = httpx.Request("GET", "https://x.example.org/")
    not_found = httpx.HTTPStatusError(
        "404", request=request, response=httpx.Response(404, request=request)
    )
    for _ in range(5):
        breaker.record_failure(not_found)
        breaker.record_failure(ValueError("bug"))
    assert breaker.state is CircuitState.CLOSED
    assert breaker.snapshot().consecutive_failures == 0


def test_success_resets_the_count(clock: FakeClock) -> None:
    breaker = CircuitBreaker("sync", failure_threshold=3, clock=clock)
    fail_times(breaker, 2)
    breaker.call(lambda: None)
    fail_times(breaker, 2)
    assert breaker.state is CircuitState.CLOSED


def test_listeners_hear_each_transition_once(clock: FakeClock) -> None:
    breaker = CircuitBreaker("sync", failure_threshold=2, recovery_timeout=5, clock=clock)
    changes: list[tuple[str, str]] = []
    remove = breaker.add_listener(lambda old, new: changes.append((old.value, new.value)))
    fail_times(breaker, 2)
    clock.now += 5
    breaker.call(lambda: None)
    assert changes == [("closed", "open"), ("open", "half_open"), ("half_open", "closed")]
    remove()
    fail_times(breaker, 2)
    assert len(changes) == 3


def test_snapshot_says_when_the_next_try_is(clock: FakeClock) -> None:
    breaker = CircuitBreaker("sync", failure_threshold=1, recovery_timeout=60, clock=clock)
    fail_times(breaker, 1)
    clock.now += 15
    snap = breaker.snapshot()
    assert snap.state is CircuitState.OPEN
    assert snap.retry_in == pytest.approx(45)
    assert snap.last_failure is not None and "ConnectError" in snap.last_failure


def test_thread_safe_under_concurrent_calls() -> None:
    """Many threads failing at once open it exactly once; then one trial among many callers."""
    clock = FakeClock()
    breaker = CircuitBreaker("sync", failure_threshold=50, recovery_timeout=1, clock=clock)
    transitions: list[tuple[str, str]] = []
    breaker.add_listener(lambda old, new: transitions.append((old.value, new.value)))
    barrier = threading.Barrier(8)

    def hammer() -> None:
        barrier.wait()
        for _ in range(100):
            with contextlib.suppress(httpx.ConnectError, CircuitOpenError):
                breaker.call(failing)

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert breaker.state is CircuitState.OPEN
    assert transitions == [("closed", "open")]
    assert breaker.snapshot().consecutive_failures == 50  # no call got through once open

    clock.now += 1
    admitted: list[int] = []
    gate = threading.Event()
    barrier2 = threading.Barrier(8)

    def try_trial(i: int) -> None:
        barrier2.wait()
        try:
            breaker.before_call()
        except CircuitOpenError:
            return
        admitted.append(i)
        gate.wait(5)

    threads = [threading.Thread(target=try_trial, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(0.2)
    gate.set()
    for thread in threads:
        thread.join()
    assert len(admitted) == 1
