"""The degradation registry: marks, snapshots, listeners, threads."""

from __future__ import annotations

import itertools
import threading

import httpx

from medassist_desktop.core.degradation import (
    CLOUD_INFERENCE,
    CLOUD_SYNC,
    Degradation,
    DegradationRegistry,
)
from medassist_desktop.errors import KnownError


def test_mark_and_heal() -> None:
    registry = DegradationRegistry(clock=lambda: 42.0)
    assert not registry.is_degraded(CLOUD_SYNC)
    entry = registry.mark_degraded(CLOUD_SYNC, httpx.ConnectError("connection refused"))
    assert registry.is_degraded(CLOUD_SYNC)
    assert not registry.is_degraded(CLOUD_INFERENCE)
    assert entry.reason == "ConnectError: connection refused"
    assert entry.error_type == "ConnectError"
    assert entry.since == 42.0
    registry.mark_healthy(CLOUD_SYNC)
    assert not registry.is_degraded(CLOUD_SYNC)
    assert registry.snapshot() == {}


def test_known_error_reason_is_its_message() -> None:
    registry = DegradationRegistry()
    registry.mark_degraded(CLOUD_SYNC, KnownError("The server refused the account.", hint="x"))
    assert registry.snapshot()[CLOUD_SYNC].reason == "The server refused the account."


def test_snapshot_is_a_copy() -> None:
    registry = DegradationRegistry()
    registry.mark_degraded(CLOUD_SYNC, "offline")
    snap = registry.snapshot()
    registry.mark_healthy(CLOUD_SYNC)
    assert CLOUD_SYNC in snap
    assert snap[CLOUD_SYNC].as_dict()["reason"] == "offline"


def test_listeners_hear_changes_only() -> None:
    times = iter([1.0, 2.0, 3.0, 4.0])
    registry = DegradationRegistry(clock=lambda: next(times))
    heard: list[tuple[str, Degradation | None]] = []
    remove = registry.add_listener(lambda cap, entry: heard.append((cap, entry)))
    registry.mark_degraded(CLOUD_SYNC, "offline")
    registry.mark_degraded(CLOUD_SYNC, "offline")  # same reason: no news
    registry.mark_degraded(CLOUD_SYNC, "server error")  # new reason: news, same `since`
    registry.mark_healthy(CLOUD_SYNC)
    registry.mark_healthy(CLOUD_SYNC)  # already healthy: no news
    assert [(cap, e.reason if e else None) for cap, e in heard] == [
        (CLOUD_SYNC, "offline"),
        (CLOUD_SYNC, "server error"),
        (CLOUD_SYNC, None),
    ]
    first, second = heard[0][1], heard[1][1]
    assert first is not None and second is not None and first.since == second.since == 1.0
    remove()
    registry.mark_degraded(CLOUD_INFERENCE, "timeout")
    assert len(heard) == 3


def test_a_failing_listener_does_not_break_marking() -> None:
    registry = DegradationRegistry()
    heard: list[str] = []

    def broken(_cap: str, _entry: Degradation | None) -> None:
        raise RuntimeError("listener bug")

    registry.add_listener(broken)
    registry.add_listener(lambda cap, _e: heard.append(cap))
    registry.mark_degraded(CLOUD_SYNC, "offline")
    assert heard == [CLOUD_SYNC]


def test_listener_may_read_the_registry() -> None:
    registry = DegradationRegistry()
    seen: list[bool] = []
    registry.add_listener(lambda cap, _e: seen.append(registry.is_degraded(cap)))
    registry.mark_degraded(CLOUD_SYNC, "offline")
    registry.mark_healthy(CLOUD_SYNC)
    assert seen == [True, False]


def test_concurrent_marks_end_consistent_and_in_order() -> None:
    registry = DegradationRegistry()
    events: list[tuple[str, bool]] = []
    registry.add_listener(lambda cap, entry: events.append((cap, entry is not None)))
    barrier = threading.Barrier(6)

    def flap(capability: str) -> None:
        barrier.wait()
        for i in range(200):
            registry.mark_degraded(capability, f"reason {i % 2}")
            registry.mark_healthy(capability)

    threads = [threading.Thread(target=flap, args=(f"cap{i % 3}",)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert registry.snapshot() == {}
    # Per capability, the notifications alternate degraded/healthy and end healthy.
    for capability in ("cap0", "cap1", "cap2"):
        states = [degraded for cap, degraded in events if cap == capability]
        assert states, capability
        assert states[-1] is False
        assert all(a != b or a for a, b in itertools.pairwise(states))
        assert all(not (a is False and b is False) for a, b in itertools.pairwise(states))
