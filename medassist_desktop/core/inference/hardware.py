"""What this machine can run, and how to run it: threads, GPU layers, context, memory.

llama.cpp is built for a chosen set of x86 instruction sets (see LLAMA_CMAKE_ARGS
in the Makefile). On a CPU without them the library dies with "Illegal
instruction", so the CPU is checked here, from the OS, before llama_cpp is ever
imported, and an older CPU gets a clear message instead of a crash.
"""

from __future__ import annotations

import os
import platform
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import psutil

from medassist_desktop.config.settings import ModelDevice
from medassist_desktop.core.inference.errors import UnsupportedCpuError
from medassist_desktop.i18n.catalogue import N_

# The instruction sets the bundled llama.cpp build uses (Makefile: LLAMA_CMAKE_ARGS).
REQUIRED_CPU_FLAGS = ("avx", "avx2", "fma", "f16c")
REPORTED_CPU_FLAGS = (*REQUIRED_CPU_FLAGS, "avx512f", "avx512bw", "avx512vl", "avx_vnni")
X86_MACHINES = frozenset({"x86_64", "amd64", "i386", "i686", "x86"})
MIN_CONTEXT = 2048
MAX_AUTO_THREADS = 16  # beyond this, token generation is memory-bound and gains little
RUNTIME_OVERHEAD_BYTES = 256 * 1024**2  # compute buffers, tokenizer, Python side
GIB = 1024**3


@dataclass(frozen=True)
class HardwareInfo:
    machine: str
    cpu_brand: str
    cores_physical: int
    cores_logical: int
    cpu_flags: frozenset[str]
    ram_total_bytes: int
    ram_available_bytes: int
    gpu_offload: bool | None = None  # None: not asked (llama_cpp not imported)

    @property
    def is_x86(self) -> bool:
        return self.machine.lower() in X86_MACHINES

    def missing_cpu_flags(self) -> list[str]:
        if not self.is_x86:
            return []  # ARM builds use NEON, which every supported ARM CPU has
        return [flag for flag in REQUIRED_CPU_FLAGS if flag not in self.cpu_flags]

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["cpu_flags"] = sorted(f for f in self.cpu_flags if f in REPORTED_CPU_FLAGS)
        data["missing_cpu_flags"] = self.missing_cpu_flags()
        return data


def _flags_from_proc_cpuinfo(text: str) -> tuple[str, frozenset[str]]:
    brand, flags = "", frozenset[str]()
    for line in text.splitlines():
        key, _, value = line.partition(":")
        key = key.strip()
        if key == "model name" and not brand:
            brand = value.strip()
        elif key in ("flags", "Features") and not flags:
            flags = frozenset(value.split())
    return brand, flags


def read_cpu_flags() -> tuple[str, frozenset[str]]:
    """(brand, lower-case flags). /proc/cpuinfo on Linux (instant), py-cpuinfo elsewhere."""
    proc = Path("/proc/cpuinfo")
    if sys.platform.startswith("linux") and proc.is_file():
        brand, flags = _flags_from_proc_cpuinfo(proc.read_text(errors="replace"))
        if flags:
            return brand, flags
    import cpuinfo  # py-cpuinfo: CPUID on Windows and macOS; takes about a second

    info = cpuinfo.get_cpu_info()
    return str(info.get("brand_raw", "")), frozenset(str(f).lower() for f in info.get("flags", []))


def gpu_offload_supported() -> bool:
    """Whether this llama.cpp build has a GPU backend. Loads llama.cpp (after the CPU check)."""
    from medassist_desktop.core.inference.llama_runtime import import_llama

    return bool(import_llama().llama_supports_gpu_offload())


def probe_hardware(*, check_gpu: bool = True) -> HardwareInfo:
    brand, flags = read_cpu_flags()
    memory = psutil.virtual_memory()
    info = HardwareInfo(
        machine=platform.machine() or "unknown",
        cpu_brand=brand or platform.processor() or "unknown",
        cores_physical=psutil.cpu_count(logical=False) or os.cpu_count() or 1,
        cores_logical=psutil.cpu_count(logical=True) or os.cpu_count() or 1,
        cpu_flags=flags,
        ram_total_bytes=int(memory.total),
        ram_available_bytes=int(memory.available),
    )
    if check_gpu and not info.missing_cpu_flags():
        info = HardwareInfo(**{**info.__dict__, "gpu_offload": gpu_offload_supported()})
    return info


def ensure_cpu_supported(info: HardwareInfo) -> None:
    missing = info.missing_cpu_flags()
    if missing:
        raise UnsupportedCpuError(
            N_(
                "This computer's processor ({value}) lacks the instructions the AI "
                "model needs: {join}.",
                value=info.cpu_brand or "unknown",
                join=", ".join(m.upper() for m in missing),
            ),
            hint=N_(
                "The model cannot run here; use a computer made after about 2015 "
                "(Intel Haswell / AMD Excavator or newer). Triage rules and the "
                "knowledge base still work."
            ),
        )


