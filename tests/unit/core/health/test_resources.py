"""CPU, memory and disk for the System page, read with psutil on this very process."""

from __future__ import annotations

import time
from pathlib import Path

import psutil

from medassist_desktop.core.health.resources import MIN_CPU_WINDOW_S, ResourceSampler


def spin(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        sum(range(1000))


def test_process_cpu_is_what_this_process_really_used(tmp_path: Path) -> None:
    sampler = ResourceSampler(tmp_path)
    cpu_before, wall_before = time.process_time(), time.monotonic()
    spin(0.6)
    sample = sampler.sample()
    # The share of one core this process got (on a shared machine, maybe far below 100).
    expected = (time.process_time() - cpu_before) / (time.monotonic() - wall_before) * 100
    assert abs(sample.process_cpu_percent - expected) < 20
    assert sample.process_cpu_percent > 0
    assert 0 <= sample.cpu_percent <= 100
    assert sample.window_s >= 0.6


def test_memory_disk_and_cores_are_this_machines(tmp_path: Path) -> None:
    sample = ResourceSampler(tmp_path).sample()
    assert sample.cpu_cores == psutil.cpu_count(logical=True)
    assert sample.memory_total_bytes == psutil.virtual_memory().total
    assert 0 < sample.memory_available_bytes <= sample.memory_total_bytes
    assert sample.process_resident_bytes > 10 * 1024 * 1024  # Python with psutil loaded
    assert sample.disk_free_bytes is not None and sample.disk_free_bytes > 0
    assert ResourceSampler(tmp_path / "unplugged").sample().disk_free_bytes is None


def test_a_reading_right_after_the_first_waits_for_a_meaningful_window() -> None:
    sampler = ResourceSampler()
    started = time.monotonic()
    sample = sampler.sample()
    assert time.monotonic() - started >= MIN_CPU_WINDOW_S * 0.9
    assert sample.window_s >= MIN_CPU_WINDOW_S
