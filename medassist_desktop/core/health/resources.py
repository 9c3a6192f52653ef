"""This computer's resources as the admin's System page shows them: CPU, memory, disk.

CPU use is a rate: psutil measures it between two calls. The sampler takes its first
reading when it is made, so the next `sample()` reports the use since then (waiting
out a short minimum so a reading right after the first is not noise).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import psutil

# A CPU reading over less time than this is mostly noise.
MIN_CPU_WINDOW_S = 0.2


@dataclass(frozen=True)
class Resources:
    cpu_percent: float  # the whole machine, all cores (0-100)
    process_cpu_percent: float  # MedAssist alone (0-100 per core: 200 = two cores busy)
    cpu_cores: int  # logical
    cpu_physical_cores: int | None
    memory_total_bytes: int
    memory_available_bytes: int
    process_resident_bytes: int
    disk_free_bytes: int | None  # under the data folder
    window_s: float  # the time the CPU figures cover

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class ResourceSampler:
    """CPU use between samples, memory and disk now. Not thread-safe: one caller."""

    def __init__(
        self, data_dir: Path | None = None, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._data_dir = data_dir
        self._clock = clock
        self._process = psutil.Process()
        self._since = self._prime()

    def _prime(self) -> float:
        psutil.cpu_percent(interval=None)
        self._process.cpu_percent(interval=None)
        return self._clock()

    def sample(self) -> Resources:
        waited = self._clock() - self._since
        if waited < MIN_CPU_WINDOW_S:
            time.sleep(MIN_CPU_WINDOW_S - waited)
            waited = MIN_CPU_WINDOW_S
        with self._process.oneshot():
            process_cpu = self._process.cpu_percent(interval=None)
            rss = self._process.memory_info().rss
        machine_cpu = psutil.cpu_percent(interval=None)
        self._since = self._clock()
        memory = psutil.virtual_memory()
        disk = (
            shutil.disk_usage(self._data_dir).free
            if self._data_dir is not None and self._data_dir.exists()
            else None
        )
        return Resources(
            cpu_percent=machine_cpu,
            process_cpu_percent=process_cpu,
            cpu_cores=psutil.cpu_count(logical=True) or 1,
            cpu_physical_cores=psutil.cpu_count(logical=False),
            memory_total_bytes=memory.total,
            memory_available_bytes=memory.available,
            process_resident_bytes=rss,
            disk_free_bytes=disk,
            window_s=round(waited, 3),
        )