@dataclass(frozen=True)
class ModelFacts:
    """What planning needs to know about a model file (from its GGUF metadata)."""

    file_size_bytes: int
    n_ctx_train: int | None = None
    kv_bytes_per_token: int | None = None

    @classmethod
    def from_metadata(cls, file_size_bytes: int, metadata: dict[str, str]) -> ModelFacts:
        arch = metadata.get("general.architecture", "")

        def number(key: str) -> int | None:
            try:
                return int(float(metadata[f"{arch}.{key}"]))
            except (KeyError, ValueError):
                return None

        layers = number("block_count")
        kv_heads = number("attention.head_count_kv") or number("attention.head_count")
        key_len, value_len = number("attention.key_length"), number("attention.value_length")
        if key_len is None or value_len is None:
            embedding, heads = number("embedding_length"), number("attention.head_count")
            key_len = value_len = embedding // heads if embedding and heads else None
        kv = None
        if layers and kv_heads and key_len and value_len:
            kv = layers * kv_heads * (key_len + value_len) * 2  # f16 K and V
        return cls(file_size_bytes, number("context_length"), kv)

    def memory_needed(self, n_ctx: int) -> int:
        kv = (self.kv_bytes_per_token or 0) * n_ctx
        return self.file_size_bytes + kv + RUNTIME_OVERHEAD_BYTES


@dataclass(frozen=True)
class RuntimePlan:
    """How to load a model on this machine, and why (shown in diagnostics)."""

    n_threads: int
    n_gpu_layers: int
    n_ctx: int
    device: Literal["cpu", "gpu"]
    memory_needed_bytes: int
    fits_in_memory: bool
    reasons: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def pick_threads(info: HardwareInfo, requested: int) -> int:
    """Physical cores minus one (at least one), unless set explicitly.

    Chosen by measurement (benchmarks/inference_threads.py: decode speed, the GUI
    event loop's longest stall and typing latency while a reply streams, for 1..N
    threads on 1 and 2 CPUs pinned with taskset; benchmarks/results/
    inference_threads.json). Shared 2-core reference machine, Gemma 3 270M,
    tokens/s (GUI stall), OpenMP workers passive (see native_order):

        CPUs  threads  quiet (load ~3)  busy (load 11-12, two runs)
        1     1        75.6 (9 ms)      21.1, 22.8 (32, 36 ms)
        2     1        72.7 (14 ms)     31.1, 39.6 (32, 24 ms)
        2     2        54.5 (9 ms)      46.1, 45.8 (31, 30 ms)

    With libgomp's default (spinning) workers, 2 x 2 collapsed to 4.9 tokens/s even
    when quiet and to 1.0 (101 ms stalls) when busy. Every row kept stalls under
    50 ms, so speed decides, and the two conditions disagree: a spare core is 1.4x
    faster on a quiet machine and 0.7-0.85x on a busy one. A clinic laptop running
    this app is mostly the quiet case (the GUI needs little), so a core is left
    free; on a busy or many-core machine MODEL_THREADS sets more. A 4-core set
    could not be emulated on the 2-core machine. Hyper-threads are not counted:
    they slow llama.cpp down.
    """
    if requested > 0:
        return requested
    return max(1, min(info.cores_physical - 1, MAX_AUTO_THREADS))


def plan_runtime(
    info: HardwareInfo,
    facts: ModelFacts,
    *,
    device: ModelDevice,
    requested_threads: int,
    requested_ctx: int,
) -> RuntimePlan:
    reasons: list[str] = []
    threads = pick_threads(info, requested_threads)
    reasons.append(f"{threads} threads ({'set' if requested_threads else 'physical cores'})")

    n_gpu_layers = 0
    where: Literal["cpu", "gpu"] = "cpu"
    if device is ModelDevice.CPU:
        reasons.append("CPU only (MODEL_DEVICE=cpu)")
    elif info.gpu_offload:
        n_gpu_layers, where = -1, "gpu"
        reasons.append(f"all layers on the GPU (MODEL_DEVICE={device.value})")
    else:
        why = "not checked" if info.gpu_offload is None else "no GPU backend in this build"
        reasons.append(f"CPU: GPU offload unavailable ({why})")

    n_ctx = requested_ctx
    if facts.n_ctx_train and n_ctx > facts.n_ctx_train:
        n_ctx = facts.n_ctx_train
        reasons.append(f"context capped at the model's {n_ctx} tokens")
    available = info.ram_available_bytes
    while facts.memory_needed(n_ctx) > available and n_ctx > MIN_CONTEXT:
        n_ctx = max(MIN_CONTEXT, n_ctx // 2)
        reasons.append(f"context reduced to {n_ctx} tokens to fit free memory")
    needed = facts.memory_needed(n_ctx)
    fits = needed <= available
    reasons.append(
        f"needs about {needed / GIB:.1f} GiB, {available / GIB:.1f} GiB available"
        + ("" if fits else ": NOT ENOUGH MEMORY")
    )
    return RuntimePlan(
        n_threads=threads,
        n_gpu_layers=n_gpu_layers,
        n_ctx=n_ctx,
        device=where,
        memory_needed_bytes=needed,
        fits_in_memory=fits,
        reasons=tuple(reasons),
    )
